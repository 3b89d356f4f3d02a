import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AssignmentStore } from '../assignments/assignment-store';
import type { WorkerAdapter } from '../workers/adapter';
import type { CloseoutEvidence, ReportedTurn } from './checklist';

/** What the provider itself reported, read back from the raw log on disk. */
export async function readReported(adapter: WorkerAdapter, rawLog: string): Promise<CloseoutEvidence['reported'] & { lines: number; exists: boolean }> {
  const turns: ReportedTurn[] = [];
  let sessionCwd: string | null = null;
  let finalResult: CloseoutEvidence['reported']['finalResult'] = null;
  let lines = 0;
  // Only a regular file is a raw log: a path replaced by a device or a pipe would be read forever.
  const exists = statSync(rawLog, { throwIfNoEntry: false })?.isFile() === true;
  if (exists) {
    const reader = createInterface({ input: createReadStream(rawLog, 'utf8'), crlfDelay: Infinity });
    for await (const line of reader) {
      if (!line.trim()) continue;
      lines += 1;
      for (const event of adapter.parseLine(line)) {
        if (event.type === 'session' && event.cwd) sessionCwd = event.cwd;
        if (event.type === 'turn_completed') {
          turns.push({ total: event.reportedTotal });
          finalResult = { isError: event.isError, subtype: event.subtype, text: event.resultText, apiErrorStatus: event.apiErrorStatus ?? null };
        }
        if (event.type === 'turn_failed') finalResult = { isError: true, subtype: 'turn_failed', text: event.message };
      }
    }
  }
  return { sessionCwd, turns, finalResult, lines, exists };
}

/** Gathers the checklist's evidence from the store and the files on disk. */
export async function gatherEvidence(
  store: AssignmentStore,
  adapter: WorkerAdapter,
  assignmentId: string,
  files: { rawLog: string; transcript: string },
  /** Bytes of the worker's stdout that the host could not write to the raw log. */
  outputLostBytes = 0,
): Promise<CloseoutEvidence> {
  const { lines, exists, ...reported } = await readReported(adapter, files.rawLog);
  return {
    assignment: store.get(assignmentId),
    events: store.events(assignmentId),
    tokenRows: store.tokenRows(assignmentId),
    rawLog: { exists, lines, lostBytes: outputLostBytes },
    transcriptExists: existsSync(files.transcript),
    reported,
    verify: store.verify(assignmentId),
  };
}
