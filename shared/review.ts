import { z } from 'zod';

/**
 * A file with more changed lines than this is named with its counts, not rendered (nor sent): twice the
 * 50,000 lines the diff view is built to scroll (a window at a time), so generated dumps stay out.
 */
export const HUGE_FILE_PATCH_LINES = 100_000;

export const diffFileStatuses = ['added', 'modified', 'deleted', 'renamed', 'copied', 'type_changed'] as const;

/** One file an assignment changed against its pinned commit. */
export const diffFileSchema = z.object({
  path: z.string(),
  /** The path before a rename or copy; otherwise null. */
  oldPath: z.string().nullable(),
  status: z.enum(diffFileStatuses),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  binary: z.boolean(),
  /** More than HUGE_FILE_PATCH_LINES changed lines: named, not rendered. */
  huge: z.boolean(),
  /** The file's unified diff (`diff --git` ...); null for binary and huge files. */
  patch: z.string().nullable(),
});
export type DiffFile = z.infer<typeof diffFileSchema>;

/** `+N -M, F files`: what a card shows, computed at closeout and after each review action. */
export const diffStatSchema = z.object({
  files: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
});
export type DiffStat = z.infer<typeof diffStatSchema>;

export const assignmentDiffSchema = z.object({
  assignmentId: z.string(),
  /** The pinned commit the change is measured against. */
  base: z.string(),
  /** Where the change was read: the kept worktree (committed, uncommitted and untracked) or, once it is removed, the branch. */
  source: z.enum(['worktree', 'branch']),
  stat: diffStatSchema,
  files: z.array(diffFileSchema),
});
export type AssignmentDiff = z.infer<typeof assignmentDiffSchema>;

export const pullRequestStates = ['open', 'closed', 'merged'] as const;

export const pullRequestSchema = z.object({
  number: z.number().int().positive(),
  url: z.string(),
  state: z.enum(pullRequestStates),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

/**
 * Where an assignment's work stands after its closeout. Done means merged into the base branch AND
 * verified there (the seed: branch work is in-progress evidence, not completion).
 */
export const reviewStages = ['awaiting_review', 'awaiting_merge', 'merge_conflict', 'verify_failed', 'done'] as const;
export const reviewStageSchema = z.enum(reviewStages);
export type ReviewStage = z.infer<typeof reviewStageSchema>;

export const cardReviewSchema = z.object({
  diff: diffStatSchema.nullable(),
  pullRequest: pullRequestSchema.nullable(),
  /** The pushed branch, once pushed. */
  pushedBranch: z.string().nullable(),
  stage: reviewStageSchema,
  /** What the last merge attempt said (the conflicting files, the failed verify). */
  detail: z.string(),
  /** The merge commit on the base branch, once merged and verified. */
  mergeCommit: z.string().nullable(),
});
export type CardReview = z.infer<typeof cardReviewSchema>;

export const waveStates = ['running', 'completed', 'conflict', 'verify_failed', 'failed'] as const;
export const waveStateSchema = z.enum(waveStates);
export type WaveState = z.infer<typeof waveStateSchema>;

export const waveStepSchema = z.object({
  assignmentId: z.string(),
  title: z.string(),
  /** The GitHub issue number, when the unit is one (the merge order's key). */
  issueNumber: z.number().int().nullable(),
  state: z.enum(['pending', 'merging', 'verifying', 'done', 'conflict', 'verify_failed', 'failed']),
  detail: z.string(),
});
export type WaveStep = z.infer<typeof waveStepSchema>;

/** A merge wave: assignments merged in order into the base branch, each verified on the integrated state. */
export const mergeWaveSchema = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  repoPath: z.string(),
  baseBranch: z.string(),
  state: waveStateSchema,
  steps: z.array(waveStepSchema),
  /** The assignment the wave stopped at, if it stopped. */
  stoppedAt: z.string().nullable(),
  conflictFiles: z.array(z.string()),
  detail: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MergeWave = z.infer<typeof mergeWaveSchema>;

export const mergeWaveInputSchema = z
  .object({
    /** The assignments to merge; merged lowest issue number first, then oldest first. */
    assignmentIds: z.array(z.string().min(1)).max(1_000).optional(),
    /** Or every finished, unmerged assignment of this run. */
    runId: z.string().min(1).optional(),
    /** The branch to merge into; defaults to the run's branch, else the repository's current branch. */
    baseBranch: z.string().trim().min(1).max(250).optional(),
  })
  .refine((input) => (input.assignmentIds?.length ?? 0) > 0 || input.runId !== undefined, {
    message: 'Name the assignments to merge, or a run.',
  });
export type MergeWaveInput = z.infer<typeof mergeWaveInputSchema>;

export const cleanupResultSchema = z.object({
  removed: z.array(z.object({ assignmentId: z.string(), branch: z.string() })),
  /** What was left, and why (unmerged or uncommitted work is kept unless forced). */
  kept: z.array(z.object({ assignmentId: z.string(), branch: z.string(), reason: z.string() })),
});
export type CleanupResult = z.infer<typeof cleanupResultSchema>;

const countFormat = new Intl.NumberFormat('en-US');

/** `+1,200 -3, 4 files`: a change as the card, the diff dialog and the Inbox say it. */
export function diffStatText(stat: DiffStat): string {
  return `+${countFormat.format(stat.added)} -${countFormat.format(stat.removed)}, ${countFormat.format(stat.files)} ${stat.files === 1 ? 'file' : 'files'}`;
}
