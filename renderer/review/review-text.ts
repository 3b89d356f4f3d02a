import type { Card } from '../../shared/domain';
import type { DiffFile, MergeWave, ReviewStage } from '../../shared/review';
import { formatCount } from '../format';

export { diffStatText } from '../../shared/review';

export const reviewStageLabels: Record<ReviewStage, string> = {
  awaiting_review: 'awaiting review',
  awaiting_merge: 'awaiting merge',
  merge_conflict: 'merge conflict',
  verify_failed: 'integrated verify failed',
  done: 'merged and verified',
};

/** Finished work with an ok closeout that is not merged yet: it can have a pull request and join a wave. */
export function canReview(card: Card): boolean {
  return card.fleet === null && card.status === 'closed' && card.closeout.status === 'ok' && card.review?.stage !== 'done';
}

/** Why "Create PR" is not offered now, or null when it is. */
export function createPrBlocker(card: Card): string | null {
  if (!canReview(card)) return 'Only finished work with an ok closeout, not merged yet, gets a pull request.';
  if (card.review?.pullRequest) return `Pull request #${card.review.pullRequest.number} is already open.`;
  return null;
}

/** Why a file's diff is not drawn, or null when it is. */
export function hiddenReason(file: DiffFile): string | null {
  if (file.binary) return 'Binary file: not shown.';
  if (file.huge) return `${formatCount(file.added + file.removed)} changed lines: too large to show here.`;
  if (file.patch === null) return 'No text change (mode or rename only).';
  return null;
}

/** The wave's one-line state for its panel. */
export function waveSummary(wave: MergeWave): string {
  const done = wave.steps.filter((step) => step.state === 'done').length;
  const progress = `${done} of ${wave.steps.length} merged into ${wave.baseBranch}`;
  if (wave.state === 'running') return `Merging: ${progress}`;
  if (wave.state === 'completed') return `Completed: ${progress} and verified`;
  return `Stopped (${wave.state.replace('_', ' ')}): ${progress}. ${wave.detail}`;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * The old and new text a patch shows, line by line at their own numbers (lines the patch does not
 * show are left empty): what the diff view's highlighter reads, so the shown lines get syntax colours
 * without sending whole files.
 */
export function sidesOfPatch(patch: string): { oldText: string; newText: string } {
  const oldLines: string[] = [];
  const newLines: string[] = [];
  let oldAt = 0;
  let newAt = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      oldAt = Number(header[1]);
      newAt = Number(header[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk || line.startsWith('\\')) continue;
    const text = line.slice(1);
    if (line.startsWith('+')) newLines[newAt++ - 1] = text;
    else if (line.startsWith('-')) oldLines[oldAt++ - 1] = text;
    else if (line.startsWith(' ')) {
      oldLines[oldAt++ - 1] = text;
      newLines[newAt++ - 1] = text;
    }
  }
  const join = (lines: string[]) => Array.from(lines, (text) => text ?? '').join('\n');
  return { oldText: join(oldLines), newText: join(newLines) };
}
