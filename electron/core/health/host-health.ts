import { randomUUID } from 'node:crypto';
import { rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DiskCheck } from '../../../shared/contract';
import { FleetError } from '../../../shared/errors';

/** Below this much free space in the data dir new dispatch pauses: one flooding worker's logs can take hundreds of MB. */
export const DISK_MIN_FREE_BYTES = 256 * 1024 * 1024;
/** The supervisor's tick measures the disk at most this often (a statfs and a probe write). */
export const DISK_RECHECK_MS = 30_000;
/** The probe file a disk check writes and removes at once in the data dir. */
export const DISK_PROBE_PREFIX = '.disk-probe-';
/** The probe write: big enough to need a fresh block, small enough to cost nothing. */
const DISK_PROBE_BYTES = 64 * 1024;
/** A fault's detail is cut here: it echoes an error message, which may quote paths or input. */
const FAULT_DETAIL_MAX_CHARS = 200;
/** Faults kept for the Inbox; the oldest go first (the log has every one). */
const FAULTS_KEPT = 50;
const BYTES_PER_MB = 1024 * 1024;

export const hostFaultKinds = [
  'disk_full',
  'output_write_failed',
  'output_read_failed',
  'output_file_removed',
  'store_write_failed',
  'store_read_failed',
  'runner_failed',
] as const;
export type HostFaultKind = (typeof hostFaultKinds)[number];

/** Something failed inside the host and it kept running. */
export interface HostFault {
  id: string;
  kind: HostFaultKind;
  detail: string;
  at: string;
  refs: Record<string, string>;
  /** How often it happened since it was first recorded (it is logged once). */
  count: number;
}

export interface HostHealthOptions {
  dataDir: string;
  log: (message: string) => void;
  /** Injectable so a test can trip the statfs check without filling a disk. */
  minFreeBytes?: number;
  recheckMs?: number;
  now?: () => number;
}

/** ENOSPC and EDQUOT from the kernel, SQLITE_FULL from the store: all mean the data dir's disk is full. */
export function isDiskFullError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

function shortDetail(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > FAULT_DETAIL_MAX_CHARS ? `${line.slice(0, FAULT_DETAIL_MAX_CHARS - 1)}…` : line;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * The host's own health: faults on the output path and in the store (each one an Inbox item and a
 * log line), and whether the data dir's disk is full, which pauses new dispatch.
 */
export class HostHealth {
  private readonly faults = new Map<string, HostFault>();
  private readonly listeners = new Set<() => void>();
  private readonly minFreeBytes: number;
  private readonly recheckMs: number;
  private readonly now: () => number;
  private lastDiskCheck = Number.NEGATIVE_INFINITY;
  private checking: Promise<DiskCheck> | null = null;

  constructor(private readonly options: HostHealthOptions) {
    this.minFreeBytes = options.minFreeBytes ?? DISK_MIN_FREE_BYTES;
    this.recheckMs = options.recheckMs ?? DISK_RECHECK_MS;
    this.now = options.now ?? Date.now;
  }

  /** Called whenever the faults or the disk state change. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): HostFault[] {
    return [...this.faults.values()];
  }

  get diskFull(): HostFault | undefined {
    return this.faults.get('disk_full');
  }

  /**
   * Records a fault. The same kind with the same refs and detail is one fault with a count, logged
   * once, so a failing write per output line is one line in the log.
   */
  report(kind: HostFaultKind, detail: string, refs: Record<string, string> = {}): HostFault {
    const short = shortDetail(detail);
    const key = kind === 'disk_full' ? 'disk_full' : `${kind}:${JSON.stringify(refs)}:${short}`;
    const existing = this.faults.get(key);
    if (existing) {
      existing.count += 1;
      return existing;
    }
    const fault: HostFault = {
      id: kind === 'disk_full' ? 'disk_full' : `fault-${randomUUID()}`,
      kind,
      detail: short,
      at: new Date(this.now()).toISOString(),
      refs,
      count: 1,
    };
    this.faults.set(key, fault);
    // A full disk just seen is not measured again before the recheck interval has passed.
    if (kind === 'disk_full') this.lastDiskCheck = this.now();
    while (this.faults.size > FAULTS_KEPT) {
      const oldest = [...this.faults.keys()].find((k) => k !== 'disk_full');
      if (oldest === undefined) break;
      this.faults.delete(oldest);
    }
    const on = Object.entries(refs)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ');
    this.options.log(`host fault ${kind}${on ? ` (${on})` : ''}: ${short}`);
    this.changed();
    return fault;
  }

  /** An operation failed with `error`: a full disk pauses dispatch, anything else is recorded as `kind`. */
  recordError(kind: Exclude<HostFaultKind, 'disk_full'>, error: unknown, refs: Record<string, string>, what: string): void {
    if (isDiskFullError(error)) this.report('disk_full', `${what}: ${describe(error)}`, refs);
    else this.report(kind, `${what}: ${describe(error)}`, refs);
  }

  /** An output file failed: a full disk pauses dispatch, a deleted folder or another failure is a fault. */
  outputFailed(fault: { kind: 'disk_full' | 'write_failed' | 'removed'; detail: string }, refs: Record<string, string>): void {
    const kind = fault.kind === 'disk_full' ? 'disk_full' : fault.kind === 'removed' ? 'output_file_removed' : 'output_write_failed';
    this.report(kind, fault.detail, refs);
  }

  /**
   * Refuses new dispatch while the disk is full. With no full disk on record, free space is measured
   * again when the last check is old, so a disk that filled quietly is caught before a worker starts.
   */
  async assertRoom(): Promise<void> {
    // A check under way (the supervisor's) is waited for: its answer is the freshest there is.
    if (this.checking) await this.checking;
    if (!this.diskFull && this.now() - this.lastDiskCheck >= this.recheckMs) await this.checkDisk();
    const full = this.diskFull;
    if (full) {
      throw new FleetError(
        'disk_full',
        `The data dir's disk is full (${full.detail}), so nothing new is started. Free some space, then check the disk again from the Inbox.`,
      );
    }
  }

  /**
   * The supervisor's tick: measure now and then, so a disk that fills pauses dispatch and a disk
   * that has room again resumes it by itself.
   */
  async checkIfDue(): Promise<void> {
    if (this.now() - this.lastDiskCheck >= this.recheckMs) await this.checkDisk();
  }

  /** statfs on the data dir and a probe write in it; with room, a full disk is cleared and dispatch resumes. */
  checkDisk(): Promise<DiskCheck> {
    this.checking ??= this.measure().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** The owner has seen a fault. A full disk is not dismissed: it goes when a check finds room. */
  dismiss(faultId: string): void {
    if (faultId === 'disk_full') {
      throw new FleetError('invalid_input', 'A full disk leaves the Inbox once a check finds room: free some space and check the disk again.');
    }
    for (const [key, fault] of this.faults) {
      if (fault.id === faultId) {
        this.faults.delete(key);
        this.changed();
        return;
      }
    }
  }

  private async measure(): Promise<DiskCheck> {
    const { dataDir } = this.options;
    this.lastDiskCheck = this.now();
    let freeBytes = 0;
    let problem: string | null = null;
    try {
      const stats = await statfs(dataDir);
      freeBytes = stats.bavail * stats.bsize;
      if (freeBytes < this.minFreeBytes) {
        problem = `${Math.floor(freeBytes / BYTES_PER_MB)} MB free in ${dataDir}, below the ${Math.ceil(this.minFreeBytes / BYTES_PER_MB)} MB the host keeps free`;
      }
    } catch (error) {
      problem = `could not measure free space in ${dataDir}: ${describe(error)}`;
    }
    if (!problem) {
      const probe = path.join(dataDir, `${DISK_PROBE_PREFIX}${process.pid}-${randomUUID()}`);
      try {
        await writeFile(probe, Buffer.alloc(DISK_PROBE_BYTES), { mode: 0o600 });
      } catch (error) {
        problem = `a probe write in ${dataDir} failed: ${describe(error)}`;
      } finally {
        await rm(probe, { force: true }).catch(() => undefined);
      }
    }
    if (problem) {
      const full = this.diskFull;
      if (full) full.count += 1;
      else this.report('disk_full', problem);
      return { diskFull: true, freeBytes, detail: shortDetail(problem) };
    }
    if (this.faults.delete('disk_full')) {
      this.options.log(`disk has room again (${Math.floor(freeBytes / BYTES_PER_MB)} MB free): dispatch resumes`);
      this.changed();
    }
    return { diskFull: false, freeBytes, detail: `${Math.floor(freeBytes / BYTES_PER_MB)} MB free` };
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.options.log(`host health listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }
}
