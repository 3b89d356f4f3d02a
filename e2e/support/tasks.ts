import { expect, type Page } from '@playwright/test';

/** A fixture task started through the New task dialog that finishes at once, so its card and worktree are there to look at. */
export async function finishedTask(page: Page, title: string, repoPath: string): Promise<void> {
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Repository path').fill(repoPath);
  await dialog.getByLabel('Prompt').fill('Write the task into FIXTURE.md');
  await dialog.getByLabel('Verify command').fill('true');
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Duration (ms)').fill('100');
  await dialog.getByRole('button', { name: 'Start task' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Done' }).getByRole('article', { name: `Worker card ${title}` })).toBeVisible();
}
