import type { WorkerType } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import {
  workSourceSchema,
  type NewRunInput,
  type RunLogEntry,
  type RunState,
  type RunWorkerKind,
  type WorkSourceConfig,
} from '../../../shared/runs';
import { newRef, nowIso } from '../refs';
import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import { maskSecrets } from '../../../shared/secret-mask';
import { COUNTS_AS_OUTCOME_SQL } from '../closeout/requeue';


export interface RunRow {
  id: string;
  name: string;
  state: RunState;
  source: WorkSourceConfig;
  repoPath: string;
  branch: string;
  verifyCommand: string;
  workerKind: RunWorkerKind;
  workerType: WorkerType;
  targetConcurrency: number;
  maxPerAccount: number;
  stopCondition: 'backlog_empty' | 'target_count' | 'manual';
  targetCount: number | null;
  fixtureDurationMs: number;
  approvedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface RawRun {
  id: string;
  name: string;
  state: RunState;
  source_config: string;
  repo_path: string;
  branch: string;
  verify_command: string;
  worker_kind: RunWorkerKind;
  worker_type: WorkerType;
  target_concurrency: number;
  max_per_account: number;
  stop_condition: RunRow['stopCondition'];
  target_count: number | null;
  fixture_duration_ms: number;
  approved_at: string | null;
  created_at: string;
  updated_at: string;
}

function fromRaw(raw: RawRun): RunRow {
  return {
    id: raw.id,
    name: raw.name,
    state: raw.state,
    source: workSourceSchema.parse(JSON.parse(raw.source_config)),
    repoPath: raw.repo_path,
    branch: raw.branch,
    verifyCommand: raw.verify_command,
    workerKind: raw.worker_kind,
    workerType: raw.worker_type,
    targetConcurrency: raw.target_concurrency,
    maxPerAccount: raw.max_per_account,
    stopCondition: raw.stop_condition,
    targetCount: raw.target_count,
    fixtureDurationMs: raw.fixture_duration_ms,
    approvedAt: raw.approved_at,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
}

/** Data access for fleet runs and their log of claims and skips. */
export class RunStore {
  constructor(private readonly db: Db) {}

  insert(input: NewRunInput & { repoRoot: string }): RunRow {
    const id = newRef('run');
    const now = nowIso();
    prepared(this.db,
        `INSERT INTO fleet_runs (id, name, state, source_kind, source_config, worker_kind, target_concurrency, created_at, updated_at,
           repo_path, branch, verify_command, worker_type, max_per_account, stop_condition, target_count, fixture_duration_ms)
         VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.name,
        input.source.kind,
        JSON.stringify(input.source),
        input.workerKind,
        input.targetConcurrency,
        now,
        now,
        input.repoRoot,
        input.branch,
        input.verifyCommand,
        input.workerType,
        input.maxPerAccount,
        input.stopCondition,
        input.targetCount ?? null,
        input.fixtureDurationMs,
      );
    return this.get(id);
  }

  get(id: string): RunRow {
    const raw = prepared(this.db, 'SELECT * FROM fleet_runs WHERE id = ?').get(id) as RawRun | undefined;
    if (!raw) throw new FleetError('run_not_found', `No run ${id}.`);
    return fromRaw(raw);
  }

  list(): RunRow[] {
    return (prepared(this.db, 'SELECT * FROM fleet_runs ORDER BY created_at DESC, id').all() as RawRun[]).map(fromRaw);
  }

  /** Runs the supervisor still has work for: approved and not terminal. */
  live(): RunRow[] {
    return (prepared(this.db, `SELECT * FROM fleet_runs WHERE state IN ('running', 'paused', 'draining') ORDER BY created_at, id`).all() as RawRun[]).map(fromRaw);
  }

  setState(id: string, state: RunState): RunRow {
    prepared(this.db, 'UPDATE fleet_runs SET state = ?, updated_at = ? WHERE id = ?').run(state, nowIso(), id);
    return this.get(id);
  }

  approve(id: string): RunRow {
    const now = nowIso();
    prepared(this.db, `UPDATE fleet_runs SET approved_at = ?, state = 'running', updated_at = ? WHERE id = ? AND state = 'draft'`).run(now, now, id);
    return this.get(id);
  }

  /** Appends to the run's log; a skip already logged for this unit and reason is not logged again. */
  log(runId: string, entry: Omit<RunLogEntry, 'at'>): void {
    prepared(this.db,
        `INSERT OR IGNORE INTO run_log (run_id, at, unit_key, title, kind, reason, assignment_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, nowIso(), entry.unitKey, entry.title, entry.kind, entry.reason, entry.assignmentId);
  }

  logOf(runId: string): RunLogEntry[] {
    const rows = prepared(this.db, 'SELECT at, unit_key, title, kind, reason, assignment_id FROM run_log WHERE run_id = ? ORDER BY id')
      .all(runId) as { at: string; unit_key: string; title: string; kind: RunLogEntry['kind']; reason: string; assignment_id: string | null }[];
    // Keys and titles come from issue trackers and task files, reasons from the work: shown masked, stored as they came.
    return rows.map((r) => ({ at: r.at, unitKey: maskSecrets(r.unit_key), title: maskSecrets(r.title), kind: r.kind, reason: maskSecrets(r.reason), assignmentId: r.assignment_id }));
  }

  skipCounts(runId: string): Record<string, number> {
    const rows = prepared(this.db, `SELECT reason, COUNT(*) AS n FROM run_log WHERE run_id = ? AND kind = 'skipped' GROUP BY reason`)
      .all(runId) as { reason: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  }

  /** Closed-out, active and failed assignments of the run. */
  assignmentCounts(runId: string): { done: number; failed: number; active: number } {
    return prepared(this.db,
        `SELECT
           COALESCE(SUM(CASE WHEN a.status = 'closed' AND c.status = 'ok' THEN 1 ELSE 0 END), 0) AS done,
           COALESCE(SUM(CASE WHEN a.status = 'closed' AND (c.status IS NULL OR c.status = 'failed') AND ${COUNTS_AS_OUTCOME_SQL} THEN 1 ELSE 0 END), 0) AS failed,
           COALESCE(SUM(CASE WHEN a.status != 'closed' THEN 1 ELSE 0 END), 0) AS active
         FROM assignments a LEFT JOIN closeouts c ON c.assignment_id = a.id WHERE a.run_id = ?`,
      )
      .get(runId) as { done: number; failed: number; active: number };
  }

  hasAssignment(runId: string, workUnitId: string): boolean {
    return (
      prepared(this.db, `SELECT 1 FROM assignments a LEFT JOIN closeouts c ON c.assignment_id = a.id WHERE a.run_id = ? AND a.work_unit_id = ? AND ${COUNTS_AS_OUTCOME_SQL} LIMIT 1`)
        .get(runId, workUnitId) !== undefined
    );
  }

  /** How many assignments the run gave the unit before (a rate-limited or stale one is requeued and tried again). */
  attemptsOf(runId: string, workUnitId: string): number {
    return prepared(this.db, 'SELECT COUNT(*) FROM assignments WHERE run_id = ? AND work_unit_id = ?').pluck().get(runId, workUnitId) as number;
  }

  /** Outcomes of a work unit's earlier assignments in any run: 'ok' / 'failed' closeouts; a rate limit or a stale end is no outcome. */
  unitOutcomes(workUnitId: string): string[] {
    return prepared(this.db, `SELECT c.status FROM assignments a JOIN closeouts c ON c.assignment_id = a.id WHERE a.work_unit_id = ? AND ${COUNTS_AS_OUTCOME_SQL}`)
      .pluck()
      .all(workUnitId) as string[];
  }
}
