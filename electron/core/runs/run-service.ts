import path from 'node:path';
import { FleetError } from '../../../shared/errors';
import { controlAllowed, type FleetRun, type NewRunInput, type RunControl, type RunLogEntry, type WorkSourceConfig } from '../../../shared/runs';
import type { AssignmentStore } from '../assignments/assignment-store';
import type { TaskService } from '../assignments/task-service';
import { branchCommit, pinRepo } from '../git/repo';
import { echoPrefix } from '../router';
import type { WorkSource } from '../sources/work-source';
import type { RunRow, RunStore } from './run-store';
import type { Supervisor } from './supervisor';
import type { SupervisorLock } from './supervisor-lock';

const NEXT_STATE: Record<RunControl, RunRow['state']> = { pause: 'paused', resume: 'running', drain: 'draining', stop: 'stopped' };

/** Runs as the owner creates and steers them; the supervisor does the rest. */
export class RunService {
  constructor(
    private readonly deps: {
      runs: RunStore;
      store: AssignmentStore;
      tasks: TaskService;
      supervisor: Supervisor;
      lock: SupervisorLock;
      createSource: (run: Pick<RunRow, 'source'>) => WorkSource;
      changed: () => void;
    },
  ) {}

  /** Checks the repo, the branch and the source now (a bad fleet file is refused here), then records a draft. */
  async create(given: NewRunInput): Promise<FleetRun> {
    const repo = await pinRepo(given.repoPath);
    const input = { ...given, branch: given.branch || repo.branch, source: inRepository(given.source, repo.root) };
    // `rev-parse --abbrev-ref HEAD` says HEAD when no branch is checked out.
    if (input.branch === 'HEAD') {
      throw new FleetError('invalid_input', `${repo.root} is on no branch (a detached HEAD): name the branch the run starts at.`);
    }
    if ((await branchCommit(repo.root, input.branch)) === null) {
      throw new FleetError('invalid_input', `${repo.root} has no branch ${echoPrefix(input.branch)}.`);
    }
    if (input.stopCondition === 'target_count' && input.targetCount === undefined) {
      throw new FleetError('invalid_input', 'A run that stops at a target count needs the target count.');
    }
    await this.deps.createSource({ source: input.source }).list();
    const run = this.deps.runs.insert({ ...input, repoRoot: repo.root });
    const projected = this.deps.supervisor.publish(run);
    this.deps.changed();
    return projected;
  }

  list(): FleetRun[] {
    return this.deps.runs.list().map((run) => this.deps.supervisor.project(run));
  }

  get(runId: string): { run: FleetRun; log: RunLogEntry[] } {
    return { run: this.deps.supervisor.project(this.deps.runs.get(runId)), log: this.deps.runs.logOf(runId) };
  }

  /** The one approval a sustained run asks for. */
  approve(runId: string): FleetRun {
    this.requireSupervisor();
    const run = this.deps.runs.get(runId);
    if (run.state !== 'draft') throw new FleetError('control_not_allowed', `Run ${run.name} is ${run.state}; only a draft waits for approval.`);
    const approved = this.deps.runs.approve(runId);
    this.deps.supervisor.poke();
    this.deps.changed();
    return this.deps.supervisor.publish(approved);
  }

  control(runId: string, control: RunControl): FleetRun {
    this.requireSupervisor();
    const run = this.deps.runs.get(runId);
    if (!controlAllowed(control, run.state)) {
      throw new FleetError('control_not_allowed', `Cannot ${control} run ${run.name}: it is ${run.state}.`);
    }
    const next = this.deps.runs.setState(runId, NEXT_STATE[control]);
    // Stop interrupts active workers; their closeouts say so and release their claims.
    if (control === 'stop') {
      for (const assignment of this.deps.store.activeOfRun(runId)) {
        if (this.deps.tasks.isLive(assignment.id)) this.deps.tasks.interrupt(assignment.id);
      }
      this.deps.supervisor.stopped(runId);
    }
    this.deps.supervisor.poke();
    this.deps.changed();
    return this.deps.supervisor.publish(next);
  }

  private requireSupervisor(): void {
    if (!this.deps.lock.held) {
      throw new FleetError(
        'supervisor_locked',
        `Another Khala process (pid ${this.deps.lock.heldBy ?? 'unknown'}) supervises this data dir; steer runs from there.`,
      );
    }
  }
}

/** A task list named relative to the repository is read from there, wherever the host was started. */
function inRepository(source: WorkSourceConfig, repoRoot: string): WorkSourceConfig {
  return source.kind === 'task_list' && !path.isAbsolute(source.path) ? { ...source, path: path.resolve(repoRoot, source.path) } : source;
}
