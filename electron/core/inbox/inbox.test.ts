import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { INBOX_DISMISSED_FILE, INBOX_SNOOZED_FILE } from './dismissals';
import { SNOOZE_HOUR_MS, SNOOZE_TOMORROW_HOUR, snoozeEnd } from './inbox';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function failingTask(h: TestCore, title: string) {
  return h.invoke('tasks.create', { title, repoPath: makeTempRepo(), prompt: 'p', verifyCommand: 'false', workerKind: 'fixture', fixture: { durationMs: 0 } });
}

describe('the Inbox', () => {
  it('shows a failed closeout; a dismissed item stays dismissed across a restart; a retry takes the failure away', async () => {
    harness = startTestCore();
    const failed = await failingTask(harness, 'Broken build');
    expect((await harness.closedCard(failed.assignmentId)).closeout.status).toBe('failed');
    const [item] = await harness.invoke('inbox.list', {});
    expect(item).toMatchObject({
      id: `failed:${failed.assignmentId}`,
      kind: 'closeout_failed',
      title: 'Broken build failed',
      detail: expect.stringContaining('verify_failed'),
      action: { kind: 'open_worker', assignmentId: failed.assignmentId },
    });

    await harness.invoke('inbox.dismiss', { itemId: item!.id });
    expect(await harness.invoke('inbox.list', {})).toEqual([]);
    expect(statSync(path.join(harness.dataDir, INBOX_DISMISSED_FILE)).mode & 0o777).toBe(0o600);
    expect(await harness.invokeRaw('inbox.dismiss', { itemId: 'failed:nothing' })).toMatchObject({ ok: false, error: { code: 'inbox_item_not_found' } });

    const { dataDir } = harness;
    await harness.core.close();
    harness = startTestCore({ dataDir });
    expect(await harness.invoke('inbox.list', {})).toEqual([]);

    // Another failure shows; retrying it is acting on it, so it leaves the Inbox.
    const again = await failingTask(harness, 'Broken again');
    await harness.closedCard(again.assignmentId);
    expect((await harness.invoke('inbox.list', {})).map((i) => i.id)).toEqual([`failed:${again.assignmentId}`]);
    const retry = await harness.invoke('assignments.retry', { assignmentId: again.assignmentId });
    await harness.closedCard(retry.assignmentId);
    expect((await harness.invoke('inbox.list', {})).map((i) => i.id)).toEqual([`failed:${retry.assignmentId}`]);
  });

  it('a snoozed item is hidden until the core clock passes its time, then back by itself (pushed too), across a restart', async () => {
    let offsetMs = 0;
    const clock = () => Date.now() + offsetMs;
    harness = startTestCore({ now: clock, supervisorTickMs: 100 });
    const failed = await failingTask(harness, 'Flaky build');
    await harness.closedCard(failed.assignmentId);
    const id = `failed:${failed.assignmentId}`;
    expect((await harness.invoke('inbox.list', {})).map((i) => i.id)).toEqual([id]);

    const before = clock();
    const { until } = await harness.invoke('inbox.snooze', { itemId: id, until: 'hour' });
    expect(Date.parse(until) - before).toBeGreaterThanOrEqual(SNOOZE_HOUR_MS);
    expect(Date.parse(until) - clock()).toBeLessThanOrEqual(SNOOZE_HOUR_MS);
    expect(await harness.invoke('inbox.list', {})).toEqual([]);
    expect(statSync(path.join(harness.dataDir, INBOX_SNOOZED_FILE)).mode & 0o777).toBe(0o600);
    expect(await harness.invokeRaw('inbox.snooze', { itemId: 'failed:nothing', until: 'hour' })).toMatchObject({ ok: false, error: { code: 'inbox_item_not_found' } });

    // Still snoozed after a restart, half an hour on.
    const { dataDir } = harness;
    await harness.core.close();
    offsetMs = SNOOZE_HOUR_MS / 2;
    harness = startTestCore({ dataDir, now: clock, supervisorTickMs: 100 });
    expect(await harness.invoke('inbox.list', {})).toEqual([]);

    // Past its time it is back, in the list and pushed by the next tick, without any action of the owner.
    offsetMs = SNOOZE_HOUR_MS + 1000;
    const h = harness;
    await h.connection.waitFor(() => h.connection.events.find((e) => e.event === 'inbox.updated' && (e.payload as { id: string }[]).some((i) => i.id === id)));
    expect((await h.invoke('inbox.list', {})).map((i) => i.id)).toEqual([id]);
  });

  it('"until tomorrow" ends at the start of the next working day, by the host clock', () => {
    const evening = new Date(2026, 11, 2, 21, 30).getTime();
    expect(new Date(snoozeEnd('tomorrow', evening))).toEqual(new Date(2026, 11, 3, SNOOZE_TOMORROW_HOUR, 0, 0, 0));
    const lateNight = new Date(2026, 11, 31, 23, 59).getTime();
    expect(new Date(snoozeEnd('tomorrow', lateNight))).toEqual(new Date(2027, 0, 1, SNOOZE_TOMORROW_HOUR, 0, 0, 0));
    expect(snoozeEnd('hour', evening)).toBe(evening + SNOOZE_HOUR_MS);
  });
});
