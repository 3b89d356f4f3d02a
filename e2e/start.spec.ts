import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type Locator, type Page } from '@playwright/test';
import { git } from '../electron/test-support/temp-repo';
import { expect, test as boardTest } from './support/board-host';
import { electronBinary } from './support/electron-binary';

/** Each test's host runs with an owner's home of its own: folder completion lists folders inside it only. */
const test = boardTest.extend<{ home: string }>({
  home: async ({}, use) => {
    await use(mkdtempSync(path.join(os.tmpdir(), 'khala-owner-home-')));
  },
  hostEnv: async ({ home }, use) => {
    await use({ HOME: home });
  },
});

/** A real git repository with one commit on main at `dir`, and any further branches. */
function repositoryAt(dir: string, branches: string[] = []): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'README.md'), '# demo\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  for (const branch of branches) git(dir, 'branch', branch);
  return dir;
}

/** No serious or critical WCAG A/AA finding inside `selector`, as the accessibility suite judges a screen. */
async function expectAccessible(page: Page, selector: string) {
  const { violations } = await new AxeBuilder({ page }).include(selector).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Types into a path field and picks a folder from its list by name. */
async function pickFolder(field: Locator, scope: Page | Locator, typed: string, name: string) {
  await field.fill(typed);
  const folders = scope.getByRole('listbox', { name: 'Folders' });
  await folders.getByRole('option', { name: new RegExp(`^${name}\\b`) }).click();
}

test('the first-run guide takes an empty board to a finished fixture assignment, and stays closed once closed', async ({ page, board, home }) => {
  const repo = repositoryAt(path.join(home, 'code', 'app'));
  mkdirSync(path.join(home, 'code', 'notes'));
  await page.goto(board.url);

  const guide = page.getByRole('region', { name: 'Getting started' });
  await expect(guide).toBeVisible();
  const field = guide.getByRole('combobox', { name: 'Repository for the first task' });
  await expect(guide.getByRole('button', { name: 'Start a fixture task' })).toBeDisabled();

  // Step 1: the path field lists the home's folders as they are typed; a plain folder is stepped into.
  await pickFolder(field, guide, '~/co', 'code');
  await expect(field).toHaveValue(`${home}/code/`);
  const folders = guide.getByRole('listbox', { name: 'Folders' });
  await expect(folders.getByRole('option')).toHaveText([/^app\s*git repository$/, /^notes$/]);
  await expectAccessible(page, '.first-run');
  await folders.getByRole('option', { name: /^app/ }).click();
  await expect(field).toHaveValue(repo);
  await expect(folders).toBeHidden();
  await expect(guide).toContainText('A git repository on main.');

  // Step 2: a fixture task, no account needed.
  await guide.getByRole('button', { name: 'Start a fixture task' }).click();
  const card = page.getByRole('article', { name: 'Worker card First fixture task' });
  await expect(card).toBeVisible();
  await expect(guide.getByRole('status')).toContainText('at work');

  // Step 3: it finishes, done, on the board and in the guide.
  await expect(page.getByRole('region', { name: 'Done' }).getByRole('article', { name: 'Worker card First fixture task' })).toBeVisible();
  await expect(guide.getByRole('status')).toContainText('Finished: the worker wrote FIXTURE.md, test -s FIXTURE.md passed');
  await guide.getByRole('button', { name: 'Open its pane' }).click();
  await expect(page.getByRole('region', { name: 'Transcript of First fixture task' })).toBeVisible();

  await guide.getByRole('button', { name: 'Close guide' }).click();
  await expect(guide).toBeHidden();
  await page.reload();
  await expect(card).toBeVisible();
  await expect(page.getByRole('region', { name: 'Getting started' })).toBeHidden();
});

test('the pickers: folder completion, a recent repository, its branches with the current one selected, its verify command remembered', async ({ page, board, home }) => {
  // Two tasks, three dialogs and a run: longer than one task's walk on a loaded machine.
  test.slow();
  const repo = repositoryAt(path.join(home, 'projects', 'api'), ['release']);
  git(repo, 'checkout', '-q', '-b', 'develop');
  mkdirSync(path.join(home, 'projects', 'web'));
  await page.goto(board.url);

  // The first task: the path is found by completion, with the keyboard.
  await page.getByRole('button', { name: 'New task' }).click();
  const taskDialog = page.getByRole('dialog', { name: 'New task' });
  const taskPath = taskDialog.getByRole('combobox', { name: 'Repository path' });
  await pickFolder(taskPath, taskDialog, '~/pro', 'projects');
  await expect(taskPath).toHaveValue(`${home}/projects/`);
  await expect(taskDialog.getByRole('listbox', { name: 'Folders' }).getByRole('option')).toHaveText([/^api\s*git repository$/, /^web$/]);
  await expectAccessible(page, 'dialog[open]');
  await taskPath.press('ArrowDown');
  await expect(taskDialog.getByRole('option', { name: /^api/ })).toHaveAttribute('aria-selected', 'true');
  await taskPath.press('Enter');
  await expect(taskPath).toHaveValue(repo);
  await expect(taskDialog).toBeVisible();
  await expect(taskPath).toHaveAccessibleDescription('A git repository on develop.');
  await taskDialog.getByLabel('Title').fill('First');
  await taskDialog.getByLabel('Prompt').fill('Write the task into FIXTURE.md');
  await expect(taskDialog.getByLabel('Verify command')).toHaveValue('');
  await taskDialog.getByLabel('Verify command').fill('test -f README.md');
  await taskDialog.getByLabel('Worker kind').selectOption('fixture');
  await taskDialog.getByLabel('Duration (ms)').fill('0');
  await taskDialog.getByRole('button', { name: 'Start task' }).click();
  await expect(taskDialog).toBeHidden();

  // A path out of the owner's home is refused in words, and lists nothing.
  await page.getByRole('button', { name: 'New task' }).click();
  await taskPath.fill('../../etc');
  await expect(taskDialog).toContainText('Type a full path starting with / or ~/');
  await taskPath.fill('/etc/');
  await expect(taskDialog).toContainText(`Folders are suggested only inside your home folder, ${home}.`);
  await expect(taskDialog.getByRole('listbox', { name: 'Folders' })).toBeHidden();

  // The second task: the repository is one click away, and its verify command is filled in.
  const recent = taskDialog.getByRole('group', { name: 'Recent repositories' });
  await recent.getByRole('button', { name: 'api' }).click();
  await expect(taskPath).toHaveValue(repo);
  await expect(taskDialog.getByLabel('Verify command')).toHaveValue('test -f README.md');
  await taskDialog.getByRole('button', { name: 'Cancel' }).click();

  // A run: the branch list is the repository's, its current branch selected.
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByRole('button', { name: 'New run' }).click();
  const runDialog = page.getByRole('dialog', { name: 'New run' });
  const branch = runDialog.getByLabel('Branch');
  await expect(branch.getByRole('option')).toHaveText(["The repository's current branch"]);
  await runDialog.getByRole('group', { name: 'Recent repositories' }).getByRole('button', { name: 'api' }).click();
  await expect(runDialog.getByLabel('Local repository path')).toHaveValue(repo);
  await expect(branch.getByRole('option')).toHaveText(['develop (current)', 'main', 'release']);
  await expect(branch).toHaveValue('develop');
  await expect(runDialog.getByLabel('Verify command')).toHaveValue('test -f README.md');

  // A branch belongs to the path it was chosen for: a path typed again starts from the current branch.
  await branch.selectOption('release');
  await runDialog.getByLabel('Local repository path').fill(`${repo}/`);
  await expect(branch).toHaveValue('develop');

  // The owner picks another branch and a new verify command; the run starts there, and both are kept.
  await branch.selectOption('release');
  await runDialog.getByLabel('Verify command').fill('true');
  await runDialog.getByLabel('Name', { exact: true }).fill('Release sweep');
  await runDialog.getByRole('button', { name: 'Create run' }).click();
  await expect(runDialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Run Release sweep' })).toContainText('branch release');
  await page.getByRole('button', { name: 'New task' }).click();
  await recent.getByRole('button', { name: 'api' }).click();
  await expect(taskDialog.getByLabel('Verify command')).toHaveValue('true');
});

test('in the desktop app, Choose folder… fills the path from the folder dialog', async () => {
  const binary = electronBinary();
  test.skip('missing' in binary, `Skipped: the folder dialog needs a real Electron binary, and none is installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); ${'missing' in binary ? binary.missing : ''}`);
  if (!('path' in binary)) return;
  const home = mkdtempSync(path.join(os.tmpdir(), 'khala-owner-home-'));
  const repo = repositoryAt(path.join(home, 'code', 'app'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [path.resolve('out/main.cjs')],
    env: { ...process.env, HOME: home, KHALA_HOME: mkdtempSync(path.join(os.tmpdir(), 'khala-electron-')) },
  });
  try {
    // The owner's choice in the OS dialog, answered in the main process where the shell asks it.
    await app.evaluate(({ dialog }, chosen) => {
      dialog.showOpenDialog = () => Promise.resolve({ canceled: false, filePaths: [chosen] });
    }, repo);
    const window = await app.firstWindow();
    await window.getByRole('button', { name: 'New task' }).click();
    const dialog = window.getByRole('dialog', { name: 'New task' });
    await dialog.getByRole('button', { name: 'Choose folder…' }).click();
    await expect(dialog.getByRole('combobox', { name: 'Repository path' })).toHaveValue(repo);
    await expect(dialog).toContainText('A git repository on main.');
  } finally {
    await app.close();
  }
});

test('in browser mode there is no folder dialog to open: the path is typed', async ({ page, board }) => {
  await page.goto(board.url);
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await expect(dialog.getByRole('combobox', { name: 'Repository path' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Choose folder…' })).toHaveCount(0);
});
