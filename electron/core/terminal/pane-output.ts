import { FLOW_CONTROL, SCROLLBACK_REPLAY_CHARS, VIEWER_STALL_TIMEOUT_MS } from '../../../shared/constants';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Connection } from '../connection';
import { OutputFile, type OutputFileFault, type OutputLoss } from './output-file';

/** Something that produces a pane's text and can be told to stop and go (a child's stdout). */
export interface OutputSource {
  pause(): void;
  resume(): void;
}

interface Subscriber {
  connection: Connection;
  unacked: number;
  /** When its unacknowledged count last rose above the high watermark; null while it is below. */
  overSince: number | null;
}

/** What the registry tells a pane: how long a viewer may stall, and where faults and notices go. */
export interface PaneHooks {
  stallTimeoutMs: number;
  now: () => number;
  /** The transcript file failed (disk full, folder deleted): the pane goes on without it. */
  onFault: (paneId: string, fault: OutputFileFault) => void;
  log: (message: string) => void;
}

const DEFAULT_HOOKS: PaneHooks = {
  stallTimeoutMs: VIEWER_STALL_TIMEOUT_MS,
  now: Date.now,
  onFault: () => undefined,
  log: () => undefined,
};

/**
 * One pane's output stream: batched, offset-numbered, replayable, and flow-controlled per subscriber
 * (VS Code's habit: pause the source above the high watermark, resume below the low one, and let
 * the renderer ack after xterm has parsed).
 */
export class PaneOutput {
  /**
   * What a late viewer replays is read back from the transcript file, which holds every character
   * written (synchronously): the host keeps no copy of output that is already on disk. Only once the
   * file has failed (a full disk, a deleted folder) is a bounded tail kept here instead.
   */
  private memoryTail: string | null = null;
  private total = 0;
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly subscribers = new Map<string, Subscriber>();
  private source: OutputSource | null = null;
  private paused = false;
  private finished = false;
  private finishing: Promise<void> | null = null;
  private readonly file: OutputFile;
  private hooks: PaneHooks = DEFAULT_HOOKS;
  private stallTimer: NodeJS.Timeout | null = null;

  /**
   * @param earlier what this pane already showed in an earlier life (a follow-up reopens a finished
   * transcript): offsets continue after it and replay includes it.
   */
  constructor(
    readonly paneId: string,
    transcriptPath: string,
    earlier = '',
  ) {
    this.file = new OutputFile(transcriptPath, (fault) => {
      // From here the file no longer holds the whole stream: replay comes from memory, what is known of it.
      this.memoryTail ??= '';
      this.hooks.onFault(this.paneId, fault);
    });
    this.total = earlier.length;
  }

  /** Set by the registry when the pane is added. */
  configure(hooks: Partial<PaneHooks>): void {
    this.hooks = { ...this.hooks, ...hooks };
  }

  /** This pane's output that never reached its transcript file (a full disk, a deleted folder). */
  get transcriptLoss(): OutputLoss {
    return this.file.loss;
  }

  /** Checks that the transcript file is still there; a deleted one is reported (and recreated). */
  checkTranscript(): void {
    this.file.checkStillThere();
  }

  /** The transcript file's length: where a restarted host cuts it back to before it reads on. */
  get transcriptBytes(): number {
    return this.file.size;
  }

  /** The process whose output feeds this pane now; a paused pane pauses the new source at once. */
  setSource(source: OutputSource | null): void {
    this.source = source;
    if (source && this.paused) source.pause();
  }

  write(text: string): void {
    if (!text || this.finished) return;
    this.file.write(text);
    this.pending += text;
    this.total += text.length;
    if (this.memoryTail !== null) {
      this.memoryTail += text;
      // Trimmed at twice the limit so trimming is amortized rather than done on every write.
      if (this.memoryTail.length > 2 * SCROLLBACK_REPLAY_CHARS) this.memoryTail = this.memoryTail.slice(-SCROLLBACK_REPLAY_CHARS);
    }
    this.timer ??= setTimeout(() => this.flush(), FLOW_CONTROL.batchIntervalMs);
    // Checked on every write, not only at flush: a fast worker can print far more than the
    // watermark within one batch interval.
    this.updateFlow();
  }

  /** Sends what has gathered; then pauses the source if any subscriber is too far behind. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.pending) return;
    const data = this.pending;
    const start = this.total - data.length;
    this.pending = '';
    for (const subscriber of [...this.subscribers.values()]) {
      // Counted before it is sent: a face may acknowledge within emit itself.
      subscriber.unacked += data.length;
      try {
        subscriber.connection.emit('terminal.data', { paneId: this.paneId, start, data });
      } catch (error) {
        // A face that cannot take output stops being a viewer; the worker and the other viewers go on.
        this.hooks.log(`pane ${this.paneId}: dropped viewer ${subscriber.connection.id}: ${error instanceof Error ? error.message : String(error)}`);
        this.subscribers.delete(subscriber.connection.id);
      }
    }
    this.updateFlow();
  }

  /** Replay for a pane opened late: everything so far, then live data from `end` on. */
  attach(connection: Connection): { scrollback: string; end: number; finished: boolean } {
    this.flush();
    this.subscribers.set(connection.id, { connection, unacked: 0, overSince: null });
    const scrollback = this.memoryTail ?? readTranscriptTail(this.file.filePath, SCROLLBACK_REPLAY_CHARS);
    return { scrollback: scrollback.slice(-SCROLLBACK_REPLAY_CHARS), end: this.total, finished: this.finished };
  }

  detach(connectionId: string): void {
    this.subscribers.delete(connectionId);
    this.updateFlow();
  }

  ack(connectionId: string, chars: number): void {
    const subscriber = this.subscribers.get(connectionId);
    if (!subscriber) return;
    subscriber.unacked = Math.max(0, subscriber.unacked - chars);
    this.updateFlow();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get length(): number {
    return this.total;
  }

  /** Flushes, tells subscribers the stream has ended, and closes the transcript file. Safe to call twice. */
  finish(): Promise<void> {
    if (this.finishing) return this.finishing;
    this.flush();
    this.finished = true;
    for (const subscriber of this.subscribers.values()) {
      try {
        subscriber.connection.emit('terminal.finished', { paneId: this.paneId, end: this.total });
      } catch (error) {
        this.hooks.log(`pane ${this.paneId}: could not tell viewer ${subscriber.connection.id} it finished: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.source = null;
    this.clearStallTimer();
    this.finishing = this.file.close();
    return this.finishing;
  }

  /**
   * Characters not yet acknowledged by the slowest subscriber, counting those still batched. A
   * subscriber above the high watermark starts its stall clock; one that stays there too long is detached.
   */
  private updateFlow(): void {
    let maxUnacked = 0;
    const now = this.hooks.now();
    for (const subscriber of this.subscribers.values()) {
      const unacked = subscriber.unacked + this.pending.length;
      maxUnacked = Math.max(maxUnacked, unacked);
      if (unacked > FLOW_CONTROL.highWatermarkChars) subscriber.overSince ??= now;
      else subscriber.overSince = null;
    }
    this.armStallTimer(now);
    if (!this.paused && maxUnacked > FLOW_CONTROL.highWatermarkChars) {
      this.paused = true;
      this.source?.pause();
    } else if (this.paused && maxUnacked < FLOW_CONTROL.lowWatermarkChars) {
      this.paused = false;
      this.source?.resume();
    }
  }

  /** Wakes when the earliest stalled subscriber's timeout is due; nothing runs while no one is behind. */
  private armStallTimer(now: number): void {
    if (this.stallTimer || this.finished) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const subscriber of this.subscribers.values()) if (subscriber.overSince !== null) earliest = Math.min(earliest, subscriber.overSince);
    if (earliest === Number.POSITIVE_INFINITY) return;
    const due = Math.max(0, earliest + this.hooks.stallTimeoutMs - now);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = null;
      this.detachStalled();
    }, due);
    this.stallTimer.unref();
  }

  private clearStallTimer(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  /** Detaches every subscriber that has been above the high watermark for the stall timeout; the source resumes. */
  private detachStalled(): void {
    const now = this.hooks.now();
    for (const subscriber of [...this.subscribers.values()]) {
      if (subscriber.overSince === null || now - subscriber.overSince < this.hooks.stallTimeoutMs) continue;
      this.subscribers.delete(subscriber.connection.id);
      this.hooks.log(
        `pane ${this.paneId}: viewer ${subscriber.connection.id} acknowledged nothing for ${now - subscriber.overSince} ms with ${subscriber.unacked} characters outstanding; detached from flow control`,
      );
      try {
        subscriber.connection.emit('terminal.detached', { paneId: this.paneId, reason: 'stalled', unackedChars: subscriber.unacked });
      } catch (error) {
        this.hooks.log(`pane ${this.paneId}: could not tell viewer ${subscriber.connection.id} it was detached: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.updateFlow();
  }
}

/** UTF-8 takes at most this many bytes per UTF-16 code unit, so this many bytes always hold `chars` characters. */
const MAX_UTF8_BYTES_PER_CHAR = 3;

/** The last `chars` characters of a transcript file, read from its end (a cut leading character is dropped). */
function readTranscriptTail(file: string, chars: number): string {
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, chars * MAX_UTF8_BYTES_PER_CHAR);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, size - length);
    let start = 0;
    // Skip continuation bytes of a character the cut went through.
    while (start < read && (buffer[start]! & 0xc0) === 0x80) start += 1;
    return buffer.subarray(start, read).toString('utf8').slice(-chars);
  } catch {
    // Nothing written yet (the file is made at the first write).
    return '';
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
