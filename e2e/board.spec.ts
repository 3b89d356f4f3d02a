import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { makeTempRepo, tempDir } from '../electron/test-support/temp-repo';
import { REPO_PATH_NOT_ABSOLUTE } from '../shared/runs';
import { expect, test } from './support/board-host';

const ARTIFACTS = path.resolve('e2e/artifacts');

async function startTask(
  page: Page,
  task: { title: string; repoPath: string; prompt: string; verifyCommand: string; durationMs?: number },
) {
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(task.title);
  await dialog.getByLabel('Repository path').fill(task.repoPath);
  await dialog.getByLabel('Prompt').fill(task.prompt);
  await dialog.getByLabel('Verify command').fill(task.verifyCommand);
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Duration (ms)').fill(String(task.durationMs ?? 2_500));
  await dialog.getByRole('button', { name: 'Start task' }).click();
  return dialog;
}

test('an owner runs a fixture task from the board and sees it closed out with proof', async ({ page, board }) => {
  const repo = makeTempRepo({ 'README.md': '# demo\n' });
  await page.goto(board.url);
  await expect(page.getByText('No workers yet')).toBeVisible();

  const dialog = await startTask(page, {
    title: 'Record the task',
    repoPath: repo,
    prompt: 'Write the task into FIXTURE.md',
    verifyCommand: 'grep -q "Write the task" FIXTURE.md',
    // Long enough that the working card is still seen under a loaded machine's slow steps.
    durationMs: 10_000,
  });
  await expect(dialog).toBeHidden();

  const working = page.getByRole('region', { name: 'Working' });
  const card = page.getByRole('article', { name: 'Worker card Record the task' });
  await expect(working.getByRole('article', { name: 'Worker card Record the task' })).toBeVisible();
  await expect(card).toContainText('fixture');
  await expect(card).toContainText('pending exact rows');

  const transcript = page.getByRole('region', { name: 'Transcript of Record the task' });
  await expect(transcript).toContainText('Working on: Write the task into FIXTURE.md');
  await expect(transcript).toContainText('tool: Bash');

  const done = page.getByRole('region', { name: 'Done' });
  await expect(done.getByRole('article', { name: 'Worker card Record the task' })).toBeVisible();
  await expect(card).toContainText('1,050 exact');
  await expect(transcript).toContainText('result success');
  // The board's own status lines are drawn outside the terminal, from the store.
  const status = page.getByRole('log', { name: 'Board status of Record the task' });
  await expect(status).toContainText('verify passed');
  await expect(status).toContainText('closeout ok: every check passed');
  await expect(transcript).not.toContainText('closeout ok');

  const checklist = page.getByRole('list', { name: 'Closeout checklist' });
  const items = checklist.getByRole('listitem');
  await expect(items).toHaveCount(9);
  for (const name of ['refs_consistent', 'lifecycle_closed', 'raw_log_present', 'worker_succeeded', 'exact_token_rows', 'token_totals_match', 'verify_passed', 'no_spend_proof', 'timestamps_ordered']) {
    await expect(checklist.getByRole('listitem').filter({ hasText: name })).toContainText('✓');
  }
  await expect(checklist).not.toContainText('✗');
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('1,050 tokens exact');

  // Search in the transcript's scrollback.
  const search = page.getByRole('search', { name: 'Search Transcript of Record the task' });
  await search.getByLabel('Search text').fill('FIXTURE');
  await search.getByRole('button', { name: 'Next match' }).click();
  await expect(search.getByRole('status')).toHaveText(/^1 of [2-9]$/);
  await search.getByLabel('Search text').fill('no such words anywhere');
  await search.getByRole('button', { name: 'Next match' }).click();
  await expect(search.getByRole('status')).toHaveText('no matches');

  // A pane reopened after the run replays its whole transcript from the core.
  await page.getByRole('button', { name: 'Close pane' }).click();
  await expect(transcript).toBeHidden();
  await page.getByRole('button', { name: 'Open pane for Record the task' }).click();
  await expect(transcript).toContainText('Working on: Write the task into FIXTURE.md');
  await expect(status).toContainText('closeout ok');

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'board.png') });
});

test('a failing verify command ends in a failed closeout whose blocker is shown', async ({ page, board }) => {
  await page.goto(board.url);
  await startTask(page, {
    title: 'Tests fail',
    repoPath: makeTempRepo(),
    prompt: 'Break something',
    verifyCommand: 'echo "1 test failed"; exit 1',
    durationMs: 300,
  });
  const failed = page.getByRole('region', { name: 'Failed' });
  const card = failed.getByRole('article', { name: 'Worker card Tests fail' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('list', { name: 'Blockers' })).toContainText('verify_failed');
  await expect(card).toContainText('1,050 exact');
  const checklist = page.getByRole('list', { name: 'Closeout checklist' });
  await expect(checklist.getByRole('listitem').filter({ hasText: 'verify_passed' })).toContainText('✗');
  await expect(checklist.getByRole('listitem').filter({ hasText: 'verify_passed' })).toContainText('verify_failed');
  await expect(page.getByLabel('Verify output')).toContainText('1 test failed');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'failed-closeout.png') });
});

test('a folder that is not a git repo gets a typed error in the dialog, and the form is kept', async ({ page, board }) => {
  await page.goto(board.url);
  const notARepo = tempDir('khala-e2e-not-a-repo-');
  const dialog = await startTask(page, { title: 'Nowhere', repoPath: notARepo, prompt: 'p', verifyCommand: 'true' });
  // In words; the code is only the alert's data.
  await expect(dialog.getByRole('alert')).toContainText('is not inside a git repository');
  await expect(dialog.getByRole('alert')).toHaveAttribute('data-code', 'not_a_git_repo');
  await expect(dialog.getByLabel('Repository path')).toHaveValue(notARepo);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No workers yet')).toBeVisible();
});

test('a relative repository path is refused in the dialog in the core\'s own words, and nothing starts', async ({ page, board }) => {
  await page.goto(board.url);
  const dialog = await startTask(page, { title: 'Relative', repoPath: 'projects/app', prompt: 'p', verifyCommand: 'true' });
  await expect(dialog.getByLabel('Repository path')).toHaveAccessibleDescription(REPO_PATH_NOT_ABSOLUTE);
  await expect(dialog.getByLabel('Repository path')).toHaveValue('projects/app');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No workers yet')).toBeVisible();
});

test('the WebSocket refuses a wrong token before it opens, and the board says why', async ({ page, board }) => {
  await page.goto(`${board.origin}/#token=not-the-token`);
  await expect(page.getByRole('alert')).toContainText("The host refused the connection: the link's token is not this host's");
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('disconnected');
});
