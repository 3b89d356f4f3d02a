import { afterEach, describe, expect, it } from 'vitest';
import type { Account, Login } from '../../../shared/accounts';
import type { NewTaskInput } from '../../../shared/contract';
import { makeFakeCli } from '../../test-support/fake-cli';
import { makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { RATE_LIMIT_BACKOFF_MS, RATE_LIMIT_BREAKER_COOLDOWN_MS, RATE_LIMIT_BREAKER_STREAK } from './rate-limits';

const MINUTE = 60_000;
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function task(workerKind: 'claude' | 'codex'): NewTaskInput {
  return { title: 'Write a greeting', repoPath: makeTempRepo(), prompt: 'hello', verifyCommand: 'true', workerKind, workerType: 'code-run' };
}

async function account(h: TestCore, ref: string): Promise<Account> {
  const accounts = (await h.invoke('accounts.list', {})) as Account[];
  return accounts.find((a) => a.ref === ref)!;
}

describe('account cooldowns', () => {
  it('a Codex usage limit cools the account until the reset its message names, and the card is rate_limited', async () => {
    const codex = makeFakeCli('codex', { approveAfterMs: 20, usageLimit: true });
    harness = startTestCore();
    const h = harness;
    await h.invoke('settings.update', { claudePath: '/nonexistent/claude', codexPath: codex.path });
    const login = await h.invoke('accounts.connect', { provider: 'codex', method: 'device' });
    await h.connection.waitFor(() =>
      h.connection.events.some((e) => e.event === 'login.updated' && (e.payload as Login).loginId === login.loginId && (e.payload as Login).state === 'approved') ? true : undefined,
    );
    const before = Date.now();
    const card = await h.invoke('tasks.create', task('codex'));
    const closed = await h.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toContain('rate_limited');
    expect(closed.closeout.blockers).not.toContain('worker_failed');
    const cooled = await account(h, card.accountRef);
    // "try again in 1h 30m", counted from when the closeout was judged.
    const until = Date.parse(cooled.cooldownUntil!);
    expect(until).toBeGreaterThanOrEqual(before + 90 * MINUTE);
    expect(until).toBeLessThanOrEqual(Date.now() + 90 * MINUTE);
    expect(cooled.usage.lastResetAt).toBe(cooled.cooldownUntil);
    expect(cooled.usage.last5h).toEqual({ tokens: 0, turns: 0 });
    await expect(h.invoke('tasks.create', task('codex'))).rejects.toMatchObject({ code: 'no_ready_account' });
  });

  it(`${RATE_LIMIT_BREAKER_STREAK} Claude 429s in a row trip the breaker: the backoff, then the longer cooldown; the clock ends each`, async () => {
    const claude = makeFakeCli('claude', { validApiKey: 'k', rateLimit: true });
    let offsetMs = 0;
    harness = startTestCore({ now: () => Date.now() + offsetMs });
    const h = harness;
    await h.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k', ref: 'claude-a' });
    const cooldowns: number[] = [];
    for (let limit = 1; limit <= RATE_LIMIT_BREAKER_STREAK; limit += 1) {
      const card = await h.invoke('tasks.create', task('claude'));
      const closed = await h.closedCard(card.assignmentId);
      expect(closed.closeout.blockers).toContain('rate_limited');
      const now = Date.now() + offsetMs;
      const cooled = await account(h, 'claude-a');
      cooldowns.push(Date.parse(cooled.cooldownUntil!) - now);
      await expect(h.invoke('tasks.create', task('claude'))).rejects.toMatchObject({ code: 'no_ready_account' });
      // Past the cooldown on the injected clock, the account takes work again without any sleep.
      offsetMs += Date.parse(cooled.cooldownUntil!) - now + MINUTE;
    }
    console.log(`cooldowns after ${RATE_LIMIT_BREAKER_STREAK} limits in a row (min): ${cooldowns.map((ms) => Math.round(ms / MINUTE)).join(', ')}`);
    for (const ms of cooldowns.slice(0, -1)) expect(Math.abs(ms - RATE_LIMIT_BACKOFF_MS)).toBeLessThan(MINUTE);
    expect(Math.abs(cooldowns.at(-1)! - RATE_LIMIT_BREAKER_COOLDOWN_MS)).toBeLessThan(MINUTE);
  });

  it('meters exact tokens and turns per account over 5 hours and 7 days from the token rows, on the injected clock', async () => {
    const usage = { input_tokens: 1200, output_tokens: 80, cache_creation_input_tokens: 50, cache_read_input_tokens: 300 };
    const claude = makeFakeCli('claude', { validApiKey: 'k', usage });
    let offsetMs = 0;
    harness = startTestCore({ now: () => Date.now() + offsetMs });
    const h = harness;
    await h.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k', ref: 'claude-a' });
    for (let turn = 0; turn < 2; turn += 1) {
      const card = await h.invoke('tasks.create', task('claude'));
      expect((await h.closedCard(card.assignmentId)).closeout.status).toBe('ok');
    }
    const perTurn = 1200 + 80 + 50 + 300;
    expect((await account(h, 'claude-a')).usage).toEqual({ last5h: { tokens: 2 * perTurn, turns: 2 }, last7d: { tokens: 2 * perTurn, turns: 2 }, lastResetAt: null });
    offsetMs = 6 * 60 * MINUTE;
    expect((await account(h, 'claude-a')).usage).toMatchObject({ last5h: { tokens: 0, turns: 0 }, last7d: { tokens: 2 * perTurn, turns: 2 } });
    offsetMs = 8 * 24 * 60 * MINUTE;
    expect((await account(h, 'claude-a')).usage).toMatchObject({ last5h: { tokens: 0, turns: 0 }, last7d: { tokens: 0, turns: 0 } });
  });
});
