import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { maskSecrets } from '../../../shared/secret-mask';
import { advanceClaim, releaseClaim } from '../claims/claims';
import { computeCloseout } from '../closeout/checklist';
import { gatherEvidence } from '../closeout/evidence';
import type { HostHealth } from '../health/host-health';
import type { Db } from '../store/database';
import { OutputFile, type OutputFileFault, type OutputFileFaultKind } from '../terminal/output-file';
import type { PaneOutput } from '../terminal/pane-output';
import { renderStderr, renderWorkerEvent } from '../transcript/render';
import { plainText } from '../transcript/sanitize';
import type { LaunchContext, WorkerAdapter, WorkerLaunch } from '../workers/adapter';
import { LineSplitter } from '../workers/line-splitter';
import { signalGroup, stopGroup } from '../workers/process-group';
import { ASSIGNMENT_ENV } from '../workers/process-tree';
import { usageTotal, type WorkerEvent } from '../workers/worker-events';
import type { AssignmentStore } from './assignment-store';
import type { AssignmentFiles } from './paths';
import { OWNER_ONLY_DIR } from '../store/owner-only';
import { runVerify, type VerifyRun } from './verify';

/** A lifecycle line on a card is cut here; the pane has the full text. */
const SUMMARY_MAX_CHARS = 160;
/** How a lost-output note names each cause. */
const LOSS_REASONS: Record<OutputFileFaultKind, string> = {
  disk_full: 'disk full',
  removed: 'its folder was deleted',
  write_failed: 'a write failed',
};
/** After SIGINT a CLI gets this long to finish its turn and print its result before SIGTERM. */
export const INTERRUPT_GRACE_MS = 5_000;
/** After SIGTERM, this long before SIGKILL to the whole group. */
export const INTERRUPT_TERMINATE_GRACE_MS = 3_000;

export interface RunnerDeps {
  db: Db;
  store: AssignmentStore;
  adapter: WorkerAdapter;
  pane: PaneOutput;
  files: AssignmentFiles;
  context: LaunchContext;
  /** Called whenever the card may have changed (coalesced by the caller). */
  changed: () => void;
  log: (message: string) => void;
  /** Where faults on the output path go (Inbox items); a full disk pauses new dispatch. */
  health: HostHealth;
  /** A DAG fleet worker's `workers/<id>/session.jsonl`: every raw line is mirrored there as it arrives. */
  sessionLog: string | null;
  /** Called as soon as the closeout is stored, before anything can dispatch into the freed slot. */
  closedOut?: () => void;
}

interface WorkerOutcome {
  exitCode: number | null;
  signal: string | null;
  spawnError: string | null;
}

function summarize(text: string): string {
  // Masked before the cut: a cut secret would no longer look like one. No escape sequence reaches a card.
  const line = plainText(maskSecrets(text)).replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_MAX_CHARS ? `${line.slice(0, SUMMARY_MAX_CHARS - 1)}…` : line;
}

/**
 * Supervises one run of an assignment (its first, or a follow-up): worker process -> raw log,
 * transcript, lifecycle events and exact token rows; then the verify command in the worktree
 * (none for a DAG fleet worker); then the closeout.
 */
export class AssignmentRunner {
  private child: ChildProcess | null = null;
  private closed: Promise<void> | null = null;
  private verifyRun: VerifyRun | null = null;
  private shuttingDown = false;
  private interrupted = false;
  private turns: number;
  private lastCumulativeCost: number;
  private readonly outputFiles: OutputFile[] = [];
  private rawLog: OutputFile | null = null;
  readonly done: Promise<void>;

  constructor(
    private readonly assignmentId: string,
    private readonly deps: RunnerDeps,
  ) {
    const rows = deps.store.tokenRows(assignmentId);
    // Turn numbers continue across follow-ups, so every row keeps its own idempotency key.
    this.turns = rows.length;
    // The provider's cost is cumulative per session; a resumed session continues from what was recorded.
    const session = deps.context.followUp?.sessionRef;
    this.lastCumulativeCost = session ? rows.filter((r) => r.sessionRef === session).reduce((sum, r) => sum + (r.costAmount ?? 0), 0) : 0;
    this.done = this.run()
      .catch((error: unknown) => {
        deps.log(`assignment ${assignmentId} runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        deps.health.recordError('runner_failed', error, { assignment: assignmentId }, 'the run stopped before its closeout');
      })
      // However the run ended, the pane's viewers hear that it did and its transcript file is closed.
      .then(() => deps.pane.finish());
  }

  get isInterrupted(): boolean {
    return this.interrupted;
  }

  /** The owner's interrupt: SIGINT, then SIGTERM, then SIGKILL, each to the whole process group. */
  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    const { store } = this.deps;
    store.transaction(() => {
      store.markInterrupted(this.assignmentId);
      store.appendEvent(this.assignmentId, 'interrupted', 'interrupted by the owner');
    });
    this.deps.changed();
    const child = this.child;
    if (child && this.closed) {
      signalGroup(child, 'SIGINT');
      const term = setTimeout(() => signalGroup(child, 'SIGTERM'), INTERRUPT_GRACE_MS);
      const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), INTERRUPT_GRACE_MS + INTERRUPT_TERMINATE_GRACE_MS);
      void this.closed.then(() => {
        clearTimeout(term);
        clearTimeout(kill);
      });
    }
    void this.verifyRun?.stop();
  }

  /**
   * The operator's kill (the caller kills the process tree): recorded like an interrupt, so the
   * closeout names `interrupted`, with no signal schedule of its own.
   */
  markKilled(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    const { store } = this.deps;
    store.transaction(() => {
      store.markInterrupted(this.assignmentId);
      store.appendEvent(this.assignmentId, 'interrupted', 'killed by the operator');
    });
    this.deps.changed();
    void this.verifyRun?.stop();
  }

  /** The worker's pid while it is ours: until Node has collected its exit, the pid cannot name another process. */
  workerPid(): number | null {
    const child = this.child;
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return null;
    return child.pid;
  }

  /** Stops the worker (and verify) for an app quit: nothing more is recorded after the exit. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const stops: Promise<void>[] = [];
    if (this.child && this.closed) stops.push(stopGroup(this.child, this.closed));
    if (this.verifyRun) stops.push(this.verifyRun.stop());
    await Promise.all(stops);
    await this.done;
  }

  private async run(): Promise<void> {
    const { store, pane, files } = this.deps;
    const assignment = store.get(this.assignmentId);
    mkdirSync(files.privateHome, { recursive: true, mode: OWNER_ONLY_DIR });
    let outcome: WorkerOutcome;
    try {
      outcome = await this.runWorker(this.deps.adapter.launch(assignment, this.deps.context));
    } catch (error) {
      outcome = { exitCode: null, signal: null, spawnError: error instanceof Error ? error.message : String(error) };
    }
    if (this.shuttingDown) return;
    this.guardStore("the worker's exit", () => store.transaction(() => {
      store.markExited(this.assignmentId, outcome.exitCode, outcome.signal);
      if (outcome.spawnError) {
        store.appendEvent(this.assignmentId, 'runtime_failed', summarize(`worker_spawn_failed: ${outcome.spawnError}`));
      } else if (outcome.exitCode === 0) {
        store.appendEvent(this.assignmentId, 'runtime_finished', 'worker exited 0');
      } else {
        const how = outcome.signal ? `signal ${outcome.signal}` : `exit ${outcome.exitCode}`;
        store.appendEvent(this.assignmentId, 'runtime_failed', `worker ended with ${how}`);
      }
      advanceClaim(this.deps.db, assignment.claimId, 'closeout');
    }));
    this.deps.changed();

    // An interrupted worker's tree is whatever it left: there is nothing to verify. A DAG fleet has no verify step.
    if (!this.interrupted && assignment.fleetId === null) await this.verify(assignment.verifyCommand, assignment.worktreePath);
    if (this.shuttingDown) return;

    this.reportLostOutput();
    const closeout = computeCloseout(await gatherEvidence(store, this.deps.adapter, this.assignmentId, files, this.rawLog?.loss.bytes ?? 0));
    store.submitCloseout(this.assignmentId, closeout, () =>
      releaseClaim(this.deps.db, assignment.claimId, closeout.status === 'ok' ? 'closeout_ok' : 'closeout_failed'),
    );
    this.guardStore('the account cooldown', () => this.deps.closedOut?.());
    await pane.finish();
    this.deps.changed();
  }

  private async verify(command: string, worktree: string): Promise<void> {
    const { store } = this.deps;
    this.guardStore('the verify start', () => store.appendEvent(this.assignmentId, 'verify_started', summarize(`verify: ${command}`)));
    this.deps.changed();
    this.verifyRun = runVerify(command, worktree, this.deps.pane);
    const verify = await this.verifyRun.done;
    this.verifyRun = null;
    if (this.shuttingDown) return;
    this.guardStore('the verify result', () =>
      store.transaction(() => {
        store.saveVerify(this.assignmentId, verify);
        store.appendEvent(this.assignmentId, 'verify_finished', verify.passed ? 'verify passed' : `verify failed (exit ${verify.exitCode ?? 'none'})`);
      }),
    );
    this.deps.changed();
  }

  private runWorker(launch: WorkerLaunch): Promise<WorkerOutcome> {
    const { store, pane, files } = this.deps;
    const rawLog = new OutputFile(files.rawLog, (fault) => this.outputFault(fault));
    const stderrLog = new OutputFile(files.stderrLog, (fault) => this.outputFault(fault));
    const sessionLog = this.deps.sessionLog === null ? null : new OutputFile(this.deps.sessionLog, (fault) => this.outputFault(fault));
    this.outputFiles.push(rawLog, stderrLog, ...(sessionLog ? [sessionLog] : []));
    this.rawLog = rawLog;
    const stdoutLines = new LineSplitter();
    const stderrLines = new LineSplitter();

    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      // The marker every descendant inherits, so a kill sweeps even those that left the process group.
      env: { ...launch.env, [ASSIGNMENT_ENV]: this.assignmentId },
      // Its own process group, so an interrupt or quit reaches every process the worker started.
      detached: true,
      // The prompt goes in on stdin, never in argv (readable by every local user).
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    // A worker that exits before reading its prompt makes this write fail (EPIPE): its exit says why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(launch.stdin);
    pane.setSource(child.stdout);

    const onStdoutLine = (line: string) => {
      rawLog.write(`${line}\n`);
      sessionLog?.write(`${line}\n`);
      this.guardLine(() => {
        for (const event of this.deps.adapter.parseLine(line)) {
          pane.write(renderWorkerEvent(event));
          this.guardStore('a worker event', () => this.record(event));
        }
      });
    };
    const onStderrLine = (line: string) => {
      stderrLog.write(`${line}\n`);
      this.guardLine(() => pane.write(renderStderr(line)));
    };
    child.stdout.on('data', (chunk: Buffer) => stdoutLines.push(chunk).forEach(onStdoutLine));
    child.stderr.on('data', (chunk: Buffer) => stderrLines.push(chunk).forEach(onStderrLine));
    // A pipe error ends the stream; the worker's 'close' still follows and closes it out.
    child.stdout.on('error', (error) => this.deps.log(`assignment ${this.assignmentId} stdout: ${error.message}`));
    child.stderr.on('error', (error) => this.deps.log(`assignment ${this.assignmentId} stderr: ${error.message}`));

    let spawnError: string | null = null;
    const result = new Promise<WorkerOutcome>((resolve) => {
      child.on('error', (error) => {
        spawnError = error.message;
      });
      // 'close' (not 'exit') waits for stdio to end, so bytes that arrive after the exit are kept.
      child.on('close', (code, signal) => {
        stdoutLines.end().forEach(onStdoutLine);
        stderrLines.end().forEach(onStderrLine);
        pane.setSource(null);
        void Promise.all([rawLog.close(), stderrLog.close(), sessionLog?.close()]).then(() => resolve({ exitCode: code, signal, spawnError }));
      });
    });
    this.closed = result.then(() => undefined);

    if (child.pid !== undefined) {
      const pid = child.pid;
      this.guardStore("the worker's start", () =>
        store.transaction(() => {
          store.markStarted(this.assignmentId, pid);
          store.appendEvent(this.assignmentId, 'runtime_started', summarize(`pid ${pid}: ${this.deps.adapter.kind} worker started`));
          advanceClaim(this.deps.db, store.get(this.assignmentId).claimId, 'in_progress');
        }),
      );
      this.deps.changed();
    }
    return result;
  }

  /**
   * A store write made on the output path: if it throws (a full disk, a corrupt page, a table gone) the
   * fault is recorded once and the worker goes on; the closeout later names what is missing.
   */
  private guardStore(what: string, write: () => void): void {
    try {
      write();
    } catch (error) {
      this.deps.health.recordError('store_write_failed', error, { assignment: this.assignmentId }, `${what} was not recorded`);
    }
  }

  /** One line of output that could not be parsed or shown is a fault, never an exception in a stream handler. */
  private guardLine(handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.deps.health.recordError('output_write_failed', error, { assignment: this.assignmentId }, 'a line of output could not be shown');
    }
  }

  private outputFault(fault: OutputFileFault): void {
    this.deps.health.outputFailed(fault, { assignment: this.assignmentId });
  }

  /** Output that never reached its files is said once, on the assignment, before its closeout. */
  private reportLostOutput(): void {
    const losses = [...this.outputFiles.map((file) => file.loss), this.deps.pane.transcriptLoss].filter((loss) => loss.bytes > 0);
    if (losses.length === 0) return;
    const bytes = losses.reduce((sum, loss) => sum + loss.bytes, 0);
    const why = [...new Set(losses.map((loss) => LOSS_REASONS[loss.fault ?? 'write_failed']))].join(', ');
    const files = losses.map((loss) => loss.file).join(', ');
    this.guardStore('the lost-output note', () =>
      this.deps.store.appendEvent(this.assignmentId, 'runtime_progress', summarize(`output not saved: ${why}, ${bytes} bytes lost (${files})`)),
    );
  }

  /** Turns a worker event into lifecycle events and, for a completed turn, its exact token row. */
  private record(event: WorkerEvent): void {
    const { store } = this.deps;
    const id = this.assignmentId;
    switch (event.type) {
      case 'session':
        store.setSession(id, event.sessionId);
        break;
      case 'message':
        store.appendEvent(id, 'runtime_progress', summarize(event.text));
        break;
      case 'tool_call':
        store.appendEvent(id, 'runtime_progress', summarize(`tool: ${event.name}`));
        break;
      case 'tool_result':
        if (!event.isError) return;
        store.appendEvent(id, 'runtime_progress', summarize(`tool failed: ${event.content}`));
        break;
      case 'command':
        store.appendEvent(id, 'runtime_progress', summarize(event.phase === 'started' ? `run: ${event.command}` : `exit ${event.exitCode}: ${event.command}`));
        break;
      case 'file_change':
        store.appendEvent(id, 'runtime_progress', summarize(`changed ${event.changes.map((c) => c.path).join(', ')}`));
        break;
      case 'retry':
        store.appendEvent(id, 'runtime_progress', summarize(`retry ${event.attempt}/${event.maxRetries}: ${event.error}`));
        break;
      case 'notice':
        store.appendEvent(id, 'runtime_progress', summarize(`notice: ${event.message}`));
        break;
      case 'turn_failed':
        store.appendEvent(id, 'runtime_progress', summarize(`turn failed: ${event.message}`));
        break;
      case 'turn_completed':
        this.recordTurn(event);
        break;
      default:
        return;
    }
    this.deps.changed();
  }

  private recordTurn(event: Extract<WorkerEvent, { type: 'turn_completed' }>): void {
    const { store } = this.deps;
    const assignment = store.get(this.assignmentId);
    if (this.interrupted) {
      // An interrupted turn's usage is the CLI's estimate, not the provider's count: no exact row.
      store.appendEvent(assignment.id, 'runtime_progress', 'interrupted turn: usage not exact, no token row');
      return;
    }
    const turn = this.turns;
    this.turns += 1;
    let cost: number | null = null;
    if (event.cumulativeCostUsd !== null) {
      cost = event.cumulativeCostUsd - this.lastCumulativeCost;
      this.lastCumulativeCost = event.cumulativeCostUsd;
    }
    const sessionRef = event.sessionId ?? assignment.sessionRef;
    const total = usageTotal(event.usage);
    store.transaction(() => {
      store.insertTokenRow({
        idempotencyKey: `${assignment.id}:${sessionRef ?? 'no-session'}:turn-${turn}`,
        observedAt: new Date().toISOString(),
        accountRef: assignment.accountRef,
        runRef: assignment.runId,
        sessionRef,
        taskRef: assignment.id,
        repositoryRef: assignment.repoPath,
        provider: this.deps.adapter.provider,
        model: event.model ?? assignment.model ?? 'unknown',
        input: event.usage.input,
        output: event.usage.output,
        reasoning: event.usage.reasoning,
        cacheRead: event.usage.cacheRead,
        cacheWrite: event.usage.cacheWrite,
        costAmount: cost,
        currency: cost === null ? null : 'USD',
      });
      store.appendEvent(
        assignment.id,
        'runtime_progress',
        event.isError ? summarize(`turn failed (${event.subtype}): ${event.resultText}`) : `turn completed: ${total} tokens exact`,
        { usage: event.usage },
      );
    });
  }
}
