import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetStateLines, writeFleetFolder } from '../../test-support/fleet-folders';
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
  return writeFleetFolder('crashed', { provider: 'fixture', type: 'write', max_concurrent: 1 }, [{ id: 'a', fixture: { durationMs: LONG_MS } }, { id: 'b', depends_on: ['a'] }]);
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
    await h.connection.waitFor(() => fleetStateLines(h).find((line) => line.startsWith('a: a stale: requeued')));
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
