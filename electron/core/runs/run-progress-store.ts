import type { FleetTokens } from '../../../shared/fleets';
import { maskSecrets } from '../../../shared/secret-mask';
import type { Db } from '../store/database';
import { prepared } from '../store/statements';

/** Codex rows of one model that carry no reported cost: priced from a table, so an estimate. */
export interface UnpricedRows extends FleetTokens {
  model: string;
}

/** The store's side of a run's progress: its exact token rows, their reported cost, and the units a drain or stop left. */
export class RunProgressStore {
  constructor(private readonly db: Db) {}

  /** The sum of the run's exact token rows; `reportedUsd` is null when no row carries a cost the provider reported. */
  tokens(runId: string): { rows: number; exact: number; reportedUsd: number | null } {
    return prepared(
        this.db,
        `SELECT COUNT(*) AS rows, COALESCE(SUM(r.total), 0) AS exact, SUM(r.cost_amount) AS reportedUsd
         FROM token_usage_rows r JOIN assignments a ON a.id = r.task_ref WHERE a.run_id = ?`,
      )
      .get(runId) as { rows: number; exact: number; reportedUsd: number | null };
  }

  /** Codex reports no cost: the run's Codex rows without one, summed per model, for the price table. */
  unpricedCodexRows(runId: string): UnpricedRows[] {
    return prepared(
        this.db,
        `SELECT r.model, SUM(r.input) AS input, SUM(r.output) AS output, SUM(r.reasoning) AS reasoning,
           SUM(r.cache_read) AS cacheRead, SUM(r.cache_write) AS cacheWrite, SUM(r.total) AS total
         FROM token_usage_rows r JOIN assignments a ON a.id = r.task_ref
         WHERE a.run_id = ? AND r.provider = 'codex' AND r.cost_amount IS NULL GROUP BY r.model`,
      )
      .all(runId) as UnpricedRows[];
  }

  /** Units a drain or a stop left in the backlog (logged `not_started`), oldest first: how many, and the first `limit`. */
  leftNotStarted(runId: string, limit: number): { total: number; units: { key: string; title: string }[] } {
    const total = prepared(this.db, `SELECT COUNT(DISTINCT unit_key) FROM run_log WHERE run_id = ? AND kind = 'skipped' AND reason = 'not_started'`)
      .pluck()
      .get(runId) as number;
    const units = prepared(
        this.db,
        `SELECT unit_key AS key, title FROM run_log WHERE run_id = ? AND kind = 'skipped' AND reason = 'not_started'
         GROUP BY unit_key ORDER BY MIN(id) LIMIT ?`,
      )
      .all(runId, limit) as { key: string; title: string }[];
    // Keys and titles come from task files and issue trackers: shown masked, as the run's log is.
    return { total, units: units.map((unit) => ({ key: maskSecrets(unit.key), title: maskSecrets(unit.title) })) };
  }
}
