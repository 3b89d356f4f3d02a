/** Connection fairness: a quiet connection's latency while another connection floods the host. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WS_PATH } from '../shared/constants';
import { createCore } from '../electron/core';
import { MAX_PENDING_INVOKES, startWebSocketHost } from '../electron/host/ws';
import { openInvokeClient } from '../electron/test-support/invoke-client';
import { fixed, type BenchSection } from './section';

/** The flood: one connection sends this many invokes without waiting. */
const FLOOD_INVOKES = 10_000;
/** Floods in a row, so the quiet connection gathers enough samples under load. */
const FLOOD_WAVES = 5;
/** Quiet-connection samples with no flood, for the baseline. */
const BASELINE_SAMPLES = 500;

export interface ConnectionFigures {
  floodInvokes: number;
  waves: number;
  maxPendingInvokes: number;
  baseline: { samples: number; p50Ms: number; p95Ms: number };
  underFlood: { samples: number; p50Ms: number; p95Ms: number };
  flooder: { answered: number; overloaded: number };
  /** Resident memory of the process holding the host (and the quiet client), before and after the floods. */
  rssMb: { before: number; after: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function summary(samples: number[]): { samples: number; p50Ms: number; p95Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
}

/**
 * The flooder runs in its own process, as a hostile local client would, so its own sending and
 * parsing do not share the event loop with the host being measured. It waits for "go" on stdin,
 * sends every invoke at once, and prints its tally when all are answered.
 */
const FLOODER_SCRIPT = `
const WebSocket = require('ws');
const ws = new WebSocket(process.env.FLOOD_URL);
const total = Number(process.env.FLOOD_INVOKES);
let answered = 0, overloaded = 0, received = 0;
ws.on('open', () => process.stdout.write('ready\\n'));
ws.on('message', (data) => {
  const message = JSON.parse(data.toString());
  if (message.t !== 'result') return;
  if (message.result.ok) answered += 1; else if (message.result.error.code === 'overloaded') overloaded += 1;
  received += 1;
  if (received % total === 0) process.stdout.write(JSON.stringify({ answered, overloaded }) + '\\n');
});
let id = 0;
process.stdin.on('data', () => {
  for (let i = 0; i < total; i += 1) ws.send(JSON.stringify({ t: 'invoke', id: ++id, command: 'cards.list', input: {} }));
});
`;

function startFlooder(url: string) {
  const child = spawn(process.execPath, ['-e', FLOODER_SCRIPT], {
    env: { ...process.env, FLOOD_URL: url, FLOOD_INVOKES: String(FLOOD_INVOKES) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    lines.push(...text.split('\n').filter(Boolean));
    for (const wake of waiters.splice(0)) wake();
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve) => {
      const check = () => (lines.length > 0 ? resolve(lines.shift()!) : waiters.push(check));
      check();
    });
  return { child, nextLine };
}

export async function measureConnections(outDir: string): Promise<ConnectionFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-bench-connections-'));
  const core = createCore({ dataDir, version: 'bench', fixtureWorkerScript: path.join(outDir, 'fixture-worker.cjs'), log: () => undefined });
  const host = await startWebSocketHost(core, { port: 0, log: () => undefined });
  const url = `ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`;
  const quiet = await openInvokeClient(url);
  const timed = async () => {
    const start = performance.now();
    const result = await quiet.invoke('host.info', {});
    if (!result.ok) throw new Error(`the quiet connection was refused: ${result.error.code}`);
    return performance.now() - start;
  };

  const baseline: number[] = [];
  for (let i = 0; i < BASELINE_SAMPLES; i += 1) baseline.push(await timed());

  const flooder = startFlooder(url);
  if ((await flooder.nextLine()) !== 'ready') throw new Error('the flooder could not connect');
  const rssBefore = process.memoryUsage().rss;
  const underFlood: number[] = [];
  let tally = { answered: 0, overloaded: 0 };
  for (let wave = 0; wave < FLOOD_WAVES; wave += 1) {
    let finished = false;
    const done = flooder.nextLine().then((line) => {
      finished = true;
      tally = JSON.parse(line) as typeof tally;
    });
    flooder.child.stdin.write('go\n');
    while (!finished) underFlood.push(await timed());
    await done;
  }
  const rssAfter = process.memoryUsage().rss;

  flooder.child.kill();
  quiet.ws.close();
  await host.close();
  await core.close();
  return {
    floodInvokes: FLOOD_INVOKES,
    waves: FLOOD_WAVES,
    maxPendingInvokes: MAX_PENDING_INVOKES,
    baseline: summary(baseline),
    underFlood: summary(underFlood),
    flooder: tally,
    rssMb: { before: rssBefore / 2 ** 20, after: rssAfter / 2 ** 20 },
  };
}

export const connectionsSection: BenchSection = {
  key: 'connections',
  heading: 'A quiet connection under a flood',
  async run(outDir) {
    const connections = await measureConnections(outDir);
    return { figures: connections, body: `One WebSocket client (its own process) sends ${connections.floodInvokes.toLocaleString('en-US')} \`cards.list\` invokes at once, ${connections.waves} times in a row,
while a second connection times \`host.info\` round trips one after another.

| quiet connection | samples | p50 | p95 |
| --- | --- | --- | --- |
| no flood | ${connections.baseline.samples} | ${fixed(connections.baseline.p50Ms, 2)} ms | ${fixed(connections.baseline.p95Ms, 2)} ms |
| during the floods | ${connections.underFlood.samples} | ${fixed(connections.underFlood.p50Ms, 2)} ms | ${fixed(connections.underFlood.p95Ms, 2)} ms |

- The flooder got ${connections.flooder.answered.toLocaleString('en-US')} answers and ${connections.flooder.overloaded.toLocaleString('en-US')} \`overloaded\` refusals. The host takes one frame per
  connection per event-loop turn, so quick invokes are answered in turn with everyone else's; a
  connection may have \`MAX_PENDING_INVOKES\` (${connections.maxPendingInvokes}) invokes in flight, which bites when its invokes wait on
  the disk or a process, and a refusal costs one small write.
- The resident memory of the process holding the host (and the quiet client) went from ${fixed(connections.rssMb.before, 0)} MB to ${fixed(connections.rssMb.after, 0)} MB over the floods.` };
  },
};
