import type { WorkerKind } from '../../../shared/domain';
import type { AssignmentRow } from '../assignments/assignment-store';
import type { WorkerEvent } from './worker-events';

export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** One module per worker kind: how to start it for an assignment and how to read what it prints. */
export interface WorkerAdapter {
  readonly kind: WorkerKind;
  /** The provider recorded on token rows. */
  readonly provider: string;
  launch(assignment: AssignmentRow, paths: { privateHome: string }): WorkerLaunch;
  parseLine(line: string): WorkerEvent[];
}
