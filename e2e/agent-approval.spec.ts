import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';
import { connectToHost } from './support/host-client';

test("a spawn an agent asked for through MCP waits in the Inbox until the owner approves it, then runs", async ({ page, board }) => {
  const host = await connectToHost(board);
  // What `khala mcp`'s spawn tools send; the no-spend fixture worker stands in for codex or claude.
  const spawn = await host.invoke('spawns.propose', {
    title: 'Asked by an agent',
    repoPath: makeTempRepo(),
    prompt: 'Record the task',
    verifyCommand: 'true',
    workerKind: 'fixture',
    fixture: { durationMs: 300 },
    requestedBy: 'codex_spawn',
  });
  host.close();

  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Worker card Asked by an agent' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const item = page.getByRole('article', { name: 'Approve fixture spawn: Asked by an agent' });
  await expect(item).toContainText('Nothing runs or spends before you approve.');
  await expect(item).toContainText(spawn.id);
  await item.getByRole('button', { name: 'Approve spawn' }).click();
  await expect(item).toBeHidden();

  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await expect(page.getByRole('article', { name: 'Worker card Asked by an agent' })).toBeVisible();
});
