import type { Closeout, CloseoutCheck, CloseoutCheckName, LifecycleEvent, TokenUsageRow, VerifyResult } from '../../../shared/domain';
import type { AssignmentRow } from '../assignments/assignment-store';

/** Everything the checklist judges, gathered from the store and re-derived from the raw log on disk. */
export interface CloseoutEvidence {
  assignment: AssignmentRow;
  events: LifecycleEvent[];
  tokenRows: TokenUsageRow[];
  rawLog: { exists: boolean; lines: number };
  transcriptExists: boolean;
  /** Read back from the raw log: what the provider itself reported. */
  reported: {
    sessionCwd: string | null;
    turns: number;
    total: number;
    finalResult: { isError: boolean; subtype: string; text: string } | null;
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
  const { exitCode, exitSignal } = e.assignment;
  const result = e.reported.finalResult;
  if (!result) {
    const how = exitSignal ? `signal ${exitSignal}` : `exit ${exitCode ?? 'unknown'}`;
    return check('worker_succeeded', false, 'worker_crashed', `the worker ended (${how}) without a final result`);
  }
  if (result.isError) {
    return check('worker_succeeded', false, 'worker_failed', `final result ${result.subtype}: ${result.text}`);
  }
  if (exitCode !== 0) {
    return check('worker_succeeded', false, 'worker_failed', `result was success but the worker exited ${exitCode ?? exitSignal}`);
  }
  return check('worker_succeeded', true, 'worker_failed', `exit 0, result ${result.subtype}`);
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

/** The closeout checklist of fleet-model.md: ok only when every check passes. */
export function computeCloseout(e: CloseoutEvidence): Closeout {
  const a = e.assignment;
  const kinds = new Set(e.events.map((event) => event.kind));
  const rowsTotal = e.tokenRows.reduce((sum, row) => sum + row.total, 0);
  const foreignRows = e.tokenRows.filter((row) => row.taskRef !== a.id || row.accountRef !== a.accountRef);
  const noSpend = a.workerKind === 'fixture';
  const spentRows = e.tokenRows.filter((row) => (row.costAmount ?? 0) !== 0);

  const refProblems: string[] = [];
  if (!sameRealPath(e.reported.sessionCwd, a.worktreePath)) {
    refProblems.push(`worker cwd ${e.reported.sessionCwd ?? 'unknown'} is not the worktree ${a.worktreePath}`);
  }
  if (foreignRows.length > 0) refProblems.push(`${foreignRows.length} token rows name another assignment or account`);
  if (e.tokenRows.some((row) => row.sessionRef !== a.sessionRef)) refProblems.push('token rows name another session');

  const checks: CloseoutCheck[] = [
    check('refs_consistent', refProblems.length === 0, 'refs_mismatch', refProblems.join('; ') || `assignment ${a.id}, account ${a.accountRef}, session ${a.sessionRef ?? 'none'} agree`),
    check(
      'lifecycle_closed',
      (kinds.has('runtime_finished') || kinds.has('runtime_failed')) && kinds.has('verify_finished'),
      'lifecycle_open',
      `events: ${[...kinds].join(', ')}`,
    ),
    check(
      'raw_log_present',
      e.rawLog.exists && e.rawLog.lines > 0 && e.transcriptExists,
      'raw_log_missing',
      e.rawLog.exists ? `${e.rawLog.lines} raw lines; final trace ${e.transcriptExists ? 'kept' : 'missing'}` : 'no raw event log',
    ),
    workerOutcome(e),
    check(
      'exact_token_rows',
      e.tokenRows.length > 0 && e.tokenRows.length === e.reported.turns,
      'token_rows_missing',
      `${e.tokenRows.length} exact rows for ${e.reported.turns} completed turns`,
    ),
    check(
      'token_totals_match',
      e.tokenRows.length > 0 && rowsTotal === e.reported.total,
      'token_totals_mismatch',
      `rows total ${rowsTotal}, provider reported ${e.reported.total}`,
    ),
    check(
      'verify_passed',
      e.verify?.passed === true,
      'verify_failed',
      e.verify ? `${e.verify.command} exited ${e.verify.exitCode ?? 'without a code'}` : 'verify did not run',
    ),
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
