import { z } from 'zod';
import {
  accountRefSchema,
  accountSchema,
  loginMethodSchema,
  loginSchema,
  providerInfoSchema,
  providerSchema,
  settingsSchema,
} from './accounts';
import { fleetRunSchema, inboxItemSchema, newRunInputSchema, repoPathSchema, runControlSchema, runLogEntrySchema, snoozeChoiceSchema } from './runs';
import { assignmentDetailSchema, cardSchema, reasoningEffortSchema, workerKindSchema, workerTypeSchema } from './domain';
import { fleetErrorSchema } from './errors';
import {
  firstRunGuideSchema,
  folderCompletionSchema,
  recentRepositorySchema,
  repositoryInfoSchema,
  typedFolderSchema,
} from './repos';
import { assignmentDiffSchema, cleanupResultSchema, mergeWaveInputSchema, mergeWaveSchema } from './review';
import {
  composeFleetInputSchema,
  fleetDetailSchema,
  fleetFeedEntrySchema,
  fleetPreviewSchema,
  fleetRefSchema,
  fleetSummarySchema,
} from './fleets';

const assignmentRef = z.object({ assignmentId: z.string().min(1) });
/** A terminal pane: an assignment's transcript (its id is the assignment's) or an interactive shell. */
const paneRef = z.object({ paneId: z.string().min(1) });
const accountRef = z.object({ ref: z.string().min(1) });
const loginRef = z.object({ loginId: z.string().min(1) });

export const connectAccountInputSchema = z.object({
  provider: providerSchema,
  /** Leave out to get the next free ref (`codex`, `codex-2`, ...). */
  ref: accountRefSchema.optional(),
  /** Codex: `device`. Claude: `browser` (paste-code login), `token` (setup-token output) or `api_key`. */
  method: loginMethodSchema,
  /** The long-lived token or API key, for those two methods only. */
  secret: z.string().trim().min(1).max(10_000).optional(),
});
export type ConnectAccountInput = z.infer<typeof connectAccountInputSchema>;

/** Options that only the no-spend fixture worker understands. */
export const fixtureOptionsSchema = z.object({
  /** How long the scripted run takes, spread over its events. */
  durationMs: z.number().int().min(0).max(600_000).default(1_500),
  /** Make the worker end with an error result and a non-zero exit, as a crashing agent would. */
  fail: z.boolean().default(false),
  /** Make the worker die mid-run without a result, as a crashing CLI would. */
  crash: z.boolean().default(false),
  /** Extra transcript bytes to print (for benchmarks of the output path). */
  floodBytes: z.number().int().min(0).max(1_000_000_000).default(0),
});
export type FixtureOptions = z.infer<typeof fixtureOptionsSchema>;

export const newTaskInputSchema = z.object({
  title: z.string().trim().min(1).max(200),
  repoPath: repoPathSchema,
  prompt: z.string().trim().min(1).max(100_000),
  verifyCommand: z.string().trim().min(1).max(10_000),
  workerKind: workerKindSchema,
  /** Claude and Codex: the account to run on; left out, a ready account with a free slot is picked. */
  accountRef: z.string().min(1).optional(),
  workerType: workerTypeSchema.default('code-run'),
  model: z.string().trim().min(1).max(200).optional(),
  maxTurns: z.number().int().min(1).max(1_000).optional(),
  /** Claude only (`--max-budget-usd`): Codex has no per-worker budget cap. */
  maxBudgetUsd: z.number().positive().max(10_000).optional(),
  /** Codex only (`-c model_reasoning_effort=...`). */
  reasoningEffort: reasoningEffortSchema.optional(),
  fixture: fixtureOptionsSchema.optional(),
});
export type NewTaskInput = z.infer<typeof newTaskInputSchema>;

/** The seed's `khala request`: a task pinned to a branch and commit the repository must be on. */
export const taskRequestInputSchema = newTaskInputSchema.extend({
  branch: z.string().trim().min(1).max(255).optional(),
  /** A full or abbreviated sha; the repository's HEAD must be this commit. */
  commit: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{7,40}$/i, 'a commit is 7 to 40 hex digits')
    .optional(),
});
export type TaskRequestInput = z.infer<typeof taskRequestInputSchema>;

export const spawnStates = ['pending', 'approved', 'declined'] as const;

/** What an agent asked to start through MCP (one bounded task, or a DAG fleet launch), waiting for (or decided by) the owner in the Inbox. */
export const spawnRequestSchema = z.object({
  id: z.string(),
  state: z.enum(spawnStates),
  /** Who asked: the MCP tool's name, e.g. `codex_spawn`. */
  requestedBy: z.string(),
  /** A task; null for a fleet launch. */
  request: taskRequestInputSchema.nullable(),
  /** A fleet launch: the fleet root; null for a task. */
  fleetRoot: z.string().nullable(),
  /** The assignment its approval started. */
  assignmentId: z.string().nullable(),
  /** The fleet its approval launched. */
  fleetId: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type SpawnRequest = z.infer<typeof spawnRequestSchema>;

export const hostInfoSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  transport: z.enum(['ipc', 'websocket']),
});
export type HostInfo = z.infer<typeof hostInfoSchema>;

export const diskCheckSchema = z.object({
  /** Whether new dispatch stays paused. */
  diskFull: z.boolean(),
  freeBytes: z.number().nonnegative(),
  detail: z.string(),
});
export type DiskCheck = z.infer<typeof diskCheckSchema>;

/** Requests from a face to the core. The router is typed against this map. */
export const commands = {
  'host.info': { input: z.object({}), output: hostInfoSchema },
  'tasks.create': { input: newTaskInputSchema, output: cardSchema },
  'cards.list': { input: z.object({}), output: z.array(cardSchema) },
  'assignments.get': { input: assignmentRef, output: assignmentDetailSchema },
  /** A sustained run; it starts as a draft waiting for the owner's approval in the Inbox. */
  'runs.create': { input: newRunInputSchema, output: fleetRunSchema },
  'runs.list': { input: z.object({}), output: z.array(fleetRunSchema) },
  'runs.get': {
    input: z.object({ runId: z.string().min(1) }),
    output: z.object({ run: fleetRunSchema, log: z.array(runLogEntrySchema) }),
  },
  /** The one approval a sustained run asks for; nothing is claimed or spent before it. */
  'runs.approve': { input: z.object({ runId: z.string().min(1) }), output: fleetRunSchema },
  /** pause / resume / drain / stop; a control the run's state does not allow is refused (`control_not_allowed`). */
  'runs.control': { input: z.object({ runId: z.string().min(1), control: runControlSchema }), output: fleetRunSchema },
  /** What needs the owner, highest priority first. */
  'inbox.list': { input: z.object({}), output: z.array(inboxItemSchema) },
  /** The owner has seen the item: it leaves the Inbox (across restarts) until its cause arises again. */
  'inbox.dismiss': { input: z.object({ itemId: z.string().min(1).max(300) }), output: z.object({}) },
  /** Hides the item until the time passes (by the core's clock); then it is back by itself. */
  'inbox.snooze': { input: z.object({ itemId: z.string().min(1).max(300), until: snoozeChoiceSchema }), output: z.object({ until: z.string() }) },
  /** Stops the worker: SIGINT, then SIGTERM, then SIGKILL to its whole process group. */
  'assignments.interrupt': { input: assignmentRef, output: cardSchema },
  /** A new assignment for the same unit; a still-running old one is interrupted and closed out first. */
  /** A new assignment for the same unit; `prompt` (the owner's edit) replaces the old one's prompt. */
  'assignments.retry': { input: assignmentRef.extend({ prompt: z.string().trim().min(1).max(100_000).optional() }), output: cardSchema },
  /** Resumes the finished worker's provider session with another prompt, in the same pane. */
  'assignments.followUp': { input: assignmentRef.extend({ prompt: z.string().trim().min(1).max(100_000) }), output: cardSchema },
  /** The worker's raw JSONL as it printed it (the tail, when it is long). */
  'assignments.rawLog': { input: assignmentRef, output: z.object({ text: z.string(), truncated: z.boolean() }) },
  /** Removes a kept worktree; uncommitted work is refused (`worktree_dirty`) unless `force`. */
  'worktrees.remove': { input: assignmentRef.extend({ force: z.boolean().default(false) }), output: cardSchema },
  /** An interactive shell in the assignment's worktree; its output arrives as a pane. */
  'shells.open': { input: assignmentRef.extend({ cols: z.number().int().min(2).max(1_000), rows: z.number().int().min(2).max(500) }), output: paneRef },
  'shells.input': { input: paneRef.extend({ data: z.string().max(1_000_000) }), output: z.object({}) },
  'shells.resize': { input: paneRef.extend({ cols: z.number().int().min(2).max(1_000), rows: z.number().int().min(2).max(500) }), output: z.object({}) },
  'shells.close': { input: paneRef, output: z.object({}) },
  /** Subscribe this connection to a pane's output; returns the scrollback to replay first. */
  'terminal.attach': {
    input: paneRef,
    output: z.object({
      paneId: z.string(),
      scrollback: z.string(),
      /** Offset (in characters of the whole stream) where live `terminal.data` continues. */
      end: z.number().int().nonnegative(),
      finished: z.boolean(),
    }),
  },
  'terminal.detach': { input: paneRef, output: z.object({}) },
  'providers.list': { input: z.object({}), output: z.array(providerInfoSchema) },
  'settings.get': { input: z.object({}), output: settingsSchema },
  'settings.update': { input: settingsSchema.partial(), output: settingsSchema },
  /** The inventory: every account with its readiness, as a table. */
  'accounts.list': { input: z.object({}), output: z.array(accountSchema) },
  /** Starts a login into a new isolated home; follow it with `login.updated`. */
  'accounts.connect': { input: connectAccountInputSchema, output: loginSchema },
  /** Runs the device login again into the same home. */
  'accounts.reconnect': { input: accountRef, output: loginSchema },
  /** Re-probes readiness (never starts a login); all accounts when no ref is given. */
  'accounts.refresh': { input: z.object({ ref: z.string().min(1).optional() }), output: z.array(accountSchema) },
  'accounts.setPaused': { input: accountRef.extend({ paused: z.boolean() }), output: accountSchema },
  'accounts.setSlots': { input: accountRef.extend({ slots: z.number().int().min(0).max(64) }), output: accountSchema },
  /** Deletes the account and its home; `confirm` must be true. */
  'accounts.remove': { input: accountRef.extend({ confirm: z.literal(true) }), output: z.object({ ref: z.string() }) },
  'logins.get': { input: loginRef, output: loginSchema },
  /** Claude's browser login: the code the owner pasted from the browser. */
  'logins.submitCode': { input: loginRef.extend({ code: z.string().trim().min(1).max(2_000) }), output: loginSchema },
  'logins.cancel': { input: loginRef, output: loginSchema },
  /** Reads and checks a fleet folder; creates nothing (problems are listed, not thrown). */
  'fleets.preview': { input: z.object({ root: z.string().min(1).max(4096) }), output: fleetPreviewSchema },
  /** Writes `fleet.json` and `workers/<id>/prompt.md` (exactly those files), then previews the folder. */
  'fleets.compose': { input: composeFleetInputSchema, output: fleetPreviewSchema },
  /** Registers the fleet by name and root and starts its first layer; any problem refuses it and creates nothing. */
  'fleets.launch': { input: z.object({ root: z.string().min(1).max(4096) }), output: fleetDetailSchema },
  'fleets.list': { input: z.object({}), output: z.array(fleetSummarySchema) },
  'fleets.get': { input: fleetRefSchema, output: fleetDetailSchema },
  /** The operator's hard stop: one worker (its whole process tree) or `all` (every worker, every orphan swept). */
  'fleets.kill': { input: fleetRefSchema.extend({ worker: z.string().min(1).max(200), force: z.boolean().default(false) }), output: fleetDetailSchema },
  /** Re-runs one ended worker from its (edited) prompt.md; its previous session log is kept as `.bak`. */
  'fleets.relaunch': { input: fleetRefSchema.extend({ workerId: z.string().min(1).max(200) }), output: fleetDetailSchema },
  'fleets.prompt': { input: fleetRefSchema.extend({ workerId: z.string().min(1).max(200) }), output: z.object({ path: z.string(), text: z.string() }) },
  'fleets.savePrompt': {
    input: fleetRefSchema.extend({ workerId: z.string().min(1).max(200), text: z.string().max(1_000_000) }),
    output: z.object({ path: z.string() }),
  },
  /** The unified feed, oldest first, after `after` (a cursor from an earlier page or event). */
  'fleets.feed': {
    input: fleetRefSchema.extend({
      workerId: z.string().min(1).max(200).optional(),
      after: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(2_000).default(500),
    }),
    output: z.object({ entries: z.array(fleetFeedEntrySchema), cursor: z.number().int() }),
  },
  /** Writes `report.md` in the fleet root and returns it. */
  'fleets.report': { input: fleetRefSchema, output: z.object({ path: z.string(), markdown: z.string() }) },
  /** Sent from xterm's write callback: these characters have been parsed. */
  'terminal.ack': {
    input: paneRef.extend({ chars: z.number().int().positive() }),
    output: z.object({}),
  },
  /** The owner's one bounded task from a terminal (`khala request`): refused unless the repository is on the pinned branch and commit. */
  'tasks.request': { input: taskRequestInputSchema, output: cardSchema },
  /** An agent's spawn (MCP): stored as pending with an Inbox approval; nothing runs or spends before `spawns.approve`. */
  'spawns.propose': { input: taskRequestInputSchema.extend({ requestedBy: z.string().trim().min(1).max(100) }), output: spawnRequestSchema },
  /** An agent's DAG fleet launch (MCP): the folder is checked now, and launched only on `spawns.approve`. */
  'spawns.proposeFleet': { input: z.object({ root: z.string().min(1).max(4096), requestedBy: z.string().trim().min(1).max(100) }), output: spawnRequestSchema },
  'spawns.list': { input: z.object({}), output: z.array(spawnRequestSchema) },
  'spawns.get': { input: z.object({ spawnId: z.string().min(1) }), output: spawnRequestSchema },
  /** The owner's approval: starts the task (the pin is checked again) and records its assignment. */
  'spawns.approve': { input: z.object({ spawnId: z.string().min(1) }), output: spawnRequestSchema },
  'spawns.decline': { input: z.object({ spawnId: z.string().min(1) }), output: spawnRequestSchema },
  /** What the assignment changed against its pinned commit (committed, uncommitted, untracked), file by file. */
  'review.diff': { input: assignmentRef, output: assignmentDiffSchema },
  /** Commits the worker's uncommitted work on its branch, pushes it and opens a pull request (push failures are typed). */
  'review.createPr': { input: assignmentRef, output: cardSchema },
  /** Starts a merge wave (lowest issue number first, each verified on the integrated state); progress comes as `wave.updated`. */
  'review.mergeWave': { input: mergeWaveInputSchema, output: mergeWaveSchema },
  /** Goes on with a stopped wave from the assignment it stopped at. */
  'review.resumeWave': { input: z.object({ waveId: z.string().min(1) }), output: mergeWaveSchema },
  /** Stages the wave's conflict in the worker's worktree and asks its session to resolve it; the wave resumes after. */
  'review.resolveConflict': { input: z.object({ waveId: z.string().min(1) }), output: cardSchema },
  'review.waves': { input: z.object({}), output: z.array(mergeWaveSchema) },
  /** Removes merged worktrees and their `fleet/*` branches; unmerged or uncommitted work is kept (with why) unless `force`. */
  'review.cleanup': {
    input: z.object({ runId: z.string().min(1).optional(), assignmentIds: z.array(z.string().min(1)).max(1_000).optional(), force: z.boolean().default(false) }),
    output: cleanupResultSchema,
  },
  /** Repositories work started in, most recent first, each with the verify command last used there. */
  'repos.recent': { input: z.object({}), output: z.array(recentRepositorySchema) },
  /** A picked folder as a repository: its top, current branch, branches and remembered verify command. */
  'repos.describe': { input: z.object({ repoPath: repoPathSchema }), output: repositoryInfoSchema },
  /** Sub-folders of a typed path, inside the owner's home only (`path_outside_home`). */
  'repos.complete': { input: z.object({ typed: typedFolderSchema }), output: folderCompletionSchema },
  /** The desktop app's folder dialog (`folder_dialog_unavailable` elsewhere); a cancel is `path: null`. */
  'repos.chooseFolder': { input: z.object({}), output: z.object({ path: z.string().nullable() }) },
  'firstRun.get': { input: z.object({}), output: firstRunGuideSchema },
  'firstRun.dismiss': { input: z.object({}), output: firstRunGuideSchema },
  /** Checks the data dir's free space again (statfs and a probe write); with room, dispatch resumes. */
  'host.checkDisk': { input: z.object({}), output: diskCheckSchema },
  /** The owner has seen a host fault: it leaves the Inbox (a full disk leaves only when there is room). */
  'host.dismissFault': { input: z.object({ faultId: z.string().min(1).max(200) }), output: z.object({}) },
} as const;

/** Pushes from the core to every subscribed face. */
export const events = {
  'card.updated': cardSchema,
  'terminal.data': z.object({
    paneId: z.string(),
    /** Offset of `data`'s first character in the pane's whole stream: replay and live never overlap. */
    start: z.number().int().nonnegative(),
    data: z.string(),
  }),
  'terminal.finished': z.object({ paneId: z.string(), end: z.number().int().nonnegative() }),
  /** This connection no longer receives the pane's output (it stopped acknowledging); attach again to resync. */
  'terminal.detached': z.object({
    paneId: z.string(),
    reason: z.enum(['stalled']),
    /** Characters it had been sent but not acknowledged when it was detached. */
    unackedChars: z.number().int().nonnegative(),
  }),
  'login.updated': loginSchema,
  'account.updated': accountSchema,
  'account.removed': z.object({ ref: z.string() }),
  'run.updated': fleetRunSchema,
  /** The whole inbox whenever it changes (it is small, and derived from the store). */
  'inbox.updated': z.array(inboxItemSchema),
  /** A merge wave's progress: each step's state, and where and why it stopped. */
  'wave.updated': mergeWaveSchema,
  /** A spawn request was proposed, approved or declined. */
  'spawn.updated': spawnRequestSchema,
  /** A fleet's summary whenever a worker's state, the fleet's state or its spend changes. */
  'fleet.updated': fleetSummarySchema,
  /** New feed lines of a fleet as they happen. */
  'fleet.feed': z.object({ fleetId: z.string(), entries: z.array(fleetFeedEntrySchema) }),
  /**
   * Raised by a face's own transport, never by the core: a lost link is back (the host restarted).
   * What the page shows is asked again and every open pane attaches again, so it replays what it missed.
   */
  'host.reconnected': z.object({}),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<K extends CommandName> = z.input<Commands[K]['input']>;
export type ParsedCommandInput<K extends CommandName> = z.output<Commands[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const eventNames = Object.keys(events) as EventName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** The wire messages of both transports (WebSocket frames and the IPC reply/event channel). */
export const invokeResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: fleetErrorSchema }),
]);

export const clientMessageSchema = z.object({
  t: z.literal('invoke'),
  id: z.number().int(),
  command: z.string(),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { t: 'result'; id: number; result: z.infer<typeof invokeResultSchema> }
  | { t: 'event'; event: EventName; payload: unknown };

export type InvokeResult = z.infer<typeof invokeResultSchema>;

/**
 * What the preload exposes as `window.fleet`. It hands back the result envelope rather than throwing,
 * because contextBridge copies only an Error's message and the renderer needs the typed code.
 */
export interface FleetPreloadApi {
  invoke(command: string, input: unknown): Promise<InvokeResult>;
  subscribe(event: string, handler: (payload: unknown) => void): () => void;
}

/** The renderer's typed view of either transport; rejected invokes throw the typed error value. */
export interface FleetBridge {
  invoke<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  subscribe<K extends EventName>(event: K, handler: (payload: EventPayload<K>) => void): () => void;
}

/** What travels on the IPC event channel: the preload hands handlers the payload only. */
export interface IpcEventMessage {
  event: string;
  payload: unknown;
}

/** IPC channel names: the only two the preload and the host's IPC transport use. */
export const IPC_CHANNELS = {
  invoke: 'fleet:invoke',
  event: 'fleet:event',
} as const;
