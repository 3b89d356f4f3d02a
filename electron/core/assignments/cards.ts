import { existsSync } from 'node:fs';
import { cardState, tokenLabel } from '../../../shared/card';
import type { Card, CardReview, Closeout } from '../../../shared/domain';
import { maskSecrets } from '../../../shared/secret-mask';
import type { AssignmentStore } from './assignment-store';

const PENDING_CLOSEOUT: Closeout = { status: 'pending', checks: [], blockers: [], proof: null };

/** Where a card's review facts come from: one reader per store, registered by the core that owns both. */
const reviewReaders = new WeakMap<AssignmentStore, (assignmentId: string) => CardReview | null>();

export function readCardReviews(store: AssignmentStore, read: (assignmentId: string) => CardReview | null): void {
  reviewReaders.set(store, read);
}

/** A worker card is a projection: assignment row, last lifecycle event, closeout and token rows. */
export function projectCard(store: AssignmentStore, assignmentId: string): Card {
  const a = store.get(assignmentId);
  const closeout = store.closeout(assignmentId) ?? PENDING_CLOSEOUT;
  const tokens = store.tokenTotals(assignmentId);
  return {
    assignmentId: a.id,
    accountRef: a.accountRef,
    workerKind: a.workerKind,
    workUnit: { key: maskSecrets(a.workUnitKey), title: maskSecrets(a.title) },
    status: a.status,
    state: cardState({ liveBlockers: a.liveBlockers, closeout: closeout.status, approvalRequired: false }),
    createdAt: a.createdAt,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
    lastLine: store.lastEvent(assignmentId)?.summary ?? '',
    closeout,
    blockers: a.liveBlockers,
    tokens: tokenLabel({ exactTotal: tokens.total, rows: tokens.rows, finished: a.status === 'closed' }),
    repo: { path: a.repoPath, branch: a.branch, commit: a.commit, worktreePath: a.worktreePath },
    verifyCommand: maskSecrets(a.verifyCommand),
    workerType: a.workerType,
    model: a.model,
    sessionRef: a.sessionRef,
    runId: a.runId,
    retryOf: a.retryOf,
    followUps: store.followUps(assignmentId),
    // A DAG worker's folder is the fleet root, never a worktree of ours to keep or remove.
    worktreeKept: a.fleetId === null && a.worktreeRemovedAt === null && existsSync(a.worktreePath),
    fleet: a.fleetId !== null && a.fleetWorkerId !== null ? { fleetId: a.fleetId, workerId: a.fleetWorkerId } : null,
    review: reviewReaders.get(store)?.(assignmentId) ?? null,
  };
}
