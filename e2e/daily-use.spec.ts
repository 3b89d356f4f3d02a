import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, startHost, test } from './support/board-host';
import { connectToHost } from './support/host-client';
import { finishedTask } from './support/tasks';

test('an opened shell takes the keyboard: keys typed next reach the shell, never the board shortcuts', async ({ page, board }) => {
  await page.goto(board.url);
  await finishedTask(page, 'Shell focus', makeTempRepo({ 'README.md': '# demo\n' }));
  await page.getByRole('article', { name: 'Worker card Shell focus' }).click();
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'Open shell in worktree' }).click();
  const shell = page.getByRole('region', { name: 'Shell in Shell focus' });
  await expect(shell).toBeVisible();

  // No click into the terminal first: opening it is enough.
  await page.keyboard.type('echo nb-$((40+2))');
  await page.keyboard.press('Enter');
  await expect(shell).toContainText('nb-42');
  await expect(page.getByRole('dialog', { name: 'New task' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
});

test('forms speak words: a problem leaves once its input is fixed, and a refusal shows its message without the code', async ({ page, board }) => {
  await page.goto(board.url);
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill('Words');
  await dialog.getByLabel('Repository path').fill('relative/repo');
  await dialog.getByLabel('Prompt').fill('Do it');
  await dialog.getByLabel('Verify command').fill('true');
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByRole('button', { name: 'Start task' }).click();
  const repoPath = dialog.getByLabel('Repository path');
  await expect(repoPath).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.locator('.field-problem')).toHaveCount(1);

  // Fixing the input clears its problem without another submit.
  await repoPath.fill('/nonexistent/khala-words-repo');
  await expect(repoPath).toHaveAttribute('aria-invalid', 'false');
  await expect(dialog.locator('.field-problem')).toHaveCount(0);

  // The core refuses the folder: the owner reads why, not a code.
  await dialog.getByRole('button', { name: 'Start task' }).click();
  const refusal = dialog.getByRole('alert');
  await expect(refusal).toContainText('/nonexistent/khala-words-repo');
  await expect(refusal).not.toContainText(/\b[a-z]+_[a-z_]+: /);
});

test('the Inbox shows a failed task, and the owner can dismiss it', async ({ page, board }) => {
  await page.goto(board.url);
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill('Broken build');
  await dialog.getByLabel('Repository path').fill(makeTempRepo({ 'README.md': '# demo\n' }));
  await dialog.getByLabel('Prompt').fill('Write the task into FIXTURE.md');
  await dialog.getByLabel('Verify command').fill('false');
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Duration (ms)').fill('100');
  await dialog.getByRole('button', { name: 'Start task' }).click();
  await expect(page.getByRole('region', { name: 'Failed' }).getByRole('article', { name: 'Worker card Broken build' })).toBeVisible();

  await page.keyboard.press('i');
  const item = page.getByRole('article', { name: 'Broken build failed' });
  await expect(item).toContainText('verify_failed');
  await item.getByRole('button', { name: 'Dismiss' }).click();
  await expect(item).toHaveCount(0);
  await expect(page.getByText('Nothing needs you')).toBeVisible();
  // Dismissed stays dismissed (the reload comes back to the Inbox: the section is remembered).
  await page.reload();
  await expect(page.getByText('Nothing needs you')).toBeVisible();
});

test("New run starts at the repository's current branch and reads a relative task list there", async ({ page, board }) => {
  const repo = makeTempRepo({ 'sprint.md': '- [ ] only task\n' });
  git(repo, 'checkout', '-q', '-b', 'feature/next');
  await page.goto(board.url);
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByRole('button', { name: 'New run' }).click();
  const dialog = page.getByRole('dialog', { name: 'New run' });
  await dialog.getByLabel('Name', { exact: true }).fill('Sprint');
  await dialog.getByLabel('Source').selectOption({ label: 'Task list file' });
  await dialog.getByLabel('Task list file').fill('sprint.md');
  await dialog.getByLabel('Local repository path').fill(repo);
  // The branch list is the repository's, its current branch selected.
  await expect(dialog.getByLabel('Branch')).toHaveValue('feature/next');
  await dialog.getByLabel('Verify command').fill('true');
  await dialog.getByRole('button', { name: 'Create run' }).click();
  await expect(dialog).toBeHidden();
  const header = page.getByRole('region', { name: 'Run Sprint' });
  await expect(header).toContainText('branch feature/next');
  await expect(header).toContainText(`task list ${repo}/sprint.md`);
});

test('Connect names the ref an empty field gets, refuses a program that is not the CLI, and offers the install command to copy', async ({ page, board }) => {
  await page.goto(board.url);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByLabel('Codex CLI path').fill('/bin/true');
  await page.getByRole('button', { name: 'Save paths' }).click();
  await page.getByRole('button', { name: 'Connect account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect account' });
  await dialog.getByLabel('Provider').selectOption('codex');
  await expect(dialog.getByLabel('Ref (optional)')).toHaveAttribute('placeholder', 'codex');
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText('it is not the codex CLI');
  await expect(alert.getByRole('button', { name: 'Copy install command' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Start login' })).toBeDisabled();
});

test('an API key can be linked while the Claude CLI is missing: the account waits for the CLI', async ({ page, board }) => {
  await page.goto(board.url);
  await page.getByRole('button', { name: 'Accounts' }).click();
  await page.getByLabel('Claude CLI path').fill('/nonexistent/claude');
  await page.getByRole('button', { name: 'Save paths' }).click();
  await page.getByRole('button', { name: 'Connect account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect account' });
  await dialog.getByLabel('Provider').selectOption('claude');
  await dialog.getByLabel('Login method').selectOption({ label: 'API key' });
  await dialog.getByLabel('API key').fill('sk-ant-test-key');
  await dialog.getByRole('button', { name: 'Link account' }).click();
  await expect(dialog.getByRole('status')).toContainText('Connected claude');
  await dialog.getByRole('button', { name: 'Close' }).click();
  const account = page.getByRole('article', { name: 'Account claude' });
  await expect(account).toContainText('checked once the CLI is installed');
});

test('after the host restarts, a reload of the open board reconnects: same URL, same token', async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-e2e-restart-'));
  const first = await startHost(dataDir, {});
  await page.goto(first.host.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  const stopped = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGTERM');
  await stopped;

  const second = await startHost(dataDir, {});
  try {
    expect(second.host.url).toBe(first.host.url);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'New task' })).toBeVisible();
    await expect(page.locator('.banner')).toHaveCount(0);
  } finally {
    const exited = new Promise((resolve) => second.child.once('exit', resolve));
    second.child.kill('SIGTERM');
    await exited;
  }
});

test('a wrong token is said once, in the banner', async ({ page, board }) => {
  await page.goto(`${board.origin}/#token=not-the-token`);
  await expect(page.getByRole('alert').filter({ hasText: 'The host refused the connection' })).toBeVisible();
  await expect(page.getByText(/refused the connection/)).toHaveCount(1);
});

test('at 1024x768 an open pane leaves the board its columns side by side, Failed in view', async ({ page, board }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(board.url);
  await finishedTask(page, 'Narrow', makeTempRepo({ 'README.md': '# demo\n' }));
  await page.getByRole('article', { name: 'Worker card Narrow' }).click();
  await expect(page.getByRole('complementary', { name: 'Worker pane' })).toBeVisible();

  const main = await page.locator('main').boundingBox();
  const columns = [];
  for (const name of ['Working', 'Waiting', 'Done', 'Failed', 'Blocked']) {
    const box = await page.getByRole('region', { name, exact: true }).boundingBox();
    if (!box || !main) throw new Error(`the ${name} column is not on screen`);
    columns.push(box);
  }
  // One row: every column starts at the same height, left to right, and ends inside the board.
  for (const [index, box] of columns.entries()) {
    expect(box.y).toBe(columns[0]!.y);
    if (index > 0) expect(box.x).toBeGreaterThan(columns[index - 1]!.x);
    expect(box.x + box.width).toBeLessThanOrEqual(main!.x + main!.width);
  }
  // No sideways scroll in the board: the columns fit.
  expect(await page.locator('main').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.screenshot({ path: path.resolve('e2e/artifacts/board-1024-pane.png') });
});

test('the open board says it is reconnecting while the host restarts, then catches up by itself, without a reload', async ({ page }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-e2e-reconnect-'));
  const repo = makeTempRepo({ 'README.md': '# demo\n' });
  const first = await startHost(dataDir, {});
  const stopped = new Promise((resolve) => first.child.once('exit', resolve));
  const transcript = page.getByRole('region', { name: 'Transcript of Before restart' });
  try {
    await page.goto(first.host.url);
    await finishedTask(page, 'Before restart', repo);
    await page.getByRole('article', { name: 'Worker card Before restart' }).click();
    await expect(transcript).toContainText('Recorded the task');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
  } finally {
    // Also when a step above fails: a host left running outlives the test run.
    first.child.kill('SIGTERM');
    await stopped;
  }
  await expect(page.getByRole('status').filter({ hasText: 'reconnecting' })).toBeVisible();

  const second = await startHost(dataDir, {});
  try {
    await expect(page.getByRole('status').filter({ hasText: 'reconnecting' })).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    // The pane attached again and still shows the worker's output; new work goes through the new link.
    await expect(transcript).toContainText('Recorded the task');
    await finishedTask(page, 'After restart', repo);
  } finally {
    const exited = new Promise((resolve) => second.child.once('exit', resolve));
    second.child.kill('SIGTERM');
    await exited;
  }
});

test('Retry shows the old prompt to edit, and the new worker gets the edit', async ({ page, board }) => {
  await page.goto(board.url);
  await finishedTask(page, 'Try again', makeTempRepo({ 'README.md': '# demo\n' }));
  await page.getByRole('button', { name: 'Retry Try again' }).click();
  const dialog = page.getByRole('dialog', { name: 'Retry Try again' });
  const prompt = dialog.getByLabel('Prompt');
  await expect(prompt).toHaveValue('Write the task into FIXTURE.md');
  await prompt.fill('   ');
  await dialog.getByRole('button', { name: 'Retry' }).click();
  await expect(dialog.getByText('Required')).toBeVisible();
  await prompt.fill('Write the task into FIXTURE.md, twice');
  await dialog.getByRole('button', { name: 'Retry' }).click();
  await expect(dialog).toBeHidden();

  const host = await connectToHost(board);
  try {
    const cards = await host.invoke('cards.list', {});
    const retried = cards.find((card) => card.workUnit.title === 'Try again' && card.retryOf !== null);
    expect(retried).toBeDefined();
    expect((await host.invoke('assignments.get', { assignmentId: retried!.assignmentId })).prompt).toBe('Write the task into FIXTURE.md, twice');
  } finally {
    host.close();
  }
});

test('a section whose code cannot be fetched says so in words and offers a reload, and the rest of the board stays', async ({ page, board }) => {
  // As after a host upgrade: the page still names the old file, and it is gone.
  await page.route(/\/assets\/RunsView-[^/]+\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^Runs/ }).click();
  const failure = page.getByRole('alert').filter({ hasText: 'This section could not be loaded' });
  await expect(failure).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();

  await page.unroute(/\/assets\/RunsView-[^/]+\.js$/);
  await failure.getByRole('button', { name: 'Reload the board' }).click();
  await expect(page.getByRole('heading', { name: 'Runs' })).toBeVisible();
});
