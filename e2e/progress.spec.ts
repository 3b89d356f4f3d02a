import type { Page } from '@playwright/test';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';

/** Fixture units take this long, so a unit is seen running and the next ones queued. */
const UNIT_MS = 2_500;

async function newRun(page: Page, name: string, units: number) {
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByRole('button', { name: 'New run' }).click();
  const dialog = page.getByRole('dialog', { name: 'New run' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Source').selectOption({ label: 'Fixture units' });
  await dialog.getByLabel('Units').fill(String(units));
  await dialog.getByLabel('Local repository path').fill(makeTempRepo());
  await dialog.getByLabel('Verify command').fill('true');
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Target concurrency').fill('1');
  await dialog.getByLabel('Fixture duration (ms)').fill(String(UNIT_MS));
  await dialog.getByRole('button', { name: 'Create run' }).click();
  await expect(dialog).toBeHidden();
}

async function failingTask(page: Page, title: string) {
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Repository path').fill(makeTempRepo({ 'README.md': '# demo\n' }));
  await dialog.getByLabel('Prompt').fill('Write the task into FIXTURE.md');
  await dialog.getByLabel('Verify command').fill('false');
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Duration (ms)').fill('100');
  await dialog.getByRole('button', { name: 'Start task' }).click();
  await expect(dialog).toBeHidden();
}

/** The text of the fact named `name` in a <dl> (its <dd>). */
function fact(scope: ReturnType<Page['getByRole']>, name: string) {
  return scope.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
}

test("a run's bar, elapsed time, tokens and spend, and the units it has not started; a card's elapsed time and last message", async ({ page, board }) => {
  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await newRun(page, 'Progress run', 4);
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  await page.getByRole('article', { name: 'Approve run Progress run' }).getByRole('button', { name: 'Approve run' }).click();
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await page.getByRole('combobox', { name: 'Run' }).selectOption({ label: 'Progress run' });

  // One at a time: one running, three queued, named under Not started.
  const header = page.getByRole('region', { name: 'Run Progress run' });
  const bar = header.getByRole('img', { name: /^Progress: / });
  await expect(bar).toHaveAttribute('aria-label', 'Progress: done 0, running 1, queued 3, failed 0');
  await header.getByRole('button', { name: 'Not started (3)' }).click();
  await expect(header.getByRole('list', { name: 'Not started' }).getByRole('listitem')).toHaveText(['Fixture unit 2', 'Fixture unit 3', 'Fixture unit 4']);

  // Elapsed time is live while the run goes on.
  const elapsed = fact(header, 'Elapsed');
  const first = await elapsed.textContent();
  expect(first).toMatch(/^\d+:\d\d$/);
  await expect.poll(() => elapsed.textContent()).not.toBe(first);

  // The card: its elapsed time and the worker's last message, on one line.
  const card = page.getByRole('region', { name: 'Working' }).getByRole('article');
  await expect(card).toHaveCount(1);
  await expect(fact(card, 'Elapsed')).toHaveText(/^\d+:\d\d$/);
  const line = card.locator('.card-line');
  await expect(line).not.toBeEmpty();
  await expect(line).toHaveAttribute('title', (await line.textContent()) ?? '');
  await expect(line).toHaveCSS('white-space', 'nowrap');
  await expect(line).toHaveCSS('text-overflow', 'ellipsis');

  // Once the first unit has closed out, its exact token rows and reported spend show.
  await expect(fact(header, 'Tokens')).toHaveText(/^[\d,]+ exact$/);
  await expect(fact(header, 'Spend')).toHaveText('$0.00 reported');

  // Drained: what it never began is named, as not started.
  await header.getByRole('button', { name: 'Drain' }).click();
  await expect(header.getByText('stopped', { exact: true })).toBeVisible();
  await expect(bar).toHaveAttribute('aria-label', /not started [12],/);
  const left = await header.getByRole('list', { name: 'Not started' }).getByRole('listitem').allTextContents();
  expect(left.length).toBeGreaterThan(0);
  expect(left.at(-1)).toBe('Fixture unit 4');
  // Ended: its elapsed time no longer moves (the run has an end time).
  await expect(elapsed).toHaveText(/^\d+:\d\d$/);

  // The Runs list shows the same progress.
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'Progress run' });
  await expect(row.getByRole('img', { name: /^Progress: .*not started/ })).toBeVisible();
  await expect(fact(row, 'Tokens')).toHaveText(/exact$/);
});

test('a failure reaches the Inbox and a Web Notification (not one for what was there at load); Snooze hides it, Dismiss removes it', async ({ page, context, board }) => {
  await context.grantPermissions(['notifications'], { origin: board.origin });
  // Every notification the page raises is recorded in its place (headless Chromium's own display
  // stalls the page); the permission and its request stay the browser's own.
  await page.addInitScript(() => {
    const Real = window.Notification;
    const shown: string[] = [];
    (window as unknown as { shownNotifications: string[] }).shownNotifications = shown;
    class Recorded extends EventTarget {
      onclick: ((event: Event) => void) | null = null;
      constructor(title: string) {
        super();
        shown.push(title);
      }
      close() {}
      static get permission() {
        return Real.permission;
      }
      static requestPermission = Real.requestPermission.bind(Real);
    }
    window.Notification = Recorded as unknown as typeof Notification;
  });
  const shown = () => page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications);

  await page.goto(board.url);
  await failingTask(page, 'Old failure');
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  await expect(page.getByRole('article', { name: 'Old failure failed' })).toBeVisible();

  // After a reload the old failure was there at load: it is never announced.
  await page.reload();
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  await page.getByRole('checkbox', { name: 'Notify me' }).check();
  await expect(page.getByRole('checkbox', { name: 'Notify me' })).toBeChecked();
  await failingTask(page, 'Broken build');
  await expect.poll(shown).toEqual(['Broken build failed']);

  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const broken = page.getByRole('article', { name: 'Broken build failed' });
  await expect(broken).toContainText('Failed');
  await broken.getByRole('button', { name: 'Snooze 1 hour' }).click();
  await expect(broken).toHaveCount(0);
  await page.reload();
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const old = page.getByRole('article', { name: 'Old failure failed' });
  await expect(old).toBeVisible();
  await expect(page.getByRole('article', { name: 'Broken build failed' })).toHaveCount(0);

  await old.getByRole('button', { name: 'Dismiss' }).click();
  await expect(old).toHaveCount(0);
  await expect(page.getByText('Nothing needs you')).toBeVisible();
  expect(await shown()).toEqual([]);
});
