/** Fleet benchmarks: claims per second on one database, and dispatch latency as slots free. */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../electron/core';
import type { Connection } from '../electron/core/connection';
import { buildRacer, race, seedUnits } from '../electron/test-support/claim-race';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { fixed, type BenchSection } from './section';

/** Enough claims that process start-up is a small part of each figure. */
const CLAIM_UNITS = 5_000;
const RACERS = 4;
/** The figure: 50 units through fixture workers. */
const DISPATCH_UNITS = 50;
const DISPATCH_CONCURRENCY = 4;
const FIXTURE_DURATION_MS = 200;

export interface FleetFigures {
  claims: { units: number; singlePerSecond: number; racers: number; racingPerSecond: number };
  dispatch: { units: number; concurrency: number; samples: number; medianMs: number; p95Ms: number };
}

const scratch = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function claimRates(): Promise<FleetFigures['claims']> {
  const racer = await buildRacer();
  const single = scratch('khala-bench-claims-');
  seedUnits(single, CLAIM_UNITS);
  const [alone] = await race(racer, single, 1);
  const racing = scratch('khala-bench-race-');
  seedUnits(racing, CLAIM_UNITS);
  const results = await race(racer, racing, RACERS);
  const won = results.reduce((sum, r) => sum + r.won.length, 0);
  if (won !== CLAIM_UNITS) throw new Error(`racing claims won ${won} of ${CLAIM_UNITS} units`);
  // Every racer attempts every unit; the figure counts claims decided (won or refused) per second of the slowest racer.
  const slowest = Math.max(...results.map((r) => r.elapsedMs));
  return {
    units: CLAIM_UNITS,
    singlePerSecond: CLAIM_UNITS / (alone!.elapsedMs / 1000),
    racers: RACERS,
    racingPerSecond: (CLAIM_UNITS * RACERS) / (slowest / 1000),
  };
}

/** From each closeout to the next worker process the supervisor starts: how fast a freed slot is refilled. */
async function dispatchLatency(outDir: string): Promise<FleetFigures['dispatch']> {
  const dataDir = scratch('khala-bench-dispatch-');
  const core = createCore({ dataDir, version: 'bench', fixtureWorkerScript: path.join(outDir, 'fixture-worker.cjs'), log: () => undefined });
  let done: (() => void) | null = null;
  const completed = new Promise<void>((resolve) => (done = resolve));
  const connection: Connection = {
    id: randomUUID(),
    transport: 'websocket',
    emit: (event, payload) => {
      if (event === 'run.updated' && (payload as { state: string }).state === 'completed') done?.();
    },
  };
  core.connect(connection);
  const invoke = async (command: string, input: unknown) => {
    const result = await core.router.invoke(command, input, connection);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as { id: string };
  };
  const run = await invoke('runs.create', {
    name: 'Dispatch latency',
    source: { kind: 'fixture', units: DISPATCH_UNITS },
    repoPath: makeTempRepo(),
    verifyCommand: 'true',
    workerKind: 'fixture',
    targetConcurrency: DISPATCH_CONCURRENCY,
    fixtureDurationMs: FIXTURE_DURATION_MS,
  });
  await invoke('runs.approve', { runId: run.id });
  await completed;
  await core.close();

  const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
  const events = db
    .prepare(`SELECT e.kind, e.at FROM assignment_events e WHERE e.kind IN ('completed', 'runtime_started') ORDER BY e.at`)
    .all() as { kind: string; at: string }[];
  db.close();
  const latencies: number[] = [];
  const freed: number[] = [];
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.kind === 'completed') freed.push(at);
    else if (freed.length > 0) latencies.push(at - freed.shift()!);
  }
  const sorted = latencies.sort((a, b) => a - b);
  return {
    units: DISPATCH_UNITS,
    concurrency: DISPATCH_CONCURRENCY,
    samples: sorted.length,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
  };
}

export async function measureFleet(outDir: string): Promise<FleetFigures> {
  return { claims: await claimRates(), dispatch: await dispatchLatency(outDir) };
}

export const fleetSection: BenchSection = {
  key: 'fleet',
  heading: 'Claims and dispatch',
  async run(outDir) {
    const fleet = await measureFleet(outDir);
    return {
      figures: fleet,
      body: `### Claims

${fixed(fleet.claims.units, 0)} fixture units in one SQLite file (WAL), one claim per unit, each claim its own transaction.

| claimers | claims decided per second |
| --- | --- |
| 1 process | ${fixed(fleet.claims.singlePerSecond, 0)} |
| ${fleet.claims.racers} processes racing for the same units | ${fixed(fleet.claims.racingPerSecond, 0)} (every unit won exactly once; the rest refused as already_claimed) |

### Dispatch latency

A fixture run of ${fleet.dispatch.units} units, ${fleet.dispatch.concurrency} in flight, measured from an assignment's closeout to
the next worker process the supervisor starts (${fleet.dispatch.samples} refills). That path covers the claim, the pinned
commit, the worktree and the spawn.

| median | p95 |
| --- | --- |
| ${fixed(fleet.dispatch.medianMs, 0)} ms | ${fixed(fleet.dispatch.p95Ms, 0)} ms |`,
    };
  },
};
