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

/** A hunk header with both counts (a count left out is 1). */
const HUNK_RANGES = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** One window of a file's patch: the file's header and at most a chunk's worth of its changed and context lines. */
export interface PatchChunk {
  patch: string;
  /** Content lines in this chunk (what its placeholder's height is estimated from). */
  lines: number;
}

/**
 * Splits one file's patch into windows of at most `linesPerChunk` content lines, each a patch of its
 * own (the file header, then whole hunks, a longer hunk cut into sub-hunks with their own headers), so
 * a 50,000-line file is parsed, highlighted and drawn a window at a time as the owner scrolls.
 */
export function patchChunks(patch: string, linesPerChunk: number): PatchChunk[] {
  const all = patch.split('\n');
  if (all.at(-1) === '') all.pop();
  const firstHunk = all.findIndex((line) => HUNK_RANGES.test(line));
  if (firstHunk < 0) return [{ patch, lines: 0 }];
  const header = all.slice(0, firstHunk);
  const chunks: PatchChunk[] = [];
  let body: string[] = [];
  let bodyLines = 0;
  // The sub-hunk being filled: where it starts on each side, its counts and its lines.
  let hunk: { oldStart: number; newStart: number; oldCount: number; newCount: number; suffix: string; lines: string[] } | null = null;
  let oldAt = 0;
  let newAt = 0;
  const closeHunk = () => {
    if (hunk && hunk.lines.length > 0) {
      // git writes a side with no lines as the line before it (`-0,0` for a new file).
      const oldStart = hunk.oldCount === 0 ? hunk.oldStart - 1 : hunk.oldStart;
      const newStart = hunk.newCount === 0 ? hunk.newStart - 1 : hunk.newStart;
      body.push(`@@ -${oldStart},${hunk.oldCount} +${newStart},${hunk.newCount} @@${hunk.suffix}`, ...hunk.lines);
    }
    hunk = null;
  };
  const closeChunk = () => {
    closeHunk();
    if (bodyLines > 0) chunks.push({ patch: [...header, ...body].join('\n') + '\n', lines: bodyLines });
    body = [];
    bodyLines = 0;
  };
  let suffix = '';
  for (const line of all.slice(firstHunk)) {
    const start = HUNK_RANGES.exec(line);
    if (start) {
      closeHunk();
      // A side with no lines names the line before it (`-0,0` for a new file), so its next line is one on.
      oldAt = Number(start[1]) + (start[2] === '0' ? 1 : 0);
      newAt = Number(start[3]) + (start[4] === '0' ? 1 : 0);
      suffix = line.slice(start[0].length);
      continue;
    }
    if (line.startsWith('\\')) {
      // "No newline at end of file" belongs to the line before it, in the same sub-hunk.
      hunk?.lines.push(line);
      continue;
    }
    if (bodyLines >= linesPerChunk) closeChunk();
    hunk ??= { oldStart: oldAt, newStart: newAt, oldCount: 0, newCount: 0, suffix, lines: [] };
    hunk.lines.push(line);
    bodyLines += 1;
    if (!line.startsWith('+')) {
      hunk.oldCount += 1;
      oldAt += 1;
    }
    if (!line.startsWith('-')) {
      hunk.newCount += 1;
      newAt += 1;
    }
  }
  closeChunk();
  // A patch that fits one window is drawn as git wrote it.
  return chunks.length === 1 ? [{ patch, lines: chunks[0]!.lines }] : chunks;
}
