import type { WorkerKind } from '../../../shared/domain';
import type { AssignmentRow } from '../assignments/assignment-store';
import type { WorkerEvent } from './worker-events';

export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /**
   * The prompt, written to the worker's stdin and then closed. Never in `args`: argv is readable by
   * every local user (`ps`, /proc/<pid>/cmdline), and a prompt starting with `--` would be a flag.
   */
  stdin: string;
}

export interface LaunchContext {
  /** The assignment's own folder, HOME for workers that have no account. */
  privateHome: string;
  /** The account's isolated home and what its CLI needs in the environment (a stored token). */
  account: { home: string; env: Record<string, string>; cli: string } | null;
  /** Set for a follow-up: resume this provider session with this prompt. */
  followUp: { sessionRef: string; prompt: string } | null;
}

/** One module per worker kind: how to start it for an assignment and how to read what it prints. */
export interface WorkerAdapter {
  readonly kind: WorkerKind;
  /** The provider recorded on token rows. */
  readonly provider: string;
  /** Whether a finished worker's session can take a follow-up prompt. */
  readonly resumable: boolean;
  launch(assignment: AssignmentRow, context: LaunchContext): WorkerLaunch;
  parseLine(line: string): WorkerEvent[];
}
