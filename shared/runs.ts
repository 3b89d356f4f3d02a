import { z } from 'zod';
import { workerTypeSchema } from './domain';

/**
 * A bound on the input only: what a run really reaches is bounded by its accounts' advertised capacity
 * (the capacity rule), so a run for 200 or more workers is one run, not 200 single tasks.
 */
export const RUN_TARGET_MAX = 1024;

export const runStates = ['draft', 'running', 'paused', 'draining', 'stopped', 'completed'] as const;
export const runStateSchema = z.enum(runStates);
export type RunState = z.infer<typeof runStateSchema>;

export const runControls = ['pause', 'resume', 'drain', 'stop'] as const;
export const runControlSchema = z.enum(runControls);
export type RunControl = z.infer<typeof runControlSchema>;

/** fleet-model.md's table: which control is allowed from which state. */
export const CONTROL_ALLOWED_FROM: Record<RunControl, readonly RunState[]> = {
  pause: ['running'],
  resume: ['paused'],
  drain: ['running', 'paused'],
  stop: ['draft', 'running', 'paused', 'draining'],
};

export function controlAllowed(control: RunControl, state: RunState): boolean {
  return CONTROL_ALLOWED_FROM[control].includes(state);
}

export const runWorkerKindSchema = z.enum(['fixture', 'claude', 'codex', 'auto']);
export type RunWorkerKind = z.infer<typeof runWorkerKindSchema>;

/** Typed skips, in the order they are checked (fleet-model.md). */
export const skipReasons = [
  'label_excluded',
  'needs_owner',
  'merged',
  'closed',
  'pr_exists',
  'completed',
  'failed',
  'dependency_pending',
  'dependency_failed',
  'already_claimed',
  /** Left in the backlog when the owner drained the run: it never started. */
  'not_started',
] as const;
export const skipReasonSchema = z.enum(skipReasons);
export type SkipReason = z.infer<typeof skipReasonSchema>;

/** Why a running run dispatches nothing right now; it never waits silently. */
export const waitReasons = [
  'no_ready_accounts',
  'all_accounts_busy',
  'cooldown_all_accounts',
  'source_empty',
  'source_unavailable',
  'target_reached',
  /** The data dir's disk is full: nothing new is dispatched until space is free again. */
  'disk_full',
  'awaiting_approval',
  'not_running',
] as const;
export const waitReasonSchema = z.enum(waitReasons);

/** Why a run waits, in the owner's words: the board and the Inbox show these, never the codes. */
export const waitReasonLabels: Record<(typeof waitReasons)[number], string> = {
  no_ready_accounts: 'no account is ready',
  all_accounts_busy: 'every account is busy',
  cooldown_all_accounts: 'every account is cooling down',
  source_empty: 'nothing left to claim',
  source_unavailable: 'the work source cannot be read',
  target_reached: 'at its target',
  disk_full: 'the disk is full',
  awaiting_approval: 'awaiting your approval',
  not_running: 'not running',
};

export const workSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('github'),
    /** `owner/name` on GitHub (or the GitHub Enterprise at apiBaseUrl). */
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'use owner/name'),
    /** Empty for api.github.com. */
    apiBaseUrl: z.string().url().or(z.literal('')).default(''),
    /** Issues with any of these labels are skipped as label_excluded. */
    excludeLabels: z.array(z.string()).default([]),
  }),
  z.object({
    kind: z.literal('task_list'),
    /** A Markdown checklist (`- [ ] task`) or JSON lines (`{"key","title","prompt"}`); a relative path is in the run's repository. */
    path: z.string().min(1),
  }),
  z.object({ kind: z.literal('fixture'), units: z.number().int().min(1).max(10_000) }),
]);
export type WorkSourceConfig = z.infer<typeof workSourceSchema>;

/** `/…`, or on Windows `C:\…` or `\\server\…`: a path that means the same folder wherever the host started. */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;
/** Linux's PATH_MAX: no real repository path is longer, so a longer value is refused before git sees it. */
const REPO_PATH_MAX_CHARS = 4096;
export const REPO_PATH_NOT_ABSOLUTE = 'Give the full path of the repository, starting with / (a relative path is not resolved)';

/** A local repository's path, as the New task and New run forms and the core both check it. */
export const repoPathSchema = z
  .string()
  .trim()
  .min(1)
  .max(REPO_PATH_MAX_CHARS)
  // An empty path is already "Required"; it needs no second problem.
  .refine((path) => path === '' || ABSOLUTE_PATH.test(path), { message: REPO_PATH_NOT_ABSOLUTE });

export const newRunInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  source: workSourceSchema,
  /** The local clone the worktrees are made from, and the branch they start at. */
  repoPath: repoPathSchema,
  /** Empty: the branch the repository is on when the run is created. */
  branch: z.string().trim().default(''),
  verifyCommand: z.string().trim().min(1),
  workerKind: runWorkerKindSchema,
  workerType: workerTypeSchema.default('code-run'),
  targetConcurrency: z.number().int().min(1).max(RUN_TARGET_MAX),
  /** Refill limit: at most this many assignments at once on one account. */
  maxPerAccount: z.number().int().min(1).max(64).default(1),
  stopCondition: z.enum(['backlog_empty', 'target_count', 'manual']).default('backlog_empty'),
  /** With stopCondition target_count: complete after this many closeouts. */
  targetCount: z.number().int().min(1).optional(),
  /** Commit, push and open a pull request for each unit at its successful closeout. */
  createPrOnCloseout: z.boolean().optional(),
  /** Fixture workers only: how long each scripted run takes. */
  fixtureDurationMs: z.number().int().min(0).max(600_000).default(1_500),
});
export type NewRunInput = z.infer<typeof newRunInputSchema>;

export const runCountsSchema = z.object({
  done: z.number().int(),
  failed: z.number().int(),
  active: z.number().int(),
  /** Closed out ok, not yet merged: no pull request yet / a pull request or a stopped merge waiting. */
  awaitingReview: z.number().int().optional(),
  awaitingMerge: z.number().int().optional(),
  queued: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
});

/** At most this many of a run's unstarted units travel with each run update: enough to read, small enough to push every tick. */
export const NOT_STARTED_SHOWN_MAX = 50;

/**
 * How far a run has got, projected by the core from the store: its time, its exact token rows, its
 * money, and the units it has not started.
 */
export const runProgressSchema = z.object({
  /** When the owner approved it (it began running), or null while it is a draft. */
  startedAt: z.string().nullable(),
  /** When it stopped or completed, or null while it can still go on. */
  endedAt: z.string().nullable(),
  /** The sum of the run's exact token rows, and how many rows there are. */
  tokens: z.object({ exact: z.number().int(), rows: z.number().int() }),
  spend: z.object({
    /** What the providers themselves reported (Claude), or null when none reported a cost. */
    reportedUsd: z.number().nullable(),
    /** Rows with no reported cost (Codex), priced from a named table: an estimate, never the bill. */
    estimatedUsd: z.number().nullable(),
    priceTable: z.string().nullable(),
  }),
  /** Units the run has not started: still queued while it can go on, or left behind by a drain or a stop. */
  notStarted: z.object({
    total: z.number().int(),
    /** The first NOT_STARTED_SHOWN_MAX of them. */
    units: z.array(z.object({ key: z.string(), title: z.string() })),
  }),
});
export type RunProgress = z.infer<typeof runProgressSchema>;

export const fleetRunSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: runStateSchema,
  source: workSourceSchema,
  repoPath: z.string(),
  branch: z.string(),
  verifyCommand: z.string(),
  workerKind: runWorkerKindSchema,
  workerType: workerTypeSchema,
  targetConcurrency: z.number().int(),
  maxPerAccount: z.number().int(),
  stopCondition: z.enum(['backlog_empty', 'target_count', 'manual']),
  targetCount: z.number().int().nullable(),
  approvedAt: z.string().nullable(),
  counts: runCountsSchema,
  progress: runProgressSchema,
  /** Slots the run could use now / its target. */
  capacity: z.object({ free: z.number().int(), total: z.number().int() }),
  /** Why nothing is being dispatched right now, if so. */
  waiting: waitReasonSchema.nullable(),
  waitingDetail: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FleetRun = z.infer<typeof fleetRunSchema>;

export const runLogEntrySchema = z.object({
  at: z.string(),
  unitKey: z.string(),
  title: z.string(),
  kind: z.enum(['claimed', 'skipped', 'released', 'expired']),
  reason: z.string(),
  assignmentId: z.string().nullable(),
});
export type RunLogEntry = z.infer<typeof runLogEntrySchema>;

export const inboxKinds = [
  'disk_full',
  'approval_required',
  'credentials_missing',
  'cooldown_all_accounts',
  'merge_conflict_wave',
  'claim_expired',
  'run_blocked',
  /** An assignment closed out failed (not a rate limit or a host crash, which are requeued): the owner decides what next. */
  'closeout_failed',
  'mcp_failed',
  'ready_for_review',
  'budget_reached',
  'worker_silent',
  /** Something failed inside the host (a store write, an output file) and it kept running: the owner should know. */
  'host_fault',
  /** An account hit its provider's rate limit: it rests until the reset, and its unit went back to the queue. */
  'rate_limited',
] as const;
export const inboxKindSchema = z.enum(inboxKinds);

/** How long the owner can put an Inbox item aside: an hour, or until tomorrow morning (the host's time). */
export const snoozeChoices = ['hour', 'tomorrow'] as const;
export const snoozeChoiceSchema = z.enum(snoozeChoices);
export type SnoozeChoice = z.infer<typeof snoozeChoiceSchema>;

export const inboxActionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approve'), runId: z.string() }),
  /** A single spawn an agent asked for through MCP: it runs (and spends) only once approved. */
  z.object({ kind: z.literal('approve_spawn'), spawnId: z.string() }),
  z.object({ kind: z.literal('reconnect'), ref: z.string() }),
  z.object({ kind: z.literal('resume'), runId: z.string() }),
  z.object({ kind: z.literal('open_run'), runId: z.string() }),
  z.object({ kind: z.literal('open_worker'), assignmentId: z.string() }),
  /** Open the assignment's diff (its review). */
  z.object({ kind: z.literal('open_diff'), assignmentId: z.string() }),
  /** "Ask the worker to resolve": a follow-up to the worker whose merge conflicted, with the conflict staged. */
  z.object({ kind: z.literal('resolve_conflict'), waveId: z.string() }),
  /** Ask the host to check the disk again and, if there is room, dispatch again. */
  z.object({ kind: z.literal('check_disk') }),
  /** Open a DAG fleet (its graph, table, feed and report). */
  z.object({ kind: z.literal('open_fleet'), fleetId: z.string() }),
  /** The owner has seen a host fault: it leaves the Inbox. */
  z.object({ kind: z.literal('dismiss_fault'), faultId: z.string() }),
  /** Open the Accounts view (an account's cooldown, its slots). */
  z.object({ kind: z.literal('open_accounts') }),
]);
export type InboxAction = z.infer<typeof inboxActionSchema>;

export const inboxItemSchema = z.object({
  id: z.string(),
  kind: inboxKindSchema,
  severity: z.enum(['info', 'warning', 'critical']),
  title: z.string(),
  detail: z.string(),
  refs: z.record(z.string(), z.string()),
  action: inboxActionSchema,
  /** The button's text, e.g. "Approve run". */
  actionLabel: z.string(),
  createdAt: z.string(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

/**
 * Whether the item asks the owner to act, so it is worth an OS notification: warnings and critical
 * items. Info items (ready for review, a rate limit the host already works around) wait in the Inbox.
 */
export function needsAction(item: Pick<InboxItem, 'severity'>): boolean {
  return item.severity !== 'info';
}
