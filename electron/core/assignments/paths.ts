import path from 'node:path';

export interface AssignmentFiles {
  dir: string;
  /** Every line the worker printed on stdout, as it came. */
  rawLog: string;
  stderrLog: string;
  /** The rendered transcript: the final trace and the pane's replay after a restart. */
  transcript: string;
  /** The worker's own HOME, so it never sees the owner's. */
  privateHome: string;
  /** The prompt the worker reads as its stdin; removed once the worker holds it open. */
  promptFile: string;
  /** The worker's exit status, written by its wrapper, so a host that adopted it learns how it ended. */
  workerExit: string;
  /** The verify command's output (stdout and stderr), appended across follow-ups. */
  verifyLog: string;
  verifyExit: string;
}

export function assignmentFiles(dataDir: string, taskRef: string, assignmentId: string): AssignmentFiles {
  const dir = path.join(dataDir, 'runs', taskRef, assignmentId);
  return {
    dir,
    rawLog: path.join(dir, 'events.jsonl'),
    stderrLog: path.join(dir, 'stderr.log'),
    transcript: path.join(dir, 'transcript.log'),
    privateHome: path.join(dir, 'home'),
    promptFile: path.join(dir, 'prompt.txt'),
    workerExit: path.join(dir, 'worker.exit'),
    verifyLog: path.join(dir, 'verify.log'),
    verifyExit: path.join(dir, 'verify.exit'),
  };
}

export function worktreePath(dataDir: string, assignmentId: string): string {
  return path.join(dataDir, 'worktrees', assignmentId);
}
