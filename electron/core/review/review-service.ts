import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Card } from '../../../shared/domain';
import { FleetError } from '../../../shared/errors';
import type { InboxItem } from '../../../shared/runs';
import { diffStatText, type AssignmentDiff, type CleanupResult, type MergeWave, type MergeWaveInput, type WaveStep } from '../../../shared/review';
import { maskSecrets } from '../../../shared/secret-mask';
import type { AssignmentRow, AssignmentStore } from '../assignments/assignment-store';
import { projectCard } from '../assignments/cards';
import type { TaskService } from '../assignments/task-service';
import type { ConnectionHub } from '../connection';
import {
  addDetachedWorktree,
  advanceBranch,
  commitAll,
  conflictedFiles,
  currentBranch,
  deleteBranch,
  fetchBranch,
  filesWithMarkers,
  isMerged,
  mergeInProgress,
  mergeRef,
  pushBranch,
  remoteOf,
  revParse,
} from '../git/branches';
import { changeFiles, changeStat, type ChangeTarget } from '../git/diff';
import { dirtyFiles, removeWorktree } from '../git/repo';
import { runGit } from '../git/run-git';
import type { RunStore } from '../runs/run-store';
import { OWNER_ONLY_DIR } from '../store/owner-only';
import { githubPulls, githubTargetOfRemote, type GithubPulls, type GithubTarget } from './github-pulls';
import { verifyIntegrated } from './integrated-verify';
import type { ReviewStore } from './review-store';

/** `github:owner/name#12`: the key a GitHub work unit carries. */
const GITHUB_UNIT_KEY = /^github:([\w.-]+\/[\w.-]+)#(\d+)$/;
/** A failed integrated verify is quoted on the card and in the wave with this much of its output's end. */
const VERIFY_TAIL_SHOWN_CHARS = 2_000;
/** Files named in a conflict or a refusal; the rest are counted. */
const FILES_SHOWN = 20;

export interface ReviewDeps {
  store: AssignmentStore;
  reviews: ReviewStore;
  runs: RunStore;
  tasks: TaskService;
  hub: ConnectionHub;
  dataDir: string;
  log: (message: string) => void;
  /** The Inbox is derived from the store: refreshed whenever a wave or a review changes. */
  changed: () => void;
  /** A run's progress changed (a pull request opened, a merge verified): its header is pushed again. */
  runChanged: (runId: string) => void;
}

function named(files: readonly string[]): string {
  const shown = files.slice(0, FILES_SHOWN).join(', ');
  return files.length > FILES_SHOWN ? `${shown} and ${files.length - FILES_SHOWN} more` : shown;
}

function issueNumberOf(a: AssignmentRow): number | null {
  const match = GITHUB_UNIT_KEY.exec(a.workUnitKey);
  return match ? Number(match[2]) : null;
}

/** A wave's order, and the order a run's work is reviewed in: lowest issue number first (as claims are), then oldest. */
function mergeOrder(x: AssignmentRow, y: AssignmentRow): number {
  return (issueNumberOf(x) ?? Number.POSITIVE_INFINITY) - (issueNumberOf(y) ?? Number.POSITIVE_INFINITY) || x.createdAt.localeCompare(y.createdAt);
}

/** Review and merge: diffs, pull requests, merge waves with the integrated verify, and cleanup. */
export class ReviewService {
  /** Repositories with a wave under way: one wave per repository at a time. */
  private readonly busyRepos = new Set<string>();
  /** Assignments asked to resolve a wave's conflict: their next ok closeout resumes that wave. */
  private readonly resolving = new Map<string, string>();
  private readonly running = new Set<Promise<unknown>>();
  private closing = false;

  constructor(private readonly deps: ReviewDeps) {
    // A wave a previous process left running stopped with it; it says so and can be resumed.
    for (const wave of deps.reviews.interruptedWaves()) {
      deps.reviews.saveWave({ ...wave, state: 'failed', detail: 'The host stopped while this wave ran; resume it to go on.' });
    }
  }

  /** After a closeout: the card's `+N -M, F files`, a run's automatic pull request, a resolved conflict's wave. */
  async closed(assignmentId: string): Promise<void> {
    const a = this.deps.store.find(assignmentId);
    if (!a || a.fleetId !== null || a.status !== 'closed') return;
    await this.refreshStat(a);
    this.pushCard(a.id);
    const ok = this.deps.store.closeout(a.id)?.status === 'ok';
    const waveId = this.resolving.get(a.id);
    if (waveId !== undefined) {
      this.resolving.delete(a.id);
      if (ok) await this.resumeWave(waveId);
      return;
    }
    if (ok && a.runId !== null && this.deps.reviews.createsPrOnCloseout(a.runId)) {
      try {
        await this.createPr(a.id);
      } catch (error) {
        this.deps.log(`the automatic pull request of ${a.id} was not opened: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** Everything the assignment changed against its pinned commit, file by file. */
  async diff(assignmentId: string): Promise<AssignmentDiff> {
    const a = this.reviewable(assignmentId);
    const target = this.targetOf(a);
    const { stat, files } = await changeFiles(a.commit, target);
    this.deps.reviews.saveStat(a.id, stat);
    this.pushCard(a.id);
    return { assignmentId: a.id, base: a.commit, source: target.kind === 'worktree' ? 'worktree' : 'branch', stat, files };
  }

  /**
   * Commits what the worker left uncommitted on its branch, pushes the branch to the repository's
   * remote and opens a pull request through GitHub's API; the card shows its link and state.
   */
  async createPr(assignmentId: string): Promise<Card> {
    const a = this.reviewable(assignmentId);
    const target = await this.githubTarget(a);
    const base = await this.baseBranchOf(a, undefined);
    await this.commitWork(a);
    await pushBranch(this.workDir(a), a.branch);
    this.deps.reviews.savePushed(a.id, a.branch);
    this.pushCard(a.id);
    if (!target) {
      throw new FleetError('github_failed', `Pushed ${a.branch}, but its remote is not a GitHub repository, so no pull request was opened.`);
    }
    const pull = await this.pullsOf(target).create({ head: a.branch, base, title: a.title, body: this.pullBody(a) });
    this.deps.reviews.savePullRequest(a.id, pull);
    await this.refreshStat(a);
    this.pushCard(a.id);
    this.deps.changed();
    return projectCard(this.deps.store, a.id);
  }

  /** Starts a merge wave and returns it at once; its progress arrives as `wave.updated`. */
  async mergeWave(input: MergeWaveInput): Promise<MergeWave> {
    const selected = this.waveMembers(input);
    const repos = new Set(selected.map((a) => a.repoPath));
    if (repos.size > 1) throw new FleetError('invalid_input', `A wave merges into one repository; these assignments span ${repos.size}: ${[...repos].join(', ')}.`);
    const first = selected[0]!;
    const baseBranch = await this.baseBranchOf(first, input.baseBranch);
    if (this.busyRepos.has(first.repoPath)) throw new FleetError('wave_running', `A merge wave is already running on ${first.repoPath}.`);
    const ordered = [...selected].sort(mergeOrder);
    const steps: WaveStep[] = ordered.map((a) => ({ assignmentId: a.id, title: maskSecrets(a.title), issueNumber: issueNumberOf(a), state: 'pending', detail: '' }));
    const wave = this.deps.reviews.createWave({ runId: input.runId ?? first.runId, repoPath: first.repoPath, baseBranch, steps });
    this.start(wave);
    return wave;
  }

  /** Goes on with a stopped wave from the assignment it stopped at. */
  async resumeWave(waveId: string): Promise<MergeWave> {
    const wave = this.deps.reviews.wave(waveId);
    if (wave.state === 'running' || wave.state === 'completed') throw new FleetError('invalid_input', `Wave ${wave.id} is ${wave.state}; only a stopped wave resumes.`);
    if (this.busyRepos.has(wave.repoPath)) throw new FleetError('wave_running', `A merge wave is already running on ${wave.repoPath}.`);
    const resumed = this.deps.reviews.saveWave({
      ...wave,
      state: 'running',
      detail: '',
      conflictFiles: [],
      stoppedAt: null,
      steps: wave.steps.map((step) => (step.state === 'done' ? step : { ...step, state: 'pending', detail: '' })),
    });
    this.start(resumed);
    return resumed;
  }

  /**
   * "Ask the worker to resolve": stages the wave's conflict in the assignment's own worktree (its
   * branch with the base merged in, markers in the files) and sends the original worker's session a
   * follow-up naming the files. Its next ok closeout commits the resolution and resumes the wave.
   */
  async resolveConflict(waveId: string): Promise<Card> {
    const wave = this.deps.reviews.wave(waveId);
    if (wave.state !== 'conflict' || !wave.stoppedAt) throw new FleetError('invalid_input', `Wave ${wave.id} has no conflict to resolve (it is ${wave.state}).`);
    const a = this.reviewable(wave.stoppedAt);
    if (!this.worktreeKept(a)) throw new FleetError('invalid_input', `The worktree of ${a.id} was removed; there is nowhere to stage the conflict.`);
    let conflicts: string[];
    if (await mergeInProgress(a.worktreePath)) {
      // Asked before and not resolved (that follow-up failed): the conflict is still staged; ask again.
      const unmerged = await conflictedFiles(a.worktreePath);
      conflicts = unmerged.length > 0 ? unmerged : filesWithMarkers(a.worktreePath, wave.conflictFiles);
    } else {
      await this.commitWork(a);
      const outcome = await mergeRef(a.worktreePath, await this.baseTip(wave), `Merge ${wave.baseBranch} into ${a.branch}`, true);
      if (outcome.ok) {
        // The base moved on and no longer conflicts: the wave can simply go on.
        await this.resumeWave(wave.id);
        return projectCard(this.deps.store, a.id);
      }
      conflicts = outcome.conflicts;
    }
    const prompt = [
      `Merging ${wave.baseBranch} into your branch ${a.branch} conflicts in: ${named(conflicts)}.`,
      '',
      'The merge is staged in your worktree, with conflict markers in those files. Resolve each file so that both',
      "changes are kept where they belong, remove every marker, and leave the result in the files: the board commits",
      'the merge, verifies it and goes on with the merge wave.',
    ].join('\n');
    try {
      this.resolving.set(a.id, wave.id);
      return this.deps.tasks.followUp(a.id, prompt);
    } catch (error) {
      this.resolving.delete(a.id);
      await runGit(a.worktreePath, ['merge', '--abort']);
      throw error;
    }
  }

  /**
   * Removes merged worktrees and their `fleet/*` branches in one action. Unmerged or uncommitted
   * work is kept (with the reason) unless `force`.
   */
  async cleanup(input: { runId?: string; assignmentIds?: string[]; force: boolean }): Promise<CleanupResult> {
    const rows = input.assignmentIds?.length
      ? input.assignmentIds.map((id) => this.deps.store.get(id))
      : this.deps.store.list().filter((a) => input.runId === undefined || a.runId === input.runId);
    const result: CleanupResult = { removed: [], kept: [] };
    for (const a of rows) {
      if (a.fleetId !== null || a.status !== 'closed' || !a.branch.startsWith('fleet/')) continue;
      const branchTip = existsSync(a.repoPath) ? await revParse(a.repoPath, a.branch) : null;
      const kept = this.worktreeKept(a);
      if (!branchTip && !kept) continue;
      const reason = await this.unsafeToRemove(a, kept);
      if (reason && !input.force) {
        result.kept.push({ assignmentId: a.id, branch: a.branch, reason });
        continue;
      }
      try {
        if (kept || !a.worktreeRemovedAt) await this.deps.tasks.removeWorktree(a.id, true);
        if (branchTip) await deleteBranch(a.repoPath, a.branch);
        result.removed.push({ assignmentId: a.id, branch: a.branch });
      } catch (error) {
        result.kept.push({ assignmentId: a.id, branch: a.branch, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    this.deps.changed();
    return result;
  }

  waves(): MergeWave[] {
    return this.deps.reviews.waves();
  }

  /**
   * `merge_conflict_wave` for each wave stopped on a conflict; `ready_for_review` for each one-off
   * task's finished work and for each completed run with work not merged yet, which opens the diff
   * of the run's first such assignment (in merge order) over the board on that run.
   */
  inboxItems(): InboxItem[] {
    const items: InboxItem[] = [];
    for (const run of this.deps.runs.list()) {
      if (run.state !== 'completed') continue;
      const finished = this.deps.store.list().filter((a) => a.runId === run.id && a.status === 'closed');
      const toReview = finished.filter((a) => this.mergeable(a)).sort(mergeOrder);
      const first = toReview[0];
      if (!first) continue;
      const failed = finished.filter((a) => this.deps.store.closeout(a.id)?.status !== 'ok').length;
      items.push({
        id: `review:${run.id}`,
        kind: 'ready_for_review',
        severity: 'info',
        title: `Run ${maskSecrets(run.name)} completed: ${toReview.length} ready for review`,
        detail: `${failed} failed; worktrees are kept until you remove them. Review each diff, then merge them as a wave from the board.`,
        refs: { run: run.id, assignment: first.id },
        action: { kind: 'open_diff', assignmentId: first.id },
        actionLabel: 'Review changes',
        createdAt: run.updatedAt,
      });
    }
    for (const wave of this.deps.reviews.waves()) {
      if (wave.state !== 'conflict' || !wave.stoppedAt) continue;
      const step = wave.steps.find((s) => s.assignmentId === wave.stoppedAt);
      items.push({
        id: `conflict:${wave.id}`,
        kind: 'merge_conflict_wave',
        severity: 'critical',
        title: `Merge wave into ${wave.baseBranch} stopped: ${step?.title ?? wave.stoppedAt} conflicts`,
        detail: `Conflicting files: ${named(wave.conflictFiles)}. The merges before it are in ${wave.baseBranch}; the rest wait.`,
        refs: { wave: wave.id, assignment: wave.stoppedAt, ...(wave.runId ? { run: wave.runId } : {}) },
        action: { kind: 'resolve_conflict', waveId: wave.id },
        actionLabel: 'Ask the worker to resolve',
        createdAt: wave.updatedAt,
      });
    }
    for (const a of this.deps.store.list()) {
      if (a.runId !== null || a.fleetId !== null || a.status !== 'closed' || !this.worktreeKept(a)) continue;
      if (this.deps.store.closeout(a.id)?.status !== 'ok') continue;
      const review = this.deps.reviews.review(a.id);
      if (review && review.stage !== 'awaiting_review') continue;
      const stat = review?.diff;
      items.push({
        id: `review:${a.id}`,
        kind: 'ready_for_review',
        severity: 'info',
        title: `${a.title} is ready for review`,
        detail: stat ? `${diffStatText(stat)} on ${a.branch}.` : `Its work is on ${a.branch}.`,
        refs: { assignment: a.id },
        action: { kind: 'open_diff', assignmentId: a.id },
        actionLabel: 'Review diff',
        createdAt: a.endedAt ?? a.createdAt,
      });
    }
    return items;
  }

  /** Waits for waves and closeout hooks under way (an app quit). */
  async shutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running]);
  }

  private start(wave: MergeWave): void {
    this.busyRepos.add(wave.repoPath);
    this.publish(wave);
    const work = this.process(wave)
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.deps.log(`merge wave ${wave.id} failed: ${message}`);
        const current = this.deps.reviews.wave(wave.id);
        this.publish(this.deps.reviews.saveWave({ ...current, state: 'failed', detail: maskSecrets(message) }));
      })
      .finally(() => {
        this.busyRepos.delete(wave.repoPath);
        this.running.delete(work);
        this.deps.changed();
      });
    this.running.add(work);
  }

  /** Merges each pending step in order; the first conflict or failed verify stops the wave. */
  private async process(initial: MergeWave): Promise<void> {
    let wave = initial;
    const scratch = path.join(this.deps.dataDir, 'waves', wave.id);
    const setStep = (assignmentId: string, state: WaveStep['state'], detail: string) => {
      wave = { ...wave, steps: wave.steps.map((s) => (s.assignmentId === assignmentId ? { ...s, state, detail } : s)) };
      wave = this.deps.reviews.saveWave(wave);
      this.publish(wave);
    };
    try {
      for (const step of wave.steps) {
        if (step.state === 'done') continue;
        if (this.closing) throw new FleetError('internal', 'The host is closing; resume the wave after it starts again.');
        const a = this.deps.store.get(step.assignmentId);
        setStep(a.id, 'merging', `merging ${a.branch}`);
        const merged = await this.mergeOne(wave, a, scratch);
        if (!merged.ok) {
          this.deps.reviews.saveMerge(a.id, 'merge_conflict', `conflicts in ${named(merged.conflicts)}`, null);
          setStep(a.id, 'conflict', `conflicts in ${named(merged.conflicts)}`);
          wave = this.deps.reviews.saveWave({ ...wave, state: 'conflict', stoppedAt: a.id, conflictFiles: merged.conflicts, detail: `${a.title} conflicts with ${wave.baseBranch}.` });
          this.publish(wave);
          this.pushCard(a.id);
          return;
        }
        setStep(a.id, 'verifying', `verifying the integrated state: ${a.verifyCommand}`);
        const verify = await verifyIntegrated(a.verifyCommand, scratch);
        if (!verify.passed) {
          const tail = verify.output.slice(-VERIFY_TAIL_SHOWN_CHARS);
          const detail = `verify failed on the integrated state (exit ${verify.exitCode ?? 'none'}): ${tail}`;
          this.deps.reviews.saveMerge(a.id, 'verify_failed', detail, null);
          setStep(a.id, 'verify_failed', detail);
          // GitHub's merge API merges rather than stages, so there the merge is made before it can be verified.
          const where = merged.throughGithub
            ? `It was merged through GitHub before the verify could run, and the board cannot undo that merge: revert it on GitHub, or fix ${wave.baseBranch} with a new change. The local ${wave.baseBranch} was not moved.`
            : `${wave.baseBranch} was not moved.`;
          wave = this.deps.reviews.saveWave({ ...wave, state: 'verify_failed', stoppedAt: a.id, detail: `${a.title} broke the integrated verify. ${where}` });
          this.publish(wave);
          this.pushCard(a.id);
          return;
        }
        await merged.land();
        this.deps.reviews.saveMerge(a.id, 'done', `merged into ${wave.baseBranch} and verified`, merged.commit);
        setStep(a.id, 'done', `merged as ${merged.commit.slice(0, 12)} and verified`);
        await this.refreshStat(a);
        this.pushCard(a.id);
      }
      wave = this.deps.reviews.saveWave({ ...wave, state: 'completed', detail: `${wave.steps.length} merged into ${wave.baseBranch} and verified.` });
      this.publish(wave);
    } finally {
      await this.dropScratch(wave.repoPath, scratch);
    }
  }

  /**
   * One merge onto a clean worktree of the base: locally, or through GitHub's merge API for an open
   * pull request (then fetched). `land` moves the local base branch once the integrated verify passed.
   */
  private async mergeOne(
    wave: MergeWave,
    a: AssignmentRow,
    scratch: string,
  ): Promise<{ ok: true; commit: string; throughGithub: boolean; land: () => Promise<void> } | { ok: false; conflicts: string[] }> {
    if (this.worktreeKept(a) && (await mergeInProgress(a.worktreePath))) {
      // A conflict staged for the worker: its resolution is committed only when no marker is left.
      const unresolved = filesWithMarkers(a.worktreePath, wave.conflictFiles);
      if (unresolved.length > 0) return { ok: false, conflicts: unresolved };
    }
    await this.commitWork(a);
    const baseTip = await this.baseTip(wave);
    await this.dropScratch(wave.repoPath, scratch);
    mkdirSync(path.dirname(scratch), { recursive: true, mode: OWNER_ONLY_DIR });
    await addDetachedWorktree(wave.repoPath, scratch, baseTip);
    const local = await mergeRef(scratch, a.branch, `Merge ${a.branch}: ${a.title}`);
    if (!local.ok) return { ok: false, conflicts: local.conflicts };

    const pull = this.deps.reviews.review(a.id)?.pullRequest;
    const target = pull && pull.state === 'open' ? await this.githubTarget(a) : null;
    if (!pull || pull.state !== 'open' || !target) {
      return { ok: true, commit: local.commit, throughGithub: false, land: () => advanceBranch(wave.repoPath, wave.baseBranch, baseTip, local.commit) };
    }
    // Through GitHub: push the branch's last commits, merge the pull request, and verify what GitHub made.
    const remote = await pushBranch(this.workDir(a), a.branch);
    try {
      await this.pullsOf(target).merge(pull.number, `Merge ${a.branch}: ${a.title}`);
    } catch (error) {
      if (error instanceof FleetError && error.code === 'merge_conflict') return { ok: false, conflicts: [error.message] };
      throw error;
    }
    this.deps.reviews.savePullRequest(a.id, { ...pull, state: 'merged' });
    const merged = await fetchBranch(wave.repoPath, remote.name, wave.baseBranch);
    await runGit(scratch, ['checkout', '--detach', '--quiet', merged]);
    return {
      ok: true,
      commit: merged,
      throughGithub: true,
      land: async () => {
        // The local base follows the remote's when it can fast-forward; diverged local work is left alone.
        if (await isMerged(wave.repoPath, baseTip, merged)) await advanceBranch(wave.repoPath, wave.baseBranch, baseTip, merged);
      },
    };
  }

  private async baseTip(wave: MergeWave): Promise<string> {
    const tip = await revParse(wave.repoPath, wave.baseBranch);
    if (!tip) throw new FleetError('invalid_input', `${wave.repoPath} has no branch ${wave.baseBranch} to merge into.`);
    return tip;
  }

  private async dropScratch(repo: string, scratch: string): Promise<void> {
    if (existsSync(scratch)) await removeWorktree(repo, scratch, true);
    rmSync(scratch, { recursive: true, force: true });
  }

  /** Why a worktree and branch must not go without `force`: uncommitted or unmerged work; null when safe. */
  private async unsafeToRemove(a: AssignmentRow, kept: boolean): Promise<string | null> {
    const dirty = kept ? await dirtyFiles(a.worktreePath) : [];
    if (dirty.length > 0) return `uncommitted work: ${named(dirty)}`;
    if (this.deps.reviews.review(a.id)?.stage === 'done') return null;
    const base = await this.baseBranchOf(a, undefined).catch(() => null);
    if (!base) return 'no base branch to check it was merged into';
    if (!(await isMerged(a.repoPath, a.branch, base))) return `${a.branch} is not merged into ${base}`;
    return null;
  }

  private waveMembers(input: MergeWaveInput): AssignmentRow[] {
    if (input.assignmentIds?.length) {
      const rows = input.assignmentIds.map((id) => this.deps.store.get(id));
      const refused = rows.filter((a) => !this.mergeable(a));
      if (refused.length > 0) {
        throw new FleetError('invalid_input', `Only finished work with an ok closeout that is not merged yet can join a wave: ${refused.map((a) => a.title).join(', ')}.`);
      }
      return rows;
    }
    this.deps.runs.get(input.runId!);
    const rows = this.deps.store.list().filter((a) => a.runId === input.runId && this.mergeable(a));
    if (rows.length === 0) throw new FleetError('invalid_input', `Run ${input.runId} has no finished, unmerged work to merge.`);
    return rows;
  }

  private mergeable(a: AssignmentRow): boolean {
    return (
      a.fleetId === null &&
      a.status === 'closed' &&
      this.deps.store.closeout(a.id)?.status === 'ok' &&
      this.deps.reviews.review(a.id)?.stage !== 'done' &&
      (this.worktreeKept(a) || a.branch !== '')
    );
  }

  /** A closed assignment with a branch of its own (not a DAG fleet worker). */
  private reviewable(assignmentId: string): AssignmentRow {
    const a = this.deps.store.get(assignmentId);
    if (a.fleetId !== null) throw new FleetError('control_not_allowed', 'A DAG fleet worker works in its fleet folder: it has no branch to review or merge.');
    if (a.status !== 'closed') throw new FleetError('assignment_not_finished', `Assignment ${a.id} is still ${a.status}; review it once it has closed out.`);
    return a;
  }

  private worktreeKept(a: AssignmentRow): boolean {
    return a.worktreeRemovedAt === null && existsSync(a.worktreePath);
  }

  private workDir(a: AssignmentRow): string {
    return this.worktreeKept(a) ? a.worktreePath : a.repoPath;
  }

  private targetOf(a: AssignmentRow): ChangeTarget {
    return this.worktreeKept(a) ? { kind: 'worktree', path: a.worktreePath } : { kind: 'ref', repo: a.repoPath, ref: a.branch };
  }

  private async refreshStat(a: AssignmentRow): Promise<void> {
    try {
      this.deps.reviews.saveStat(a.id, await changeStat(a.commit, this.targetOf(a)));
    } catch (error) {
      // A branch deleted by hand has no change to count; the card just shows none.
      this.deps.log(`the change of ${a.id} could not be counted: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** What the worker left uncommitted becomes one commit on its branch, with a message from the task. */
  private async commitWork(a: AssignmentRow): Promise<void> {
    if (!this.worktreeKept(a)) return;
    const resolving = await mergeInProgress(a.worktreePath);
    const message = resolving
      ? `Merge into ${a.branch}: conflicts resolved by the worker\n\nAssignment ${a.id}`
      : `${a.title}\n\nWork of assignment ${a.id} (${a.workerKind} worker, ${a.taskRef}).`;
    if (resolving && (await conflictedFiles(a.worktreePath)).length > 0) {
      const left = filesWithMarkers(a.worktreePath, await conflictedFiles(a.worktreePath));
      if (left.length > 0) throw new FleetError('merge_conflict', `Conflict markers are still in ${named(left)}.`);
    }
    await commitAll(a.worktreePath, maskSecrets(message));
  }

  private async baseBranchOf(a: AssignmentRow, asked: string | undefined): Promise<string> {
    if (asked) return asked;
    if (a.runId !== null) return this.deps.runs.get(a.runId).branch;
    const branch = await currentBranch(a.repoPath);
    if (!branch) throw new FleetError('invalid_input', `${a.repoPath} has no branch checked out; name the branch to merge into.`);
    return branch;
  }

  /** The run's GitHub source, else the remote's GitHub repository; null when the work is not on GitHub. */
  private async githubTarget(a: AssignmentRow): Promise<GithubTarget | null> {
    if (a.runId !== null) {
      const source = this.deps.runs.get(a.runId).source;
      if (source.kind === 'github') return { repository: source.repository, apiBaseUrl: source.apiBaseUrl };
    }
    const remote = await remoteOf(a.repoPath);
    return remote ? githubTargetOfRemote(remote.url) : null;
  }

  private pullsOf(target: GithubTarget): GithubPulls {
    return githubPulls(target);
  }

  /** The closeout's checks, the exact token totals, and `Closes #N` for a GitHub unit. */
  private pullBody(a: AssignmentRow): string {
    const closeout = this.deps.store.closeout(a.id);
    const tokens = this.deps.store.tokenRows(a.id);
    const sum = (pick: (row: (typeof tokens)[number]) => number) => tokens.reduce((total, row) => total + pick(row), 0);
    const issue = issueNumberOf(a);
    const lines = [
      `Work of assignment \`${a.id}\` (${a.workerKind} worker on ${a.accountRef}), from \`${a.commit.slice(0, 12)}\`.`,
      '',
      `### Closeout: ${closeout?.status ?? 'pending'}`,
      ...(closeout?.checks ?? []).map((check) => `- ${check.ok ? '[x]' : '[ ]'} ${check.name}${check.ok ? '' : ` (${check.blocker})`}: ${check.detail}`),
      '',
      '### Tokens (exact rows)',
      tokens.length > 0
        ? `${sum((r) => r.total)} total in ${tokens.length} turns: input ${sum((r) => r.input)}, output ${sum((r) => r.output)}, reasoning ${sum((r) => r.reasoning)}, cache read ${sum((r) => r.cacheRead)}, cache write ${sum((r) => r.cacheWrite)}.`
        : 'not measured',
      '',
      `Verify: \`${a.verifyCommand}\``,
    ];
    if (issue !== null) lines.push('', `Closes #${issue}`);
    return maskSecrets(lines.join('\n'));
  }

  private publish(wave: MergeWave): void {
    this.deps.hub.broadcast('wave.updated', wave);
    this.deps.changed();
  }

  /** The card, and its run's progress, which counts the card's review stage. */
  private pushCard(assignmentId: string): void {
    const card = projectCard(this.deps.store, assignmentId);
    this.deps.hub.broadcast('card.updated', card);
    if (card.runId !== null) this.deps.runChanged(card.runId);
  }
}
