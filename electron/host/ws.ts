import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { clientMessageSchema, type ServerMessage } from '../../shared/contract';
import { WS_CLOSE, WS_PATH } from '../../shared/constants';
import type { Connection, Core } from '../core';
import { serveStatic } from './static-files';

/** 24 random bytes: a per-boot secret that cannot be guessed from another process on the machine. */
const TOKEN_BYTES = 24;
/** Far above any contract message; a larger frame is a misbehaving client. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const LOOPBACK = '127.0.0.1';

export interface WebSocketHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** When set, the built renderer is served from here on the same port (browser mode). */
  staticDir?: string;
}

export interface WebSocketHost {
  readonly port: number;
  readonly token: string;
  /** The URL that opens the board with the token (in the fragment, so it never reaches a log). */
  readonly boardUrl: string;
  close(): Promise<void>;
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Serves the contract over a loopback WebSocket for browser mode, the CLI and tests. Bound to
 * 127.0.0.1 only; a connection must carry the per-boot token, and a browser's Origin must be ours.
 */
export async function startWebSocketHost(core: Core, options: WebSocketHostOptions): Promise<WebSocketHost> {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const hosts = new Set<string>();
  const server = createServer((request, response) => {
    if (!hosts.has(request.headers.host ?? '')) {
      // A foreign Host header means DNS rebinding or a misdirected request: answer nothing.
      response.writeHead(421).end();
      return;
    }
    if (!options.staticDir) {
      response.writeHead(404).end();
      return;
    }
    serveStatic(options.staticDir, request, response);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (request: IncomingMessage, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname !== WS_PATH || !hosts.has(request.headers.host ?? '')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const origin = request.headers.origin;
      if (origin !== undefined && !hosts.has(origin.replace(/^https?:\/\//, ''))) {
        ws.close(WS_CLOSE.forbiddenOrigin, 'forbidden: this origin may not use the fleet host');
        return;
      }
      if (!tokenMatches(url.searchParams.get('token') ?? '', token)) {
        ws.close(WS_CLOSE.unauthorized, 'unauthorized: missing or wrong token');
        return;
      }
      serveConnection(core, ws);
    });
  });

  const port = await listen(server, options.port);
  hosts.add(`${LOOPBACK}:${port}`);
  hosts.add(`localhost:${port}`);
  return {
    port,
    token,
    boardUrl: `http://${LOOPBACK}:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function serveConnection(core: Core, ws: WebSocket): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  };
  const connection: Connection = {
    id: randomUUID(),
    transport: 'websocket',
    emit: (event, payload) => send({ t: 'event', event, payload }),
  };
  const detach = core.connect(connection);
  ws.on('close', detach);
  ws.on('message', async (data: RawData) => {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      send({ t: 'result', id: -1, result: { ok: false, error: { code: 'invalid_input', message: 'The frame is not JSON.' } } });
      return;
    }
    const parsed = clientMessageSchema.safeParse(message);
    if (!parsed.success) {
      const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : -1;
      send({ t: 'result', id, result: { ok: false, error: { code: 'invalid_input', message: 'The frame is not an invoke message.' } } });
      return;
    }
    const result = await core.router.invoke(parsed.data.command, parsed.data.input, connection);
    send({ t: 'result', id: parsed.data.id, result });
  });
}
