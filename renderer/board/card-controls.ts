import type { AssignmentStatus, Card } from '../../shared/domain';
import { formatCount } from '../format';

/** While the worker itself runs: it can be interrupted, and its pane may get new output. */
const workerRunning: ReadonlySet<AssignmentStatus> = new Set(['accepted', 'running']);

export function isWorkerRunning(card: Card): boolean {
  return workerRunning.has(card.status);
}

/** The card's last line: a failed closeout says "failed", never the store's "completed with blockers". */
export function cardLine(card: Card): string {
  return card.status === 'closed' && card.closeout.status === 'failed' ? 'failed' : card.lastLine;
}

/** Failed, blocked and done cards are all closed: any of them can be run again as a new assignment. */
export function canRetry(card: Card): boolean {
  // A fleet worker is run again by relaunching it from its fleet, with its (edited) prompt.md.
  return card.status === 'closed' && card.fleet === null;
}

const FLEET_WORKER_NOTE = 'A fleet worker is steered from its fleet: edit its prompt and relaunch it there.';

/** Why a follow-up cannot be sent now, or null when it can. */
export function followUpBlocker(card: Card): string | null {
  if (card.fleet !== null) return FLEET_WORKER_NOTE;
  if (card.workerKind === 'fixture') return 'Fixture workers have no provider session to resume.';
  if (card.status !== 'closed') return 'A follow-up can be sent once the assignment is closed.';
  if (card.sessionRef === null) return 'The worker reported no session to resume.';
  return null;
}

/** Why the worktree cannot be removed now, or null when it can. */
export function worktreeRemovalBlocker(card: Card): string | null {
  if (card.fleet !== null) return 'A fleet worker has no worktree: it works in the fleet folder.';
  if (!card.worktreeKept) return 'The worktree has already been removed.';
  if (card.status !== 'closed') return 'The worktree can be removed once the assignment is closed.';
  return null;
}

/** Why no shell can be opened, or null when one can. */
export function shellBlocker(card: Card): string | null {
  if (card.fleet !== null) return 'A fleet worker has no worktree: it works in the fleet folder.';
  return card.worktreeKept ? null : 'The worktree has been removed, so there is no folder to open a shell in.';
}

/** The card's small print: worker type, model, what it retries, follow-ups. */
export function cardMeta(card: Card): string[] {
  const parts: string[] = [card.workerType];
  if (card.model !== null) parts.push(card.model);
  if (card.retryOf !== null) parts.push(`retry of ${card.retryOf}`);
  if (card.followUps > 0) parts.push(`follow-ups: ${formatCount(card.followUps)}`);
  return parts;
}
