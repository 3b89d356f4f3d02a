import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { INBOX_DISMISSED_FILE } from './dismissals';

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
});
