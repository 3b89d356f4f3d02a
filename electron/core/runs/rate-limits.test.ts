import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { FleetRun } from '../../../shared/runs';
import { makeFakeCli } from '../../test-support/fake-cli';
import { fixtureRunInput } from '../../test-support/run-input';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { RATE_LIMIT_BACKOFF_MS } from '../accounts/rate-limits';

const TICK_MS = 100;
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function runWhere(h: TestCore, runId: string, test: (run: FleetRun) => boolean): Promise<FleetRun> {
  return h.connection.waitFor(() => h.connection.events.map((e) => e.payload as FleetRun).find((r) => r.id === runId && test(r)), 60_000);
}

describe('rate limits in a run', () => {
  it('a 429 cools the account and moves the unit to another; all cooling waits with cooldown_all_accounts; the run resumes when the clock passes the reset', async () => {
    const claude = makeFakeCli('claude', { validApiKey: 'k', turnMs: 100, rateLimit: true });
    let offsetMs = 0;
    harness = startTestCore({ supervisorTickMs: TICK_MS, now: () => Date.now() + offsetMs });
    await harness.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await harness.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k', ref: 'claude-a' });
    await harness.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k', ref: 'claude-b' });
    const run = await harness.invoke(
      'runs.create',
      fixtureRunInput({ name: 'Rate-limited sweep', source: { kind: 'fixture', units: 1 }, workerKind: 'claude', fixtureDurationMs: 100 }),
    );
    await harness.invoke('runs.approve', { runId: run.id });

    const waiting = await runWhere(harness, run.id, (r) => r.waiting === 'cooldown_all_accounts');
    expect(waiting.counts.failed).toBe(0);
    const accounts = (await harness.invoke('accounts.list', {})) as Account[];
    for (const account of accounts) expect(Date.parse(account.cooldownUntil!)).toBeGreaterThan(Date.now());
    const limited = await harness.invoke('cards.list', {});
    expect(limited.map((c) => c.accountRef).sort()).toEqual(['claude-a', 'claude-b']);
    for (const card of limited) expect(card.closeout?.blockers).toContain('rate_limited');
    const inbox = await harness.invoke('inbox.list', {});
    expect(inbox.map((item) => item.kind)).toContain('cooldown_all_accounts');
    // Each resting account is in the Inbox too, as news: the host already moved its work.
    expect(inbox.filter((item) => item.kind === 'rate_limited').sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      ['claude-a', 'claude-b'].map((ref) =>
        expect.objectContaining({ id: `rate_limited:${ref}`, severity: 'info', title: `Account ${ref} hit its rate limit`, detail: expect.stringContaining('Fixture unit 1 was stopped') }),
      ),
    );

    claude.setMode({ validApiKey: 'k', turnMs: 100 });
    offsetMs = RATE_LIMIT_BACKOFF_MS + 60_000;
    const completed = await runWhere(harness, run.id, (r) => r.state === 'completed');
    expect(completed.counts).toMatchObject({ awaitingReview: 1, failed: 0 });
    const cards = await harness.invoke('cards.list', {});
    expect(cards.filter((c) => c.closeout?.status === 'ok')).toHaveLength(1);
  });
});
