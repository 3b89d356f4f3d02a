import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { makeFakeCli } from '../electron/test-support/fake-cli';
import { startFakeCodexIssuer, type FakeCodexIssuer } from '../electron/test-support/fake-codex-issuer';
import { ensureCodexCli, PROVIDER_CLI_INSTALL_TIMEOUT_MS } from '../electron/test-support/provider-cli-cache';
import { expect, test as boardTest } from './support/board-host';

const OWNER_EMAIL = 'fleet-owner@example.com';
const CLAUDE_API_KEY = 'sk-ant-api03-e2e-key';
const ARTIFACTS = path.resolve('e2e/artifacts');

/** Each test gets its own fake issuer, and its host sends Codex device logins there. */
const test = boardTest.extend<{ issuer: FakeCodexIssuer }>({
  issuer: async ({}, use) => {
    const issuer = await startFakeCodexIssuer({ email: OWNER_EMAIL });
    await use(issuer);
    await issuer.close();
  },
  hostEnv: async ({ issuer }, use) => {
    await use({ KHALA_CODEX_ISSUER: issuer.url });
  },
});

let codexPath: string;
test.beforeAll(async () => {
  test.setTimeout(PROVIDER_CLI_INSTALL_TIMEOUT_MS);
  codexPath = await ensureCodexCli();
});

async function openConnectDialog(page: Page) {
  await page.getByRole('button', { name: 'Connect account' }).click();
  return page.getByRole('dialog', { name: 'Connect account' });
}

test('connect Codex with the real CLI, cancel a second login, link Claude, pause one, refresh', async ({ page, board, issuer }) => {
  const claude = makeFakeCli('claude', { validApiKey: CLAUDE_API_KEY });
  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await page.getByRole('button', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'Accounts' })).toBeVisible();
  await expect(page.getByText('No accounts yet.')).toBeVisible();

  const paths = page.getByRole('form', { name: 'CLI paths' });
  await paths.getByLabel('Codex CLI path').fill(codexPath);
  await paths.getByLabel('Claude CLI path').fill(claude.path);
  await paths.getByRole('button', { name: 'Save paths' }).click();
  const clis = page.getByRole('list', { name: 'Provider CLIs' });
  await expect(clis).toContainText(`codex 0.169.0 · ${codexPath}`);
  await expect(clis).toContainText('claude 2.1.330');

  // Codex, through the device-login dialog, with the real CLI.
  let dialog = await openConnectDialog(page);
  await dialog.getByLabel('Provider').selectOption('codex');
  await dialog.getByRole('button', { name: 'Start login' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Waiting for you to approve the code in your browser');
  const codeGroup = dialog.getByRole('group', { name: 'One-time code' });
  await expect(codeGroup).toContainText(/[A-Z0-9]{4}-[A-Z0-9]{5}/);
  await expect(dialog).toContainText(`${issuer.url}/codex/device`);
  await expect(dialog).toContainText(/expires in 1[45]:\d\d/);
  await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Open in browser' })).toBeVisible();
  const shownCode = /[A-Z0-9]{4}-[A-Z0-9]{5}/.exec((await codeGroup.textContent()) ?? '')![0];
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'device-login.png') });
  expect(issuer.pendingCodes()).toEqual([shownCode]);
  issuer.approve(shownCode);
  await expect(dialog.getByRole('status')).toHaveText(`Connected codex as ${OWNER_EMAIL}`);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // A second Codex login, cancelled midway: nothing is left behind.
  dialog = await openConnectDialog(page);
  await dialog.getByLabel('Provider').selectOption('codex');
  await dialog.getByRole('button', { name: 'Start login' }).click();
  await expect(dialog.getByRole('group', { name: 'One-time code' })).toContainText(/[A-Z0-9]{4}-/);
  await expect(dialog).toContainText('New account codex-2');
  await dialog.getByRole('button', { name: 'Cancel login' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Login cancelled');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('article', { name: 'Account codex-2' })).toHaveCount(0);
  expect(existsSync(path.join(board.dataDir, 'accounts', 'codex', 'codex-2'))).toBe(false);

  // Claude, linked with an API key.
  dialog = await openConnectDialog(page);
  await dialog.getByLabel('Provider').selectOption('claude');
  await dialog.getByLabel('Login method').selectOption('api_key');
  await dialog.getByLabel('API key').fill(CLAUDE_API_KEY);
  await dialog.getByRole('button', { name: 'Link account' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^Connected claude/);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Both in the inventory, ready.
  const codexCard = page.getByRole('article', { name: 'Account codex', exact: true });
  const claudeCard = page.getByRole('article', { name: 'Account claude', exact: true });
  await expect(codexCard).toContainText('ready');
  await expect(codexCard).toContainText(OWNER_EMAIL);
  await expect(codexCard).toContainText('device login');
  await expect(claudeCard).toContainText('ready');
  await expect(claudeCard).toContainText('API key');
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('2 accounts ready');

  // Pause one; refresh re-probes without starting a login.
  await codexCard.getByRole('button', { name: 'Pause codex', exact: true }).click();
  await expect(codexCard).toContainText('paused');
  await expect(codexCard.getByRole('button', { name: 'Resume codex', exact: true })).toBeVisible();
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('1 account ready');
  const requestsBefore = issuer.requests.length;
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  await expect(codexCard).toContainText('last checked just now');
  await expect(codexCard).toContainText('Logged in using ChatGPT');
  expect(issuer.requests.length).toBe(requestsBefore);

  await page.screenshot({ path: path.join(ARTIFACTS, 'accounts.png') });
});

test('a missing CLI is named in the dialog with its install command', async ({ page, board }) => {
  await page.goto(board.url);
  await page.getByRole('button', { name: 'Accounts' }).click();
  const paths = page.getByRole('form', { name: 'CLI paths' });
  await paths.getByLabel('Claude CLI path').fill('/nowhere/claude');
  await paths.getByRole('button', { name: 'Save paths' }).click();
  const dialog = await openConnectDialog(page);
  await dialog.getByLabel('Provider').selectOption('claude');
  await expect(dialog.getByRole('alert')).toContainText('claude CLI not found. Install it with: npm install -g @anthropic-ai/claude-code');
  await expect(dialog.getByRole('button', { name: 'Start login' })).toBeDisabled();
});
