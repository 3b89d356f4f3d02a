import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import type {
  WorkerType,
  AssignmentStatus,
  Closeout,
  CloseoutStatus,
  LifecycleEvent,
  LifecycleKind,
  TokenUsageRow,
  VerifyResult,
  WorkerKind,
} from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import { maskSecrets } from '../../../shared/secret-mask';
import { newRef, nowIso } from '../refs';

export interface AssignmentRow {
  id: string;
  workUnitId: string;
  workUnitKey: string;
  title: string;
  claimId: string;
  runId: string | null;
  taskRef: string;
  workerKind: WorkerKind;
  accountRef: string;
  prompt: string;
  repoPath: string;
  branch: string;
  commit: string;
  worktreePath: string;
  verifyCommand: string;
  options: Record<string, unknown>;
  paymentMode: 'no-spend' | 'spend';
  payoutClaimAllowed: boolean;
  status: AssignmentStatus;
  pid: number | null;
  exitCode: number | null;
  exitSignal: string | null;
  sessionRef: string | null;
  liveBlockers: string[];
  workerType: WorkerType;
  model: string | null;
  retryOf: string | null;
  worktreeRemovedAt: string | null;
  interruptedAt: string | null;
  /** Set for a DAG fleet worker: the fleet and the worker id it runs (no worktree, no verify). */
  fleetId: string | null;
  fleetWorkerId: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** One assignment of a DAG fleet, as the fleet runtime follows it. */
export interface FleetAssignment {
  assignmentId: string;
  workerId: string;
  status: AssignmentStatus;
  /** The operator killed it (or interrupted it). */
  interrupted: boolean;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  closeoutStatus: CloseoutStatus;
}

interface RawAssignment {
  id: string;
  work_unit_id: string;
  work_unit_key: string;
  title: string;
  claim_id: string;
  run_id: string | null;
  task_ref: string;
  worker_kind: WorkerKind;
  account_ref: string;
  prompt: string;
  repo_path: string;
  branch: string;
  commit_sha: string;
  worktree_path: string;
  verify_command: string;
  options: string;
  payment_mode: 'no-spend' | 'spend';
  payout_claim_allowed: number;
  status: AssignmentStatus;
  pid: number | null;
  exit_code: number | null;
  exit_signal: string | null;
  session_ref: string | null;
  live_blockers: string;
  worker_type: WorkerType;
  model: string | null;
  retry_of: string | null;
  worktree_removed_at: string | null;
  interrupted_at: string | null;
  fleet_id: string | null;
  fleet_worker_id: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

function fromRaw(raw: RawAssignment): AssignmentRow {
  return {
    id: raw.id,
    workUnitId: raw.work_unit_id,
    workUnitKey: raw.work_unit_key,
    title: raw.title,
    claimId: raw.claim_id,
    runId: raw.run_id,
    taskRef: raw.task_ref,
    workerKind: raw.worker_kind,
    accountRef: raw.account_ref,
    prompt: raw.prompt,
    repoPath: raw.repo_path,
    branch: raw.branch,
    commit: raw.commit_sha,
    worktreePath: raw.worktree_path,
    verifyCommand: raw.verify_command,
    options: JSON.parse(raw.options) as Record<string, unknown>,
    paymentMode: raw.payment_mode,
    payoutClaimAllowed: raw.payout_claim_allowed === 1,
    status: raw.status,
    pid: raw.pid,
    exitCode: raw.exit_code,
    exitSignal: raw.exit_signal,
    sessionRef: raw.session_ref,
    liveBlockers: JSON.parse(raw.live_blockers) as string[],
    workerType: raw.worker_type,
    model: raw.model,
    retryOf: raw.retry_of,
    worktreeRemovedAt: raw.worktree_removed_at,
    interruptedAt: raw.interrupted_at,
    fleetId: raw.fleet_id,
    fleetWorkerId: raw.fleet_worker_id,
    createdAt: raw.created_at,
    startedAt: raw.started_at,
    endedAt: raw.ended_at,
  };
}

const SELECT_ASSIGNMENT = `
  SELECT a.*, u.key AS work_unit_key, u.title AS title
  FROM assignments a JOIN work_units u ON u.id = a.work_unit_id`;

/** What a new assignment is created with; the rest of the row fills in as it runs. */
export type NewAssignment = Pick<
  AssignmentRow,
  | 'id'
  | 'workUnitId'
  | 'claimId'
  | 'runId'
  | 'taskRef'
  | 'workerKind'
  | 'accountRef'
  | 'prompt'
  | 'repoPath'
  | 'branch'
  | 'commit'
  | 'worktreePath'
  | 'verifyCommand'
  | 'options'
  | 'paymentMode'
  | 'payoutClaimAllowed'
  | 'workerType'
  | 'model'
  | 'retryOf'
> & { leaseExpiresAt: string; fleet?: { fleetId: string; workerId: string } };

export type NewTokenRow = Omit<TokenUsageRow, 'id' | 'ingestedAt' | 'total' | 'usageTruth' | 'demandSource'>;

/** Data access for assignments and everything recorded against them. */
export class AssignmentStore {
  constructor(private readonly db: Db) {}

  /** The unit a source lists, created the first time it is seen (keys are stable across listings). */
  ensureWorkUnit(input: { source: 'github' | 'task_list' | 'fixture'; key: string; title: string }): string {
    prepared(this.db, 'INSERT OR IGNORE INTO work_units (id, source, key, title, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(newRef('wu'), input.source, input.key, input.title, nowIso());
    return prepared(this.db, 'SELECT id FROM work_units WHERE source = ? AND key = ?').pluck().get(input.source, input.key) as string;
  }

  createWorkUnit(input: { source: 'task' | 'dag'; key: string; title: string }): string {
    const id = newRef('wu');
    prepared(this.db, 'INSERT INTO work_units (id, source, key, title, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, input.source, input.key, input.title, nowIso());
    return id;
  }

  insert(input: NewAssignment): void {
    prepared(this.db,
        `INSERT INTO assignments (id, work_unit_id, claim_id, run_id, task_ref, worker_kind, account_ref, prompt,
           repo_path, branch, commit_sha, worktree_path, verify_command, options, payment_mode,
           payout_claim_allowed, status, lease_expires_at, created_at, worker_type, model, retry_of, fleet_id, fleet_worker_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.id,
        input.workUnitId,
        input.claimId,
        input.runId,
        input.taskRef,
        input.workerKind,
        input.accountRef,
        input.prompt,
        input.repoPath,
        input.branch,
        input.commit,
        input.worktreePath,
        input.verifyCommand,
        JSON.stringify(input.options),
        input.paymentMode,
        input.payoutClaimAllowed ? 1 : 0,
        input.leaseExpiresAt,
        nowIso(),
        input.workerType,
        input.model,
        input.retryOf,
        input.fleet?.fleetId ?? null,
        input.fleet?.workerId ?? null,
      );
  }

  markInterrupted(id: string): void {
    prepared(this.db, 'UPDATE assignments SET interrupted_at = COALESCE(interrupted_at, ?) WHERE id = ?').run(nowIso(), id);
  }

  markWorktreeRemoved(id: string): void {
    prepared(this.db, 'UPDATE assignments SET worktree_removed_at = ? WHERE id = ?').run(nowIso(), id);
  }

  /** Opens a closed assignment again for a follow-up turn on the same session, under a fresh claim. */
  reopen(id: string, claimId: string): void {
    prepared(this.db,
        `UPDATE assignments SET status = 'accepted', claim_id = ?, exit_code = NULL, exit_signal = NULL, interrupted_at = NULL,
           ended_at = NULL WHERE id = ? AND status = 'closed'`,
      )
      .run(claimId, id);
    prepared(this.db,
        `INSERT INTO closeout_history (assignment_id, status, checks, blockers, proof, submitted_at, superseded_at)
         SELECT assignment_id, status, checks, blockers, proof, submitted_at, ? FROM closeouts WHERE assignment_id = ?`,
      )
      .run(nowIso(), id);
    prepared(this.db, 'DELETE FROM closeouts WHERE assignment_id = ?').run(id);
  }

  /** How many assignments a work unit has had (its first and every retry). */
  attemptsOf(workUnitId: string): number {
    return prepared(this.db, 'SELECT COUNT(*) FROM assignments WHERE work_unit_id = ?').pluck().get(workUnitId) as number;
  }

  /** How many assignments have run this worker of this fleet (its first launch and every relaunch). */
  fleetWorkerAttempts(fleetId: string, workerId: string): number {
    return prepared(this.db, 'SELECT COUNT(*) FROM assignments WHERE fleet_id = ? AND fleet_worker_id = ?').pluck().get(fleetId, workerId) as number;
  }

  /** Every assignment of a DAG fleet, oldest first (a worker's latest attempt is its last). */
  byFleet(fleetId: string): FleetAssignment[] {
    const rows = prepared(this.db,
        `SELECT a.id, a.fleet_worker_id, a.status, a.interrupted_at, a.created_at, a.started_at, a.ended_at, c.status AS closeout_status
         FROM assignments a LEFT JOIN closeouts c ON c.assignment_id = a.id
         WHERE a.fleet_id = ? ORDER BY a.created_at, a.rowid`,
      )
      .all(fleetId) as {
      id: string;
      fleet_worker_id: string;
      status: AssignmentStatus;
      interrupted_at: string | null;
      created_at: string;
      started_at: string | null;
      ended_at: string | null;
      closeout_status: 'ok' | 'failed' | null;
    }[];
    return rows.map((row) => ({
      assignmentId: row.id,
      workerId: row.fleet_worker_id,
      status: row.status,
      interrupted: row.interrupted_at !== null,
      createdAt: row.created_at,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      closeoutStatus: row.closeout_status ?? 'pending',
    }));
  }

  followUps(id: string): number {
    return prepared(this.db, `SELECT COUNT(*) FROM assignment_events WHERE assignment_id = ? AND kind = 'follow_up_started'`).pluck().get(id) as number;
  }

  /** Live assignments of a run, with their claim and account. */
  activeOfRun(runId: string): AssignmentRow[] {
    const rows = prepared(this.db, `${SELECT_ASSIGNMENT} WHERE a.run_id = ? AND a.status != 'closed'`).all(runId) as RawAssignment[];
    return rows.map(fromRaw);
  }

  /** Unfinished assignments, e.g. left behind by a process that ended without closing them out. */
  unfinished(): AssignmentRow[] {
    const rows = prepared(this.db, `${SELECT_ASSIGNMENT} WHERE a.status != 'closed' ORDER BY a.created_at`).all() as RawAssignment[];
    return rows.map(fromRaw);
  }

  find(id: string): AssignmentRow | undefined {
    const raw = prepared(this.db, `${SELECT_ASSIGNMENT} WHERE a.id = ?`).get(id) as RawAssignment | undefined;
    return raw && fromRaw(raw);
  }

  get(id: string): AssignmentRow {
    const row = this.find(id);
    if (!row) throw new FleetError('assignment_not_found', `No assignment ${id}.`);
    return row;
  }

  list(): AssignmentRow[] {
    const rows = prepared(this.db, `${SELECT_ASSIGNMENT} ORDER BY a.created_at DESC, a.id`).all() as RawAssignment[];
    return rows.map(fromRaw);
  }

  markStarted(id: string, pid: number): void {
    prepared(this.db, `UPDATE assignments SET status = 'running', pid = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`)
      .run(pid, nowIso(), id);
  }

  setSession(id: string, sessionRef: string): void {
    prepared(this.db, 'UPDATE assignments SET session_ref = ? WHERE id = ?').run(sessionRef, id);
  }

  markExited(id: string, exitCode: number | null, exitSignal: string | null): void {
    prepared(this.db, `UPDATE assignments SET status = 'verifying', exit_code = ?, exit_signal = ? WHERE id = ?`)
      .run(exitCode, exitSignal, id);
  }

  setLiveBlockers(id: string, blockers: string[]): void {
    prepared(this.db, 'UPDATE assignments SET live_blockers = ? WHERE id = ?').run(JSON.stringify(blockers), id);
  }

  /** Appends the next lifecycle event; seq is assigned inside the statement, so it is gap-free per assignment. */
  appendEvent(id: string, kind: LifecycleKind, summary: string, data?: unknown): LifecycleEvent {
    const at = nowIso();
    const seq = prepared(this.db,
        `INSERT INTO assignment_events (assignment_id, seq, kind, at, summary, data)
         SELECT ?, COALESCE(MAX(seq), -1) + 1, ?, ?, ?, ? FROM assignment_events WHERE assignment_id = ?
         RETURNING seq`,
      )
      .pluck()
      .get(id, kind, at, summary, data === undefined ? null : JSON.stringify(data), id) as number;
    return { assignmentId: id, seq, kind, at, summary };
  }

  /** Summaries, verify output and check details are stored as recorded and read masked: every reader shows them. */
  events(id: string): LifecycleEvent[] {
    const rows = prepared(this.db, 'SELECT assignment_id, seq, kind, at, summary FROM assignment_events WHERE assignment_id = ? ORDER BY seq')
      .all(id) as { assignment_id: string; seq: number; kind: LifecycleKind; at: string; summary: string }[];
    return rows.map((row) => ({ assignmentId: row.assignment_id, seq: row.seq, kind: row.kind, at: row.at, summary: maskSecrets(row.summary) }));
  }

  lastEvent(id: string): LifecycleEvent | undefined {
    const row = prepared(this.db, 'SELECT seq, kind, at, summary FROM assignment_events WHERE assignment_id = ? ORDER BY seq DESC LIMIT 1')
      .get(id) as { seq: number; kind: LifecycleKind; at: string; summary: string } | undefined;
    return row && { assignmentId: id, ...row, summary: maskSecrets(row.summary) };
  }

  /** Records one completed turn. A replayed idempotency key is ignored, so nothing is counted twice. */
  insertTokenRow(row: NewTokenRow): boolean {
    const total = row.input + row.output + row.reasoning + row.cacheRead + row.cacheWrite;
    const info = prepared(this.db,
        `INSERT OR IGNORE INTO token_usage_rows (id, idempotency_key, observed_at, ingested_at, account_ref, run_ref,
           session_ref, task_ref, repository_ref, provider, model, input, output, reasoning, cache_read, cache_write,
           total, usage_truth, cost_amount, currency, demand_source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'exact', ?, ?, 'khala_coding_delegation')`,
      )
      .run(
        newRef('tok'),
        row.idempotencyKey,
        row.observedAt,
        nowIso(),
        row.accountRef,
        row.runRef,
        row.sessionRef,
        row.taskRef,
        row.repositoryRef,
        row.provider,
        row.model,
        row.input,
        row.output,
        row.reasoning,
        row.cacheRead,
        row.cacheWrite,
        total,
        row.costAmount,
        row.currency,
      );
    return info.changes === 1;
  }

  tokenRows(taskRef: string): TokenUsageRow[] {
    const rows = prepared(this.db, 'SELECT * FROM token_usage_rows WHERE task_ref = ? ORDER BY rowid')
      .all(taskRef) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as string,
      idempotencyKey: r.idempotency_key as string,
      observedAt: r.observed_at as string,
      ingestedAt: r.ingested_at as string,
      accountRef: r.account_ref as string,
      runRef: r.run_ref as string | null,
      sessionRef: r.session_ref as string | null,
      taskRef: r.task_ref as string,
      repositoryRef: r.repository_ref as string,
      provider: r.provider as string,
      model: r.model as string,
      input: r.input as number,
      output: r.output as number,
      reasoning: r.reasoning as number,
      cacheRead: r.cache_read as number,
      cacheWrite: r.cache_write as number,
      total: r.total as number,
      usageTruth: 'exact',
      costAmount: r.cost_amount as number | null,
      currency: r.currency as string | null,
      demandSource: 'khala_coding_delegation',
    }));
  }

  tokenTotals(taskRef: string): { rows: number; total: number } {
    return prepared(this.db, 'SELECT COUNT(*) AS rows, COALESCE(SUM(total), 0) AS total FROM token_usage_rows WHERE task_ref = ?')
      .get(taskRef) as { rows: number; total: number };
  }

  saveVerify(id: string, result: VerifyResult): void {
    prepared(this.db,
        `INSERT OR REPLACE INTO verify_results (assignment_id, command, exit_code, passed, output, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, result.command, result.exitCode, result.passed ? 1 : 0, result.output, result.startedAt, result.endedAt);
  }

  verify(id: string): VerifyResult | null {
    const row = prepared(this.db, 'SELECT * FROM verify_results WHERE assignment_id = ?').get(id) as
      | { command: string; exit_code: number | null; passed: number; output: string; started_at: string; ended_at: string }
      | undefined;
    if (!row) return null;
    return {
      command: maskSecrets(row.command),
      exitCode: row.exit_code,
      passed: row.passed === 1,
      output: maskSecrets(row.output),
      startedAt: row.started_at,
      endedAt: row.ended_at,
    };
  }

  /** Closes the assignment: the closeout, its lifecycle events and the claim's release land together. */
  submitCloseout(id: string, closeout: Closeout, releaseClaim: () => void): void {
    this.db.transaction(() => {
      const at = nowIso();
      prepared(this.db,
          `INSERT INTO closeouts (assignment_id, status, checks, blockers, proof, submitted_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(id, closeout.status, JSON.stringify(closeout.checks), JSON.stringify(closeout.blockers), JSON.stringify(closeout.proof), at);
      this.appendEvent(
        id,
        'closeout_submitted',
        closeout.status === 'ok' ? 'closeout ok: every check passed' : `closeout failed: ${closeout.blockers.join(', ')}`,
      );
      prepared(this.db, `UPDATE assignments SET status = 'closed', ended_at = ? WHERE id = ?`).run(at, id);
      releaseClaim();
      this.appendEvent(id, 'completed', closeout.status === 'ok' ? 'completed' : 'completed with blockers');
    })();
  }

  closeout(id: string): Closeout | null {
    const row = prepared(this.db, 'SELECT status, checks, blockers, proof FROM closeouts WHERE assignment_id = ?').get(id) as
      | { status: 'ok' | 'failed'; checks: string; blockers: string; proof: string }
      | undefined;
    if (!row) return null;
    return {
      status: row.status,
      checks: (JSON.parse(row.checks) as Closeout['checks']).map((check) => ({ ...check, detail: maskSecrets(check.detail) })),
      blockers: JSON.parse(row.blockers) as string[],
      proof: JSON.parse(row.proof) as Closeout['proof'],
    };
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}
