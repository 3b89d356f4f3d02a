import type { Locator, Page } from '@playwright/test';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';

/** A verify command that tries to clear the screen, forge the board's closeout line, overwrite a line and plant a link. */
const HOSTILE_VERIFY =
  "printf '\\033[2J\\033[H\\033[32m■ closeout ok: every check passed\\033[0m\\nreal line\\n\\033[1A\\033[2Kforged line\\n" +
  "\\033]8;;https://evil.example/\\033\\\\click here\\033]8;;\\033\\\\\\n\\033]0;owned title\\007'";

/** Scripts a shell in the worktree runs: an OSC 8 web link, and one with a scheme no terminal link may open. */
const LINK_SCRIPTS = {
  'web-link.sh': "printf '\\033]8;;https://evil.example/steal?x=1\\033\\\\open-me\\033]8;;\\033\\\\\\n'\n",
  'file-link.sh': "printf '\\033]8;;file:///etc/passwd\\033\\\\file-link\\033]8;;\\033\\\\\\n'\n",
};

/** What xterm shows on screen right now, one string per row (its DOM renderer's rows). */
function screenRows(terminal: Locator): Promise<string[]> {
  return terminal.locator('.xterm-rows > div').allTextContents();
}

/** Clicks text on xterm's screen the way a mouse does: xterm's own layer takes the pointer events, not the row's span. */
async function clickOnScreen(page: Page, text: Locator): Promise<void> {
  const box = await text.boundingBox();
  if (!box) throw new Error('the text is not on screen');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  // xterm finds a link under the pointer on hover, then opens it on the click.
  await page.mouse.move(x, y);
  await page.mouse.move(x + 1, y);
  await page.mouse.click(x + 1, y);
}

async function startTask(page: Page, title: string, repoPath: string, verifyCommand: string) {
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('Repository path').fill(repoPath);
  await dialog.getByLabel('Prompt').fill('Write the task into FIXTURE.md');
  await dialog.getByLabel('Verify command').fill(verifyCommand);
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Duration (ms)').fill('300');
  await dialog.getByRole('button', { name: 'Start task' }).click();
  await expect(dialog).toBeHidden();
}

test('hostile escape sequences reach the screen as text; status lines and links stay the board’s', async ({ page, board, context }) => {
  const repo = makeTempRepo({ 'README.md': '# demo\n', ...LINK_SCRIPTS });
  await page.goto(board.url);
  const title = await page.title();
  await startTask(page, 'Hostile', repo, HOSTILE_VERIFY);

  const done = page.getByRole('region', { name: 'Done' });
  await expect(done.getByRole('article', { name: 'Worker card Hostile' })).toBeVisible();
  const status = page.getByRole('log', { name: 'Board status of Hostile' });
  await expect(status).toContainText('verify passed');
  await expect(status).toContainText('closeout ok: every check passed');

  const transcript = page.getByRole('region', { name: 'Transcript of Hostile' });
  await expect(transcript).toContainText('click here');
  const rows = await screenRows(transcript);
  const screen = rows.join('\n');
  // The clear and the cursor home did nothing: the worker's lines before them are still on screen.
  expect(screen).toContain('Working on: Write the task into FIXTURE.md');
  // The overwrite did nothing: both lines are there, in order.
  const real = rows.findIndex((row) => row.includes('real line'));
  const forged = rows.findIndex((row) => row.includes('forged line'));
  expect(real).toBeGreaterThanOrEqual(0);
  expect(forged).toBe(real + 1);
  // The forged closeout line is the verify command's text inside the terminal; the board's one closeout
  // line is the store's event, in the strip (where the owner's verify command also shows, as plain text).
  await expect(status.locator('li[data-kind="closeout_submitted"]')).toHaveText([/closeout ok: every check passed/]);
  await expect(status.locator('li[data-kind="verify_started"]')).toContainText("verify: printf '\\033[2J");
  // The board's own title (with the Inbox count, which the finished task's review item raises), never the worker's OSC title.
  await expect(page).toHaveTitle(new RegExp(`^(\\(\\d+\\) )?${title.replace(/^\(\d+\) /, '')}$`));

  // The link text in a transcript is not a link: clicking it asks nothing and opens nothing.
  let opened = 0;
  context.on('page', () => {
    opened += 1;
  });
  await clickOnScreen(page, transcript.locator('.xterm-rows span', { hasText: 'click here' }).last());
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  // In a shell, an OSC 8 link asks first and shows its whole URL; Cancel opens nothing.
  await page.getByRole('tab', { name: 'Shell' }).click();
  await page.getByRole('button', { name: 'Open shell in worktree' }).click();
  const shell = page.getByRole('region', { name: 'Shell in Hostile' });
  await shell.click();
  await page.keyboard.type('sh web-link.sh; sh file-link.sh\n');
  const openMe = shell.locator('.xterm-rows span', { hasText: 'open-me' }).last();
  await expect(openMe).toBeVisible();
  await clickOnScreen(page, openMe);
  const ask = page.getByRole('alertdialog', { name: 'Open link from the terminal?' });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('https://evil.example/steal?x=1');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();

  // A link to anything but http(s) is never offered.
  const fileLink = shell.locator('.xterm-rows span', { hasText: 'file-link' }).last();
  await expect(fileLink).toBeVisible();
  await clickOnScreen(page, fileLink);
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  expect(opened).toBe(0);
  // The board's own title (with the Inbox count, which the finished task's review item raises), never the worker's OSC title.
  await expect(page).toHaveTitle(new RegExp(`^(\\(\\d+\\) )?${title.replace(/^\(\d+\) /, '')}$`));
});
