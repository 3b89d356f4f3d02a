import { z } from 'zod';
import { cardReviewSchema } from './review';

export type { CardReview } from './review';

export const workerKinds = ['fixture', 'claude', 'codex'] as const;
export const workerKindSchema = z.enum(workerKinds);
export type WorkerKind = z.infer<typeof workerKindSchema>;

/** Tool limits per worker type (provider-clis.md): Claude's disallowed tools, Codex's sandbox. */
export const workerTypes = ['read-only', 'write', 'code-run', 'research', 'reviewer', 'orchestrator'] as const;
export const workerTypeSchema = z.enum(workerTypes);
export type WorkerType = z.infer<typeof workerTypeSchema>;

export const reasoningEfforts = ['low', 'medium', 'high'] as const;
export const reasoningEffortSchema = z.enum(reasoningEfforts);

/** Where the assignment is in its own lifecycle (the core's view, independent of the card's colour). */
export const assignmentStatuses = ['accepted', 'running', 'verifying', 'closed'] as const;
export const assignmentStatusSchema = z.enum(assignmentStatuses);
export type AssignmentStatus = z.infer<typeof assignmentStatusSchema>;

/** Append-only lifecycle event kinds, ordered per assignment. */
export const lifecycleKinds = [
  'accepted',
  'worktree_created',
  'runtime_started',
  'runtime_progress',
  'runtime_finished',
  'runtime_failed',
  'interrupted',
  'follow_up_started',
  'verify_started',
  'verify_finished',
  'closeout_submitted',
  'completed',
] as const;
export const lifecycleKindSchema = z.enum(lifecycleKinds);
export type LifecycleKind = z.infer<typeof lifecycleKindSchema>;

export const lifecycleEventSchema = z.object({
  assignmentId: z.string(),
  seq: z.number().int().nonnegative(),
  kind: lifecycleKindSchema,
  at: z.string(),
  summary: z.string(),
});
export type LifecycleEvent = z.infer<typeof lifecycleEventSchema>;

/** The closeout checklist of fleet-model.md; each failed check names the blocker it raises. */
export const closeoutCheckNames = [
  'refs_consistent',
  'lifecycle_closed',
  'raw_log_present',
  'worker_succeeded',
  'exact_token_rows',
  'token_totals_match',
  'verify_passed',
  'no_spend_proof',
  'timestamps_ordered',
] as const;
export const closeoutCheckNameSchema = z.enum(closeoutCheckNames);
export type CloseoutCheckName = z.infer<typeof closeoutCheckNameSchema>;

export const closeoutCheckSchema = z.object({
  name: closeoutCheckNameSchema,
  ok: z.boolean(),
  /** The blocker this check raises when it fails (e.g. `verify_failed`). */
  blocker: z.string(),
  detail: z.string(),
  /**
   * Set when the check does not apply to this assignment (verify, for a DAG fleet worker): it blocks
   * nothing, and a face shows it as not applicable, never as passed.
   */
  notApplicable: z.boolean().optional(),
});
export type CloseoutCheck = z.infer<typeof closeoutCheckSchema>;

export const closeoutStatusSchema = z.enum(['pending', 'ok', 'failed']);
export type CloseoutStatus = z.infer<typeof closeoutStatusSchema>;

export const closeoutSchema = z.object({
  status: closeoutStatusSchema,
  checks: z.array(closeoutCheckSchema),
  /** The blockers of the failed checks, in checklist order. */
  blockers: z.array(z.string()),
  proof: z
    .object({
      paymentMode: z.enum(['no-spend', 'spend']),
      payoutClaimAllowed: z.boolean(),
    })
    .nullable(),
});
export type Closeout = z.infer<typeof closeoutSchema>;

export const cardStates = ['working', 'waiting', 'done', 'failed', 'blocked'] as const;
export const cardStateSchema = z.enum(cardStates);
export type CardState = z.infer<typeof cardStateSchema>;

export const tokenLabelSchema = z.object({
  /** "1,050 exact", "pending exact rows" or "not measured". */
  text: z.string(),
  exactTotal: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
});
export type TokenLabel = z.infer<typeof tokenLabelSchema>;

/** One worker card: a projection of an assignment, its lifecycle and its token rows. */
export const cardSchema = z.object({
  assignmentId: z.string(),
  accountRef: z.string(),
  workerKind: workerKindSchema,
  workUnit: z.object({ key: z.string(), title: z.string() }),
  status: assignmentStatusSchema,
  state: cardStateSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  lastLine: z.string(),
  closeout: closeoutSchema,
  /** Blockers on live work (not closeout failures), e.g. `worktree_failed`. */
  blockers: z.array(z.string()),
  tokens: tokenLabelSchema,
  repo: z.object({
    path: z.string(),
    branch: z.string(),
    commit: z.string(),
    worktreePath: z.string(),
  }),
  verifyCommand: z.string(),
  workerType: workerTypeSchema,
  model: z.string().nullable(),
  /** The provider session a follow-up resumes (Claude session id, Codex thread id). */
  sessionRef: z.string().nullable(),
  /** The fleet run this assignment serves; null for a one-off task. */
  runId: z.string().nullable(),
  /** The assignment this one retries, if any. */
  retryOf: z.string().nullable(),
  followUps: z.number().int().nonnegative(),
  /** Whether the worktree is still on disk (kept after closeout for review until removed). */
  worktreeKept: z.boolean(),
  /**
   * Set for a DAG fleet worker: it runs in the fleet root with no worktree and no verify, and is
   * relaunched from its fleet (no retry, follow-up or worktree removal on the card).
   */
  fleet: z.object({ fleetId: z.string(), workerId: z.string() }).nullable(),
  /** Its change (`+N -M, F files`), pull request and merge, once its closeout counted them. */
  review: cardReviewSchema.nullable().optional(),
});
export type Card = z.infer<typeof cardSchema>;

export const tokenUsageRowSchema = z.object({
  id: z.string(),
  idempotencyKey: z.string(),
  observedAt: z.string(),
  ingestedAt: z.string(),
  accountRef: z.string(),
  runRef: z.string().nullable(),
  sessionRef: z.string().nullable(),
  taskRef: z.string(),
  repositoryRef: z.string(),
  provider: z.string(),
  model: z.string(),
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
  reasoning: z.number().int().nonnegative(),
  cacheRead: z.number().int().nonnegative(),
  cacheWrite: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  usageTruth: z.literal('exact'),
  costAmount: z.number().nullable(),
  currency: z.string().nullable(),
  demandSource: z.literal('khala_coding_delegation'),
});
export type TokenUsageRow = z.infer<typeof tokenUsageRowSchema>;

export const verifyResultSchema = z.object({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  passed: z.boolean(),
  output: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;

/** Per assignment: the exact rows against what the provider's own final results reported. */
export const reconciliationSchema = z.object({
  turns: z.array(
    z.object({
      turn: z.number().int().nonnegative(),
      reportedTotal: z.number().int().nonnegative(),
      rowTotal: z.number().int().nonnegative().nullable(),
      match: z.boolean(),
    }),
  ),
  reportedTotal: z.number().int().nonnegative(),
  rowsTotal: z.number().int().nonnegative(),
  match: z.boolean(),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;

export const assignmentDetailSchema = z.object({
  card: cardSchema,
  events: z.array(lifecycleEventSchema),
  tokenRows: z.array(tokenUsageRowSchema),
  verify: verifyResultSchema.nullable(),
  prompt: z.string(),
  reconciliation: reconciliationSchema,
});
export type AssignmentDetail = z.infer<typeof assignmentDetailSchema>;
