import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startFakeGithubApi, type FakeGithubApi } from '../electron/test-support/fake-github-api';
import { BACKLOG_ISSUES, BACKLOG_PULLS, BACKLOG_REPOSITORY, BACKLOG_WORKED } from '../electron/test-support/github-backlog';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test as boardTest } from './support/board-host';

const ARTIFACTS = path.resolve('e2e/artifacts');

const test = boardTest.extend<{ github: FakeGithubApi }>({
  github: async ({}, use) => {
    const github = await startFakeGithubApi({ repository: BACKLOG_REPOSITORY, issues: BACKLOG_ISSUES, pulls: BACKLOG_PULLS, perPage: 5 });
    await use(github);
    await github.close();
  },
});

async function newRun(page: Page, run: { name: string; source: 'github' | 'fixture'; apiBaseUrl?: string; units?: number; durationMs: number }) {
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await page.getByRole('button', { name: 'New run' }).click();
  const dialog = page.getByRole('dialog', { name: 'New run' });
  await dialog.getByLabel('Name', { exact: true }).fill(run.name);
  if (run.source === 'github') {
    await dialog.getByLabel('Source').selectOption({ label: 'GitHub issues' });
    await dialog.getByLabel('Repository (owner/name)').fill(BACKLOG_REPOSITORY);
    await dialog.getByLabel('API base URL (empty for github.com)').fill(run.apiBaseUrl!);
  } else {
    await dialog.getByLabel('Source').selectOption({ label: 'Fixture units' });
    await dialog.getByLabel('Units').fill(String(run.units));
  }
  await dialog.getByLabel('Local repository path').fill(makeTempRepo());
  await dialog.getByLabel('Verify command').fill('true');
  await dialog.getByLabel('Worker kind').selectOption('fixture');
  await dialog.getByLabel('Target concurrency').fill('3');
  await dialog.getByLabel('Fixture duration (ms)').fill(String(run.durationMs));
  await dialog.getByRole('button', { name: 'Create run' }).click();
  await expect(dialog).toBeHidden();
}

async function approveInInbox(page: Page, name: string) {
  await page.getByRole('button', { name: 'Inbox', exact: true }).click();
  const item = page.getByRole('article', { name: `Approve run ${name}` });
  await item.getByRole('button', { name: 'Approve run' }).click();
  await expect(item).toBeHidden();
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await page.getByRole('combobox', { name: 'Run' }).selectOption({ label: name });
}

test('a GitHub backlog run: approve in the Inbox, pause, resume, drain', async ({ page, board, github }) => {
  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await newRun(page, { name: 'Backlog sweep', source: 'github', apiBaseUrl: github.url, durationMs: 1_500 });

  const header = page.getByRole('region', { name: 'Run Backlog sweep' });
  await expect(header).toContainText('Approval required');
  await expect(header.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await expect(header.getByRole('button', { name: 'Resume' })).toBeDisabled();
  await expect(header.getByRole('button', { name: 'Drain' })).toBeDisabled();
  await expect(header.getByRole('button', { name: 'Stop' })).toBeEnabled();
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(0);

  await approveInInbox(page, 'Backlog sweep');
  const meter = header.getByRole('meter', { name: 'Capacity' });
  await expect(header).toContainText('3/3 slots');
  await expect(meter).toHaveAttribute('aria-valuenow', '3');
  await expect(page.getByRole('region', { name: 'Working' }).getByRole('article')).toHaveCount(3);
  await expect(header.getByRole('button', { name: 'Resume' })).toBeDisabled();

  // Pause: nothing new is claimed while the active work finishes.
  await header.getByRole('button', { name: 'Pause' }).click();
  await expect(header.getByText('paused', { exact: true })).toBeVisible();
  await expect(header.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await expect(meter).toHaveAttribute('aria-valuenow', '0');
  const cardsAtPause = await page.getByRole('article', { name: /^Worker card / }).count();
  await page.waitForTimeout(1_500);
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(cardsAtPause);

  // Resume: claiming starts again.
  await header.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(cardsAtPause + 3);

  // Drain: the active work finishes without new claims; what was left is named, not hidden by "completed".
  await header.getByRole('button', { name: 'Drain' }).click();
  const cardsAtDrain = await page.getByRole('article', { name: /^Worker card / }).count();
  const left = BACKLOG_WORKED.length - cardsAtDrain;
  await expect(header.getByText(left > 0 ? 'stopped' : 'completed', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('article', { name: /^Worker card / })).toHaveCount(cardsAtDrain);
  // A finished run offers no controls at all.
  for (const control of ['Pause', 'Resume', 'Drain', 'Stop']) await expect(header.getByRole('button', { name: control })).toHaveCount(0);

  await header.getByRole('button', { name: 'Skipped by reason' }).click();
  await expect(header).toContainText('needs_owner 1');
  await expect(header).toContainText('pr_exists 1');
  if (left > 0) await expect(header).toContainText(`not_started ${left}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'run.png') });
});

test('Stop interrupts the active workers, releases their claims, and the cards say so', async ({ page, board }) => {
  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await newRun(page, { name: 'Long run', source: 'fixture', units: 6, durationMs: 600_000 });
  await approveInInbox(page, 'Long run');
  const header = page.getByRole('region', { name: 'Run Long run' });
  await expect(page.getByRole('region', { name: 'Working' }).getByRole('article')).toHaveCount(3);

  await header.getByRole('button', { name: 'Stop' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Stop run?' });
  await confirm.getByRole('button', { name: 'Stop' }).click();
  await expect(header.getByText('stopped', { exact: true })).toBeVisible();
  const failed = page.getByRole('region', { name: 'Failed' }).getByRole('article');
  await expect(failed).toHaveCount(3);
  for (const card of await failed.all()) await expect(card.getByRole('list', { name: 'Blockers' })).toContainText('interrupted');
  // A stopped run offers no controls, and nothing of it is queued any more: what it never began is not started.
  for (const control of ['Pause', 'Resume', 'Drain', 'Stop']) await expect(header.getByRole('button', { name: control })).toHaveCount(0);
  await expect(header.getByRole('img', { name: /^Progress: / })).toHaveAttribute('aria-label', /not started 3/);
  await expect(header).not.toContainText('queued');

  await page.getByRole('button', { name: 'Claims and skips' }).click();
  const log = page.getByRole('table', { name: 'Claims and skips' });
  await expect(log.getByRole('row').filter({ hasText: 'released' }).filter({ hasText: 'closeout_failed' })).toHaveCount(3);
  await expect(page.getByRole('region', { name: 'Working' }).getByRole('article')).toHaveCount(0);
});
