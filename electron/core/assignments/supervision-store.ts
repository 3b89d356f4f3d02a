import type { Db } from '../store/database';
import { prepared } from '../store/statements';
import type { ProcessIdentity } from '../workers/process-tree';

/** How far each of an assignment's output files was recorded, at the last checkpoint. */
export interface OutputCheckpoint {
  stdoutOffset: number;
  stderrOffset: number;
  verifyStartOffset: number;
  verifyOffset: number;
  transcriptBytes: number;
  sessionBytes: number;
}

/** What a later host needs to re-adopt an assignment's processes and continue its output files. */
export interface Supervision extends OutputCheckpoint {
  worker: ProcessIdentity | null;
  verify: ProcessIdentity | null;
  verifyStartedAt: string | null;
  /** A DAG worker's `session.jsonl` in its fleet folder, or null. */
  sessionLog: string | null;
}

interface RawSupervision {
  worker_pid: number | null;
  worker_process_start: string | null;
  verify_pid: number | null;
  verify_process_start: string | null;
  verify_started_at: string | null;
  stdout_offset: number;
  stderr_offset: number;
  verify_start_offset: number;
  verify_offset: number;
  transcript_bytes: number;
  session_bytes: number;
  session_log: string | null;
}

const CHECKPOINT_COLUMNS: Record<keyof OutputCheckpoint, string> = {
  stdoutOffset: 'stdout_offset',
  stderrOffset: 'stderr_offset',
  verifyStartOffset: 'verify_start_offset',
  verifyOffset: 'verify_offset',
  transcriptBytes: 'transcript_bytes',
  sessionBytes: 'session_bytes',
};

function identity(pid: number | null, start: string | null): ProcessIdentity | null {
  return pid !== null && start !== null ? { pid, startTime: start } : null;
}

/** The worker_supervision rows: processes by identity, output files by offset. */
export class SupervisionStore {
  constructor(private readonly db: Db) {}

  /** The assignment's row, made empty (every offset 0) the first time it is asked for. */
  get(assignmentId: string): Supervision {
    prepared(this.db, 'INSERT OR IGNORE INTO worker_supervision (assignment_id) VALUES (?)').run(assignmentId);
    const raw = prepared(this.db, 'SELECT * FROM worker_supervision WHERE assignment_id = ?').get(assignmentId) as RawSupervision;
    return {
      worker: identity(raw.worker_pid, raw.worker_process_start),
      verify: identity(raw.verify_pid, raw.verify_process_start),
      verifyStartedAt: raw.verify_started_at,
      stdoutOffset: raw.stdout_offset,
      stderrOffset: raw.stderr_offset,
      verifyStartOffset: raw.verify_start_offset,
      verifyOffset: raw.verify_offset,
      transcriptBytes: raw.transcript_bytes,
      sessionBytes: raw.session_bytes,
      sessionLog: raw.session_log,
    };
  }

  workerStarted(assignmentId: string, worker: ProcessIdentity | null, sessionLog: string | null): void {
    this.get(assignmentId);
    prepared(this.db,
        `UPDATE worker_supervision SET worker_pid = ?, worker_process_start = ?, verify_pid = NULL, verify_process_start = NULL, session_log = ?
         WHERE assignment_id = ?`,
      )
      .run(worker?.pid ?? null, worker?.startTime ?? null, sessionLog, assignmentId);
  }

  verifyStarted(assignmentId: string, verify: ProcessIdentity | null, startedAt: string, startOffset: number): void {
    this.get(assignmentId);
    prepared(this.db,
        `UPDATE worker_supervision SET verify_pid = ?, verify_process_start = ?, verify_started_at = ?, verify_start_offset = ?, verify_offset = ?
         WHERE assignment_id = ?`,
      )
      .run(verify?.pid ?? null, verify?.startTime ?? null, startedAt, startOffset, startOffset, assignmentId);
  }

  checkpoint(assignmentId: string, at: Partial<OutputCheckpoint>): void {
    const entries = Object.entries(at) as [keyof OutputCheckpoint, number][];
    if (entries.length === 0) return;
    const sets = entries.map(([key]) => `${CHECKPOINT_COLUMNS[key]} = ?`).join(', ');
    prepared(this.db, `UPDATE worker_supervision SET ${sets} WHERE assignment_id = ?`).run(...entries.map(([, value]) => value), assignmentId);
  }
}
