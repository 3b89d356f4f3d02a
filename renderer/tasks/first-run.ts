import type { Card } from '../../shared/domain';

/** The first-run guide's own task: its title tells it apart from work the owner started elsewhere. */
export const GUIDE_TASK = {
  title: 'First fixture task',
  prompt: 'Write the task into FIXTURE.md',
  // The fixture worker writes FIXTURE.md: verify proves the file is there and not empty.
  verifyCommand: 'test -s FIXTURE.md',
  /** Long enough to watch the card work, short enough not to wait. */
  durationMs: 3_000,
} as const;

export type GuideStep =
  /** Nothing to show: dismissed, loading, or the board is no longer new. */
  | { step: 'hidden' }
  /** An empty board: pick a repository and start the fixture task. */
  | { step: 'start' }
  /** The guide's task runs: watch it. */
  | { step: 'watch'; card: Card }
  /** The guide's task is closed out, done or failed. */
  | { step: 'finished'; card: Card };

/**
 * Where the first-run guide stands. It shows on an empty board (no account, no task or run ever)
 * and follows its own fixture task to the end; once the owner has other work or an account, or has
 * dismissed it, it is gone. Unknown (still loading) is hidden, so it never flashes.
 */
export function guideStep(board: {
  dismissed: boolean | undefined;
  accounts: number | undefined;
  runs: number | undefined;
  cards: readonly Card[] | undefined;
}): GuideStep {
  const { dismissed, accounts, runs, cards } = board;
  if (dismissed !== false || accounts !== 0 || runs !== 0 || cards === undefined) return { step: 'hidden' };
  if (cards.length === 0) return { step: 'start' };
  const [card] = cards;
  const ownTask = cards.length === 1 && card !== undefined && card.workerKind === 'fixture' && card.runId === null && card.workUnit.title === GUIDE_TASK.title;
  if (!ownTask) return { step: 'hidden' };
  return card.status === 'closed' ? { step: 'finished', card } : { step: 'watch', card };
}
