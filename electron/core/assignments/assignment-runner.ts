import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { maskSecrets } from '../../../shared/secret-mask';
import type { AssignmentStatus } from '../../../shared/domain';
import { advanceClaim, releaseClaim } from '../claims/claims';
import { computeCloseout } from '../closeout/checklist';
import { STALE, staleCloseout } from '../closeout/requeue';
import { gatherEvidence } from '../closeout/evidence';
import type { HostHealth } from '../health/host-health';
import { nowIso } from '../refs';
import type { Db } from '../store/database';
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from '../store/owner-only';
import { FileTail } from '../terminal/file-tail';
import { OutputFile, type OutputFileFault, type OutputFileFaultKind } from '../terminal/output-file';
import type { OutputSource, PaneOutput } from '../terminal/pane-output';
import { paint } from '../transcript/ansi';
import { renderStderr, renderWorkerEvent } from '../transcript/render';
import { ColourOnlyFilter, plainText } from '../transcript/sanitize';
import type { LaunchContext, WorkerAdapter } from '../workers/adapter';
import { adoptDetached, spawnDetached, type DetachedOutcome, type DetachedProcess } from '../workers/detached-process';
import { ownerEnvironment } from '../workers/environment';
import { LineSplitter } from '../workers/line-splitter';
import { ASSIGNMENT_ENV, signalTree, workerMarker } from '../workers/process-tree';
import { usageTotal, type WorkerEvent } from '../workers/worker-events';
import type { AssignmentStore } from './assignment-store';
import type { AssignmentFiles } from './paths';
import type { Supervision, SupervisionStore } from './supervision-store';
import { VERIFY_OUTPUT_KEEP_CHARS, VERIFY_TIMEOUT_MS } from './verify';

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
  supervision: SupervisionStore;
  adapter: WorkerAdapter;
  pane: PaneOutput;
  files: AssignmentFiles;
  context: LaunchContext;
  /** Called whenever the card may have changed (coalesced by the caller). */
  changed: () => void;
  log: (message: string) => void;
  /** Where faults on the output path go (Inbox items); a full disk pauses new dispatch. */
  health: HostHealth;
  /** A DAG fleet worker's `workers/<id>/session.jsonl`: every raw line is mirrored there as it is read. */
  sessionLog: string | null;
  /** Called as soon as the closeout is stored, before anything can dispatch into the freed slot. */
  closedOut?: () => void;
  /**
   * Set when this host takes over an assignment a previous host left running or verifying: its
   * processes are re-adopted (or found gone) and its files read on from their checkpoints.
   */
  adopt: boolean;
}

type WorkerOutcome = DetachedOutcome;

/** The runner let go of its processes (an app quit that keeps them running): nothing more is recorded. */
const RELEASED = Symbol('released');

function summarize(text: string): string {
  // Masked before the cut: a cut secret would no longer look like one. No escape sequence reaches a card.
  const line = plainText(maskSecrets(text)).replace(/\s+/g, ' ').trim();
  return line.length > SUMMARY_MAX_CHARS ? `${line.slice(0, SUMMARY_MAX_CHARS - 1)}…` : line;
}

function fileSize(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/** The last `maxBytes` of a file from `start` on, as text. */
function readTail(file: string, start: number, maxBytes: number): string {
  const end = fileSize(file);
  const from = Math.max(start, end - maxBytes);
  if (end <= from) return '';
  const buffer = Buffer.alloc(end - from);
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const read = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Several tails behind one pane: a slow viewer pauses them all. */
function panesSource(tails: FileTail[]): OutputSource {
  return { pause: () => tails.forEach((tail) => tail.pause()), resume: () => tails.forEach((tail) => tail.resume()) };
}

/**
 * Supervises one run of an assignment (its first, or a follow-up). The worker is a detached process
 * writing straight to `events.jsonl` and `stderr.log`; this runner tails those files into the
 * transcript, lifecycle events and exact token rows, checkpointing how far it got in the same
 * transaction, so a later host re-adopts the worker and reads on without recording anything twice.
 * Then the verify command (detached the same way; none for a DAG fleet worker), then the closeout.
 */
export class AssignmentRunner {
  private process: DetachedProcess | null = null;
  private verifyProcess: DetachedProcess | null = null;
  private readonly tails = new Set<FileTail>();
  private interrupted = false;
  private released = false;
  private releaseNow: () => void = () => undefined;
  private readonly releasedSignal: Promise<typeof RELEASED>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private turns: number;
  private lastCumulativeCost: number;
  private session: OutputFile | null = null;
  readonly done: Promise<void>;

  constructor(
    private readonly assignmentId: string,
    private readonly deps: RunnerDeps,
  ) {
    const rows = deps.store.tokenRows(assignmentId);
    // Turn numbers continue across follow-ups (and across hosts), so every row keeps its own idempotency key.
    this.turns = rows.length;
    // The provider's cost is cumulative per session; a resumed session continues from what was recorded.
    const sessionRef = deps.context.followUp?.sessionRef ?? deps.store.get(assignmentId).sessionRef;
    this.lastCumulativeCost = sessionRef ? rows.filter((r) => r.sessionRef === sessionRef).reduce((sum, r) => sum + (r.costAmount ?? 0), 0) : 0;
    this.releasedSignal = new Promise((resolve) => (this.releaseNow = () => resolve(RELEASED)));
    this.done = this.run()
      .catch((error: unknown) => {
        deps.log(`assignment ${assignmentId} runner failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        deps.health.recordError('runner_failed', error, { assignment: assignmentId }, 'the run stopped before its closeout');
      })
      // However the run ended, the pane's viewers hear that it did and its transcript file is closed.
      .then(() => {
        for (const timer of this.timers) clearTimeout(timer);
        for (const tail of this.tails) tail.stop();
        return deps.pane.finish();
      });
  }

  get isInterrupted(): boolean {
    return this.interrupted;
  }

  /** The owner's interrupt: SIGINT, then SIGTERM, then SIGKILL, each to the whole process group. */
  interrupt(): void {
    if (this.interrupted) return;
    this.noteInterrupted('interrupted by the owner');
    const worker = this.process;
    if (worker) {
      worker.signal('SIGINT');
      this.later(INTERRUPT_GRACE_MS, () => worker.signal('SIGTERM'));
      this.later(INTERRUPT_GRACE_MS + INTERRUPT_TERMINATE_GRACE_MS, () => worker.signal('SIGKILL'));
    }
    this.stopVerify();
  }

  /**
   * The operator's kill, or an app quit that stops every worker (the caller kills the process tree):
   * recorded like an interrupt, so the closeout names `interrupted`, with no signal schedule of its own.
   */
  markKilled(why = 'killed by the operator'): void {
    if (this.interrupted) return;
    this.noteInterrupted(why);
    this.stopVerify();
  }

  /** The worker's pid while it is still the process that was started (a reused pid is never named). */
  workerPid(): number | null {
    return this.process?.identity?.pid ?? null;
  }

  /**
   * An app quit that keeps the worker running: the runner stops reading and lets go of its processes.
   * Everything read so far is checkpointed; the next host re-adopts the worker from there.
   */
  async release(): Promise<void> {
    this.released = true;
    this.releaseNow();
    this.process?.release();
    this.verifyProcess?.release();
    for (const tail of this.tails) tail.stop();
    await this.done;
  }

  private noteInterrupted(why: string): void {
    this.interrupted = true;
    const { store } = this.deps;
    this.guardStore('the interrupt', () =>
      store.transaction(() => {
        store.markInterrupted(this.assignmentId);
        store.appendEvent(this.assignmentId, 'interrupted', why);
      }),
    );
    this.deps.changed();
  }

  private stopVerify(): void {
    const verify = this.verifyProcess;
    if (!verify) return;
    verify.signal('SIGTERM');
    this.later(INTERRUPT_TERMINATE_GRACE_MS, () => verify.signal('SIGKILL'));
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private async run(): Promise<void> {
    const { store, files } = this.deps;
    const assignment = store.get(this.assignmentId);
    mkdirSync(files.privateHome, { recursive: true, mode: OWNER_ONLY_DIR });
    const supervision = this.deps.supervision.get(this.assignmentId);
    const resumingVerify = this.deps.adopt && assignment.status === 'verifying';
    if (!resumingVerify) {
      const worker = await this.workerPhase(assignment.status, supervision);
      if (worker === RELEASED) return;
      if ('gone' in worker) return this.closeOutStale(worker.gone);
      this.recordExit(worker);
    }

    // An interrupted worker's tree is whatever it left: there is nothing to verify. A DAG fleet has no verify step.
    if (!this.interrupted && assignment.fleetId === null) {
      const verified = await this.verify(assignment.verifyCommand, assignment.worktreePath, resumingVerify ? supervision : null);
      if (verified === RELEASED) return;
    }
    if (this.released) return;

    this.deps.pane.checkTranscript();
    const lostBytes = this.reportLostOutput();
    const closeout = computeCloseout(await gatherEvidence(store, this.deps.adapter, this.assignmentId, files, lostBytes));
    store.submitCloseout(this.assignmentId, closeout, () =>
      releaseClaim(this.deps.db, assignment.claimId, closeout.status === 'ok' ? 'closeout_ok' : 'closeout_failed'),
    );
    this.guardStore('the account cooldown', () => this.deps.closedOut?.());
    await this.deps.pane.finish();
    this.deps.changed();
  }

  /** Starts the worker (or re-adopts it), follows its output to the end, and says how it ended. */
  private async workerPhase(status: AssignmentStatus, supervision: Supervision): Promise<WorkerOutcome | { gone: string } | typeof RELEASED> {
    let known: WorkerOutcome | null = null;
    let gone: string | null = null;
    if (!this.deps.adopt || status === 'accepted') {
      const started = this.startWorker();
      if ('spawnError' in started) known = started;
      else this.process = started.process;
    } else {
      const adoption = adoptDetached(supervision.worker, this.deps.files.workerExit);
      if (adoption.state === 'running') this.process = adoption.process;
      else if (adoption.state === 'ended') known = adoption.outcome;
      else gone = adoption.detail;
      const pid = supervision.worker ? ` (pid ${supervision.worker.pid})` : '';
      const found = adoption.state === 'running' ? 'still running' : adoption.state === 'ended' ? 'ended while no host watched' : 'gone';
      this.guardStore('the re-adoption', () =>
        this.deps.store.appendEvent(this.assignmentId, 'runtime_progress', summarize(`re-adopted by this host: worker${pid} ${found}, output read on from byte ${supervision.stdoutOffset}`)),
      );
      this.deps.changed();
    }

    // A worker started before workers were detached has no identity and no checkpoint: its files are not read again.
    const output = gone !== null && !supervision.worker ? { finish: () => Promise.resolve() } : this.followWorkerOutput(supervision);
    const outcome = known ?? (this.process ? await Promise.race([this.process.exited, this.releasedSignal]) : null);
    if (outcome === RELEASED || this.released) return RELEASED;
    await output.finish();
    if (this.released) return RELEASED;
    if (gone !== null || outcome === null) return { gone: gone ?? 'it has no recorded process' };
    return outcome;
  }

  private startWorker(): { process: DetachedProcess } | WorkerOutcome {
    const { store, files } = this.deps;
    const assignment = store.get(this.assignmentId);
    let process: DetachedProcess;
    try {
      const launch = this.deps.adapter.launch(assignment, this.deps.context);
      // The prompt reaches the worker as its stdin, a file only the owner can read, removed once the worker holds it open.
      writeFileSync(files.promptFile, launch.stdin, { mode: OWNER_ONLY_FILE });
      process = spawnDetached({
        command: launch.command,
        args: launch.args,
        cwd: launch.cwd,
        // The marker every descendant inherits, so a kill sweeps even those that left the process group.
        env: { ...launch.env, [ASSIGNMENT_ENV]: this.assignmentId },
        stdinFile: files.promptFile,
        stdoutFile: files.rawLog,
        stderrFile: files.stderrLog,
        exitFile: files.workerExit,
      });
    } catch (error) {
      return { exitCode: null, signal: null, spawnError: error instanceof Error ? error.message : String(error), statusUnknown: false };
    } finally {
      rmSync(files.promptFile, { force: true });
    }
    const identity = process.identity;
    if (!identity) return { exitCode: null, signal: null, spawnError: process.startError ?? 'the worker did not start', statusUnknown: false };
    this.guardStore("the worker's start", () =>
      store.transaction(() => {
        store.markStarted(this.assignmentId, identity.pid);
        this.deps.supervision.workerStarted(this.assignmentId, identity, this.deps.sessionLog);
        store.appendEvent(this.assignmentId, 'runtime_started', summarize(`pid ${identity.pid}: ${this.deps.adapter.kind} worker started`));
        advanceClaim(this.deps.db, store.get(this.assignmentId).claimId, 'in_progress');
      }),
    );
    this.deps.changed();
    return { process };
  }

  /** Tails the worker's stdout and stderr from their checkpoints into the pane, the store and the session log. */
  private followWorkerOutput(supervision: Supervision): { finish(): Promise<void> } {
    const { files, pane, store, supervision: supervisionStore } = this.deps;
    if (this.deps.sessionLog !== null) {
      if (this.deps.adopt) cutBack(this.deps.sessionLog, supervision.sessionBytes);
      this.session = new OutputFile(this.deps.sessionLog, (fault) => this.outputFault(fault));
    }
    const stdoutLines = new LineSplitter();
    const stderrLines = new LineSplitter();
    const checkpointed = (at: Parameters<SupervisionStore['checkpoint']>[1], record: () => void) =>
      this.guardStore('the output checkpoint', () =>
        store.transaction(() => {
          record();
          supervisionStore.checkpoint(this.assignmentId, { ...at, transcriptBytes: pane.transcriptBytes, sessionBytes: this.session?.size ?? 0 });
        }),
      );
    const onStdout = (lines: string[], offset: number) =>
      checkpointed({ stdoutOffset: offset }, () => {
        let shown = '';
        for (const line of lines) {
          this.session?.write(`${line}\n`);
          this.guardLine(() => {
            for (const event of this.deps.adapter.parseLine(line)) {
              shown += renderWorkerEvent(event);
              this.guardStore('a worker event', () => this.record(event));
            }
          });
        }
        this.guardLine(() => pane.write(shown));
      });
    const onStderr = (lines: string[], offset: number) =>
      checkpointed({ stderrOffset: offset }, () => this.guardLine(() => pane.write(lines.map(renderStderr).join(''))));
    const stdout = this.tail(files.rawLog, supervision.stdoutOffset, (chunk, end) => onStdout(stdoutLines.push(chunk), end - stdoutLines.pendingBytes));
    const stderr = this.tail(files.stderrLog, supervision.stderrOffset, (chunk, end) => onStderr(stderrLines.push(chunk), end - stderrLines.pendingBytes));
    pane.setSource(panesSource([stdout, stderr]));
    return {
      finish: async () => {
        await Promise.all([stdout.finish(), stderr.finish()]);
        if (this.released) return;
        // A last line without a newline is still a line.
        onStdout(stdoutLines.end(), stdout.position);
        onStderr(stderrLines.end(), stderr.position);
        pane.setSource(null);
        await this.session?.close();
      },
    };
  }

  private tail(file: string, offset: number, onData: (chunk: Buffer, end: number) => void): FileTail {
    const tail = new FileTail(file, offset, onData, (error) =>
      this.deps.health.recordError('output_read_failed', error, { assignment: this.assignmentId }, `${file} could not be read`),
    );
    this.tails.add(tail);
    return tail;
  }

  private recordExit(outcome: WorkerOutcome): void {
    const { store } = this.deps;
    const assignment = store.get(this.assignmentId);
    this.guardStore("the worker's exit", () =>
      store.transaction(() => {
        store.markExited(this.assignmentId, outcome.exitCode, outcome.signal);
        if (outcome.spawnError) {
          store.appendEvent(this.assignmentId, 'runtime_failed', summarize(`worker_spawn_failed: ${outcome.spawnError}`));
        } else if (outcome.exitCode === 0) {
          store.appendEvent(this.assignmentId, 'runtime_finished', 'worker exited 0');
        } else {
          const how = outcome.signal ? `signal ${outcome.signal}` : outcome.exitCode !== null ? `exit ${outcome.exitCode}` : 'no exit status';
          store.appendEvent(this.assignmentId, 'runtime_failed', `worker ended with ${how}`);
        }
        advanceClaim(this.deps.db, assignment.claimId, 'closeout');
      }),
    );
    this.deps.changed();
  }

  /**
   * Runs the verify command in the worktree (detached, writing `verify.log`), or re-adopts the one a
   * previous host started; one that died with no status while no host watched is run again.
   */
  private async verify(command: string, worktree: string, resume: Supervision | null): Promise<void | typeof RELEASED> {
    const { store, files, pane } = this.deps;
    let known: DetachedOutcome | null = null;
    let startedAt = nowIso();
    let startOffset = fileSize(files.verifyLog);
    let readFrom = startOffset;
    if (resume) {
      const adoption = adoptDetached(resume.verify, files.verifyExit);
      const pid = resume.verify ? ` (pid ${resume.verify.pid})` : '';
      const found = adoption.state === 'running' ? 'still running' : adoption.state === 'ended' ? 'ended while no host watched' : 'gone, so it runs again';
      this.guardStore('the re-adoption', () => store.appendEvent(this.assignmentId, 'runtime_progress', `re-adopted by this host: verify${pid} ${found}`));
      if (adoption.state !== 'gone') {
        startedAt = resume.verifyStartedAt ?? startedAt;
        startOffset = resume.verifyStartOffset;
        readFrom = resume.verifyOffset;
        if (adoption.state === 'running') this.verifyProcess = adoption.process;
        else known = adoption.outcome;
      }
    }
    if (!this.verifyProcess && !known) {
      this.guardStore('the verify start', () => store.appendEvent(this.assignmentId, 'verify_started', summarize(`verify: ${command}`)));
      this.deps.changed();
      const started = spawnDetached({
        command: 'sh',
        args: ['-c', command],
        cwd: worktree,
        env: { ...ownerEnvironment(), [ASSIGNMENT_ENV]: this.assignmentId },
        stdinFile: null,
        stdoutFile: files.verifyLog,
        stderrFile: files.verifyLog,
        exitFile: files.verifyExit,
      });
      if (started.identity) this.verifyProcess = started;
      else known = { exitCode: null, signal: null, spawnError: started.startError, statusUnknown: false };
      this.guardStore('the verify start', () => this.deps.supervision.verifyStarted(this.assignmentId, started.identity, startedAt, startOffset));
    }

    // The pane gets colours only: verify output must not draw over the board's lines or act outside the pane.
    const filter = new ColourOnlyFilter();
    const show = (text: string, offset: number) =>
      this.guardStore('the output checkpoint', () =>
        store.transaction(() => {
          const safe = filter.push(text);
          if (safe) this.guardLine(() => pane.write(paint('dim', maskSecrets(safe))));
          this.deps.supervision.checkpoint(this.assignmentId, { verifyOffset: offset, transcriptBytes: pane.transcriptBytes });
        }),
      );
    const output = this.tail(files.verifyLog, readFrom, (chunk, end) => show(chunk.toString('utf8'), end));
    pane.setSource(output);
    let timedOut = false;
    const verifyProcess = this.verifyProcess;
    if (verifyProcess) {
      const left = Math.max(0, Date.parse(startedAt) + VERIFY_TIMEOUT_MS - Date.now());
      this.later(left, () => {
        timedOut = true;
        verifyProcess.signal('SIGKILL');
      });
    }
    const outcome = known ?? (await Promise.race([verifyProcess!.exited, this.releasedSignal]));
    if (outcome === RELEASED || this.released) return RELEASED;
    await output.finish();
    if (this.released) return RELEASED;
    pane.setSource(null);
    this.verifyProcess = null;
    const note = (outcome.spawnError ? `${outcome.spawnError}\n` : '') + (timedOut ? `verify stopped after ${VERIFY_TIMEOUT_MS} ms\n` : '');
    if (note) show(note, output.position);
    const tailEnd = filter.end();
    if (tailEnd) this.guardLine(() => pane.write(paint('dim', maskSecrets(tailEnd))));
    const verify = {
      command,
      exitCode: outcome.exitCode,
      passed: outcome.exitCode === 0 && !timedOut,
      output: readTail(files.verifyLog, startOffset, VERIFY_OUTPUT_KEEP_CHARS) + note,
      startedAt,
      endedAt: nowIso(),
    };
    this.guardStore('the verify result', () =>
      store.transaction(() => {
        store.saveVerify(this.assignmentId, verify);
        store.appendEvent(this.assignmentId, 'verify_finished', verify.passed ? 'verify passed' : `verify failed (exit ${verify.exitCode ?? 'none'})`);
        this.deps.supervision.checkpoint(this.assignmentId, { transcriptBytes: pane.transcriptBytes });
      }),
    );
    this.deps.changed();
  }

  /**
   * A worker that died while no host watched and left no exit status: what it printed is recorded
   * (its completed turns' rows included), leftovers it started are stopped, and it closes out `stale`
   * naming what was found. The run requeues its unit.
   */
  private closeOutStale(found: string): void {
    const { store, db } = this.deps;
    const a = store.get(this.assignmentId);
    const strays = signalTree({ rootPid: () => null, marker: workerMarker(a.id) }, 'SIGTERM');
    const strayNote = strays.length > 0 ? `; ${strays.length} leftover processes it started (pids ${strays.join(', ')}) were stopped` : '';
    const detail = `${found}${strayNote}`;
    const closeout = staleCloseout(a, detail);
    store.transaction(() => {
      store.appendEvent(a.id, 'runtime_failed', summarize(`stale: ${detail}`));
      store.submitCloseout(a.id, closeout, () => releaseClaim(db, a.claimId, STALE));
    });
    this.deps.changed();
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

  /** Output that never reached its files is said once, on the assignment, before its closeout; returns how many bytes. */
  private reportLostOutput(): number {
    const losses = [this.session?.loss, this.deps.pane.transcriptLoss].filter((loss) => loss !== undefined && loss.bytes > 0) as OutputFile['loss'][];
    if (losses.length === 0) return 0;
    const bytes = losses.reduce((sum, loss) => sum + loss.bytes, 0);
    const why = [...new Set(losses.map((loss) => LOSS_REASONS[loss.fault ?? 'write_failed']))].join(', ');
    const files = losses.map((loss) => loss.file).join(', ');
    this.guardStore('the lost-output note', () =>
      this.deps.store.appendEvent(this.assignmentId, 'runtime_progress', summarize(`output not saved: ${why}, ${bytes} bytes lost (${files})`)),
    );
    return bytes;
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

/** A file a host died writing past its last checkpoint is cut back there before anything reads on. */
export function cutBack(file: string, bytes: number): void {
  if (fileSize(file) > bytes) truncateSync(file, bytes);
}
