import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
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
 * An append-only output file (a transcript, a DAG worker's session log) that never throws: a full disk
 * stops it and counts what could not be written; a file whose folder was deleted is recreated (mkdir
 * and reopen); every fault is reported once through `onFault`. Writes are synchronous, so once
 * `write` returns the bytes are the kernel's: a host killed a moment later loses none of them, and
 * `size` says exactly how far the file goes (a restarted host cuts it back to its last checkpoint).
 */
export class OutputFile {
  private fd: number | null = null;
  /** Opened at the first write, so a pane that never prints leaves no file, and a file replaced before it is written is written as it is then. */
  private opened = false;
  private failed = false;
  private lost = 0;
  /** Bytes in the current file: what it held when opened plus what was written since. */
  private bytes = 0;
  private lastFault: OutputFileFaultKind | null = null;
  private reopens = 0;
  private lastCheck = Date.now();
  private closed = false;

  constructor(
    readonly filePath: string,
    private readonly onFault: (fault: OutputFileFault) => void,
  ) {}

  /** What never reached the file, and the last reason why. */
  get loss(): OutputLoss {
    return { file: this.name, bytes: this.lost, fault: this.lastFault };
  }

  get name(): string {
    return path.basename(this.filePath);
  }

  /** The file's length as this writer knows it. */
  get size(): number {
    if (!this.opened) return statSync(this.filePath, { throwIfNoEntry: false })?.size ?? 0;
    return this.bytes;
  }

  write(text: string): void {
    if (this.closed || !text) return;
    const data = Buffer.from(text);
    if (!this.opened) {
      this.opened = true;
      this.open();
    }
    if (this.failed || this.fd === null) {
      this.lost += data.length;
      return;
    }
    if (Date.now() - this.lastCheck >= OUTPUT_FILE_CHECK_MS) this.checkStillThere();
    if (this.fd === null) {
      this.lost += data.length;
      return;
    }
    let written = 0;
    try {
      while (written < data.length) written += writeSync(this.fd, data, written);
      this.bytes += written;
    } catch (error) {
      this.bytes += written;
      this.lost += data.length - written;
      this.writeFailed(error as NodeJS.ErrnoException);
    }
  }

  /** Ends the file. A file removed under it is reported. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.failed && this.fd !== null && !existsSync(this.filePath)) this.removed(false);
    this.closed = true;
    this.closeFd();
  }

  private report(fault: OutputFileFault): void {
    this.lastFault = fault.kind;
    this.onFault(fault);
  }

  private open(): void {
    try {
      mkdirSync(path.dirname(this.filePath), { recursive: true, mode: OWNER_ONLY_DIR });
      this.fd = openSync(this.filePath, 'a', OWNER_ONLY_FILE);
      this.bytes = fstatSync(this.fd).size;
    } catch (error) {
      this.fd = null;
      this.writeFailed(error as NodeJS.ErrnoException);
    }
  }

  private closeFd(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // Closing cannot lose what was written: the bytes are the kernel's already.
    }
    this.fd = null;
  }

  private writeFailed(error: NodeJS.ErrnoException): void {
    if (this.failed) return;
    this.failed = true;
    this.closeFd();
    const diskFull = error.code === 'ENOSPC' || error.code === 'EDQUOT';
    this.report({
      kind: diskFull ? 'disk_full' : 'write_failed',
      file: this.name,
      error,
      detail: diskFull ? `${this.name} not saved: disk full` : `${this.name} not saved: ${error.code ?? error.message}`,
    });
  }

  /** Whether the file is still there (its folder may have been deleted): one that is gone is reported and recreated. */
  checkStillThere(): void {
    this.lastCheck = Date.now();
    if (this.closed || this.failed || this.fd === null) return;
    if (!existsSync(this.filePath)) this.removed(true);
  }

  /** The file was deleted while open: what it held is gone; it is recreated when `recreate`, for what comes next. */
  private removed(recreate: boolean): void {
    // Everything written went to a file that no longer has a name.
    this.lost += this.bytes;
    this.bytes = 0;
    this.closeFd();
    const error = Object.assign(new Error(`${this.filePath} was removed`), { code: 'ENOENT' });
    if (recreate && this.reopens < OUTPUT_FILE_REOPENS_MAX) {
      this.reopens += 1;
      this.report({
        kind: 'removed',
        file: this.name,
        error,
        detail: `${this.name} was deleted while it was being written; recreated, its earlier output is lost`,
      });
      this.open();
      return;
    }
    this.failed = true;
    this.report({ kind: 'removed', file: this.name, error, detail: `${this.name} was deleted while it was being written; its output is lost` });
  }
}
