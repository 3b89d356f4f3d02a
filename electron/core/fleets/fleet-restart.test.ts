import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetFeedEntry } from '../../../shared/fleets';
import { startTestCore, type TestCore } from '../../test-support/test-core';

const TICK_MS = 50;
/** Longer than the test: the worker is mid-turn when its host goes, and again when it is relaunched. */
const LONG_MS = 120_000;
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function chainFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'khala-fleet-'));
  const workers = [{ id: 'a', fixture: { durationMs: LONG_MS } }, { id: 'b', depends_on: ['a'] }];
  writeFileSync(path.join(root, 'fleet.json'), JSON.stringify({ fleet_name: 'crashed', config: { provider: 'fixture', type: 'write', max_concurrent: 1 }, workers }));
  for (const worker of workers) {
    mkdirSync(path.join(root, 'workers', worker.id), { recursive: true });
    writeFileSync(path.join(root, 'workers', worker.id, 'prompt.md'), `Task of ${worker.id}\n`);
  }
  return root;
}

function stateLines(h: TestCore): string[] {
  return h.connection.events
    .filter((e) => e.event === 'fleet.feed')
    .flatMap((e) => (e.payload as { entries: FleetFeedEntry[] }).entries)
    .filter((x) => x.kind === 'state')
    .map((x) => `${x.workerId}: ${x.text}`);
}

function running(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('a DAG fleet across a crash', () => {
  it('a worker that died while no host watched closes out stale and is requeued, not failed; its dependent is not blocked', async () => {
    const first = startTestCore({ fleetTickMs: TICK_MS });
    harness = first;
    await first.invoke('fleets.launch', { root: chainFolder() });
    const card = await first.connection.waitFor(() => {
      const latest = first.connection.events.filter((e) => e.event === 'card.updated').map((e) => e.payload as { assignmentId: string; status: string; fleet?: { workerId: string } | null });
      return latest.find((c) => c.fleet?.workerId === 'a' && c.status === 'running');
    });
    await first.core.close({ workers: 'keep' });
    // The machine's session ends under it: the worker and its wrapper are killed outright, leaving no exit status.
    const db = new Database(path.join(first.dataDir, 'fleet.sqlite'), { readonly: true });
    const pid = db.prepare('SELECT worker_pid FROM worker_supervision WHERE assignment_id = ?').pluck().get(card.assignmentId) as number;
    db.close();
    process.kill(-pid, 'SIGKILL');
    await new Promise<void>((resolve) => {
      const check = () => (running(pid) ? setImmediate(check) : resolve());
      check();
    });

    harness = startTestCore({ dataDir: first.dataDir, fleetTickMs: TICK_MS });
    const h = harness;
    await h.connection.waitFor(() => stateLines(h).find((line) => line.startsWith('a: a stale: requeued')));
    await h.connection.waitFor(() =>
      h.connection.events
        .filter((e) => e.event === 'card.updated')
        .map((e) => e.payload as { assignmentId: string; status: string; fleet?: { workerId: string } | null })
        .find((c) => c.fleet?.workerId === 'a' && c.assignmentId !== card.assignmentId && c.status === 'running'),
    );
    const relaunched = await h.invoke('fleets.get', { fleet: 'crashed' });
    expect(relaunched.workers.map((w) => [w.id, w.state])).toEqual([
      ['a', 'running'],
      ['b', 'waiting'],
    ]);
    expect(relaunched.summary.counts).toMatchObject({ failed: 0, blocked: 0 });
    const closed = (await h.invoke('cards.list', {})).find((c) => c.assignmentId === card.assignmentId);
    expect(closed?.closeout.blockers).toEqual(['stale']);
  }, 60_000);
});
