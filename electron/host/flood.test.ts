import { afterEach, describe, expect, it } from 'vitest';
import { WS_CLOSE, WS_PATH } from '../../shared/constants';
import type { InvokeResult } from '../../shared/contract';
import { openInvokeClient } from '../test-support/invoke-client';
import { RawWebSocket } from '../test-support/raw-ws-client';
import { makeTempRepo } from '../test-support/temp-repo';
import { startTestCore, type TestCore } from '../test-support/test-core';
import { MAX_PENDING_INVOKES, startWebSocketHost, type WebSocketHost } from './ws';

/** The flood: one connection sends this many invokes without waiting for any answer. */
const FLOOD_INVOKES = 10_000;
/** Invokes the quiet connection makes, one after another, while the flood is answered. */
const QUIET_INVOKES = 50;

let harness: TestCore | undefined;
let host: WebSocketHost | undefined;
afterEach(async () => {
  await host?.close();
  await harness?.core.close();
  host = undefined;
  harness = undefined;
});

describe('fair, bounded connections', () => {
  it(`keeps answering a quiet connection while another sends ${FLOOD_INVOKES} invokes at once, and tells the flooder it is overloaded`, async () => {
    harness = startTestCore();
    host = await startWebSocketHost(harness.core, { port: 0, log: () => undefined });
    const flooder = await openInvokeClient(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`);
    const quiet = await openInvokeClient(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`);

    const flood = Array.from({ length: FLOOD_INVOKES }, () => flooder.invoke('cards.list', {}));
    const quietResults: InvokeResult[] = [];
    for (let i = 0; i < QUIET_INVOKES; i += 1) quietResults.push(await quiet.invoke('host.info', {}));
    const floodResults = await Promise.all(flood);

    const answered = floodResults.filter((r) => r.ok).length;
    const overloaded = floodResults.filter((r) => !r.ok && r.error.code === 'overloaded').length;
    console.log(
      `flood: ${FLOOD_INVOKES} invokes sent at once; ${answered} answered, ${overloaded} refused as overloaded; ` +
        `quiet connection: ${quietResults.filter((r) => r.ok).length} of ${QUIET_INVOKES} answered`,
    );
    expect(quietResults.every((r) => r.ok)).toBe(true);
    expect(answered + overloaded).toBe(FLOOD_INVOKES);
    expect(answered).toBeGreaterThanOrEqual(MAX_PENDING_INVOKES);
    expect(overloaded).toBeGreaterThan(0);
    expect(host.stats.overloadedInvokes).toBe(overloaded);
    // The flooder is not cut off: once its answers are in, it is served again.
    expect(await flooder.invoke('host.info', {})).toMatchObject({ ok: true });
    flooder.ws.close();
    quiet.ws.close();
  });

  it('closes a connection that stops reading with the overloaded close code once its send buffer passes the limit', async () => {
    harness = startTestCore();
    let cut = false;
    // A small limit reaches the same code path with a few MB instead of the default 32 MB.
    const maxSendBufferBytes = 1024 * 1024;
    host = await startWebSocketHost(harness.core, {
      port: 0,
      maxSendBufferBytes,
      log: (line) => {
        if (line.includes('bytes of its output were unsent')) cut = true;
      },
    });
    // A finished worker with about a megabyte of transcript: each attach answers with all of it.
    const card = await harness.invoke('tasks.create', {
      title: 'Big transcript',
      repoPath: makeTempRepo(),
      prompt: 'print a lot',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0, floodBytes: 1_000_000 },
    });
    await harness.closedCard(card.assignmentId);

    const stalled = await RawWebSocket.open(host.port, host.token);
    stalled.socket.pause();
    const quiet = await openInvokeClient(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`);
    let sent = 0;
    // Batches of invokes the stalled client never reads the answers to, until the host cuts it off.
    while (!cut) {
      for (let i = 0; i < MAX_PENDING_INVOKES; i += 1) {
        sent += 1;
        stalled.sendText(JSON.stringify({ t: 'invoke', id: sent, command: 'terminal.attach', input: { paneId: card.assignmentId } }));
      }
      expect(await quiet.invoke('host.info', {})).toMatchObject({ ok: true });
    }
    expect(host.stats.overloadedCloses).toBe(1);

    stalled.socket.resume();
    const close = await stalled.closeFrame();
    const results = stalled.texts().length;
    console.log(`stalled reader: ${sent} invokes sent unread; ${results} answers queued before the host closed it with ${close.code}`);
    expect(close).toEqual({ code: WS_CLOSE.overloaded, reason: 'overloaded: this connection stopped reading its output' });
    expect(results).toBeLessThan(sent);
    await stalled.closed;
    expect(await quiet.invoke('host.info', {})).toMatchObject({ ok: true });
    quiet.ws.close();
  });
});
