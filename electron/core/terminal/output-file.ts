import { createWriteStream, mkdirSync, readFileSync, stat, statSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OWNER_ONLY_DIR, OWNER_ONLY_FILE } from '../store/owner-only';

/** How often a file that is being written is checked to still be there (its folder may be deleted under it). */
export const OUTPUT_FILE_CHECK_MS = 1_000;
/** A file whose folder keeps vanishing is recreated this many times, then given up (and its loss counted). */
const OUTPUT_FILE_REOPENS_MAX = 3;

/** Whether `file` is a regular file: an output path replaced by a device or a folder is never read (it could be endless). */
function isRegularFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}

/** An output file's text, or '' when it is missing or not a regular file. */
export function readOutputTextSync(file: string): string {
  return isRegularFile(file) ? readFileSync(file, 'utf8') : '';
}

/** An output file's text, or '' when it is missing or not a regular file. */
export async function readOutputText(file: string): Promise<string> {
  return isRegularFile(file) ? readFile(file, 'utf8') : '';
}

export type OutputFileFaultKind = 'disk_full' | 'write_failed' | 'removed';

export interface OutputLoss {
  file: string;
  bytes: number;
  fault: OutputFileFaultKind | null;
}

export interface OutputFileFault {
  kind: OutputFileFaultKind;
  /** The file's name, e.g. `events.jsonl`. */
  file: string;
  error: unknown;
  detail: string;
}

/**
 * An append-only output file (raw log, stderr log, transcript) that never throws and never emits an
 * unhandled `error`: a full disk stops it and counts what could not be written; a file whose folder
 * was deleted is recreated (mkdir and reopen); every fault is reported once through `onFault`.
 */
export class OutputFile {
  private stream: WriteStream;
  private failed = false;
  private lost = 0;
  /** Bytes handed to the current stream; what it has not written when it fails is lost. */
  private submitted = 0;
  private lastFault: OutputFileFaultKind | null = null;
  private reopens = 0;
  private lastCheck = Date.now();
  private checking = false;
  private closed = false;

  constructor(
    readonly filePath: string,
    private readonly onFault: (fault: OutputFileFault) => void,
  ) {
    this.stream = this.open();
  }

  /** What never reached the file, and the last reason why. */
  get loss(): OutputLoss {
    return { file: this.name, bytes: this.lost, fault: this.lastFault };
  }

  get name(): string {
    return path.basename(this.filePath);
  }

  write(text: string): void {
    if (this.closed) return;
    if (this.failed) {
      this.lost += Buffer.byteLength(text);
      return;
    }
    this.submitted += Buffer.byteLength(text);
    this.stream.write(text);
    if (Date.now() - this.lastCheck >= OUTPUT_FILE_CHECK_MS) this.checkStillThere();
  }

  /** Ends the file; resolves once it is closed, however it ended. A file removed under it is reported. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stream = this.stream;
    await opened(stream);
    if (!this.failed) {
      const gone = await new Promise<boolean>((resolve) => stat(this.filePath, (error) => resolve(error?.code === 'ENOENT')));
      if (gone) this.removed(stream, false);
    }
    await endStream(stream);
  }

  private report(fault: OutputFileFault): void {
    this.lastFault = fault.kind;
    this.onFault(fault);
  }

  private open(): WriteStream {
    try {
      mkdirSync(path.dirname(this.filePath), { recursive: true, mode: OWNER_ONLY_DIR });
    } catch {
      // The open below fails too, and reports why.
    }
    const stream = createWriteStream(this.filePath, { flags: 'a', mode: OWNER_ONLY_FILE });
    stream.on('error', (error: NodeJS.ErrnoException) => this.streamFailed(stream, error));
    return stream;
  }

  private streamFailed(stream: WriteStream, error: NodeJS.ErrnoException): void {
    if (stream !== this.stream || this.failed) return;
    // What the stream had not written when it failed never reached the file.
    this.lost += this.submitted - stream.bytesWritten;
    if (error.code === 'ENOENT' && !this.closed && this.reopen(error)) return;
    this.failed = true;
    const diskFull = error.code === 'ENOSPC' || error.code === 'EDQUOT';
    this.report({
      kind: diskFull ? 'disk_full' : 'write_failed',
      file: this.name,
      error,
      detail: diskFull ? `${this.name} not saved: disk full` : `${this.name} not saved: ${error.code ?? error.message}`,
    });
  }

  private checkStillThere(): void {
    if (this.checking) return;
    this.checking = true;
    this.lastCheck = Date.now();
    const stream = this.stream;
    stat(this.filePath, (error) => {
      this.checking = false;
      if (error?.code === 'ENOENT' && stream === this.stream && !this.failed && !this.closed) this.removed(stream, true);
    });
  }

  /** The file was deleted while open: what it held is gone; it is recreated when `recreate`, for what comes next. */
  private removed(stream: WriteStream, recreate: boolean): void {
    // Everything handed to it went to a file that no longer has a name.
    this.lost += this.submitted;
    const error = Object.assign(new Error(`${this.filePath} was removed`), { code: 'ENOENT' });
    if (recreate && this.reopen(error)) {
      void endStream(stream);
      return;
    }
    this.report({ kind: 'removed', file: this.name, error, detail: `${this.name} was deleted while it was being written; its output is lost` });
  }

  /** mkdir and reopen (open makes the folder); false once it has vanished too often. */
  private reopen(error: unknown): boolean {
    if (this.reopens >= OUTPUT_FILE_REOPENS_MAX) return false;
    this.reopens += 1;
    this.submitted = 0;
    this.stream = this.open();
    this.report({
      kind: 'removed',
      file: this.name,
      error,
      detail: `${this.name} was deleted while it was being written; recreated, its earlier output is lost`,
    });
    return true;
  }
}

function endStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    if (!stream.destroyed) stream.end();
  });
}

/** Resolves once the stream has opened its file or failed to. */
function opened(stream: WriteStream): Promise<void> {
  if (!stream.pending || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('ready', () => resolve());
    stream.once('close', () => resolve());
  });
}
