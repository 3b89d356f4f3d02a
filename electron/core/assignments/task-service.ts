import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fixtureOptionsSchema, type FixtureOptions, type NewTaskInput } from '../../../shared/contract';
import { FIXTURE_ACCOUNT_REF } from '../../../shared/constants';
import type { AssignmentDetail, Card, Closeout, WorkerKind } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import { fleetWorkerIdSchema, type ResolvedFleetWorker } from '../../../shared/fleets';
import { maskSecrets } from '../../../shared/secret-mask';
import { coolDownIfRateLimited } from '../accounts/rate-limits';
import type { AccountService, WorkerAccount } from '../accounts/account-service';
import { claimUnit, releaseClaim } from '../claims/claims';
import { reconcile } from '../closeout/checklist';
import { STALE, staleCloseout } from '../closeout/requeue';
import { readReported } from '../closeout/evidence';
import type { ConnectionHub } from '../connection';
import type { HostHealth } from '../health/host-health';
import { addWorktree, dirtyFiles, pinRepo, removeWorktree } from '../git/repo';
import { newRef, slug } from '../refs';
import type { Db } from '../store/database';
import { readOutputText, readOutputTextSync } from '../terminal/output-file';
import { PaneOutput } from '../terminal/pane-output';
import type { PaneRegistry } from '../terminal/pane-registry';
import type { LaunchContext, WorkerAdapter } from '../workers/adapter';
import { killProcessTree, workerMarker, type KillTreeOptions } from '../workers/process-tree';
import { providerOptionsSchema } from '../workers/provider-options';
import { AssignmentRunner, cutBack } from './assignment-runner';
import type { SupervisionStore } from './supervision-store';
import type { AssignmentRow, AssignmentStore, NewAssignment } from './assignment-store';
import { projectCard } from './cards';
import { assignmentFiles, worktreePath } from './paths';
import { OWNER_ONLY_DIR } from '../store/owner-only';

/** The assignment lease of fleet-model.md: an hour. */
const ASSIGNMENT_LEASE_MS = 60 * 60 * 1000;
/** Card pushes for one assignment are coalesced over this window, so a chatty worker cannot flood the faces. */
const CARD_PUSH_COALESCE_MS = 50;
/** The raw view shows this much of the end of a long raw log. */
export const RAW_LOG_TAIL_CHARS = 256 * 1024;
/** Files named in a worktree_dirty refusal; the rest are counted. */
const DIRTY_FILES_SHOWN = 20;

/** What one dispatch needs: a new task, a retry of an earlier assignment, or a unit a run claimed. */
interface DispatchSpec {
  workUnitId: string | null;
  runId: string | null;
  /** Set when the unit was claimed before dispatch (by the supervisor), under this assignment id. */
  claimed?: { assignmentId: string; claimId: string; account: WorkerAccount | null };
  taskRef: string;
  title: string;
  prompt: string;
  verifyCommand: string;
  workerKind: WorkerKind;
  accountRef: string | undefined;
  workerType: AssignmentRow['workerType'];
  model: string | null;
  options: Record<string, unknown>;
  repo: { root: string; commit: string };
  branch: string;
  retryOf: string | null;
}

/** Why a dispatch stopped before its worker ran: making the worktree, or any other step. */
type DispatchBlocker = 'worktree_failed' | 'dispatch_failed';

/** One worker of a DAG fleet to start: in the fleet root, with no worktree and no verify. */
export interface FleetWorkerDispatch {
  fleetId: string;
  fleetName: string;
  /** The fleet root (absolute): the worker's cwd. */
  root: string;
  worker: ResolvedFleetWorker;
  /** The whole prompt, output line included. */
  prompt: string;
  /** Absolute path of `workers/<id>/session.jsonl`: the raw log is mirrored there. */
  sessionLog: string;
  /** Claude and Codex: the account to run on; left out, a ready account with a free slot is picked. */
  accountRef?: string;
  /** A `fixture` worker's scripted run (how long, whether it fails); ignored for other providers. */
  fixture?: Partial<FixtureOptions>;
}

/** What an app quit does with the workers that run: leave them running (re-adopted at the next start) or stop them all. */
export type WorkerFate = 'keep' | 'stop';

/** Why a DAG worker's card has no retry, follow-up or worktree removal. */
const FLEET_WORKER_CONTROL = 'A DAG fleet worker is relaunched from its fleet, one worker at a time.';

/** Owns live assignments: from a request to a running worker, its pane, its controls and its card pushes. */
export class TaskService {
  private readonly runners = new Map<string, AssignmentRunner>();
  private readonly pendingPushes = new Map<string, NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly deps: {
      db: Db;
      store: AssignmentStore;
      supervision: SupervisionStore;
      hub: ConnectionHub;
      panes: PaneRegistry;
      accounts: AccountService;
      onAssignmentClosed: (assignmentId: string) => void;
      dataDir: string;
      adapters: Record<WorkerKind, WorkerAdapter>;
      log: (message: string) => void;
      health: HostHealth;
      /** The process-tree kill's grace and settle times (tests shorten them). */
      killTree?: KillTreeOptions;
    },
  ) {}

  /** Pins the repo, claims a new unit, makes the worktree and starts the worker. Nothing is recorded for bad input. */
  async createTask(input: NewTaskInput): Promise<Card> {
    const repo = await pinRepo(input.repoPath);
    const taskRef = newRef('task');
    const fixture = input.workerKind === 'fixture';
    return this.dispatch({
      workUnitId: null,
      runId: null,
      taskRef,
      title: input.title,
      prompt: input.prompt,
      verifyCommand: input.verifyCommand,
      workerKind: input.workerKind,
      accountRef: input.accountRef,
      workerType: input.workerType,
      model: input.model ?? null,
      options: fixture
        ? fixtureOptionsSchema.parse(input.fixture ?? {})
        : providerOptionsSchema.parse({ maxTurns: input.maxTurns, maxBudgetUsd: input.maxBudgetUsd, reasoningEffort: input.reasoningEffort }),
      repo: { root: repo.root, commit: repo.commit },
      branch: `fleet/${taskRef}/${slug(input.title)}`,
      retryOf: null,
    });
  }

  /**
   * Starts one DAG fleet worker: its work unit (`fleet:<fleet>:<worker>:<attempt>`), claim and
   * assignment, run in the fleet root with no worktree (no git at all) and no verify. The worker's
   * type sets its limits and its budget goes to Claude as `--max-budget-usd`. Refused with
   * `no_ready_account`, before anything is recorded, when no account of its provider can take it.
   */
  async dispatchFleetWorker(spec: FleetWorkerDispatch): Promise<Card> {
    const { store, db, dataDir } = this.deps;
    const { worker } = spec;
    if (!path.isAbsolute(spec.root) || !path.isAbsolute(spec.sessionLog)) {
      throw new FleetError('invalid_input', 'A fleet root and its session log must be absolute paths.');
    }
    if (!fleetWorkerIdSchema.safeParse(worker.id).success) throw new FleetError('invalid_input', 'A worker id must name one folder under workers/.');
    const kind: WorkerKind = worker.provider;
    const account = kind === 'fixture' ? null : this.deps.accounts.workerAccount(kind, spec.accountRef);
    const outputDir = path.join(spec.root, 'workers', worker.id, 'output');
    try {
      // The worker writes its files here (the output line says so); its session log goes beside it.
      mkdirSync(outputDir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      throw new FleetError('invalid_input', `The folder workers/${worker.id}/output could not be made in the fleet root (${code}).`);
    }

    const assignmentId = newRef('asg');
    const taskRef = newRef('task');
    const files = assignmentFiles(dataDir, taskRef, assignmentId);
    const options =
      kind === 'fixture'
        ? fixtureOptionsSchema.parse(spec.fixture ?? {})
        : providerOptionsSchema.parse({
            maxTurns: worker.maxTurns ?? undefined,
            // Codex has no budget cap (the fleet file check refuses one); only Claude takes it.
            maxBudgetUsd: kind === 'claude' ? (worker.maxBudgetUsd ?? undefined) : undefined,
            reasoningEffort: worker.reasoningEffort ?? undefined,
          });
    store.transaction(() => {
      const attempt = store.fleetWorkerAttempts(spec.fleetId, worker.id) + 1;
      const title = `${spec.fleetName}/${worker.id}`;
      const workUnitId = store.createWorkUnit({ source: 'dag', key: `fleet:${spec.fleetId}:${worker.id}:${attempt}`, title });
      const claimId = claimUnit(db, { workUnitId, holder: assignmentId, runId: null });
      store.insert({
        id: assignmentId,
        workUnitId,
        claimId,
        runId: null,
        taskRef,
        workerKind: kind,
        accountRef: account?.ref ?? FIXTURE_ACCOUNT_REF,
        prompt: spec.prompt,
        // No worktree: the fleet root is the worker's folder, and no branch or commit is pinned.
        repoPath: spec.root,
        branch: '',
        commit: '',
        worktreePath: spec.root,
        verifyCommand: '',
        options,
        paymentMode: kind === 'fixture' ? 'no-spend' : 'spend',
        payoutClaimAllowed: kind !== 'fixture',
        leaseExpiresAt: new Date(Date.now() + ASSIGNMENT_LEASE_MS).toISOString(),
        workerType: worker.type,
        model: worker.model,
        retryOf: null,
        fleet: { fleetId: spec.fleetId, workerId: worker.id },
      });
      store.appendEvent(assignmentId, 'accepted', `accepted: ${title}${attempt > 1 ? ` (launch ${attempt})` : ''} in ${spec.root}`);
    });

    mkdirSync(files.dir, { recursive: true, mode: OWNER_ONLY_DIR });
    const pane = this.deps.panes.add(new PaneOutput(assignmentId, files.transcript));
    const context: LaunchContext = {
      privateHome: files.privateHome,
      account: account && { home: account.home, env: account.env, cli: account.cli },
      followUp: null,
    };
    this.startRunner(assignmentId, this.deps.adapters[kind], pane, context, spec.sessionLog);
    return projectCard(store, assignmentId);
  }

  /**
   * The operator's kill: the worker's process group and every descendant (found by walking /proc,
   * even those that called setsid or were re-parented). Resolves with the pids it killed once they are
   * gone and the assignment has closed out as interrupted. On an assignment whose worker has already
   * ended it only sweeps leftover descendants (none: []).
   */
  async killTree(assignmentId: string): Promise<number[]> {
    this.deps.store.get(assignmentId);
    const marker = workerMarker(assignmentId);
    const runner = this.runners.get(assignmentId);
    if (!runner) return killProcessTree({ rootPid: () => null, marker }, this.deps.killTree);
    // A worker that already exited on its own is not marked killed: its closeout, under way, tells how it ended.
    if (runner.workerPid() !== null) runner.markKilled();
    const pids = await killProcessTree({ rootPid: () => runner.workerPid(), marker }, this.deps.killTree);
    await runner.done;
    return pids;
  }

  /**
   * A new assignment for the same unit; a still-running old one is interrupted and closed out first.
   * `prompt`, when given, is the owner's edit of the old prompt.
   */
  async retry(assignmentId: string, prompt?: string): Promise<Card> {
    const old = this.deps.store.get(assignmentId);
    if (old.fleetId !== null) throw new FleetError('control_not_allowed', FLEET_WORKER_CONTROL);
    const runner = this.runners.get(assignmentId);
    if (runner) {
      runner.interrupt();
      await runner.done;
    }
    const attempt = this.deps.store.attemptsOf(old.workUnitId) + 1;
    return this.dispatch({
      workUnitId: old.workUnitId,
      runId: old.runId,
      taskRef: old.taskRef,
      title: old.title,
      prompt: prompt ?? old.prompt,
      verifyCommand: old.verifyCommand,
      workerKind: old.workerKind,
      accountRef: undefined,
      workerType: old.workerType,
      model: old.model,
      options: old.options,
      repo: { root: old.repoPath, commit: old.commit },
      branch: `${old.branch.replace(/-retry-\d+$/, '')}-retry-${attempt}`,
      retryOf: old.id,
    });
  }

  interrupt(assignmentId: string): Card {
    const runner = this.runners.get(assignmentId);
    if (!runner) {
      const status = this.deps.store.get(assignmentId).status;
      throw new FleetError('assignment_not_running', `Assignment ${assignmentId} is not running (it is ${status}).`);
    }
    runner.interrupt();
    return projectCard(this.deps.store, assignmentId);
  }

  /** Resumes the finished worker's provider session with another prompt, streaming into the same pane. */
  followUp(assignmentId: string, prompt: string): Card {
    const { store, db } = this.deps;
    const a = store.get(assignmentId);
    const adapter = this.deps.adapters[a.workerKind];
    if (a.fleetId !== null) throw new FleetError('control_not_allowed', FLEET_WORKER_CONTROL);
    if (a.status !== 'closed') throw new FleetError('assignment_not_finished', `Assignment ${a.id} is still ${a.status}; follow up once it has closed out.`);
    if (!adapter.resumable) throw new FleetError('invalid_input', `A ${a.workerKind} worker has no session to resume.`);
    if (!a.sessionRef) throw new FleetError('invalid_input', `Assignment ${a.id} never reported a session to resume.`);
    if (a.worktreeRemovedAt) throw new FleetError('invalid_input', `The worktree of ${a.id} was removed.`);
    const context: LaunchContext = {
      privateHome: assignmentFiles(this.deps.dataDir, a.taskRef, a.id).privateHome,
      account: this.accountFor(a.workerKind, a.accountRef),
      followUp: { sessionRef: a.sessionRef, prompt },
    };
    store.transaction(() => {
      const claimId = claimUnit(db, { workUnitId: a.workUnitId, holder: a.id, runId: a.runId });
      store.reopen(a.id, claimId);
      store.appendEvent(a.id, 'follow_up_started', `follow-up: ${maskSecrets(prompt).replace(/\s+/g, ' ').slice(0, 120)}`);
    });
    const files = assignmentFiles(this.deps.dataDir, a.taskRef, a.id);
    const earlier = readOutputTextSync(files.transcript);
    const pane = this.deps.panes.add(new PaneOutput(a.id, files.transcript, earlier));
    this.startRunner(a.id, adapter, pane, context);
    return projectCard(store, a.id);
  }

  async detail(assignmentId: string): Promise<AssignmentDetail> {
    const { store } = this.deps;
    const a = store.get(assignmentId);
    const files = assignmentFiles(this.deps.dataDir, a.taskRef, a.id);
    const reported = await readReported(this.deps.adapters[a.workerKind], files.rawLog);
    const tokenRows = store.tokenRows(a.id);
    return {
      card: projectCard(store, a.id),
      events: store.events(a.id),
      tokenRows,
      verify: store.verify(a.id),
      prompt: maskSecrets(a.prompt),
      reconciliation: reconcile(reported.turns, tokenRows, a.interruptedAt !== null),
    };
  }

  async rawLog(assignmentId: string): Promise<{ text: string; truncated: boolean }> {
    const a = this.deps.store.get(assignmentId);
    const file = assignmentFiles(this.deps.dataDir, a.taskRef, a.id).rawLog;
    // The file keeps the provider's bytes as evidence; what the owner is shown is masked.
    const whole = await readOutputText(file);
    return { text: maskSecrets(whole.slice(-RAW_LOG_TAIL_CHARS)), truncated: whole.length > RAW_LOG_TAIL_CHARS };
  }

  /** Removes a kept worktree (the branch stays for review); uncommitted work needs `force`. */
  async removeWorktree(assignmentId: string, force: boolean): Promise<Card> {
    const a = this.deps.store.get(assignmentId);
    if (a.fleetId !== null) throw new FleetError('control_not_allowed', 'A DAG fleet worker runs in its fleet root, which has no worktree to remove.');
    if (a.status !== 'closed') throw new FleetError('assignment_not_finished', `Assignment ${a.id} is still ${a.status}.`);
    if (!a.worktreeRemovedAt) {
      // A folder deleted by hand has no work left to lose: its entry is only pruned.
      const dirty = existsSync(a.worktreePath) ? await dirtyFiles(a.worktreePath) : [];
      if (dirty.length > 0 && !force) {
        const shown = dirty.slice(0, DIRTY_FILES_SHOWN).join(', ');
        const more = dirty.length > DIRTY_FILES_SHOWN ? ` and ${dirty.length - DIRTY_FILES_SHOWN} more` : '';
        throw new FleetError('worktree_dirty', `The worktree has uncommitted work: ${shown}${more}. Remove it anyway only if that work can go.`);
      }
      await removeWorktree(a.repoPath, a.worktreePath, dirty.length > 0);
    }
    this.deps.store.markWorktreeRemoved(a.id);
    this.pushCard(a.id);
    return projectCard(this.deps.store, a.id);
  }

  /**
   * At start, before any new work: every assignment a previous host left running or verifying is
   * re-adopted. A live worker (the same pid and start time) goes on where the store's checkpoints say;
   * one that ended while no host watched is read to its end and closed out as usual; only one that
   * really died closes out `stale`, naming what was found. One left before its worker started closes
   * out `stale` too. A run requeues each stale unit.
   */
  adoptUnfinished(): void {
    const { store } = this.deps;
    for (const a of store.unfinished()) {
      if (a.status === 'accepted') {
        this.closeOutNeverStarted(a);
        continue;
      }
      const files = assignmentFiles(this.deps.dataDir, a.taskRef, a.id);
      const supervision = this.deps.supervision.get(a.id);
      // What a host killed mid-write put in the transcript past its checkpoint is read again from the worker's own files.
      if (supervision.worker) cutBack(files.transcript, supervision.transcriptBytes);
      const pane = this.deps.panes.add(new PaneOutput(a.id, files.transcript, readOutputTextSync(files.transcript)));
      const context: LaunchContext = { privateHome: files.privateHome, account: null, followUp: null };
      this.startRunner(a.id, this.deps.adapters[a.workerKind], pane, context, supervision.sessionLog, true);
    }
  }

  /** An assignment whose host stopped between its claim and its worker's start: no worker ran, and the unit goes back to its run. */
  private closeOutNeverStarted(a: AssignmentRow): void {
    const { store, db } = this.deps;
    const detail = 'the host stopped before its worker started';
    const closeout = staleCloseout(a, detail);
    store.transaction(() => {
      store.appendEvent(a.id, 'runtime_failed', `stale: ${detail}`);
      store.submitCloseout(a.id, closeout, () => releaseClaim(db, a.claimId, STALE));
    });
  }

  /** Whether this process supervises the assignment's worker right now. */
  isLive(assignmentId: string): boolean {
    return this.runners.has(assignmentId);
  }

  /** How many workers (or their verify commands) this host supervises now. */
  get liveCount(): number {
    return this.runners.size;
  }

  /**
   * An app quit. `keep`: every worker goes on in the background; the runners stop reading (all they
   * read is checkpointed) and the next host re-adopts them. `stop`: every worker's whole tree is
   * killed and each closes out as interrupted, so nothing is left for the next start.
   */
  async shutdown(workers: WorkerFate): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.runners].map(([id, runner]) => {
        if (workers === 'keep') return runner.release();
        runner.markKilled('stopped by the owner when the app quit');
        return Promise.all([killProcessTree({ rootPid: () => runner.workerPid(), marker: workerMarker(id) }, this.deps.killTree), runner.done]);
      }),
    );
    for (const timer of this.pendingPushes.values()) clearTimeout(timer);
    this.pendingPushes.clear();
  }

  private accountFor(kind: WorkerKind, ref: string | undefined): LaunchContext['account'] {
    if (kind === 'fixture') return null;
    const account = this.deps.accounts.workerAccount(kind, ref);
    return { home: account.home, env: account.env, cli: account.cli };
  }

  /** Dispatches a unit the supervisor has already claimed for a run, on the account it picked. */
  dispatchClaimed(spec: Omit<DispatchSpec, 'accountRef' | 'retryOf'> & { claimed: NonNullable<DispatchSpec['claimed']> }): Promise<Card> {
    return this.dispatch({ ...spec, accountRef: undefined, retryOf: null });
  }

  private async dispatch(spec: DispatchSpec): Promise<Card> {
    const { store, db, dataDir } = this.deps;
    const adapter = this.deps.adapters[spec.workerKind];
    const fixture = spec.workerKind === 'fixture';
    const account = spec.claimed
      ? spec.claimed.account
      : fixture
        ? null
        : this.deps.accounts.workerAccount(spec.workerKind as 'claude' | 'codex', spec.accountRef);
    const assignmentId = spec.claimed?.assignmentId ?? newRef('asg');
    const worktree = worktreePath(dataDir, assignmentId);
    const files = assignmentFiles(dataDir, spec.taskRef, assignmentId);

    store.transaction(() => {
      const workUnitId = spec.workUnitId ?? store.createWorkUnit({ source: 'task', key: spec.taskRef, title: spec.title });
      const claimId = spec.claimed?.claimId ?? claimUnit(db, { workUnitId, holder: assignmentId, runId: spec.runId });
      const row: NewAssignment = {
        id: assignmentId,
        workUnitId,
        claimId,
        runId: spec.runId,
        taskRef: spec.taskRef,
        workerKind: spec.workerKind,
        accountRef: account?.ref ?? FIXTURE_ACCOUNT_REF,
        prompt: spec.prompt,
        repoPath: spec.repo.root,
        branch: spec.branch,
        commit: spec.repo.commit,
        worktreePath: worktree,
        verifyCommand: spec.verifyCommand,
        options: spec.options,
        paymentMode: fixture ? 'no-spend' : 'spend',
        payoutClaimAllowed: !fixture,
        leaseExpiresAt: new Date(Date.now() + ASSIGNMENT_LEASE_MS).toISOString(),
        workerType: spec.workerType,
        model: spec.model,
        retryOf: spec.retryOf,
      };
      store.insert(row);
      store.appendEvent(
        assignmentId,
        'accepted',
        spec.retryOf ? `accepted: retry of ${spec.retryOf}` : `accepted: ${spec.title} at ${spec.repo.commit.slice(0, 12)}`,
      );
    });

    // From here the claim and the row exist: any failure before the worker runs closes them out together.
    let pane: PaneOutput | null = null;
    let step: DispatchBlocker = 'dispatch_failed';
    try {
      mkdirSync(files.dir, { recursive: true, mode: OWNER_ONLY_DIR });
      pane = this.deps.panes.add(new PaneOutput(assignmentId, files.transcript));
      step = 'worktree_failed';
      mkdirSync(path.dirname(worktree), { recursive: true, mode: OWNER_ONLY_DIR });
      await addWorktree(spec.repo.root, worktree, spec.branch, spec.repo.commit);
      step = 'dispatch_failed';
      store.appendEvent(assignmentId, 'worktree_created', `worktree on ${spec.branch}`);
      const context: LaunchContext = {
        privateHome: files.privateHome,
        account: account && { home: account.home, env: account.env, cli: account.cli },
        followUp: null,
      };
      this.startRunner(assignmentId, adapter, pane, context);
    } catch (error) {
      await this.abandonDispatch(assignmentId, pane, step, error);
    }
    return projectCard(store, assignmentId);
  }

  /**
   * A dispatch that failed before its worker ran: the card shows why (a live blocker), the
   * assignment closes out failed with that blocker, and the claim is released, in one transaction.
   */
  private async abandonDispatch(assignmentId: string, pane: PaneOutput | null, blocker: DispatchBlocker, error: unknown): Promise<void> {
    const { store, db } = this.deps;
    const reason = error instanceof Error ? error.message : String(error);
    const a = store.get(assignmentId);
    const closeout: Closeout = {
      status: 'failed',
      checks: [{ name: 'lifecycle_closed', ok: false, blocker, detail: `the worker never started: ${reason}` }],
      blockers: [blocker],
      proof: { paymentMode: a.paymentMode, payoutClaimAllowed: a.payoutClaimAllowed },
    };
    store.transaction(() => {
      store.setLiveBlockers(assignmentId, [blocker]);
      store.appendEvent(assignmentId, 'runtime_failed', `${blocker}: ${reason}`);
      store.submitCloseout(assignmentId, closeout, () => releaseClaim(db, a.claimId, blocker));
    });
    if (pane) {
      await pane.finish();
      this.deps.panes.remove(assignmentId);
    }
    this.pushCard(assignmentId);
  }

  private startRunner(assignmentId: string, adapter: WorkerAdapter, pane: PaneOutput, context: LaunchContext, sessionLog: string | null = null, adopt = false): void {
    const a = this.deps.store.get(assignmentId);
    const runner = new AssignmentRunner(assignmentId, {
      db: this.deps.db,
      store: this.deps.store,
      supervision: this.deps.supervision,
      adapter,
      pane,
      files: assignmentFiles(this.deps.dataDir, a.taskRef, a.id),
      context,
      changed: () => this.scheduleCardPush(assignmentId),
      log: this.deps.log,
      health: this.deps.health,
      sessionLog,
      // At once, before a tick can hand the freed slot to an account that just hit its rate limit.
      closedOut: () => coolDownIfRateLimited(this.deps.store, this.deps.accounts, assignmentId),
      adopt,
    });
    this.runners.set(assignmentId, runner);
    void runner.done.then(() => {
      this.runners.delete(assignmentId);
      this.deps.panes.remove(assignmentId);
      this.pushCard(assignmentId);
      // During a quit nothing may dispatch into the freed slot.
      if (!this.closing) this.deps.onAssignmentClosed(assignmentId);
    });
    this.pushCard(assignmentId);
  }

  private scheduleCardPush(assignmentId: string): void {
    if (this.pendingPushes.has(assignmentId)) return;
    this.pendingPushes.set(
      assignmentId,
      setTimeout(() => this.pushCard(assignmentId), CARD_PUSH_COALESCE_MS),
    );
  }

  private pushCard(assignmentId: string): void {
    const timer = this.pendingPushes.get(assignmentId);
    if (timer) clearTimeout(timer);
    this.pendingPushes.delete(assignmentId);
    let card: Card;
    try {
      card = projectCard(this.deps.store, assignmentId);
    } catch (error) {
      // Pushed from timers and a runner's end, where a throw would reach no caller and end the host.
      this.deps.health.recordError('store_read_failed', error, { assignment: assignmentId }, 'its card could not be read');
      return;
    }
    this.deps.hub.broadcast('card.updated', card);
  }
}

