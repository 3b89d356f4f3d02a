import { createWriteStream, type WriteStream } from 'node:fs';
import { FLOW_CONTROL, SCROLLBACK_REPLAY_CHARS } from '../../../shared/constants';
import type { Connection } from '../connection';

/** Something that produces a pane's text and can be told to stop and go (a child's stdout). */
export interface OutputSource {
  pause(): void;
  resume(): void;
}

interface Subscriber {
  connection: Connection;
  unacked: number;
}

/**
 * One pane's output stream: batched, offset-numbered, replayable, and flow-controlled per subscriber
 * (VS Code's habit: pause the source above the high watermark, resume below the low one, and let
 * the renderer ack after xterm has parsed).
 */
export class PaneOutput {
  private scrollback = '';
  private total = 0;
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly subscribers = new Map<string, Subscriber>();
  private source: OutputSource | null = null;
  private paused = false;
  private finished = false;
  private readonly file: WriteStream;

  /**
   * @param earlier what this pane already showed in an earlier life (a follow-up reopens a finished
   * transcript): offsets continue after it and replay includes it.
   */
  constructor(
    readonly paneId: string,
    transcriptPath: string,
    earlier = '',
  ) {
    this.file = createWriteStream(transcriptPath, { flags: 'a' });
    this.total = earlier.length;
    this.scrollback = earlier.slice(-SCROLLBACK_REPLAY_CHARS);
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
    this.scrollback += text;
    // Trim at twice the limit so trimming is amortized rather than done on every write.
    if (this.scrollback.length > 2 * SCROLLBACK_REPLAY_CHARS) {
      this.scrollback = this.scrollback.slice(-SCROLLBACK_REPLAY_CHARS);
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
    for (const subscriber of this.subscribers.values()) {
      subscriber.connection.emit('terminal.data', { paneId: this.paneId, start, data });
      subscriber.unacked += data.length;
    }
    this.updateFlow();
  }

  /** Replay for a pane opened late: everything so far, then live data from `end` on. */
  attach(connection: Connection): { scrollback: string; end: number; finished: boolean } {
    this.flush();
    this.subscribers.set(connection.id, { connection, unacked: 0 });
    return { scrollback: this.scrollback.slice(-SCROLLBACK_REPLAY_CHARS), end: this.total, finished: this.finished };
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

  /** Flushes, tells subscribers the stream has ended, and closes the transcript file. */
  finish(): Promise<void> {
    this.flush();
    this.finished = true;
    for (const subscriber of this.subscribers.values()) {
      subscriber.connection.emit('terminal.finished', { paneId: this.paneId, end: this.total });
    }
    this.source = null;
    return new Promise((resolve) => this.file.end(resolve));
  }

  /** Characters not yet acknowledged by the slowest subscriber, counting those still batched. */
  private updateFlow(): void {
    let maxUnacked = 0;
    for (const subscriber of this.subscribers.values()) maxUnacked = Math.max(maxUnacked, subscriber.unacked + this.pending.length);
    if (!this.paused && maxUnacked > FLOW_CONTROL.highWatermarkChars) {
      this.paused = true;
      this.source?.pause();
    } else if (this.paused && maxUnacked < FLOW_CONTROL.lowWatermarkChars) {
      this.paused = false;
      this.source?.resume();
    }
  }
}
