import type { Closeout } from '../../../shared/domain';
import { RATE_LIMITED } from '../accounts/rate-limits';

/** A worker that died, or never started, while no host watched: its closeout blocker. */
export const STALE = 'stale';

/**
 * Closeout causes that say nothing about the unit's work, so a run or a DAG fleet requeues the unit
 * instead of counting it failed: the provider's rate limit, and a crash of the host (a crash must not
 * cost a unit).
 */
export const REQUEUE_CAUSES = [RATE_LIMITED, STALE] as const;

/** The cause that sends a closed-out unit back to its queue, or null when its closeout counts. */
export function requeueCause(blockers: readonly string[]): (typeof REQUEUE_CAUSES)[number] | null {
  return REQUEUE_CAUSES.find((cause) => blockers.includes(cause)) ?? null;
}

/** The same rule in SQL, over a closeouts row aliased `c`: true when the closeout counts (is not requeued). */
export const COUNTS_AS_OUTCOME_SQL = `(c.blockers IS NULL OR (${REQUEUE_CAUSES.map((cause) => `c.blockers NOT LIKE '%"${cause}"%'`).join(' AND ')}))`;

/** The typed closeout of an assignment a previous host left unfinished and whose worker is gone, naming what was found. */
export function staleCloseout(a: { status: string; paymentMode: 'no-spend' | 'spend'; payoutClaimAllowed: boolean }, found: string): Closeout {
  return {
    status: 'failed',
    checks: [{ name: 'lifecycle_closed', ok: false, blocker: STALE, detail: `left ${a.status} by a previous run of the app: ${found}` }],
    blockers: [STALE],
    proof: { paymentMode: a.paymentMode, payoutClaimAllowed: a.payoutClaimAllowed },
  };
}
