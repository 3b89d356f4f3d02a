import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import { FleetError } from '../../../shared/errors';
import { newRef, nowIso } from '../refs';

/** Default claim time-to-live from fleet-model.md: a claim not heartbeaten for this long expires. */
export const CLAIM_TTL_MS = 30 * 60 * 1000;
/** fleet-model.md's stale mark: a claim whose worker has sent no heartbeat for this long is released. */
export const CLAIM_HEARTBEAT_STALE_MS = 90 * 1000;

const LIVE_CLAIM_CONFLICT = /UNIQUE constraint failed: claims\.work_unit_id/;

export interface ClaimInput {
  workUnitId: string;
  holder: string;
  runId: string | null;
  claimId?: string;
}

/**
 * Takes the unit's one live claim. The unique index decides: a loser gets `already_claimed`,
 * which is never a win.
 */
export function claimUnit(db: Db, input: ClaimInput): string {
  const id = tryClaimUnit(db, input);
  if (id === null) throw alreadyClaimed(input.workUnitId);
  return id;
}

/**
 * `claimUnit` for a caller that expects to lose often (racing claimers): a refusal is `null`, not a
 * thrown error, since building an error costs more than the claim itself.
 */
export function tryClaimUnit(db: Db, input: ClaimInput): string | null {
  // A live claim already seen is a refusal decided by a read, which in WAL mode takes no lock: racers
  // then queue for the write lock only over units nobody holds yet. The unique index still decides those.
  if (liveClaimHolder(db, input.workUnitId) !== undefined) return null;
  const id = input.claimId ?? newRef('clm');
  const now = new Date();
  const at = now.toISOString();
  try {
    prepared(
      db,
      `INSERT INTO claims (id, work_unit_id, run_id, holder, state, claimed_at, expires_at, heartbeat_at)
       VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?)`,
    ).run(id, input.workUnitId, input.runId, input.holder, at, new Date(now.getTime() + CLAIM_TTL_MS).toISOString(), at);
  } catch (error) {
    if (error instanceof Error && LIVE_CLAIM_CONFLICT.test(error.message)) return null;
    throw error;
  }
  return id;
}

function alreadyClaimed(workUnitId: string): FleetError {
  return new FleetError('already_claimed', `Work unit ${workUnitId} already has a live claim.`);
}

export function advanceClaim(db: Db, claimId: string, state: 'in_progress' | 'closeout'): void {
  prepared(db, `UPDATE claims SET state = ?, heartbeat_at = ? WHERE id = ? AND state IN ('claimed', 'in_progress')`).run(
    state,
    nowIso(),
    claimId,
  );
}

export function releaseClaim(db: Db, claimId: string, reason: string): void {
  prepared(db,
    `UPDATE claims SET state = 'released', released_at = ?, release_reason = ?
     WHERE id = ? AND state IN ('claimed', 'in_progress', 'closeout')`,
  ).run(nowIso(), reason, claimId);
}

/** Keeps the claims of live workers fresh: a new heartbeat and a TTL counted from now. */
export function heartbeatClaims(db: Db, claimIds: readonly string[]): void {
  const now = new Date();
  const beat = prepared(db,
    `UPDATE claims SET heartbeat_at = ?, expires_at = ? WHERE id = ? AND state IN ('claimed', 'in_progress', 'closeout')`,
  );
  db.transaction(() => {
    for (const id of claimIds) beat.run(now.toISOString(), new Date(now.getTime() + CLAIM_TTL_MS).toISOString(), id);
  })();
}

/** Expires live claims past their TTL or without a recent heartbeat; returns what it expired. */
export function expireClaims(db: Db, now = new Date()): { id: string; workUnitId: string; runId: string | null; reason: string }[] {
  const staleBefore = new Date(now.getTime() - CLAIM_HEARTBEAT_STALE_MS).toISOString();
  const rows = prepared(db,
      `SELECT id, work_unit_id AS workUnitId, run_id AS runId,
         CASE WHEN expires_at < ? THEN 'ttl_passed' ELSE 'heartbeat_stale' END AS reason
       FROM claims WHERE state IN ('claimed', 'in_progress', 'closeout') AND (expires_at < ? OR heartbeat_at < ?)`,
    )
    .all(now.toISOString(), now.toISOString(), staleBefore) as { id: string; workUnitId: string; runId: string | null; reason: string }[];
  const expire = prepared(db, `UPDATE claims SET state = 'expired', released_at = ?, release_reason = ? WHERE id = ?`);
  db.transaction(() => {
    for (const row of rows) expire.run(now.toISOString(), row.reason, row.id);
  })();
  return rows;
}

/** Who holds a unit's live claim, if anyone. */
export function liveClaimHolder(db: Db, workUnitId: string): string | undefined {
  return prepared(db, `SELECT holder FROM claims WHERE work_unit_id = ? AND state IN ('claimed', 'in_progress', 'closeout')`)
    .pluck()
    .get(workUnitId) as string | undefined;
}
