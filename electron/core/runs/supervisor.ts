import type { Account, Provider } from '../../../shared/accounts';
import type { Card, WorkerKind } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import type { FleetRun, SkipReason } from '../../../shared/runs';
import { maskSecrets } from '../../../shared/secret-mask';
import type { AccountService, WorkerAccount } from '../accounts/account-service';
import { accountsAtRunMax, roomUnderTarget, runFreeSlots, whyNoAccount, type Clock } from '../accounts/capacity';
import type { AssignmentStore } from '../assignments/assignment-store';
import type { TaskService } from '../assignments/task-service';
import { claimUnit, expireClaims, heartbeatClaims, liveClaimHolder, releaseClaim } from '../claims/claims';
import type { ConnectionHub } from '../connection';
import { branchCommit } from '../git/repo';
import type { HostHealth } from '../health/host-health';
import { newRef, slug } from '../refs';
import { echoPrefix } from '../router';
import { runUnitKey, type WorkSource, type WorkUnitCandidate } from '../sources/work-source';
import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import { projectRunProgress, type QueuedUnit } from './run-progress';
import { RunProgressStore } from './run-progress-store';
import type { RunRow, RunStore } from './run-store';
import { dependencySkip, intrinsicSkip, outcomeSkip } from './skips';

/** fleet-model.md's tick: about once a second. */
export const SUPERVISOR_TICK_MS = 1_000;
/** At most this many dispatches per run per tick, so one tick never floods the machine. */
export const PER_TICK_DISPATCH_CAP = 10;
/** A source is listed again after this long (GitHub's rate limit is per hour, not per tick). */
export const SOURCE_REFRESH_MS = 15_000;

interface RunView {
  queued: number;
  free: number;
  waiting: FleetRun['waiting'];
  waitingDetail: string;
}

interface Listing {
  at: number;
  units: WorkUnitCandidate[];
}

/** The one supervisor of a data dir: keeps each running run's assignments in flight from its source. */
export class Supervisor {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private readonly views = new Map<string, RunView>();
  private readonly listings = new Map<string, Listing>();
  private readonly sources = new Map<string, WorkSource>();
  private lastPublished = new Map<string, string>();
  /** What each live run's last tick found claimable: the units it has not started yet. */
  private readonly queuedUnits = new Map<string, QueuedUnit[]>();
  /** Runs the owner stopped whose unstarted units are still to be logged, at the next tick. */
  private readonly stopping = new Set<string>();

  constructor(
    private readonly deps: {
      db: Db;
      runs: RunStore;
      store: AssignmentStore;
      tasks: TaskService;
      accounts: AccountService;
      hub: ConnectionHub;
      /** A full disk pauses every dispatch; the tick measures the disk when a check is due. */
      health: HostHealth;
      createSource: (run: RunRow) => WorkSource;
      tickMs: number;
      log: (message: string) => void;
      /** Called after every tick, so derived views (the inbox) can refresh. */
      afterTick: () => void;
      /** The clock the capacity rule reads cooldowns against. */
      now: Clock;
      /** A run's ok closeouts by review stage: done only once merged and verified on the integrated state. */
      reviewProgress?: (runId: string) => { done: number; awaitingReview: number; awaitingMerge: number };
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poke(), this.deps.tickMs);
    this.timer.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** Ticks now (or right after the tick under way): a slot freed, a run changed. */
  poke(): void {
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error: unknown) => this.deps.log(`supervisor tick failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`))
      .finally(() => {
        this.ticking = null;
        if (this.again && this.timer) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** A run's assignment closed out: its release goes in the run's log, and its slot is refilled now. */
  closed(assignmentId: string): void {
    const assignment = this.deps.store.find(assignmentId);
    if (assignment?.runId) {
      const reason = prepared(this.deps.db, 'SELECT release_reason FROM claims WHERE id = ?').pluck().get(assignment.claimId) as string | null;
      this.deps.runs.log(assignment.runId, {
        unitKey: assignment.workUnitKey,
        title: assignment.title,
        kind: 'released',
        reason: reason ?? 'released',
        assignmentId,
      });
      this.publish(this.deps.runs.get(assignment.runId));
    }
    this.poke();
  }

  /** The owner stopped the run: the next tick logs the units it never started, as a drain does. */
  stopped(runId: string): void {
    this.stopping.add(runId);
    this.poke();
  }

  /** The run as the board shows it. */
  project(run: RunRow): FleetRun {
    const counts = this.deps.runs.assignmentCounts(run.id);
    const view = this.views.get(run.id) ?? { queued: 0, free: 0, waiting: run.state === 'draft' ? 'awaiting_approval' : null, waitingDetail: '' };
    const waiting = run.state === 'draft' ? 'awaiting_approval' : run.state === 'running' || run.state === 'draining' ? view.waiting : null;
    const live = run.state === 'running' || run.state === 'paused';
    return {
      id: run.id,
      name: maskSecrets(run.name),
      state: run.state,
      source: run.source,
      repoPath: run.repoPath,
      branch: run.branch,
      verifyCommand: run.verifyCommand,
      workerKind: run.workerKind,
      workerType: run.workerType,
      targetConcurrency: run.targetConcurrency,
      maxPerAccount: run.maxPerAccount,
      stopCondition: run.stopCondition,
      targetCount: run.targetCount,
      approvedAt: run.approvedAt,
      // A stopped or completed run starts nothing more: nothing of it is queued.
      counts: { ...counts, ...this.deps.reviewProgress?.(run.id), queued: live ? view.queued : 0, skipped: this.deps.runs.skipCounts(run.id) },
      progress: projectRunProgress(run, new RunProgressStore(this.deps.db), view.queued > 0 ? (this.queuedUnits.get(run.id) ?? []) : []),
      capacity: { free: view.free, total: run.targetConcurrency },
      waiting: waiting ?? null,
      // A source's error (an API's message, a file's line) may quote a secret.
      waitingDetail: waiting ? maskSecrets(view.waitingDetail) : '',
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
    };
  }

  /** Pushes the run if what the board would show has changed. */
  publish(run: RunRow): FleetRun {
    const projected = this.project(run);
    const text = JSON.stringify(projected);
    if (this.lastPublished.get(run.id) !== text) {
      this.lastPublished.set(run.id, text);
      this.deps.hub.broadcast('run.updated', projected);
    }
    return projected;
  }

  private async tick(): Promise<void> {
    const { db, store, runs, tasks } = this.deps;
    // 1. Claims: live workers heartbeat theirs; the rest expire by TTL or stale heartbeat.
    heartbeatClaims(db, store.unfinished().filter((a) => tasks.isLive(a.id)).map((a) => a.claimId));
    for (const expired of expireClaims(db)) {
      if (!expired.runId) continue;
      const unit = prepared(db, 'SELECT key, title FROM work_units WHERE id = ?').get(expired.workUnitId) as { key: string; title: string };
      runs.log(expired.runId, { unitKey: unit.key, title: unit.title, kind: 'expired', reason: expired.reason, assignmentId: null });
    }
    await this.deps.health.checkIfDue();
    for (const runId of this.stopping) {
      this.stopping.delete(runId);
      await this.logNotStarted(runs.get(runId));
      this.publish(runs.get(runId));
    }
    // 2-5. Each run: dispatch only while running; complete when its work is done.
    for (const run of runs.live()) {
      try {
        await this.tickRun(run);
      } catch (error) {
        this.views.set(run.id, { ...this.viewOf(run.id), waiting: 'source_unavailable', waitingDetail: error instanceof Error ? error.message : String(error) });
      }
      this.publish(runs.get(run.id));
    }
    this.deps.afterTick();
  }

  private viewOf(runId: string): RunView {
    return this.views.get(runId) ?? { queued: 0, free: 0, waiting: null, waitingDetail: '' };
  }

  private async tickRun(run: RunRow): Promise<void> {
    const { runs, store } = this.deps;
    const active = store.activeOfRun(run.id);
    if (run.state === 'draining') {
      if (active.length === 0) runs.setState(run.id, (await this.logNotStarted(run)) > 0 ? 'stopped' : 'completed');
      this.views.set(run.id, { ...this.viewOf(run.id), queued: 0, free: 0, waiting: null, waitingDetail: '' });
      return;
    }
    if (run.state !== 'running') {
      this.views.set(run.id, { ...this.viewOf(run.id), free: 0, waiting: 'not_running', waitingDetail: `the run is ${run.state}` });
      return;
    }
    const diskFull = this.deps.health.diskFull;
    if (diskFull) {
      // Running workers are kept; nothing new starts until a disk check finds room.
      this.views.set(run.id, { ...this.viewOf(run.id), free: 0, waiting: 'disk_full', waitingDetail: diskFull.detail });
      return;
    }
    const counts = runs.assignmentCounts(run.id);
    if (run.stopCondition === 'target_count' && run.targetCount !== null && counts.done + counts.failed + active.length >= run.targetCount) {
      if (active.length === 0) runs.setState(run.id, 'completed');
      this.views.set(run.id, { queued: 0, free: 0, waiting: 'target_reached', waitingDetail: `${run.targetCount} assignments reached` });
      return;
    }

    const claimable = await this.claimable(run, active.length === 0);
    if (claimable.length === 0) {
      if (active.length === 0 && run.stopCondition !== 'manual') {
        runs.setState(run.id, 'completed');
        this.views.set(run.id, { queued: 0, free: 0, waiting: null, waitingDetail: '' });
        return;
      }
      this.views.set(run.id, { queued: 0, free: 0, waiting: 'source_empty', waitingDetail: 'nothing left to claim in the source' });
      return;
    }

    let inFlight = active.length;
    let dispatched = 0;
    let view: RunView = { queued: claimable.length, free: 0, waiting: null, waitingDetail: '' };
    while (claimable.length > 0 && roomUnderTarget(run, inFlight) > 0 && dispatched < PER_TICK_DISPATCH_CAP) {
      // A control may have landed while this tick awaited a dispatch: it takes effect at once.
      if (this.deps.runs.get(run.id).state !== 'running') break;
      const worker = this.pickWorker(run);
      if ('waiting' in worker) {
        view = { ...view, waiting: worker.waiting, waitingDetail: worker.detail };
        break;
      }
      const unit = claimable.shift()!;
      const started = await this.claimAndDispatch(run, unit, worker);
      if (started) {
        inFlight += 1;
        dispatched += 1;
      }
    }
    if (roomUnderTarget(run, inFlight) === 0 && claimable.length > 0) {
      view = { ...view, waiting: 'target_reached', waitingDetail: `${inFlight}/${run.targetConcurrency} in flight` };
    }
    const free = this.freeSlots(run);
    this.queuedUnits.set(run.id, claimable.map(({ candidate }) => ({ key: candidate.key, title: candidate.title })));
    this.views.set(run.id, { ...view, queued: claimable.length, free });
  }

  /** Units of the run's source that can be claimed now, lowest issue number first; skips are logged once each. */
  private async claimable(run: RunRow, fresh: boolean): Promise<{ candidate: WorkUnitCandidate; workUnitId: string }[]> {
    const { store, runs, db } = this.deps;
    const units = await this.listing(run, fresh);
    const byKey = new Map(units.map((u) => [u.key, u]));
    const ordered = [...units].sort((a, b) => (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) || a.key.localeCompare(b.key));
    const excluded = run.source.kind === 'github' ? run.source.excludeLabels : [];
    const ready: { candidate: WorkUnitCandidate; workUnitId: string }[] = [];
    for (const candidate of ordered) {
      const workUnitId = store.ensureWorkUnit({ source: run.source.kind, key: candidate.key, title: candidate.title });
      // Work this run already did or is doing is its progress, not a skip.
      if (runs.hasAssignment(run.id, workUnitId)) continue;
      const holder = liveClaimHolder(db, workUnitId);
      const dependencyOutcomes = candidate.dependsOn.map((key) => {
        const dep = byKey.get(key);
        if (dep?.state === 'closed') return 'closed' as const;
        const depUnit = store.ensureWorkUnit({ source: run.source.kind, key, title: dep?.title ?? key });
        return runs.unitOutcomes(depUnit);
      });
      const skip: SkipReason | null =
        intrinsicSkip(candidate, excluded) ??
        outcomeSkip(runs.unitOutcomes(workUnitId)) ??
        dependencySkip(dependencyOutcomes) ??
        (holder !== undefined ? 'already_claimed' : null);
      if (skip) {
        runs.log(run.id, { unitKey: candidate.key, title: candidate.title, kind: 'skipped', reason: skip, assignmentId: null });
        continue;
      }
      ready.push({ candidate, workUnitId });
    }
    return ready;
  }

  /**
   * A drain ends the run with work left in its backlog: each unit it never started is logged by
   * name, so the run is not shown as completed with them hidden. Returns how many there are.
   */
  private async logNotStarted(run: RunRow): Promise<number> {
    let left: { candidate: WorkUnitCandidate }[];
    try {
      left = await this.claimable(run, false);
    } catch (error) {
      // A source that cannot be listed any more must not keep the drained run open.
      this.deps.log(`run ${run.id}: the units a drain left could not be listed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
    for (const { candidate } of left) {
      this.deps.runs.log(run.id, { unitKey: candidate.key, title: candidate.title, kind: 'skipped', reason: 'not_started', assignmentId: null });
    }
    return left.length;
  }

  private async listing(run: RunRow, fresh: boolean): Promise<WorkUnitCandidate[]> {
    const cached = this.listings.get(run.id);
    // Before declaring a backlog empty the source is asked again; otherwise it is listed at most every SOURCE_REFRESH_MS.
    if (cached && Date.now() - cached.at < SOURCE_REFRESH_MS && !(fresh && Date.now() - cached.at > this.deps.tickMs)) return cached.units;
    let source = this.sources.get(run.id);
    if (!source) {
      source = this.deps.createSource(run);
      this.sources.set(run.id, source);
    }
    const key = (listed: string) => runUnitKey(run.source, run.id, listed);
    const units = (await source.list()).map((unit) => ({ ...unit, key: key(unit.key), dependsOn: unit.dependsOn.map(key) }));
    this.listings.set(run.id, { at: Date.now(), units });
    return units;
  }

  /** The worker kinds a run may use, in the order `auto` tries them. */
  private kindsOf(run: RunRow): Provider[] {
    return run.workerKind === 'auto' ? ['claude', 'codex'] : run.workerKind === 'fixture' ? [] : [run.workerKind];
  }

  /** The account of each of the run's workers in flight. */
  private accountsInFlight(run: RunRow): string[] {
    return this.deps.store.activeOfRun(run.id).map((a) => a.accountRef);
  }

  /** The accounts of the kinds the run may use. */
  private accountsOf(run: RunRow): Account[] {
    return this.deps.accounts.list().filter((a) => this.kindsOf(run).includes(a.provider));
  }

  /** The capacity gate: a worker kind and account with a free slot, or why there is none. */
  private pickWorker(run: RunRow): { kind: WorkerKind; account: WorkerAccount | null } | { waiting: NonNullable<FleetRun['waiting']>; detail: string } {
    if (run.workerKind === 'fixture') return { kind: 'fixture', account: null };
    const full = accountsAtRunMax(run, this.accountsInFlight(run));
    const reasons: string[] = [];
    for (const kind of this.kindsOf(run)) {
      try {
        return { kind, account: this.deps.accounts.workerAccount(kind, undefined, full) };
      } catch (error) {
        if (!(error instanceof FleetError) || error.code !== 'no_ready_account') throw error;
        reasons.push(error.message);
      }
    }
    return { waiting: whyNoAccount(this.accountsOf(run), this.deps.now()), detail: reasons.join(' ') };
  }

  /** Free slots the run could use now, by the capacity rule. */
  private freeSlots(run: RunRow): number {
    const inFlight = this.accountsInFlight(run);
    // Fixture workers need no account: only the run's target limits them.
    if (run.workerKind === 'fixture') return roomUnderTarget(run, inFlight.length);
    return runFreeSlots(this.accountsOf(run), run, inFlight, this.deps.now());
  }

  /** Claim before dispatch; a unit whose claim was lost is skipped, and its worker never starts. */
  private async claimAndDispatch(run: RunRow, unit: { candidate: WorkUnitCandidate; workUnitId: string }, worker: { kind: WorkerKind; account: WorkerAccount | null }): Promise<boolean> {
    const { db, runs } = this.deps;
    const assignmentId = newRef('asg');
    let claimId: string;
    try {
      claimId = claimUnit(db, { workUnitId: unit.workUnitId, holder: assignmentId, runId: run.id });
    } catch (error) {
      if (error instanceof FleetError && error.code === 'already_claimed') {
        runs.log(run.id, { unitKey: unit.candidate.key, title: unit.candidate.title, kind: 'skipped', reason: 'already_claimed', assignmentId: null });
        return false;
      }
      throw error;
    }
    runs.log(run.id, { unitKey: unit.candidate.key, title: unit.candidate.title, kind: 'claimed', reason: `claim ${claimId}`, assignmentId });
    try {
      const card = await this.dispatchUnit(run, unit, worker, assignmentId, claimId);
      if (card.status === 'closed') {
        // Closed before its worker ran (its worktree could not be made): the claim is already released.
        runs.log(run.id, { unitKey: unit.candidate.key, title: unit.candidate.title, kind: 'released', reason: card.closeout.blockers[0] ?? 'dispatch_failed', assignmentId });
        return false;
      }
    } catch (error) {
      // No worker runs for this claim: it is released (a no-op if the dispatch closed it out), never left live.
      const code = error instanceof FleetError ? error.code : 'dispatch_failed';
      releaseClaim(db, claimId, code);
      runs.log(run.id, { unitKey: unit.candidate.key, title: unit.candidate.title, kind: 'released', reason: code, assignmentId });
      throw error;
    }
    return true;
  }

  /** Pins the run's branch and dispatches the claimed unit. */
  private async dispatchUnit(
    run: RunRow,
    unit: { candidate: WorkUnitCandidate; workUnitId: string },
    worker: { kind: WorkerKind; account: WorkerAccount | null },
    assignmentId: string,
    claimId: string,
  ): Promise<Card> {
    // Through git/repo.ts, where the owner's branch name goes after --end-of-options.
    const commit = await branchCommit(run.repoPath, run.branch);
    if (commit === null) throw new FleetError('invalid_input', `${run.repoPath} has no branch ${echoPrefix(run.branch)} any more.`);
    const attempts = this.deps.runs.attemptsOf(run.id, unit.workUnitId);
    const prompt = `${unit.candidate.prompt}\n\nWork unit ${unit.candidate.key}, claim ${claimId}. Commit your work on this branch; verify with: ${run.verifyCommand}`;
    return this.deps.tasks.dispatchClaimed({
      workUnitId: unit.workUnitId,
      runId: run.id,
      claimed: { assignmentId, claimId, account: worker.account },
      taskRef: run.id,
      title: unit.candidate.title,
      prompt,
      verifyCommand: run.verifyCommand,
      workerKind: worker.kind,
      workerType: run.workerType,
      model: null,
      options: worker.kind === 'fixture' ? { durationMs: run.fixtureDurationMs, fail: false, crash: false, floodBytes: 0 } : {},
      repo: { root: run.repoPath, commit },
      // A requeued unit's earlier branch keeps what its rate-limited worker left; the retry gets its own.
      branch: `fleet/${run.id}/${slug(unit.candidate.key)}${attempts === 0 ? '' : `-${attempts + 1}`}`,
    });
  }
}
