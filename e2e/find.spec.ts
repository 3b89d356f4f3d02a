import type { Page } from '@playwright/test';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test, type BoardHost } from './support/board-host';
import { connectToHost } from './support/host-client';

interface TaskSpec {
  title: string;
  repoPath: string;
  verifyCommand?: string;
}

/** Fixture tasks that finish at once, made through the host so each test starts from a board with cards. */
async function finishedTasks(board: BoardHost, tasks: TaskSpec[]): Promise<void> {
  const host = await connectToHost(board);
  try {
    for (const { title, repoPath, verifyCommand = 'true' } of tasks) {
      await host.invoke('tasks.create', {
        title,
        repoPath,
        prompt: 'Write the task into FIXTURE.md',
        verifyCommand,
        workerKind: 'fixture',
        fixture: { durationMs: 0 },
      });
    }
  } finally {
    host.close();
  }
}

const cardOf = (page: Page, title: string) => page.getByRole('article', { name: `Worker card ${title}` });
const boardSearch = (page: Page) => page.getByRole('search', { name: 'Search workers' });

test('search and filters narrow the cards, the Inbox and the runs, and survive a reload with the card density', async ({ page, board }) => {
  const shop = makeTempRepo({ 'README.md': '# shop\n' });
  const docs = makeTempRepo({ 'README.md': '# docs\n' });
  await finishedTasks(board, [
    { title: 'Fix the cache', repoPath: shop },
    { title: 'Tune the index', repoPath: shop },
    { title: 'Write the guide', repoPath: docs },
  ]);
  await page.goto(board.url);
  const done = page.getByRole('region', { name: 'Done' });
  for (const title of ['Fix the cache', 'Tune the index', 'Write the guide']) await expect(done.getByRole('article', { name: `Worker card ${title}` })).toBeVisible();

  // Every word must appear somewhere: in the title, the account, the repository, the branch or the last line.
  const search = boardSearch(page);
  await search.getByLabel('Search text').fill('cache');
  await expect(cardOf(page, 'Fix the cache')).toBeVisible();
  await expect(cardOf(page, 'Tune the index')).toHaveCount(0);
  await expect(cardOf(page, 'Write the guide')).toHaveCount(0);
  await expect(search.getByRole('status')).toHaveText('1 of 3 shown');
  await search.getByLabel('Search text').fill('the fixture');
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(3);
  await search.getByLabel('Search text').fill('guide nowhere');
  await expect(page.getByText('Nothing matches the search and filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Show everything' }).click();
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(3);

  // A facet: the repository.
  await search.getByLabel('Repository').selectOption(docs);
  await expect(cardOf(page, 'Write the guide')).toBeVisible();
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(1);
  await search.getByRole('button', { name: 'Compact cards' }).click();
  await expect(search.getByRole('button', { name: 'Compact cards' })).toHaveAttribute('aria-pressed', 'true');
  await expect(cardOf(page, 'Write the guide').getByText('Elapsed')).toBeHidden();

  // A reload keeps the filter and the density.
  await page.reload();
  await expect(cardOf(page, 'Write the guide')).toBeVisible();
  await expect(boardSearch(page).getByLabel('Repository')).toHaveValue(docs);
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(1);
  await expect(boardSearch(page).getByRole('button', { name: 'Compact cards' })).toHaveAttribute('aria-pressed', 'true');
  await expect(cardOf(page, 'Write the guide').getByText('Elapsed')).toBeHidden();
  await boardSearch(page).getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(3);

  // The Inbox has its own search over the same rule: each finished task waits for review there.
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const inboxSearch = page.getByRole('search', { name: 'Search the Inbox' });
  await expect(inboxSearch).toBeVisible();
  const items = page.locator('.inbox-list > article');
  const before = await items.count();
  expect(before).toBeGreaterThanOrEqual(3);
  await inboxSearch.getByLabel('Repository').selectOption(docs);
  await expect(items).not.toHaveCount(before);
  for (const item of await items.all()) await expect(item).toContainText(/guide|docs/i);
  await inboxSearch.getByLabel('Search text').fill('no such item anywhere');
  await expect(page.getByText('Nothing matches the search and filters.')).toBeVisible();

  // Runs: a search over a list with no match says so.
  const host = await connectToHost(board);
  try {
    await host.invoke('runs.create', {
      name: 'Nightly shop run',
      source: { kind: 'fixture', units: 1 },
      repoPath: shop,
      verifyCommand: 'true',
      workerKind: 'fixture',
      targetConcurrency: 1,
    });
  } finally {
    host.close();
  }
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  const runSearch = page.getByRole('search', { name: 'Search runs' });
  await runSearch.getByLabel('Search text').fill('nightly');
  await expect(page.getByRole('button', { name: 'Nightly shop run' })).toBeVisible();
  await runSearch.getByLabel('Search text').fill('weekly');
  await expect(page.getByRole('button', { name: 'Nightly shop run' })).toHaveCount(0);
  await expect(page.getByText('Nothing matches the search and filters.')).toBeVisible();
});

test('Ctrl+K opens the command palette, which runs the same actions as the buttons; ? lists every shortcut', async ({ page, board }) => {
  await finishedTasks(board, [{ title: 'Tune the index', repoPath: makeTempRepo({ 'README.md': '# demo\n' }) }]);
  await page.goto(board.url);
  await expect(cardOf(page, 'Tune the index')).toBeVisible();

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await page.keyboard.type('new run');
  await expect(palette.getByRole('option', { selected: true })).toHaveText(/^New run/);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  const newRun = page.getByRole('dialog', { name: 'New run' });
  await expect(newRun).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(newRun).toBeHidden();

  // A worker's pane by its title, and a section by name.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('Tune the index');
  await expect(palette.getByRole('option', { selected: true })).toHaveText('Open pane: Tune the index');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Pane for Tune the index' })).toBeVisible();
  await page.keyboard.press('Control+k');
  await palette.getByRole('option', { name: /Show Accounts/ }).click();
  await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();

  // The Rail's theme picker, from the palette.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('theme light');
  await expect(palette.getByRole('option', { selected: true })).toHaveText('Theme: Light');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('light');

  // Escape closes the palette, not the pane behind it.
  await page.keyboard.press('Control+k');
  await expect(palette).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('region', { name: 'Pane for Tune the index' })).toBeVisible();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const words of ['Open the command palette', 'New task', 'New run', 'Show the Inbox', 'Close the pane', "Board: open the focused card's pane"]) {
    await expect(help.getByRole('row').filter({ hasText: words })).toHaveCount(1);
  }
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toBeHidden();
});

test('arrow keys move focus between cards and Enter opens the pane; typed into a shell, no key reaches the board', async ({ page, board }) => {
  const repoPath = makeTempRepo({ 'README.md': '# demo\n' });
  await finishedTasks(board, [
    { title: 'First done', repoPath },
    { title: 'Second done', repoPath },
    { title: 'Broken verify', repoPath, verifyCommand: 'false' },
  ]);
  await page.goto(board.url);
  const done = page.getByRole('region', { name: 'Done' }).getByRole('article');
  const failed = page.getByRole('region', { name: 'Failed' }).getByRole('article');
  await expect(done).toHaveCount(2);
  await expect(failed).toHaveCount(1);

  // From nowhere, an arrow starts on the first card of the first column with cards.
  await page.keyboard.press('ArrowDown');
  await expect(done.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(done.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(done.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(failed.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(done.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(done.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(failed.nth(0)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Pane for Broken verify' })).toBeVisible();

  // Not from a text field: the arrow keys move the caret in the search box.
  await boardSearch(page).getByLabel('Search text').focus();
  await page.keyboard.press('ArrowRight');
  await expect(boardSearch(page).getByLabel('Search text')).toBeFocused();

  // Inside a shell every key is the shell's.
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'Open shell in worktree' }).click();
  const shell = page.getByRole('region', { name: 'Shell in Broken verify' });
  await expect(shell).toBeVisible();
  await page.keyboard.type('echo nr?ib-$((40+2))');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+k');
  await page.keyboard.press('Enter');
  await expect(shell).toContainText('nr?ib-42');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Board', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Pane for Broken verify' })).toBeVisible();
});

test("the palette steers the selected run with the run header's own controls", async ({ page, board }) => {
  const repoPath = makeTempRepo({ 'README.md': '# demo\n' });
  const host = await connectToHost(board);
  try {
    // One long unit, so the run is still running when it is steered.
    await host.invoke('runs.create', {
      name: 'Palette run',
      source: { kind: 'fixture', units: 1 },
      repoPath,
      verifyCommand: 'true',
      workerKind: 'fixture',
      targetConcurrency: 1,
      fixtureDurationMs: 600_000,
    });
  } finally {
    host.close();
  }
  await page.goto(board.url);
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const choose = async (words: string, option: string | RegExp) => {
    await page.keyboard.press('Control+k');
    await expect(palette).toBeVisible();
    await page.keyboard.type(words);
    await expect(palette.getByRole('option', { selected: true })).toHaveText(option);
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
  };

  await choose('show run palette', 'Show run Palette run');
  const header = page.getByRole('region', { name: 'Run Palette run' });
  await expect(header.locator('.state-badge')).toHaveText('draft');
  await choose('approve', 'Approve run Palette run');
  await expect(header.locator('.state-badge')).toHaveText('running');
  await choose('pause', 'Pause run Palette run');
  await expect(header.locator('.state-badge')).toHaveText('paused');
  await choose('resume', 'Resume run Palette run');
  await expect(header.locator('.state-badge')).toHaveText('running');
  // Stop asks first, as the header's Stop does.
  await choose('stop run', 'Stop run Palette run…');
  const stop = page.getByRole('alertdialog', { name: 'Stop run?' });
  await expect(stop).toBeVisible();
  await stop.getByRole('button', { name: 'Stop' }).click();
  await expect(header.locator('.state-badge')).toHaveText(/stopped|completed/);
});
