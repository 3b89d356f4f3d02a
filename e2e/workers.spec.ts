import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Login } from '../shared/accounts';
import { makeFakeCli } from '../electron/test-support/fake-cli';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import { expect, test } from './support/board-host';
import { connectToHost } from './support/host-client';

const ARTIFACTS = path.resolve('e2e/artifacts');
const API_KEY = 'sk-ant-api03-e2e';

async function newTask(page: Page, task: { title: string; kind: 'claude' | 'codex'; prompt: string; verify: string }) {
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill(task.title);
  await dialog.getByLabel('Repository path').fill(makeTempRepo());
  await dialog.getByLabel('Prompt').fill(task.prompt);
  await dialog.getByLabel('Verify command').fill(task.verify);
  await dialog.getByLabel('Worker kind').selectOption(task.kind);
  await dialog.getByRole('button', { name: 'Start task' }).click();
  await expect(dialog).toBeHidden();
}

test('Claude-format and Codex-format workers side by side: live panes, an interrupt, a follow-up', async ({ page, board }) => {
  // Claude-format turns take a moment; the Codex-format worker runs until it is interrupted.
  const claude = makeFakeCli('claude', { validApiKey: API_KEY, turnMs: 1_500 });
  const codex = makeFakeCli('codex', { approveAfterMs: 20, turnMs: 600_000 });
  const host = await connectToHost(board);
  await host.invoke('settings.update', { claudePath: claude.path, codexPath: codex.path });
  await host.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY });
  const login = await host.invoke('accounts.connect', { provider: 'codex', method: 'device' });
  await host.waitForEvent((m) => m.event === 'login.updated' && (m.payload as Login).loginId === login.loginId && (m.payload as Login).state === 'approved');
  host.close();

  await page.goto(board.url);
  await expect(page.getByRole('heading', { name: 'Board' })).toBeVisible();
  await newTask(page, { title: 'Claude job', kind: 'claude', prompt: 'write the greeting', verify: 'grep -q greeting MADE_BY_CLAUDE.txt' });
  await newTask(page, { title: 'Codex job', kind: 'codex', prompt: 'a long refactor', verify: 'true' });

  const working = page.getByRole('region', { name: 'Working' });
  await expect(working.getByRole('article', { name: 'Worker card Codex job' })).toBeVisible();
  const claudeCard = page.getByRole('article', { name: 'Worker card Claude job' });
  const codexCard = page.getByRole('article', { name: 'Worker card Codex job' });
  await expect(claudeCard).toContainText('claude');
  await expect(codexCard).toContainText('codex');

  // The Codex pane shows its transcript live while the worker runs.
  const codexTranscript = page.getByRole('region', { name: 'Transcript of Codex job' });
  await expect(codexTranscript).toContainText('run:');
  await expect(codexTranscript).toContainText('MADE_BY_CODEX.txt');

  // The Claude worker finishes on its own, with exact tokens.
  await claudeCard.getByRole('button', { name: 'Open pane for Claude job' }).click();
  const claudeTranscript = page.getByRole('region', { name: 'Transcript of Claude job' });
  await expect(claudeTranscript).toContainText('On it: write the greeting');
  await expect(page.getByRole('region', { name: 'Done' }).getByRole('article', { name: 'Worker card Claude job' })).toBeVisible();
  await expect(claudeCard).toContainText('1,630 exact');
  await expect(page.getByRole('log', { name: 'Board status of Claude job' })).toContainText('closeout ok');

  // Interrupt the Codex worker from its card.
  await codexCard.getByRole('button', { name: 'Interrupt Codex job' }).click();
  const failed = page.getByRole('region', { name: 'Failed' });
  await expect(failed.getByRole('article', { name: 'Worker card Codex job' })).toBeVisible();
  await expect(codexCard.getByRole('list', { name: 'Blockers' })).toContainText('interrupted');
  await expect(codexCard.getByRole('button', { name: 'Interrupt Codex job' })).toBeDisabled();
  await expect(codexCard.getByRole('button', { name: 'Retry Codex job' })).toBeEnabled();

  // A follow-up resumes the Claude session in the same pane.
  await claudeCard.getByRole('button', { name: 'Open pane for Claude job' }).click();
  await page.getByLabel('Follow-up prompt').fill('and add a farewell');
  await page.getByRole('button', { name: 'Send follow-up' }).click();
  await expect(claudeTranscript).toContainText('On it: and add a farewell');
  await expect(claudeTranscript).toContainText('On it: write the greeting');
  await expect(claudeCard).toContainText('follow-ups: 1');
  await expect(claudeCard).toContainText('3,260 exact');
  await expect(page.getByRole('region', { name: 'Done' }).getByRole('article', { name: 'Worker card Claude job' })).toBeVisible();
  const reconciliation = page.getByRole('region', { name: 'Token reconciliation' });
  await expect(reconciliation).toContainText("rows match the provider's reported totals");

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'workers.png') });
});
