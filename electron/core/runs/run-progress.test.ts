import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetRun, NewRunInput } from '../../../shared/runs';
import { makeFakeCli } from '../../test-support/fake-cli';
import { fixtureRunInput } from '../../test-support/run-input';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { PRICE_TABLE, PRICE_TABLE_NAME } from '../fleets/prices';
import { DATABASE_FILE } from '../store/database';

const TICK_MS = 100;
/** The fake Claude CLI's usage per turn (its four disjoint counts) and the cost it reports. */
const TURN_TOKENS = 1200 + 80 + 50 + 300;
const TURN_COST_USD = 0.0125;

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function runInput(overrides: Partial<NewRunInput>): NewRunInput {
  return fixtureRunInput({ name: 'Progress sweep', ...overrides });
}

function runWhere(h: TestCore, runId: string, test: (run: FleetRun) => boolean): Promise<FleetRun> {
  return h.connection.waitFor(() => h.connection.events.map((e) => e.payload as FleetRun).find((r) => r.id === runId && r.counts !== undefined && test(r)), 60_000);
}

/** The store's own sum of the run's exact token rows and reported costs, read beside the core. */
function storeTotals(h: TestCore, runId: string): { exact: number; usd: number } {
  const db = new Database(path.join(h.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare('SELECT SUM(r.total) AS exact, SUM(r.cost_amount) AS usd FROM token_usage_rows r JOIN assignments a ON a.id = r.task_ref WHERE a.run_id = ?')
      .get(runId) as { exact: number; usd: number };
  } finally {
    db.close();
  }
}

describe("a run's progress", () => {
  it('lists the units it has not started while it runs and after a drain; sums its exact token rows and reported cost; ends when it stops', async () => {
    const claude = makeFakeCli('claude', { validApiKey: 'k', turnMs: 1_500 });
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    await harness.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await harness.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k', ref: 'claude-a' });
    const draft = await harness.invoke('runs.create', runInput({ workerKind: 'claude' }));
    expect(draft.progress).toEqual({
      startedAt: null,
      endedAt: null,
      tokens: { exact: 0, rows: 0 },
      spend: { reportedUsd: null, estimatedUsd: null, priceTable: null },
      notStarted: { total: 0, units: [] },
    });
    const approved = await harness.invoke('runs.approve', { runId: draft.id });

    // One at a time: while the first works, the other two are the units it has not started.
    const running = await runWhere(harness, draft.id, (r) => r.counts.active === 1 && r.progress.notStarted.total === 2);
    expect(running.progress.startedAt).toBe(approved.approvedAt);
    expect(running.progress.endedAt).toBeNull();
    expect(running.progress.notStarted.units.map((u) => u.title)).toEqual(['Fixture unit 2', 'Fixture unit 3']);

    await harness.invoke('runs.control', { runId: draft.id, control: 'drain' });
    const drained = await runWhere(harness, draft.id, (r) => r.state === 'stopped');
    expect(drained.progress.notStarted.units.map((u) => u.title)).toEqual(['Fixture unit 2', 'Fixture unit 3']);
    expect(drained.progress.notStarted.total).toBe(2);
    expect(drained.progress.endedAt).toBe(drained.updatedAt);
    expect(Date.parse(drained.progress.endedAt!)).toBeGreaterThanOrEqual(Date.parse(drained.progress.startedAt!));
    expect(drained.progress.tokens).toEqual({ exact: TURN_TOKENS, rows: 1 });
    expect(drained.progress.spend).toEqual({ reportedUsd: TURN_COST_USD, estimatedUsd: null, priceTable: null });
    expect(storeTotals(harness, draft.id)).toEqual({ exact: drained.progress.tokens.exact, usd: drained.progress.spend.reportedUsd });

    // A Codex row reports no cost: it is priced from the named table, apart from what was reported.
    const db = new Database(path.join(harness.dataDir, DATABASE_FILE));
    const row = db.prepare('SELECT * FROM token_usage_rows LIMIT 1').get() as Record<string, unknown>;
    db.prepare(
      `INSERT INTO token_usage_rows (id, idempotency_key, observed_at, ingested_at, account_ref, run_ref, session_ref, task_ref, repository_ref,
         provider, model, input, output, reasoning, cache_read, cache_write, total, usage_truth, cost_amount, currency, demand_source)
       VALUES ('tok-codex', 'codex-turn', ?, ?, 'codex-a', ?, 's', ?, ?, 'codex', 'gpt-5.4', 1000000, 0, 0, 0, 0, 1000000, 'exact', NULL, NULL, 'khala_coding_delegation')`,
    ).run(row.observed_at, row.ingested_at, row.run_ref, row.task_ref, row.repository_ref);
    db.close();
    const { run } = await harness.invoke('runs.get', { runId: draft.id });
    expect(run.progress.tokens).toEqual({ exact: TURN_TOKENS + 1_000_000, rows: 2 });
    expect(run.progress.spend).toEqual({ reportedUsd: TURN_COST_USD, estimatedUsd: PRICE_TABLE['gpt-5.4']!.inputPerMillion, priceTable: PRICE_TABLE_NAME });
  });

  it('a stopped run lists the units it never began', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const run = await harness.invoke('runs.create', runInput({ source: { kind: 'fixture', units: 4 }, fixtureDurationMs: 60_000 }));
    await harness.invoke('runs.approve', { runId: run.id });
    await runWhere(harness, run.id, (r) => r.counts.active === 1);
    await harness.invoke('runs.control', { runId: run.id, control: 'stop' });
    const stopped = await runWhere(harness, run.id, (r) => r.state === 'stopped' && r.progress.notStarted.total === 3);
    expect(stopped.progress.notStarted.units.map((u) => u.title)).toEqual(['Fixture unit 2', 'Fixture unit 3', 'Fixture unit 4']);
    expect(stopped.counts.queued).toBe(0);
    expect(stopped.progress.endedAt).not.toBeNull();
  });
});
