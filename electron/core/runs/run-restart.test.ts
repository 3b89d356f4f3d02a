import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetRun, NewRunInput } from '../../../shared/runs';
import { tempDir } from '../../test-support/temp-repo';
import { fixtureRunInput } from '../../test-support/run-input';
import { startTestCore, type TestCore } from '../../test-support/test-core';

const TICK_MS = 100;
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function runWhere(h: TestCore, runId: string, test: (run: FleetRun) => boolean): Promise<FleetRun> {
  return h.connection.waitFor(() => h.connection.events.map((e) => e.payload as FleetRun).find((r) => r?.id === runId && test(r)), 60_000);
}

function runInput(name: string, units: number): NewRunInput {
  return fixtureRunInput({ name, source: { kind: 'fixture', units }, fixtureDurationMs: 1_500 });
}

describe('a run across a restart of the host', () => {
  it('a running run resumes its supervision (its adopted worker counts as active, nothing is claimed twice) and a paused run stays paused', async () => {
    const first = startTestCore({ supervisorTickMs: TICK_MS });
    harness = first;
    const running = await first.invoke('runs.create', runInput('Goes on', 3));
    await first.invoke('runs.approve', { runId: running.id });
    // Its own units (a task list), so the two runs never race for one unit.
    const tasks = path.join(tempDir('khala-tasks-'), 'tasks.md');
    writeFileSync(tasks, '- [ ] First paused task\n- [ ] Second paused task\n');
    const paused = await first.invoke('runs.create', { ...runInput('Stays paused', 2), source: { kind: 'task_list', path: tasks } });
    await first.invoke('runs.approve', { runId: paused.id });
    await runWhere(first, running.id, (r) => r.counts.active === 1);
    await runWhere(first, paused.id, (r) => r.counts.active === 1);
    await first.invoke('runs.control', { runId: paused.id, control: 'pause' });
    await first.core.close({ workers: 'keep' });

    harness = startTestCore({ dataDir: first.dataDir, supervisorTickMs: TICK_MS });
    const second = harness;
    const completed = await runWhere(second, running.id, (r) => r.state === 'completed');
    expect(completed.counts).toMatchObject({ active: 0, failed: 0 });
    expect(completed.counts.done + (completed.counts.awaitingReview ?? 0)).toBe(3);
    // The paused run's worker (running when it was paused) finished after the restart; nothing new was dispatched for it.
    const after = await runWhere(second, paused.id, (r) => r.counts.active === 0);
    expect(after.state).toBe('paused');
    const cards = await second.invoke('cards.list', {});
    expect(cards.filter((c) => c.runId === paused.id)).toHaveLength(1);
    expect(cards.filter((c) => c.runId === running.id)).toHaveLength(3);
    expect(cards.every((c) => c.closeout.status === 'ok')).toBe(true);
  }, 90_000);
});
