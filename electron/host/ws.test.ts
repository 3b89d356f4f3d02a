import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FLOW_CONTROL } from '../../shared/constants';
import type { EventPayload, ServerMessage } from '../../shared/contract';
import { makeTempRepo, tempDir } from '../test-support/temp-repo';
import { startTestCore, type TestCore } from '../test-support/test-core';
import { startWebSocketHost, type WebSocketHost } from './ws';

let harness: TestCore | undefined;
let host: WebSocketHost | undefined;
afterEach(async () => {
  await host?.close();
  await harness?.core.close();
  host = undefined;
  harness = undefined;
});

/** The status line's code a raw upgrade request gets: 101 when upgraded, else the refusal. */
function upgradeStatus(port: number, requestPath: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      path: requestPath,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

/** A minimal client of the wire protocol, as the renderer's WebSocket transport speaks it. */
class Client {
  readonly messages: ServerMessage[] = [];
  private nextId = 1;
  private listeners = new Set<() => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.listeners) wake();
    });
  }
  static async open(url: string, origin?: string): Promise<Client> {
    const ws = new WebSocket(url, origin ? { origin } : {});
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new Client(ws);
  }
  invoke(command: string, input: unknown): Promise<Extract<ServerMessage, { t: 'result' }>['result']> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'invoke', id, command, input }));
    return this.until(() => {
      const found = this.messages.find((m) => m.t === 'result' && m.id === id);
      return found?.t === 'result' ? found.result : undefined;
    });
  }
  until<T>(test: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = test();
        if (value !== undefined) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error('timed out'));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }
  terminalData(paneId: string): EventPayload<'terminal.data'>[] {
    return this.messages
      .filter((m): m is Extract<ServerMessage, { t: 'event' }> => m.t === 'event' && m.event === 'terminal.data')
      .map((m) => m.payload as EventPayload<'terminal.data'>)
      .filter((p) => p.paneId === paneId);
  }
}

const wsUrl = (h: WebSocketHost, token: string) => `ws://127.0.0.1:${h.port}/ws?token=${encodeURIComponent(token)}`;

describe('the loopback WebSocket host', () => {
  it('refuses a wrong or missing token, a foreign Origin, Host or path with an HTTP status before any upgrade', async () => {
    harness = startTestCore();
    const lines: string[] = [];
    host = await startWebSocketHost(harness.core, { port: 0, log: (line) => lines.push(line) });
    const own = `127.0.0.1:${host.port}`;
    expect(await upgradeStatus(host.port, `/ws?token=not-the-token`)).toBe(401);
    expect(await upgradeStatus(host.port, '/ws')).toBe(401);
    expect(await upgradeStatus(host.port, `/ws?token=${host.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(host.port, `/ws?token=${host.token}`, { host: 'evil.example' })).toBe(421);
    expect(await upgradeStatus(host.port, `/elsewhere?token=${host.token}`)).toBe(404);
    expect(await upgradeStatus(host.port, `/ws?token=${host.token}`, { origin: `http://${own}` })).toBe(101);
    // The ws client sees the refusal as an unexpected response, never as an open socket.
    const refused = new WebSocket(wsUrl(host, 'not-the-token'));
    expect(await new Promise((resolve) => refused.on('unexpected-response', (_request, response) => resolve(response.statusCode)))).toBe(401);
    expect(lines.join('\n')).not.toContain(host.token);
  });

  it('listens on loopback only and prints a board URL carrying the token in the fragment', async () => {
    harness = startTestCore();
    host = await startWebSocketHost(harness.core, { port: 0 });
    expect(host.boardUrl).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    const client = await Client.open(wsUrl(host, host.token), `http://127.0.0.1:${host.port}`);
    expect(await client.invoke('host.info', {})).toEqual({ ok: true, value: { version: 'test', dataDir: harness.dataDir, transport: 'websocket' } });
    expect(await client.invoke('nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await client.invoke('terminal.ack', { paneId: 'a', chars: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    client.ws.send('this is not json');
    const bad = await client.until(() => client.messages.find((m) => m.t === 'result' && m.id === -1));
    expect(bad).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });
    client.ws.close();
  });

  it('serves the renderer only inside its folder and only to its own Host', async () => {
    harness = startTestCore();
    const staticDir = path.join(tempDir(), 'renderer');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>board</title>');
    host = await startWebSocketHost(harness.core, { port: 0, staticDir });
    const base = `http://127.0.0.1:${host.port}`;
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('board');
    expect((await fetch(`${base}/..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${base}/missing.js`)).status).toBe(404);
    const rebound = await new Promise<number>((resolve) => {
      import('node:http').then(({ get }) =>
        get({ host: '127.0.0.1', port: host!.port, path: '/', headers: { host: 'evil.example' } }, (res) => resolve(res.statusCode ?? 0)),
      );
    });
    expect(rebound).toBe(421);
  });

  it('stalls a worker whose viewer stops acking, then delivers every character in order once it acks', async () => {
    // A second viewer that never acks is let go after this long: its terminal.detached is the witness that the stall lasted.
    const stallWitnessMs = 1_000;
    harness = startTestCore({ viewerStallTimeoutMs: stallWitnessMs });
    host = await startWebSocketHost(harness.core, { port: 0 });
    const client = await Client.open(wsUrl(host, host.token));
    const idle = await Client.open(wsUrl(host, host.token));
    const created = await client.invoke('tasks.create', {
      title: 'Flood',
      repoPath: makeTempRepo(),
      prompt: 'print a lot',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0, floodBytes: 2_000_000 },
    });
    if (!created.ok) throw new Error(created.error.message);
    const assignmentId = (created.value as { assignmentId: string }).assignmentId;
    const [attached, idleAttached] = await Promise.all([client.invoke('terminal.attach', { paneId: assignmentId }), idle.invoke('terminal.attach', { paneId: assignmentId })]);
    if (!attached.ok) throw new Error(attached.error.message);
    if (!idleAttached.ok) throw new Error(idleAttached.error.message);
    const replay = attached.value as { scrollback: string; end: number };

    const received = () => client.terminalData(assignmentId).reduce((sum, p) => sum + p.data.length, 0);
    // Without acks the core stops near the high watermark: the worker is paused, not buffered without bound.
    await client.until(() => (received() > FLOW_CONTROL.highWatermarkChars ? true : undefined));
    // This viewer acks back to between the watermarks: it stops counting as stalled, and the source stays
    // paused (for the idle viewer now, and below the high watermark the low one still holds it).
    let acked = received() - 2 * FLOW_CONTROL.lowWatermarkChars;
    client.ws.send(JSON.stringify({ t: 'invoke', id: 0, command: 'terminal.ack', input: { paneId: assignmentId, chars: acked } }));
    const detached = await idle.until(() => {
      const message = idle.messages.find((m) => m.t === 'event' && m.event === 'terminal.detached');
      return message?.t === 'event' ? (message.payload as EventPayload<'terminal.detached'>) : undefined;
    }, 30_000);
    // A round trip on this viewer's own socket: whatever was sent to it before now has arrived.
    await client.invoke('host.info', {});
    const stalledAt = received();
    // The idle viewer was over the high watermark for the whole stall timeout, and in all that time
    // nothing more was written than what this viewer had already received.
    expect(replay.end + stalledAt).toBe((idleAttached.value as { end: number }).end + detached.unackedChars);
    expect(stalledAt).toBeLessThan(FLOW_CONTROL.highWatermarkChars + 300_000);

    // Acknowledge the rest as xterm's write callback would, until the stream finishes.
    await client.until(() => {
      const total = received();
      if (total - acked >= FLOW_CONTROL.ackBatchChars) {
        client.ws.send(JSON.stringify({ t: 'invoke', id: 0, command: 'terminal.ack', input: { paneId: assignmentId, chars: total - acked } }));
        acked = total;
      }
      return client.messages.some((m) => m.t === 'event' && m.event === 'terminal.finished') ? true : undefined;
    }, 60_000);

    let text = replay.scrollback;
    let end = replay.end;
    for (const chunk of client.terminalData(assignmentId)) {
      expect(chunk.start).toBe(end);
      text += chunk.data;
      end += chunk.data.length;
    }
    const card = await harness.closedCard(assignmentId);
    const dir = path.join(harness.dataDir, 'runs');
    const transcriptFile = path.join(dir, (await harness.invoke('assignments.get', { assignmentId })).card.workUnit.key, assignmentId, 'transcript.log');
    expect(text).toBe(readFileSync(transcriptFile, 'utf8'));
    expect(text.length).toBeGreaterThan(2_000_000);
    expect(card.closeout.status).toBe('ok');
    client.ws.close();
  });
});
