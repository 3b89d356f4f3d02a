/** Re-adoption: how soon after a restart every pane of 50 workers that outlived their host is live again. */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore, type Core } from '../electron/core';
import type { Connection } from '../electron/core/connection';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { fixed, type BenchSection } from './section';

/** The figure: 50 workers running when the host goes. */
const WORKERS = 50;
/** Longer than the whole measurement: every worker is mid-turn at the restart. */
const FIXTURE_DURATION_MS = 120_000;
/** How often the catch-up is checked (a benchmark may poll; a test may not). */
const CATCH_UP_POLL_MS = 10;

export interface AdoptionFigures {
  workers: number;
  /** createCore on the data dir: the store check, every adoption, the panes made. */
  startMs: number;
  /** ...and every pane attached (its replay read back). */
  panesAttachedMs: number;
  /** ...and every worker's output read up to where it was when the host went. */
  caughtUpMs: number;
  rawBytesAtRestart: number;
}

function bench(dataDir: string, fixtureWorkerScript: string): { core: Core; connection: Connection; invoke: <T>(command: string, input: unknown) => Promise<T> } {
  const core = createCore({ dataDir, version: 'bench', fixtureWorkerScript, log: () => undefined });
  const connection: Connection = { id: randomUUID(), transport: 'websocket', emit: () => undefined };
  core.connect(connection);
  const invoke = async <T>(command: string, input: unknown): Promise<T> => {
    const result = await core.router.invoke(command, input, connection);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  return { core, connection, invoke };
}

function rawLogs(dataDir: string): { id: string; file: string; offset: number }[] {
  const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
  const rows = db
    .prepare('SELECT a.id, a.task_ref AS taskRef, s.stdout_offset AS offset FROM assignments a JOIN worker_supervision s ON s.assignment_id = a.id')
    .all() as { id: string; taskRef: string; offset: number }[];
  db.close();
  return rows.map((r) => ({ id: r.id, file: path.join(dataDir, 'runs', r.taskRef, r.id, 'events.jsonl'), offset: r.offset }));
}

export async function measureAdoption(outDir: string): Promise<AdoptionFigures> {
  const fixture = path.join(outDir, 'fixture-worker.cjs');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-bench-adopt-'));
  const repo = makeTempRepo();
  const first = bench(dataDir, fixture);
  const ids: string[] = [];
  for (let i = 0; i < WORKERS; i += 1) {
    const card = await first.invoke<{ assignmentId: string }>('tasks.create', {
      title: `Outlive ${i}`,
      repoPath: repo,
      prompt: 'Keep working',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: FIXTURE_DURATION_MS },
    });
    ids.push(card.assignmentId);
  }
  // Every worker has printed (its init line at least) before the host goes.
  while (rawLogs(dataDir).some((log) => (statSync(log.file, { throwIfNoEntry: false })?.size ?? 0) === 0)) {
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  }
  await first.core.close({ workers: 'keep' });
  const sizes = new Map(rawLogs(dataDir).map((log) => [log.id, statSync(log.file).size]));

  const started = performance.now();
  const second = bench(dataDir, fixture);
  const startMs = performance.now() - started;
  await Promise.all(ids.map((paneId) => second.invoke('terminal.attach', { paneId })));
  const panesAttachedMs = performance.now() - started;
  while (rawLogs(dataDir).some((log) => log.offset < sizes.get(log.id)!)) await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  const caughtUpMs = performance.now() - started;
  if (second.core.liveWorkers() !== WORKERS) throw new Error(`re-adopted ${second.core.liveWorkers()} of ${WORKERS} workers`);
  await second.core.close({ workers: 'stop' });
  return { workers: WORKERS, startMs, panesAttachedMs, caughtUpMs, rawBytesAtRestart: [...sizes.values()].reduce((a, b) => a + b, 0) };
}

export const adoptionSection: BenchSection = {
  key: 'adoption',
  heading: 'Re-adoption after a restart',
  async run(outDir) {
    const adoption = await measureAdoption(outDir);
    return { figures: adoption, body: `${adoption.workers} fixture workers, each mid-turn, outlive their host (it quits keeping them; a kill -9 leaves the same
state). A new host starts on the data dir. Times from the start of \`createCore\`:

| host started, every worker re-adopted | every pane attached (replay read) | every worker's output read up to where it was at the restart |
| --- | --- | --- |
| ${fixed(adoption.startMs, 0)} ms | ${fixed(adoption.panesAttachedMs, 0)} ms | ${fixed(adoption.caughtUpMs, 0)} ms |

- ${fixed(adoption.rawBytesAtRestart / 1e3, 0)} kB of raw output was on disk at the restart; each re-adopted runner read on from its
  checkpoint, not from the start.` };
  },
};
