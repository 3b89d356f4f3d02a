import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/accounts';
import type { FleetSummary } from '../../../shared/fleets';
import { makeFakeCli } from '../../test-support/fake-cli';
import { fleetStateLines, writeFleetFolder } from '../../test-support/fleet-folders';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { RATE_LIMIT_BACKOFF_MS } from '../accounts/rate-limits';

const TICK_MS = 50;
const API_KEY = 'sk-ant-api03-test';
let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

/** A two-worker chain of Claude workers: `b` needs `a`. */
function chainFolder(): string {
  return writeFleetFolder('limited', { provider: 'claude', type: 'write', max_concurrent: 1 }, [{ id: 'a' }, { id: 'b', depends_on: ['a'] }]);
}

describe('rate limits in a DAG fleet', () => {
  it("a worker stopped by a 429 is requeued on the other account, not failed; with every account cooling the fleet waits and says so; it resumes when the clock passes the cooldown", async () => {
    // The fake claude ends every turn with the real CLI's 429 result (recorded/claude-429.jsonl).
    const claude = makeFakeCli('claude', { validApiKey: API_KEY, turnMs: 50, rateLimit: true });
    let offsetMs = 0;
    harness = startTestCore({ fleetTickMs: TICK_MS, now: () => Date.now() + offsetMs });
    const h = harness;
    await h.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY, ref: 'claude-a' });
    await h.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: API_KEY, ref: 'claude-b' });
    const root = chainFolder();
    const launched = await h.invoke('fleets.launch', { root });

    // Both accounts took `a` once and were limited; it waits, ready, naming the wait.
    const waitLine = await h.connection.waitFor(() => fleetStateLines(h).find((line) => line.startsWith('a: a waits: cooldown_all_accounts: ')), 60_000);
    expect(waitLine).toMatch(/claude-a is cooling down until .*claude-b is cooling down until /);
    const waiting = await h.invoke('fleets.get', { fleet: 'limited' });
    expect(waiting.workers.map((w) => [w.id, w.state])).toEqual([
      ['a', 'ready'],
      ['b', 'waiting'],
    ]);
    expect(waiting.workers[0]!.reason).toMatch(/^cooldown_all_accounts: /);
    expect(waiting.summary.counts).toMatchObject({ failed: 0, blocked: 0, ready: 1, waiting: 1 });
    expect(waiting.summary.state).toBe('running');
    const limitedCards = (await h.invoke('cards.list', {})).filter((c) => c.fleet?.workerId === 'a');
    expect(limitedCards.map((c) => c.accountRef).sort()).toEqual(['claude-a', 'claude-b']);
    for (const card of limitedCards) expect(card.closeout?.blockers).toContain('rate_limited');
    const accounts = (await h.invoke('accounts.list', {})) as Account[];
    for (const account of accounts) expect(Date.parse(account.cooldownUntil!)).toBeGreaterThan(Date.now());
    expect(fleetStateLines(h).filter((line) => /^a: a rate_limited on claude-[ab]: requeued/.test(line))).toHaveLength(2);
    // While every account cools, nothing more is started.
    expect(claude.prompts()).toHaveLength(2);
    expect(readFileSync(path.join(root, 'workers', 'a', 'session.jsonl.bak'), 'utf8')).toContain('"api_error_status":429');

    // The provider lets work through again, and the clock passes the backoff: the fleet picks up by itself.
    claude.setMode({ validApiKey: API_KEY, turnMs: 50 });
    offsetMs = RATE_LIMIT_BACKOFF_MS + 60_000;
    const done = await h.connection.waitFor(
      () =>
        h.connection.events
          .filter((e) => e.event === 'fleet.updated')
          .map((e) => e.payload as FleetSummary)
          .find((s) => s.id === launched.summary.id && s.state === 'finished'),
      60_000,
    );
    expect(done.counts).toMatchObject({ succeeded: 2, failed: 0, blocked: 0 });
    // The worker's own state never read failed, and its dependent was never blocked.
    expect(fleetStateLines(h).filter((line) => /^(a: a|b: b) (failed|blocked)/.test(line))).toEqual([]);
    const db = new Database(path.join(h.dataDir, 'fleet.sqlite'), { readonly: true });
    const attempts = db.prepare('SELECT fleet_worker_id AS worker FROM assignments WHERE fleet_id = ? ORDER BY created_at, rowid').pluck().all(launched.summary.id);
    db.close();
    expect(attempts).toEqual(['a', 'a', 'a', 'b']);
    expect(existsSync(path.join(root, 'workers', 'a', 'session.jsonl'))).toBe(true);
  });
});
