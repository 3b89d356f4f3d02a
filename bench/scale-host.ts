/**
 * One host of the scale benchmark, in its own process so its memory is the host's alone:
 * `node scale-host.cjs <json spec>`. Starts fixture workers as one-off tasks (or as one run), samples
 * the process's memory while they work, and prints one JSON line of figures when every worker closed.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore } from '../electron/core';
import type { Connection } from '../electron/core/connection';
import { makeTempRepo } from '../electron/test-support/temp-repo';

export interface ScaleHostSpec {
  fixtureWorkerScript: string;
  /** `tasks`: this many one-off tasks, created one after the other. `run`: one run of `units` at this target. */
  mode: 'tasks' | 'run';
  workers: number;
  /** Run mode: units in the run (more than `workers`, so freed slots are refilled). */
  units?: number;
  floodBytes: number;
  /** The fixture's run length when its flood needs no waiting (tasks mode adds the wait for the others to start). */
  durationMs: number;
}

export interface ScaleHostFigures {
  workers: number;
  createMs: number[];
  /**
   * Tasks mode: the host's event loop was busy this long per create while they were made (its own
   * JavaScript, SQLite and the spawns' system calls; not the time git and the workers take).
   */
  createBusyMs: number;
  rssPeakMb: number;
  rssEndMb: number;
  heapPeakMb: number;
  heapEndMb: number;
  /** Run mode: from each closeout to the next worker started, ms. */
  refillMs: number[];
  elapsedMs: number;
}

/** The fixture prints its flood after this share of its run (three of its five pauses). */
const FLOOD_STARTS_AT = 3 / 5;
/** The fixture's own bound on its run length. */
const FIXTURE_DURATION_MAX_MS = 600_000;
/** Memory is sampled this often: often enough to see a peak, rarely enough to cost nothing. */
const SAMPLE_MS = 100;
const MB = 2 ** 20;

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as ScaleHostSpec;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-bench-scale-'));
  const core = createCore({ dataDir, version: 'bench', fixtureWorkerScript: spec.fixtureWorkerScript, log: () => undefined });
  let rssPeak = 0;
  let heapPeak = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const closed = new Set<string>();
  let runDone: (() => void) | null = null;
  let allClosed: (() => void) | null = null;
  let expected = Infinity;
  const connection: Connection = {
    id: randomUUID(),
    transport: 'websocket',
    emit: (event, payload) => {
      if (event === 'card.updated') {
        const card = payload as { assignmentId: string; status: string };
        if (card.status === 'closed') closed.add(card.assignmentId);
        if (closed.size >= expected) allClosed?.();
      }
      if (event === 'run.updated' && (payload as { state: string }).state === 'completed') runDone?.();
    },
  };
  core.connect(connection);
  const invoke = async <T>(command: string, input: unknown): Promise<T> => {
    const result = await core.router.invoke(command, input, connection);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const repo = makeTempRepo();
  const started = performance.now();
  const createMs: number[] = [];
  // Each worker's flood is timed to start once the last worker should have started (by the creations
  // so far), so the workers flood at once rather than one after the other.
  const fixtureFor = (i: number) => {
    const meanCreateMs = createMs.length > 0 ? createMs.reduce((a, b) => a + b, 0) / createMs.length : 0;
    const waitMs = meanCreateMs * (spec.workers - i);
    return { durationMs: Math.min(FIXTURE_DURATION_MAX_MS, Math.round(waitMs / FLOOD_STARTS_AT) + spec.durationMs), floodBytes: spec.floodBytes };
  };
  let createBusyMs = 0;
  if (spec.mode === 'tasks') {
    const done = new Promise<void>((resolve) => (allClosed = resolve));
    const loopBefore = performance.eventLoopUtilization();
    for (let i = 0; i < spec.workers; i += 1) {
      const before = performance.now();
      await invoke('tasks.create', { title: `Scale ${i}`, repoPath: repo, prompt: 'Work', verifyCommand: 'true', workerKind: 'fixture', fixture: fixtureFor(i) });
      createMs.push(performance.now() - before);
    }
    createBusyMs = performance.eventLoopUtilization(loopBefore).active / spec.workers;
    expected = spec.workers;
    if (closed.size >= expected) allClosed!();
    await done;
  } else {
    const done = new Promise<void>((resolve) => (runDone = resolve));
    const run = await invoke<{ id: string }>('runs.create', {
      name: 'Scale',
      source: { kind: 'fixture', units: spec.units ?? spec.workers },
      repoPath: repo,
      verifyCommand: 'true',
      workerKind: 'fixture',
      targetConcurrency: spec.workers,
      fixtureDurationMs: spec.durationMs,
    });
    await invoke('runs.approve', { runId: run.id });
    await done;
  }
  const elapsedMs = performance.now() - started;
  sample();
  clearInterval(sampler);
  await core.close();
  const end = process.memoryUsage();
  const figures: ScaleHostFigures = {
    workers: spec.workers,
    createMs,
    createBusyMs,
    rssPeakMb: rssPeak / MB,
    rssEndMb: end.rss / MB,
    heapPeakMb: heapPeak / MB,
    heapEndMb: end.heapUsed / MB,
    refillMs: spec.mode === 'run' ? refills(dataDir) : [],
    elapsedMs,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** From each closeout to the next worker process started: how fast a freed slot is refilled. */
function refills(dataDir: string): number[] {
  const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
  const events = db
    .prepare(`SELECT kind, at FROM assignment_events WHERE kind IN ('completed', 'runtime_started') ORDER BY at`)
    .all() as { kind: string; at: string }[];
  db.close();
  const latencies: number[] = [];
  const freed: number[] = [];
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.kind === 'completed') freed.push(at);
    else if (freed.length > 0) latencies.push(at - freed.shift()!);
  }
  return latencies;
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
