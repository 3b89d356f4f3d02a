import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fixtureOptionsSchema, type NewTaskInput } from '../../../shared/contract';
import { FIXTURE_ACCOUNT_REF } from '../../../shared/constants';
import { claimUnit, releaseClaim } from '../claims/claims';
import type { ConnectionHub } from '../connection';
import { addWorktree, pinRepo } from '../git/repo';
import { newRef, slug } from '../refs';
import type { Db } from '../store/database';
import { PaneOutput } from '../terminal/pane-output';
import type { WorkerKind } from '../../../shared/domain';
import type { WorkerAdapter } from '../workers/adapter';
import { AssignmentRunner } from './assignment-runner';
import type { AssignmentStore } from './assignment-store';
import { projectCard } from './cards';
import { assignmentFiles, worktreePath } from './paths';

/** The assignment lease of fleet-model.md: an hour. */
const ASSIGNMENT_LEASE_MS = 60 * 60 * 1000;
/** Card pushes for one assignment are coalesced over this window, so a chatty worker cannot flood the faces. */
const CARD_PUSH_COALESCE_MS = 50;

interface LiveAssignment {
  pane: PaneOutput;
  runner: AssignmentRunner | null;
}

/** Owns live assignments: from a New task request to a running worker, its pane, and its card pushes. */
export class TaskService {
  private readonly live = new Map<string, LiveAssignment>();
  private readonly pendingPushes = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      db: Db;
      store: AssignmentStore;
      hub: ConnectionHub;
      dataDir: string;
      adapters: Record<WorkerKind, WorkerAdapter>;
      log: (message: string) => void;
    },
  ) {}

  /** Claims a new unit, pins the repo, makes the worktree and starts the worker. Nothing is recorded for bad input. */
  async createTask(input: NewTaskInput) {
    const { store, db, dataDir } = this.deps;
    const adapter = this.deps.adapters[input.workerKind];
    const repo = await pinRepo(input.repoPath);
    const taskRef = newRef('task');
    const assignmentId = newRef('asg');
    const branch = `fleet/${taskRef}/${slug(input.title)}`;
    const worktree = worktreePath(dataDir, assignmentId);
    const files = assignmentFiles(dataDir, taskRef, assignmentId);
    const fixture = input.workerKind === 'fixture';

    store.transaction(() => {
      const workUnitId = store.createWorkUnit({ source: 'task', key: taskRef, title: input.title });
      const claimId = claimUnit(db, { workUnitId, holder: assignmentId, runId: null });
      store.insert({
        id: assignmentId,
        workUnitId,
        claimId,
        runId: null,
        taskRef,
        workerKind: input.workerKind,
        accountRef: fixture ? FIXTURE_ACCOUNT_REF : input.workerKind,
        prompt: input.prompt,
        repoPath: repo.root,
        branch,
        commit: repo.commit,
        worktreePath: worktree,
        verifyCommand: input.verifyCommand,
        options: fixture ? fixtureOptionsSchema.parse(input.fixture ?? {}) : {},
        paymentMode: fixture ? 'no-spend' : 'spend',
        payoutClaimAllowed: !fixture,
        leaseExpiresAt: new Date(Date.now() + ASSIGNMENT_LEASE_MS).toISOString(),
      });
      store.appendEvent(assignmentId, 'accepted', `accepted: ${input.title} at ${repo.commit.slice(0, 12)}`);
    });

    mkdirSync(files.dir, { recursive: true });
    mkdirSync(path.dirname(worktree), { recursive: true });
    const pane = new PaneOutput(assignmentId, files.transcript);
    const entry: LiveAssignment = { pane, runner: null };
    this.live.set(assignmentId, entry);

    try {
      await addWorktree(repo.root, worktree, branch, repo.commit);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      store.transaction(() => {
        store.setLiveBlockers(assignmentId, ['worktree_failed']);
        store.appendEvent(assignmentId, 'runtime_failed', `worktree_failed: ${message}`);
        releaseClaim(db, store.get(assignmentId).claimId, 'worktree_failed');
      });
      await pane.finish();
      this.live.delete(assignmentId);
      this.pushCard(assignmentId);
      return projectCard(store, assignmentId);
    }
    store.appendEvent(assignmentId, 'worktree_created', `worktree on ${branch}`);

    entry.runner = new AssignmentRunner(assignmentId, {
      db,
      store,
      adapter,
      pane,
      files,
      changed: () => this.scheduleCardPush(assignmentId),
      log: this.deps.log,
    });
    void entry.runner.done.then(() => {
      this.live.delete(assignmentId);
      this.pushCard(assignmentId);
    });
    this.pushCard(assignmentId);
    return projectCard(store, assignmentId);
  }

  pane(assignmentId: string): PaneOutput | undefined {
    return this.live.get(assignmentId)?.pane;
  }

  livePanes(): PaneOutput[] {
    return [...this.live.values()].map((entry) => entry.pane);
  }

  /** Stops every worker (whole process groups) for an app quit. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.live.values()].map((entry) => entry.runner?.shutdown()));
    for (const timer of this.pendingPushes.values()) clearTimeout(timer);
    this.pendingPushes.clear();
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
    this.deps.hub.broadcast('card.updated', projectCard(this.deps.store, assignmentId));
  }
}
