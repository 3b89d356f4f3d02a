import type { Closeout, CloseoutCheck, CloseoutCheckName, LifecycleEvent, Reconciliation, TokenUsageRow, VerifyResult } from '../../../shared/domain';
import type { AssignmentRow } from '../assignments/assignment-store';
import { failureCause, type FinalResult } from '../workers/worker-events';

/** One completed turn as the provider reported it in its own final event. */
export interface ReportedTurn {
  total: number;
}

/** Everything the checklist judges, gathered from the store and re-derived from the raw log on disk. */
export interface CloseoutEvidence {
  assignment: AssignmentRow;
  events: LifecycleEvent[];
  tokenRows: TokenUsageRow[];
  /** `lostBytes`: output that never reached its files (the transcript or a session log: a full disk, a deleted folder). */
  rawLog: { exists: boolean; lines: number; lostBytes?: number };
  transcriptExists: boolean;
  /** Read back from the raw log: what the provider itself reported. */
  reported: {
    /** null where the provider does not report it (Codex): then the cwd the app set is the evidence. */
    sessionCwd: string | null;
    turns: ReportedTurn[];
    finalResult: FinalResult | null;
  };
  verify: VerifyResult | null;
}

function check(name: CloseoutCheckName, ok: boolean, blocker: string, detail: string): CloseoutCheck {
  return { name, ok, blocker, detail };
}

function sameRealPath(a: string | null, b: string): boolean {
  return a !== null && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function workerOutcome(e: CloseoutEvidence): CloseoutCheck {
  const { exitCode, exitSignal, interruptedAt } = e.assignment;
  const result = e.reported.finalResult;
  const cause = failureCause(result, interruptedAt !== null);
  if (interruptedAt) {
    const who = e.assignment.fleetId === null ? 'interrupted by the owner' : 'stopped by the operator';
    return check('worker_succeeded', false, cause, `${who} at ${interruptedAt}`);
  }
  if (!result) {
    const how = exitSignal ? `signal ${exitSignal}` : `exit ${exitCode ?? 'unknown'}`;
    return check('worker_succeeded', false, cause, `the worker ended (${how}) without a final result`);
  }
  if (result.isError) return check('worker_succeeded', false, cause, `final result ${result.subtype}: ${result.text}`);
  if (exitCode !== 0) {
    return check('worker_succeeded', false, 'worker_failed', `result was success but the worker exited ${exitCode ?? exitSignal}`);
  }
  return check('worker_succeeded', true, 'worker_failed', `exit 0, result ${result.subtype}`);
}

/**
 * Rows against reported turns, in order. An interrupted run's last turn has no row on purpose
 * (its usage is an estimate), so it is left out of what must match.
 */
export function reconcile(reported: ReportedTurn[], rows: TokenUsageRow[], interrupted: boolean): Reconciliation {
  const expected = interrupted && reported.length === rows.length + 1 ? reported.slice(0, -1) : reported;
  const turns = reported.map((turn, index) => {
    const row = rows[index];
    const counted = index < expected.length;
    return { turn: index, reportedTotal: turn.total, rowTotal: row?.total ?? null, match: counted ? row?.total === turn.total : row === undefined };
  });
  const reportedTotal = expected.reduce((sum, turn) => sum + turn.total, 0);
  const rowsTotal = rows.reduce((sum, row) => sum + row.total, 0);
  return {
    turns,
    reportedTotal,
    rowsTotal,
    match: rows.length === expected.length && rowsTotal === reportedTotal && turns.every((t) => t.match),
  };
}

function timestampsOrdered(e: CloseoutEvidence): CloseoutCheck {
  const problems: string[] = [];
  const valid = (iso: string) => !Number.isNaN(Date.parse(iso));
  for (let i = 0; i < e.events.length; i += 1) {
    const event = e.events[i]!;
    if (!valid(event.at)) problems.push(`event ${event.seq} has an invalid time`);
    if (event.seq !== i) problems.push(`event seq ${event.seq} out of order`);
    const previous = e.events[i - 1];
    if (previous && event.at < previous.at) problems.push(`event ${event.seq} is earlier than ${previous.seq}`);
  }
  const { createdAt, startedAt } = e.assignment;
  if (startedAt && startedAt < createdAt) problems.push('started before it was created');
  for (const row of e.tokenRows) {
    if (!valid(row.observedAt) || (startedAt && row.observedAt < startedAt)) problems.push(`token row ${row.id} observed out of range`);
  }
  if (e.verify && e.verify.endedAt < e.verify.startedAt) problems.push('verify ended before it started');
  return check('timestamps_ordered', problems.length === 0, 'timestamps_unordered', problems.join('; ') || 'all timestamps valid and ordered');
}

/** The verify check: a DAG fleet has no verify step, so there it says so rather than claim a pass. */
function verifyCheck(e: CloseoutEvidence): CloseoutCheck {
  if (e.assignment.fleetId !== null) return { ...check('verify_passed', true, 'verify_failed', 'verify is not part of a DAG fleet'), notApplicable: true };
  if (e.assignment.interruptedAt !== null) return check('verify_passed', false, 'verify_skipped', 'not run: the worker was interrupted');
  return check(
    'verify_passed',
    e.verify?.passed === true,
    'verify_failed',
    e.verify ? `${e.verify.command} exited ${e.verify.exitCode ?? 'without a code'}` : 'verify did not run',
  );
}

/** The closeout checklist of fleet-model.md: ok only when every check passes (a check that does not apply blocks nothing). */
export function computeCloseout(e: CloseoutEvidence): Closeout {
  const a = e.assignment;
  const interrupted = a.interruptedAt !== null;
  const dag = a.fleetId !== null;
  const kinds = new Set(e.events.map((event) => event.kind));
  const tally = reconcile(e.reported.turns, e.tokenRows, interrupted);
  const countedTurns = tally.turns.filter((t, i) => !(interrupted && i === tally.turns.length - 1 && t.rowTotal === null)).length;
  const foreignRows = e.tokenRows.filter((row) => row.taskRef !== a.id || row.accountRef !== a.accountRef);
  const noSpend = a.workerKind === 'fixture';
  const spentRows = e.tokenRows.filter((row) => (row.costAmount ?? 0) !== 0);

  const refProblems: string[] = [];
  if (e.reported.sessionCwd !== null && !sameRealPath(e.reported.sessionCwd, a.worktreePath)) {
    refProblems.push(`worker cwd ${e.reported.sessionCwd ?? 'unknown'} is not ${dag ? 'the fleet root' : 'the worktree'} ${a.worktreePath}`);
  }
  if (foreignRows.length > 0) refProblems.push(`${foreignRows.length} token rows name another assignment or account`);
  if (e.tokenRows.some((row) => row.sessionRef !== a.sessionRef)) refProblems.push('token rows name another session');

  const checks: CloseoutCheck[] = [
    check('refs_consistent', refProblems.length === 0, 'refs_mismatch', refProblems.join('; ') || `assignment ${a.id}, account ${a.accountRef}, session ${a.sessionRef ?? 'none'} agree`),
    check(
      'lifecycle_closed',
      (kinds.has('runtime_finished') || kinds.has('runtime_failed')) && (kinds.has('verify_finished') || interrupted || dag),
      'lifecycle_open',
      `events: ${[...kinds].join(', ')}`,
    ),
    check(
      'raw_log_present',
      e.rawLog.exists && e.rawLog.lines > 0 && !e.rawLog.lostBytes && e.transcriptExists,
      'raw_log_missing',
      e.rawLog.exists
        ? `${e.rawLog.lines} raw lines${e.rawLog.lostBytes ? `, ${e.rawLog.lostBytes} bytes never saved` : ''}; final trace ${e.transcriptExists ? 'kept' : 'missing'}`
        : 'no raw event log',
    ),
    workerOutcome(e),
    check(
      'exact_token_rows',
      // An interrupt before the first completed turn leaves nothing to count, and that is exact too.
      (interrupted || e.tokenRows.length > 0) && e.tokenRows.length === countedTurns,
      'token_rows_missing',
      `${e.tokenRows.length} exact rows for ${countedTurns} completed turns${interrupted ? ' (the interrupted turn has no exact usage)' : ''}`,
    ),
    check(
      'token_totals_match',
      (interrupted || e.tokenRows.length > 0) && tally.match,
      'token_totals_mismatch',
      `rows total ${tally.rowsTotal}, provider reported ${tally.reportedTotal}`,
    ),
    verifyCheck(e),
    check(
      'no_spend_proof',
      !noSpend || (a.paymentMode === 'no-spend' && !a.payoutClaimAllowed && spentRows.length === 0),
      'no_spend_unproven',
      noSpend ? `paymentMode ${a.paymentMode}, payoutClaimAllowed ${a.payoutClaimAllowed}, ${spentRows.length} rows with cost` : 'spend run: not a no-spend tier',
    ),
    timestampsOrdered(e),
  ];
  const blockers = checks.filter((c) => !c.ok).map((c) => c.blocker);
  return {
    status: blockers.length === 0 ? 'ok' : 'failed',
    checks,
    blockers,
    proof: { paymentMode: a.paymentMode, payoutClaimAllowed: a.payoutClaimAllowed },
  };
}
