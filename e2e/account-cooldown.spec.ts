import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { makeFakeCli } from '../electron/test-support/fake-cli';
import { makeTempRepo } from '../electron/test-support/temp-repo';
import type { Card } from '../shared/domain';
import { expect, test } from './support/board-host';
import { connectToHost } from './support/host-client';

const ARTIFACTS = path.resolve('e2e/artifacts');
const API_KEY = 'sk-ant-api03-e2e';
/** Short enough to watch end, long enough to read a few ticks of the countdown first. */
const RESET_SECONDS = 20;
/** The real CLI's 429 result text (recorded/claude-429.jsonl), with a reset time named as providers do. */
const RATE_LIMIT_TEXT = `API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again in ${RESET_SECONDS} seconds.`;

test('a rate-limited account counts down on its card, by the second, and is ready again when its cooldown ends', async ({ page, board }) => {
  const claude = makeFakeCli('claude', { validApiKey: API_KEY, turnMs: 50, rateLimit: RATE_LIMIT_TEXT });
  const host = await connectToHost(board);
  await host.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
  await host.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY, ref: 'claude-a' });
  await page.goto(board.url);
  await page.getByRole('button', { name: 'Accounts' }).click();
  const card = page.getByRole('article', { name: 'Account claude-a', exact: true });
  await expect(card.locator('.state-badge')).toHaveText('ready');
  await expect(card.getByRole('timer')).toHaveCount(0);

  // A real assignment on the account ends with the provider's 429.
  const created = await host.invoke('tasks.create', {
    title: 'Limited job',
    repoPath: makeTempRepo(),
    prompt: 'write the greeting',
    verifyCommand: 'true',
    workerKind: 'claude',
    workerType: 'code-run',
  });
  await host.waitForEvent((m) => m.event === 'card.updated' && (m.payload as Card).assignmentId === created.assignmentId && (m.payload as Card).status === 'closed');
  host.close();

  // The card counts down by the second.
  const timer = card.getByRole('timer');
  await expect(timer).toHaveText(/^0:\d\d left$/);
  await expect(card).toContainText('rate limited: until');
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first!);
  const secondsLeft = (text: string) => Number(/^0:(\d\d) left$/.exec(text)![1]);
  expect(secondsLeft((await timer.textContent())!)).toBeLessThan(secondsLeft(first!));
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'account-cooldown.png') });

  // When the reset passes, the countdown is gone and the account reads ready, with no reload.
  await expect(timer).toHaveCount(0, { timeout: (RESET_SECONDS + 10) * 1000 });
  await expect(card).not.toContainText('rate limited');
  await expect(card.locator('.state-badge')).toHaveText('ready');
  await expect(card).toContainText('Last reset named');
});
