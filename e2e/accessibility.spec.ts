import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';

/** WCAG 2.1 A and AA: what "labels on every button" and "contrast AA" mean to axe. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Half a dozen scans of a full page, each several seconds on a loaded machine, plus a task and a run to scan. */
const SCAN_TEST_TIMEOUT_MS = 240_000;
/** The bar: minor and moderate findings are reported by axe but do not fail the scan. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** Scans what is on screen now; a failure lists each rule with the elements it found, so the fix is findable. */
async function expectNoSeriousViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(WCAG_TAGS)
    // A terminal's rows are the worker's own output in the colours it asked for (dim text included);
    // the board's words about it are scanned (the status log, the pane's tabs and buttons).
    .exclude('.xterm-rows')
    .analyze();
  const serious = violations
    .filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''))
    .map((violation) => ({
      rule: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    }));
  // Soft: one run lists every screen's findings, not only the first screen's.
  expect.soft(serious, `serious accessibility violations on ${where}`).toEqual([]);
}

/** The board in the OS palette `theme`, which it follows until the owner picks one. */
async function openBoard(page: Page, url: string, theme: 'dark' | 'light') {
  await page.emulateMedia({ colorScheme: theme });
  await page.goto(url);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
}

for (const theme of ['dark', 'light'] as const) {
  test(`no serious accessibility violations in the ${theme} theme: the board with a card and its pane, a run, the Inbox, New task and New run`, async ({
    page,
    board,
  }) => {
    test.setTimeout(SCAN_TEST_TIMEOUT_MS);
    await openBoard(page, board.url, theme);
    await expectNoSeriousViolations(page, 'the empty board');

    const repo = makeTempRepo({ 'README.md': '# demo\n', 'sprint.md': '- [ ] first\n- [ ] second\n' });
    await page.getByRole('button', { name: 'New task' }).click();
    const newTask = page.getByRole('dialog', { name: 'New task' });
    await newTask.getByLabel('Title').fill('Readable');
    await newTask.getByLabel('Repository path').fill(repo);
    await newTask.getByLabel('Prompt').fill('Write the task into FIXTURE.md');
    await newTask.getByLabel('Verify command').fill('true');
    await newTask.getByLabel('Worker kind').selectOption('fixture');
    await newTask.getByLabel('Duration (ms)').fill('100');
    await expectNoSeriousViolations(page, 'the New task dialog');
    await newTask.getByRole('button', { name: 'Start task' }).click();
    await expect(newTask).toBeHidden();
    const card = page.getByRole('region', { name: 'Done' }).getByRole('article', { name: 'Worker card Readable' });
    await expect(card).toBeVisible();
    await card.click();
    await expect(page.getByRole('complementary', { name: 'Worker pane' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the board with a card and its pane open');

    await page.getByRole('button', { name: 'Runs', exact: true }).click();
    await page.getByRole('button', { name: 'New run' }).click();
    const newRun = page.getByRole('dialog', { name: 'New run' });
    await newRun.getByLabel('Name', { exact: true }).fill('Sprint');
    await newRun.getByLabel('Source').selectOption({ label: 'Task list file' });
    await newRun.getByLabel('Task list file').fill('sprint.md');
    await newRun.getByLabel('Local repository path').fill(repo);
    await newRun.getByLabel('Verify command').fill('true');
    await expectNoSeriousViolations(page, 'the New run dialog');
    await newRun.getByRole('button', { name: 'Create run' }).click();
    await expect(newRun).toBeHidden();
    await expect(page.getByRole('region', { name: 'Run Sprint' })).toBeVisible();
    await expectNoSeriousViolations(page, 'a run');

    await page.getByRole('button', { name: 'Inbox' }).click();
    await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
    await expectNoSeriousViolations(page, 'the Inbox');
  });

  test(`no serious accessibility violations in the ${theme} theme: Accounts, Connect, Remove and Fleets`, async ({ page, board }) => {
    test.setTimeout(SCAN_TEST_TIMEOUT_MS);
    await openBoard(page, board.url, theme);
    await page.getByRole('button', { name: 'Accounts' }).click();
    await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
    await page.getByLabel('Claude CLI path').fill('/nonexistent/claude');
    await page.getByRole('button', { name: 'Save paths' }).click();
    await page.getByRole('button', { name: 'Connect account' }).click();
    const connect = page.getByRole('dialog', { name: 'Connect account' });
    await connect.getByLabel('Provider').selectOption('claude');
    await connect.getByLabel('Login method').selectOption({ label: 'API key' });
    await connect.getByLabel('API key').fill('sk-ant-test-key');
    await expectNoSeriousViolations(page, 'the Connect account dialog');
    await connect.getByRole('button', { name: 'Link account' }).click();
    await expect(connect.getByRole('status')).toContainText('Connected claude');
    await connect.getByRole('button', { name: 'Close' }).click();
    const account = page.getByRole('article', { name: 'Account claude' });
    await expect(account).toBeVisible();
    await expectNoSeriousViolations(page, 'Accounts with an account');

    const slots = account.getByLabel('Slots for claude');
    await slots.fill('3');
    await slots.press('Enter');
    await expect(account).toContainText('/3 slots busy');
    await account.getByRole('button', { name: 'Remove claude' }).click();
    const remove = page.getByRole('alertdialog', { name: 'Remove account?' });
    await expectNoSeriousViolations(page, 'the Remove account dialog');
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(account).toHaveCount(0);

    await page.getByRole('button', { name: 'Fleets', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Open fleet folder' })).toBeVisible();
    await expectNoSeriousViolations(page, 'Fleets');
    await page.getByRole('button', { name: 'Open fleet folder' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectNoSeriousViolations(page, 'the Open fleet folder dialog');
  });
}
