import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Card } from '../shared/domain';
import { makeFakeCli } from '../electron/test-support/fake-cli';
import { startFakeGithubApi } from '../electron/test-support/fake-github-api';
import { git, makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';
import { connectToHost } from './support/host-client';

/** The large diff: one file of 50,000 added lines (the issue's figure), drawn a window at a time. */
const LARGE_FILE_LINES = 50_000;

/** The key the fake Claude CLI accepts. */
const API_KEY = 'sk-ant-api03-review';

type Host = Awaited<ReturnType<typeof connectToHost>>;

async function finishedFixtureTask(host: Host, repo: string, title: string, prompt: string): Promise<Card> {
  const card = await host.invoke('tasks.create', { title, repoPath: repo, prompt, verifyCommand: 'true', workerKind: 'fixture', fixture: { durationMs: 0 } });
  let closed: Card | undefined;
  await host.waitForEvent((m) => {
    const payload = m.payload as Card;
    if (m.event === 'card.updated' && payload.assignmentId === card.assignmentId && payload.status === 'closed' && payload.review?.diff) closed = payload;
    return closed !== undefined;
  });
  return closed!;
}

test('a 50,000-line diff opens at once and is drawn as it scrolls, with counts on the card', async ({ page, board }) => {
  const host = await connectToHost(board);
  const card = await finishedFixtureTask(host, makeTempRepo(), 'Large change', 'Write a large change');
  const worktree = card.repo.worktreePath;
  mkdirSync(path.join(worktree, 'src'));
  const lines = Array.from({ length: LARGE_FILE_LINES }, (_, line) => `export const value_${line} = ${line}; // generated`);
  writeFileSync(path.join(worktree, 'src', 'large.ts'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(worktree, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  host.close();

  await page.goto(board.url);
  const cardView = page.getByRole('article', { name: 'Worker card Large change' });
  await expect(cardView).toContainText('+1 -0, 1 file');
  // How fast it opens and scrolls is measured by `npm run bench -- diff` (docs/benchmarks.md), not here.
  await cardView.getByRole('button', { name: 'Diff of Large change' }).click();
  const dialog = page.getByRole('dialog', { name: 'Diff of Large change' });
  await expect(dialog).toContainText(`+${(LARGE_FILE_LINES + 1).toLocaleString('en-US')} -0, 3 files`);
  const large = dialog.getByRole('region', { name: 'Diff of src/large.ts' });
  await expect(large.getByRole('heading')).toContainText('+50,000');
  await expect(large).toContainText('value_0 = 0;');
  // Only the windows near the view are drawn: the last line is not in the page until it is reached.
  await expect(large).not.toContainText('value_49999 ');
  await expect(dialog.getByRole('region', { name: 'Diff of logo.png' })).toContainText('Binary file: not shown.');
  await large.evaluate((section) => section.scrollIntoView({ block: 'end' }));
  await expect(large).toContainText('value_49999 = 49999;');
  // The windows left behind are dropped again.
  await expect(large).not.toContainText('value_0 = 0;');
  await expect(large.locator('.hljs-keyword').first()).toBeVisible();
  await expect(large.getByRole('row', { name: /50000.*value_49999/ })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test("a completed run's Inbox item opens the diff of its work over the board on that run", async ({ page, board }) => {
  const host = await connectToHost(board);
  const run = await host.invoke('runs.create', {
    name: 'review-run',
    source: { kind: 'fixture', units: 2 },
    repoPath: makeTempRepo(),
    verifyCommand: 'true',
    workerKind: 'fixture',
    targetConcurrency: 2,
    fixtureDurationMs: 0,
  });
  await host.invoke('runs.approve', { runId: run.id });
  host.close();

  await page.goto(board.url);
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const item = page.getByRole('article', { name: /Run review-run completed: 2 ready for review/ });
  await item.getByRole('button', { name: 'Review changes' }).click();
  const dialog = page.getByRole('dialog', { name: /^Diff of / });
  await expect(dialog.getByRole('navigation', { name: 'Changed files' })).toContainText('FIXTURE.md');
  await expect(dialog).toContainText('+1 -0, 1 file');
  await dialog.getByRole('button', { name: 'Close' }).click();
  // Behind it, the board is on the run, with its review bar.
  await expect(page.getByRole('button', { name: "Merge the run's finished work" })).toBeVisible();
});

test('Create PR pushes the branch and opens the pull request; the card links it', async ({ page, board }) => {
  const repo = makeTempRepo();
  const bare = mkdtempSync(path.join(os.tmpdir(), 'khala-remote-'));
  git(bare, 'init', '-q', '--bare', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', bare);
  git(repo, 'push', '-q', 'origin', 'main');
  const github = await startFakeGithubApi({ repository: 'octo/demo', issues: [{ number: 3, title: 'Write the notes' }], remote: bare });
  try {
    const host = await connectToHost(board);
    const run = await host.invoke('runs.create', {
      name: 'notes',
      source: { kind: 'github', repository: 'octo/demo', apiBaseUrl: github.url, excludeLabels: [] },
      repoPath: repo,
      branch: 'main',
      verifyCommand: 'test -f FIXTURE.md',
      workerKind: 'fixture',
      targetConcurrency: 1,
      fixtureDurationMs: 0,
    });
    await host.invoke('runs.approve', { runId: run.id });
    host.close();

    await page.goto(board.url);
    const card = page.getByRole('article', { name: 'Worker card Write the notes' });
    await expect(card).toContainText('awaiting review');
    await card.getByRole('button', { name: 'Create PR for Write the notes' }).click();
    await expect(card.getByRole('link', { name: '#4' })).toHaveAttribute('href', 'https://github.com/octo/demo/pull/4');
    await expect(card).toContainText('awaiting merge');
    await expect(card.getByRole('button', { name: 'Create PR for Write the notes' })).toBeDisabled();
    expect(github.pulls.find((pull) => pull.number === 4)?.body).toContain('Closes #3');
    expect(execFileSync('git', ['branch', '--list'], { cwd: bare, encoding: 'utf8' })).toContain('fleet/');
  } finally {
    await github.close();
  }
});

test('a merge wave from the board merges the picked cards in order, verified, then cleanup removes them', async ({ page, board }) => {
  const repo = makeTempRepo();
  const host = await connectToHost(board);
  // The same first line: both workers write the same FIXTURE.md, so the two merges do not conflict.
  await finishedFixtureTask(host, repo, 'First part', 'Shared notes\nfirst');
  await finishedFixtureTask(host, repo, 'Second part', 'Shared notes\nsecond');
  host.close();

  await page.goto(board.url);
  for (const title of ['Second part', 'First part']) {
    await page.getByRole('article', { name: `Worker card ${title}` }).getByRole('checkbox', { name: `Select ${title} for merge` }).check();
  }
  await page.getByRole('button', { name: 'Merge selected (2)' }).click();
  const wave = page.getByRole('region', { name: 'Merge wave' });
  await expect(wave).toContainText('Completed: 2 of 2 merged into main and verified');
  await expect(wave.getByRole('listitem').first()).toContainText('First part: done');
  await expect(page.getByRole('article', { name: 'Worker card First part' })).toContainText('merged and verified');
  expect(git(repo, 'log', '--oneline', 'main')).toContain('Merge fleet/');

  await page.getByRole('button', { name: 'Clean up merged' }).click();
  await expect(page.getByRole('status')).toContainText('Removed 2 worktrees and branches');
  expect(git(repo, 'branch', '--list', 'fleet/*')).toBe('');
});

test('a wave stopped on a conflict: the Inbox names the file, asks the worker to resolve, and the wave completes', async ({ page, board }) => {
  const claude = makeFakeCli('claude', { validApiKey: API_KEY, turnMs: 50, file: 'NOTES.txt', overwrite: true });
  const repo = makeTempRepo();
  const host = await connectToHost(board);
  await host.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
  await host.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY });
  const ids: string[] = [];
  for (const [title, prompt] of [
    ['Alpha notes', 'alpha'],
    ['Beta notes', 'beta'],
  ]) {
    const card = await host.invoke('tasks.create', { title: title!, repoPath: repo, prompt: prompt!, verifyCommand: 'test -f NOTES.txt', workerKind: 'claude' });
    await host.waitForEvent((m) => m.event === 'card.updated' && (m.payload as Card).assignmentId === card.assignmentId && (m.payload as Card).status === 'closed');
    ids.push(card.assignmentId);
  }
  await host.invoke('review.mergeWave', { assignmentIds: ids });
  host.close();

  await page.goto(board.url);
  const wave = page.getByRole('region', { name: 'Merge wave' });
  await expect(wave).toContainText('Stopped (conflict): 1 of 2 merged into main');
  await expect(wave).toContainText('Conflicting files: NOTES.txt');
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const item = page.getByRole('article', { name: /Merge wave into main stopped: Beta notes conflicts/ });
  await expect(item).toContainText('Conflicting files: NOTES.txt');
  await item.getByRole('button', { name: 'Ask the worker to resolve' }).click();
  // The worker's pane opens on the board, and its session resolves the conflict; the wave goes on by itself.
  await expect(page.getByRole('region', { name: 'Transcript of Beta notes' })).toContainText('conflicts in: NOTES.txt');
  await expect(wave).toContainText('Completed: 2 of 2 merged into main and verified');
  expect(git(repo, 'show', 'main:NOTES.txt')).toContain('conflicts in: NOTES.txt');
});
