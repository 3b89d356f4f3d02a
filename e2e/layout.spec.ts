import type { Locator, Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, startHost, test, type BoardHost } from './support/board-host';
import { connectToHost } from './support/host-client';

const columnNames = ['Working', 'Waiting', 'Done', 'Failed', 'Blocked'];

/** Fixture tasks that finish at once, made through the host so the test starts from a board with cards. */
async function finishedTasks(board: BoardHost, titles: string[], durationMs = 0): Promise<void> {
  const host = await connectToHost(board);
  try {
    const repoPath = makeTempRepo({ 'README.md': '# demo\n' });
    for (const title of titles) {
      await host.invoke('tasks.create', { title, repoPath, prompt: 'Write the task into FIXTURE.md', verifyCommand: 'true', workerKind: 'fixture', fixture: { durationMs } });
    }
  } finally {
    host.close();
  }
}

/** Long enough that the worker is still at work through a host restart on a loaded machine. */
const THROUGH_RESTART_MS = 30_000;

async function openBoard(page: Page, board: BoardHost, titles: string[]): Promise<void> {
  await page.goto(board.url);
  for (const title of titles) {
    await expect(page.getByRole('region', { name: 'Done' }).getByRole('article', { name: `Worker card ${title}` })).toBeVisible();
  }
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator.toString()} is not on screen`);
  return found;
}

const paneOf = (page: Page, title: string) => page.getByRole('region', { name: `Pane for ${title}` });
const panesArea = (page: Page) => page.getByRole('complementary', { name: /Worker pane/ });
const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

test('at 1024x768 with a pane open, all five column headings are in view, in one row', async ({ page, board }, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await finishedTasks(board, ['Narrow board']);
  await openBoard(page, board, ['Narrow board']);
  await page.getByRole('article', { name: 'Worker card Narrow board' }).click();
  await expect(paneOf(page, 'Narrow board')).toBeVisible();

  const main = await box(page.locator('main'));
  const headings = [];
  for (const name of columnNames) {
    const heading = page.getByRole('region', { name, exact: true }).getByRole('heading', { level: 2 });
    await expect(heading).toBeInViewport();
    headings.push(await box(heading));
  }
  for (const [index, heading] of headings.entries()) {
    expect(heading.y).toBe(headings[0]!.y);
    if (index > 0) expect(heading.x).toBeGreaterThan(headings[index - 1]!.x);
    expect(heading.x + heading.width).toBeLessThanOrEqual(main.x + main.width);
  }
  expect((await box(panesArea(page))).x).toBeGreaterThanOrEqual(main.x + main.width);
  await page.screenshot({ path: testInfo.outputPath('board-1024-pane.png') });
});

test('a pane resizes by dragging its separator and by the keyboard, maximises and comes back, and splits in two', async ({ page, board }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await finishedTasks(board, ['Left worker', 'Right worker']);
  await openBoard(page, board, ['Left worker', 'Right worker']);
  await page.getByRole('article', { name: 'Worker card Left worker' }).click();
  const left = paneOf(page, 'Left worker');
  await expect(left.getByRole('region', { name: 'Transcript of Left worker' })).toContainText('Recorded the task');

  // Drag: the separator moves 200 px to the left, and the pane grows by as much.
  const separator = page.getByRole('separator', { name: 'Resize the board and the panes' });
  const before = await box(panesArea(page));
  const handle = await box(separator);
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2 - 200, handle.y + handle.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await box(panesArea(page))).width).toBeGreaterThan(before.width + 150);

  // Keyboard: the separator takes focus and the arrow keys move it.
  const dragged = await box(panesArea(page));
  await separator.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await box(panesArea(page))).width).toBeLessThan(dragged.width - 10);

  // Maximise: the board steps aside and the pane fills the main area; pressed again, it comes back.
  const maximise = left.getByRole('button', { name: 'Maximise' });
  await maximise.click();
  await expect(maximise).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: 'Board' })).toHaveCount(0);
  const rail = await box(page.getByRole('navigation', { name: 'Sections' }));
  const maximised = await box(panesArea(page));
  expect(maximised.x).toBeLessThanOrEqual(rail.x + rail.width + 1);
  // The maximised pane was rebuilt, and replays its transcript.
  await expect(left.getByRole('region', { name: 'Transcript of Left worker' })).toContainText('Recorded the task');
  await maximise.click();
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await expect(maximise).toHaveAttribute('aria-pressed', 'false');

  // Split: a second worker beside the first, both side by side, each with its own transcript.
  await left.getByLabel('Open a worker beside Left worker').selectOption({ label: 'Right worker (fixture)' });
  const right = paneOf(page, 'Right worker');
  await expect(right.getByRole('region', { name: 'Transcript of Right worker' })).toContainText('Recorded the task');
  await expect(left.getByRole('region', { name: 'Transcript of Left worker' })).toContainText('Recorded the task');
  const leftBox = await box(left);
  const rightBox = await box(right);
  expect(leftBox.y).toBe(rightBox.y);
  expect(rightBox.x).toBeGreaterThanOrEqual(leftBox.x + leftBox.width);
  await expect(page.getByRole('separator', { name: 'Resize the two panes' })).toBeVisible();

  // A card's click fills the focused pane (the new one), the other keeps its worker.
  await left.click();
  await page.getByRole('article', { name: 'Worker card Right worker' }).click();
  await expect(right).toBeVisible();
  await expect(left).toBeVisible();
  await right.getByRole('button', { name: 'Close pane for Right worker' }).click();
  await expect(right).toHaveCount(0);
  await expect(left.getByRole('region', { name: 'Transcript of Left worker' })).toContainText('Recorded the task');
});

test('a reload keeps the panes, their widths, the section, the selected run and the theme', async ({ page, board }, testInfo) => {
  await finishedTasks(board, ['Kept left', 'Kept right']);
  const host = await connectToHost(board);
  try {
    await host.invoke('runs.create', {
      name: 'Remembered run',
      source: { kind: 'fixture', units: 1 },
      repoPath: makeTempRepo({ 'README.md': '# demo\n' }),
      branch: 'main',
      verifyCommand: 'true',
      workerKind: 'fixture',
      targetConcurrency: 1,
      fixtureDurationMs: 0,
    });
  } finally {
    host.close();
  }
  await openBoard(page, board, ['Kept left', 'Kept right']);
  await page.getByLabel('Run', { exact: true }).selectOption({ label: 'Remembered run' });
  await expect(page.getByRole('region', { name: 'Run Remembered run' })).toBeVisible();
  await page.getByLabel('Run', { exact: true }).selectOption({ label: 'All tasks' });
  await page.getByRole('article', { name: 'Worker card Kept left' }).click();
  await paneOf(page, 'Kept left').getByLabel('Open a worker beside Kept left').selectOption({ label: 'Kept right (fixture)' });
  await expect(paneOf(page, 'Kept right')).toBeVisible();
  const separator = page.getByRole('separator', { name: 'Resize the board and the panes' });
  await separator.focus();
  for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowLeft');
  await expect.poll(() => separator.getAttribute('aria-valuenow')).not.toBe('66');
  const boardShare = await separator.getAttribute('aria-valuenow');
  await page.getByLabel('Theme').selectOption({ label: 'Light' });
  await page.getByLabel('Run', { exact: true }).selectOption({ label: 'Remembered run' });
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  expect(await theme(page)).toBe('light');
  await expect(page.getByLabel('Theme')).toHaveValue('light');
  await expect(paneOf(page, 'Kept left').getByRole('region', { name: 'Transcript of Kept left' })).toContainText('Recorded the task');
  await expect(paneOf(page, 'Kept right').getByRole('region', { name: 'Transcript of Kept right' })).toContainText('Recorded the task');
  await expect(page.getByRole('separator', { name: 'Resize the board and the panes' })).toHaveAttribute('aria-valuenow', boardShare!);
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await expect(page.getByLabel('Run', { exact: true })).toHaveValue(/.+/);
  await expect(page.getByRole('region', { name: 'Run Remembered run' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('split-panes-light.png') });
});

test('the theme follows the system until the owner picks one, and again once they pick "follow the system"', async ({ page, board }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await expect(page.getByLabel('Theme')).toHaveValue('system');
  expect(await theme(page)).toBe('light');

  // Live: the OS changes, the open board follows without a reload.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => theme(page)).toBe('dark');

  // Picked: the OS no longer decides, across a reload too.
  await page.getByLabel('Theme').selectOption({ label: 'Light' });
  await expect.poll(() => theme(page)).toBe('light');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  expect(await theme(page)).toBe('light');

  // Back to the system: dark, as the OS says.
  await page.getByLabel('Theme').selectOption({ label: 'Follow the system' });
  await expect.poll(() => theme(page)).toBe('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => theme(page)).toBe('light');
});

test('split panes stay through a host restart: the board reconnects by itself, catches up, the panes attach again, and a reload keeps them', async ({ page }) => {
  // It waits out a worker's whole run, and two host starts.
  test.slow();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'khala-e2e-layout-restart-'));
  const first = await startHost(dataDir, {});
  let second: Awaited<ReturnType<typeof startHost>> | null = null;
  try {
    await finishedTasks(first.host, ['Before right']);
    await openBoard(page, first.host, ['Before right']);
    await page.getByRole('article', { name: 'Worker card Before right' }).click();
    await expect(paneOf(page, 'Before right')).toBeVisible();
    await finishedTasks(first.host, ['Still working'], THROUGH_RESTART_MS);
    await paneOf(page, 'Before right').getByLabel('Open a worker beside Before right').selectOption({ label: 'Still working (fixture)' });
    const left = paneOf(page, 'Before right').getByRole('region', { name: 'Transcript of Before right' });
    const right = paneOf(page, 'Still working').getByRole('region', { name: 'Transcript of Still working' });
    await expect(right).toContainText('Working on: Write the task');
    await expect(right).not.toContainText('Recorded the task');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    const stopped = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGTERM');
    await stopped;
    await expect(page.getByRole('status').filter({ hasText: 'reconnecting' })).toBeVisible();

    second = await startHost(dataDir, {});
    // Work the page missed: made before it is back (or just after, pushed to it: either way it shows).
    await finishedTasks(second.host, ['Made while away']);
    await expect(page.getByRole('status').filter({ hasText: 'reconnecting' })).toHaveCount(0);
    await expect(page.getByRole('article', { name: 'Worker card Made while away' })).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // The worker outlived the host; its pane attached to the new one and shows how it ended.
    await expect(right).toContainText('Recorded the task', { timeout: THROUGH_RESTART_MS + 30_000 });
    await expect(left).toContainText('Recorded the task');

    await page.reload();
    await expect(left).toContainText('Recorded the task');
    await expect(right).toContainText('Recorded the task');
    await expect(page.getByRole('separator', { name: 'Resize the two panes' })).toBeVisible();
  } finally {
    for (const started of [first, second]) {
      if (!started || started.child.exitCode !== null) continue;
      const exited = new Promise((resolve) => started.child.once('exit', resolve));
      started.child.kill('SIGTERM');
      await exited;
    }
  }
});
