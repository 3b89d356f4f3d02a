import { NOT_STARTED_SHOWN_MAX, type RunProgress } from '../../../shared/runs';
import { maskSecrets } from '../../../shared/secret-mask';
import { estimateUsd, PRICE_TABLE_NAME } from '../fleets/prices';
import type { RunProgressStore } from './run-progress-store';
import type { RunRow } from './run-store';

/** A unit of the run's source as the supervisor last listed it. */
export interface QueuedUnit {
  key: string;
  title: string;
}

/**
 * A run's progress, the one rule every face shows: time from its approval to its end, the sum of its
 * exact token rows, the cost the providers reported (apart from any estimate), and the units it has
 * not started. `queued` is what the supervisor's last tick found claimable; it counts only while the
 * run can still start them.
 */
export function projectRunProgress(run: RunRow, store: RunProgressStore, queued: readonly QueuedUnit[]): RunProgress {
  const finished = run.state === 'stopped' || run.state === 'completed';
  const tokens = store.tokens(run.id);
  const left = store.leftNotStarted(run.id, NOT_STARTED_SHOWN_MAX);
  const waiting = run.state === 'running' || run.state === 'paused' ? queued : [];
  const units = [...left.units, ...waiting.map((unit) => ({ key: maskSecrets(unit.key), title: maskSecrets(unit.title) }))];
  return {
    startedAt: run.approvedAt,
    // A finished run's state was its last change, so its update time is when it ended.
    endedAt: finished ? run.updatedAt : null,
    tokens: { exact: tokens.exact, rows: tokens.rows },
    spend: { reportedUsd: tokens.reportedUsd, ...estimatedSpend(store, run.id) },
    notStarted: { total: left.total + waiting.length, units: units.slice(0, NOT_STARTED_SHOWN_MAX) },
  };
}

/** Codex rows priced from the named table; nothing when no row needs (or has) a price. */
function estimatedSpend(store: RunProgressStore, runId: string): { estimatedUsd: number | null; priceTable: string | null } {
  let usd: number | null = null;
  for (const rows of store.unpricedCodexRows(runId)) {
    const estimate = estimateUsd(rows.model, rows);
    if (estimate !== null) usd = (usd ?? 0) + estimate;
  }
  return usd === null ? { estimatedUsd: null, priceTable: null } : { estimatedUsd: usd, priceTable: PRICE_TABLE_NAME };
}
