import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { clientMessageSchema, type ClientMessage, type ServerMessage } from '../../shared/contract';
import { WS_CLOSE, WS_PATH } from '../../shared/constants';
import type { Connection, Core } from '../core';
import { serveStatic } from './static-files';

/** 24 random bytes: a per-boot secret that cannot be guessed from another process on the machine. */
const TOKEN_BYTES = 24;
/** Far above any contract message; a larger frame is a misbehaving client. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/**
 * Invokes one connection may have waiting or running. A face needs a handful at once; past this the
 * client gets `overloaded` at once, so one connection cannot queue unbounded work ahead of the others.
 */
export const MAX_PENDING_INVOKES = 32;
/**
 * Unsent bytes a connection may hold on the host. Above a full scrollback replay (2 M characters,
 * up to 6 bytes each once JSON-escaped); a client this far behind has stopped reading.
 */
export const MAX_SEND_BUFFER_BYTES = 32 * 1024 * 1024;
/** A peer that does not answer our close frame within this long is cut off, freeing what it never read. */
const CLOSE_HANDSHAKE_TIMEOUT_MS = 10_000;
/** The close reason is at most 123 bytes on the wire; these stay well inside it. */
const CLOSE_REASONS = {
  overloaded: 'overloaded: this connection stopped reading its output',
  binary: 'binary frames are not part of the contract',
} as const;
/** RFC 6455: the endpoint received a type of data it cannot accept. */
const CLOSE_UNSUPPORTED_DATA = 1003;
const LOOPBACK = '127.0.0.1';

export type HostLog = (message: string) => void;

export interface WebSocketHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** When set, the built renderer is served from here on the same port (browser mode). */
  staticDir?: string;
  /** Where the host records refused or cut-off connections; never sent the token. */
  log?: HostLog;
  /** Tests lower it to reach the limit with little data; the default is MAX_SEND_BUFFER_BYTES. */
  maxSendBufferBytes?: number;
  /** The token a previous boot kept in host.json, so an open board reconnects after a restart; else a fresh one. */
  token?: string;
}

export interface WebSocketHostStats {
  /** Invokes answered `overloaded` because their connection had too many in flight. */
  overloadedInvokes: number;
  /** Connections closed with WS_CLOSE.overloaded because their send buffer passed the limit. */
  overloadedCloses: number;
}

export interface WebSocketHost {
  readonly port: number;
  readonly token: string;
  /** The URL that opens the board with the token (in the fragment, so it never reaches a log). */
  readonly boardUrl: string;
  readonly stats: Readonly<WebSocketHostStats>;
  close(): Promise<void>;
}

interface Refusal {
  status: 400 | 401 | 403 | 404 | 421;
  why: string;
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

/** Answers on the raw socket with a plain HTTP status and closes it: nothing was upgraded. */
function refuseOnSocket(socket: Duplex, status: number, body = ''): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** A fresh random token: the first boot's, and what a rotation gives. */
export function newHostToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** A token as newHostToken makes them; anything else found in host.json is not reused. */
export const HOST_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,}$/;

/**
 * Serves the contract over a loopback WebSocket for browser mode, the CLI and tests. Bound to
 * 127.0.0.1 only; a connection must carry the per-boot token, and a browser's Origin must be ours.
 */
export async function startWebSocketHost(core: Core, options: WebSocketHostOptions): Promise<WebSocketHost> {
  const token = options.token ?? newHostToken();
  const log: HostLog = options.log ?? ((message) => console.error(`[host] ${message}`));
  const limits = { maxSendBufferBytes: options.maxSendBufferBytes ?? MAX_SEND_BUFFER_BYTES };
  const stats: WebSocketHostStats = { overloadedInvokes: 0, overloadedCloses: 0 };
  const hosts = new Set<string>();

  const server = createServer((request, response) => {
    request.on('error', () => response.destroy());
    response.on('error', () => request.destroy());
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
  // A request Node cannot parse (bad bytes, a 70 KB header line) lands here, not in a throw.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    refuseOnSocket(socket, error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  /** Checked in this order, before any `101 Switching Protocols`: path, Host, Origin, token. */
  const refusalOf = (request: IncomingMessage): Refusal | null => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', `http://${LOOPBACK}`);
    } catch {
      return { status: 400, why: 'malformed URL' };
    }
    if (url.pathname !== WS_PATH) return { status: 404, why: 'wrong path' };
    if (!hosts.has(request.headers.host ?? '')) return { status: 421, why: 'foreign Host header' };
    const origin = request.headers.origin;
    if (origin !== undefined && !hosts.has(origin.replace(/^https?:\/\//, ''))) return { status: 403, why: 'foreign Origin' };
    if (!tokenMatches(url.searchParams.get('token') ?? '', token)) return { status: 401, why: 'missing or wrong token' };
    return null;
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Before anything can fail: a reset from the peer must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const refusal = refusalOf(request);
    if (refusal) {
      log(`refused a WebSocket upgrade with ${refusal.status} (${refusal.why})`);
      refuseOnSocket(socket, refusal.status);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveConnection(core, ws, limits, stats, log));
  });

  const port = await listen(server, options.port);
  // After listening, a server error (there is no other kind left) is logged, never thrown.
  server.on('error', (error) => log(`the WebSocket host's server failed: ${error.message}`));
  hosts.add(`${LOOPBACK}:${port}`);
  hosts.add(`localhost:${port}`);
  return {
    port,
    token,
    boardUrl: `http://${LOOPBACK}:${port}/#token=${token}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function overloadedResult(id: number): ServerMessage {
  return {
    t: 'result',
    id,
    result: {
      ok: false,
      error: {
        code: 'overloaded',
        message: `This connection already has ${MAX_PENDING_INVOKES} requests waiting; wait for their answers before sending more.`,
      },
    },
  };
}

function invalidFrame(id: number, message: string): ServerMessage {
  return { t: 'result', id, result: { ok: false, error: { code: 'invalid_input', message } } };
}

/** The id of a frame that may not be an invoke, so even a refusal can be matched by the client. */
function idOf(message: unknown): number {
  const id = (message as { id?: unknown } | null)?.id;
  return Number.isSafeInteger(id) ? (id as number) : -1;
}

function serveConnection(
  core: Core,
  ws: WebSocket,
  limits: { maxSendBufferBytes: number },
  stats: WebSocketHostStats,
  log: HostLog,
): void {
  // An invalid frame (bad UTF-8, too large, a protocol error) emits 'error' and then closes this one connection.
  ws.on('error', (error) => log(`a WebSocket connection failed: ${error.message}`));
  /** Invokes taken from this connection and not yet answered: waiting their turn or running. */
  let pending = 0;
  const waiting: ClientMessage[] = [];
  let turnScheduled = false;
  // Assigned once attached; the core may push an event (and so reach closeOverloaded) while attaching.
  let detach: () => void = () => undefined;
  const closeOverloaded = () => {
    stats.overloadedCloses += 1;
    log(`closed a WebSocket connection: more than ${limits.maxSendBufferBytes} bytes of its output were unsent`);
    // Stop producing for it at once; the close frame waits behind what it has not read.
    detach();
    ws.close(WS_CLOSE.overloaded, CLOSE_REASONS.overloaded);
    const cutOff = setTimeout(() => ws.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS);
    ws.once('close', () => clearTimeout(cutOff));
  };
  const send = (message: ServerMessage) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > limits.maxSendBufferBytes) {
      closeOverloaded();
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      // A payload that cannot be serialized is the core's bug; it must not break the broadcast to others.
      log(`could not send a ${message.t}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    ws.send(text);
  };

  const connection: Connection = {
    id: randomUUID(),
    transport: 'websocket',
    emit: (event, payload) => send({ t: 'event', event, payload }),
  };
  detach = core.connect(connection);
  ws.on('close', () => detach());
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (isBinary) {
      ws.close(CLOSE_UNSUPPORTED_DATA, CLOSE_REASONS.binary);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      send(invalidFrame(-1, 'The frame is not JSON.'));
      return;
    }
    const id = idOf(message);
    // Refused before any schema work: under a flood, each refusal costs one small write.
    if (pending >= MAX_PENDING_INVOKES) {
      stats.overloadedInvokes += 1;
      send(overloadedResult(id));
      return;
    }
    const parsed = clientMessageSchema.safeParse(message);
    if (!parsed.success) {
      send(invalidFrame(id, 'The frame is not an invoke message.'));
      return;
    }
    pending += 1;
    waiting.push(parsed.data);
    takeNextInTurn();
  });

  /**
   * One invoke per connection per event-loop turn: a chunk of frames read at once waits behind the
   * other connections' input (which the loop polls between turns) instead of running ahead of it.
   */
  const takeNextInTurn = () => {
    if (turnScheduled || waiting.length === 0) return;
    turnScheduled = true;
    setImmediate(() => {
      turnScheduled = false;
      const next = waiting.shift();
      if (!next) return;
      takeNextInTurn();
      if (ws.readyState !== WebSocket.OPEN) {
        pending -= 1;
        return;
      }
      void core.router
        .invoke(next.command, next.input, connection)
        .then(
          (result) => send({ t: 'result', id: next.id, result }),
          (error: unknown) => {
            log(`an invoke failed outside the router: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
            send({ t: 'result', id: next.id, result: { ok: false, error: { code: 'internal', message: 'The host could not answer this request.' } } });
          },
        )
        .finally(() => {
          pending -= 1;
        });
    });
  };
}
