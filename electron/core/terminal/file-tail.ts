import { close, fstat, open, read, watch, type FSWatcher } from 'node:fs';
import type { OutputSource } from './pane-output';

/** One read of an output file: big enough for a flood, small enough to keep the event loop turning. */
export const TAIL_READ_BYTES = 64 * 1024;
/**
 * A file at its end is read again after this long even when no change was signalled (a watch can miss
 * a change, and a file that does not exist yet cannot be watched).
 */
export const TAIL_POLL_MS = 250;

/**
 * Read buffers shared by every tail: a tail holds one only while its read is in flight and its
 * handler runs, so hundreds of workers waiting at the ends of their files hold none. The pool keeps
 * at most this many spare, enough for the reads the thread pool runs at once and their successors.
 */
const SPARE_BUFFERS_KEPT = 16;
const spareBuffers: Buffer[] = [];

function takeBuffer(): Buffer {
  return spareBuffers.pop() ?? Buffer.allocUnsafe(TAIL_READ_BYTES);
}

function giveBack(buffer: Buffer): void {
  if (spareBuffers.length < SPARE_BUFFERS_KEPT) spareBuffers.push(buffer);
}

/**
 * Follows a file that another process appends to (a detached worker's output), from a byte offset on.
 * It reads as fast as the handler takes the bytes, waits at the end for more (a watch, with a poll
 * behind it), can be paused (a pane's flow control), and `finish()` reads to the end once the writer
 * has exited. The host holds nothing of the file but the chunk in hand, in a buffer shared with the other tails.
 */
export class FileTail implements OutputSource {
  private fd: number | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private paused = false;
  private stopped = false;
  private finishing: { resolve: () => void; promise: Promise<void> } | null = null;

  /**
   * @param onData called with each chunk (valid only during the call) and the file offset after it.
   * @param onError a read that failed (the file replaced by something unreadable): the tail ends there.
   */
  constructor(
    readonly filePath: string,
    private offset: number,
    private readonly onData: (chunk: Buffer, end: number) => void,
    private readonly onError: (error: NodeJS.ErrnoException) => void,
  ) {
    this.pump();
  }

  get position(): number {
    return this.offset;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pump();
  }

  /** The writer has ended: read everything left, then stop. Resolves at the end of the file. */
  finish(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.finishing) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.finishing = { resolve, promise };
      this.pump();
    }
    return this.finishing.promise;
  }

  /** Stops at once, reading nothing more (the host quits and leaves the worker running). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clearWait();
    if (this.fd !== null && !this.reading) this.closeFd();
    this.finishing?.resolve();
  }

  private pump(): void {
    if (this.stopped || this.reading || this.paused) return;
    this.clearWait();
    if (this.fd === null) {
      this.reading = true;
      open(this.filePath, 'r', (error, fd) => {
        if (this.stopped || error) this.reading = false;
        if (this.stopped) {
          if (!error) close(fd, () => undefined);
          return;
        }
        if (error) {
          // Not written yet: the worker opens it as it starts. At the end, a file never made is simply empty.
          if (error.code === 'ENOENT') return this.atEnd();
          return this.fail(error);
        }
        // Only a regular file is followed: a device in its place (a link to /dev/zero) could be endless.
        fstat(fd, (statError, stats) => {
          this.reading = false;
          if (this.stopped) return close(fd, () => undefined);
          if (statError || !stats.isFile()) {
            close(fd, () => undefined);
            return this.fail(statError ?? Object.assign(new Error(`${this.filePath} is not a regular file`), { code: 'EINVAL' }));
          }
          this.fd = fd;
          this.watchFile();
          this.pump();
        });
      });
      return;
    }
    this.reading = true;
    const buffer = takeBuffer();
    read(this.fd, buffer, 0, TAIL_READ_BYTES, this.offset, (error, bytes) => {
      this.reading = false;
      if (this.stopped || error || bytes === 0) giveBack(buffer);
      if (this.stopped) return this.closeFd();
      if (error) return this.fail(error);
      if (bytes === 0) return this.atEnd();
      this.offset += bytes;
      try {
        this.onData(buffer.subarray(0, bytes), this.offset);
      } finally {
        giveBack(buffer);
      }
      // The next read on a later turn, so a flood never starves the host's other work.
      setImmediate(() => this.pump());
    });
  }

  private atEnd(): void {
    if (this.finishing) {
      this.stopped = true;
      this.clearWait();
      this.closeFd();
      this.finishing.resolve();
      return;
    }
    this.timer = setTimeout(() => this.pump(), TAIL_POLL_MS);
  }

  private watchFile(): void {
    try {
      this.watcher = watch(this.filePath, { persistent: false }, () => this.pump());
      // A watch that fails (the folder deleted, too many watches) leaves the poll to do its work.
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null;
    }
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  private clearWait(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fail(error: NodeJS.ErrnoException): void {
    this.onError(error);
    this.stopped = true;
    this.clearWait();
    this.closeFd();
    this.finishing?.resolve();
  }

  private closeFd(): void {
    this.unwatch();
    if (this.fd === null) return;
    close(this.fd, () => undefined);
    this.fd = null;
  }
}
