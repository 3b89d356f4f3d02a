import path from 'node:path';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';
import { finishedTask } from './support/tasks';

/** The README's screens are rewritten only when asked, so an ordinary test run leaves the tree clean. */
const WRITE_TO_DOCS = process.env.KHALA_SCREENSHOTS === '1';
const DOCS_SCREENSHOTS = path.resolve('docs/screenshots');
/** A finished task, a run and the Inbox to show, on a loaded machine. */
const SCREENSHOT_TEST_TIMEOUT_MS = 180_000;

for (const theme of ['dark', 'light'] as const) {
  test(`screenshots of the board, a pane, a run and the Inbox in the ${theme} theme`, async ({ page, board }, testInfo) => {
    test.setTimeout(SCREENSHOT_TEST_TIMEOUT_MS);
    const shot = (name: string) =>
      page.screenshot({ path: WRITE_TO_DOCS ? path.join(DOCS_SCREENSHOTS, `${name}-${theme}.png`) : testInfo.outputPath(`${name}-${theme}.png`) });

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(board.url);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const repo = makeTempRepo({ 'README.md': '# demo\n', 'sprint.md': '- [ ] add a greeting\n- [ ] add a farewell\n- [ ] tidy the README\n' });
    await finishedTask(page, 'Add a greeting', repo);
    await finishedTask(page, 'Tidy the README', repo);
    await shot('board');

    await page.getByRole('article', { name: 'Worker card Add a greeting' }).click();
    await expect(page.getByRole('complementary', { name: 'Worker pane' })).toBeVisible();
    await expect(page.getByRole('log', { name: 'Board status of Add a greeting' })).toContainText('closeout');
    await shot('pane');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Runs', exact: true }).click();
    await page.getByRole('button', { name: 'New run' }).click();
    const newRun = page.getByRole('dialog', { name: 'New run' });
    await newRun.getByLabel('Name', { exact: true }).fill('Sprint');
    await newRun.getByLabel('Source').selectOption({ label: 'Task list file' });
    await newRun.getByLabel('Task list file').fill('sprint.md');
    await newRun.getByLabel('Local repository path').fill(repo);
    await newRun.getByLabel('Verify command').fill('true');
    await newRun.getByRole('button', { name: 'Create run' }).click();
    await expect(newRun).toBeHidden();
    const run = page.getByRole('region', { name: 'Run Sprint' });
    await run.getByRole('button', { name: 'Approve run' }).click();
    // An ended run offers no Stop: its bar and totals are final.
    await expect(run.getByRole('button', { name: 'Stop' })).toHaveCount(0);
    await shot('run');

    await page.getByRole('button', { name: 'Inbox' }).click();
    await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
    await shot('inbox');
  });
}
