import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AssignmentStore } from '../assignments/assignment-store';
import type { WorkerAdapter } from '../workers/adapter';
import { usageTotal } from '../workers/worker-events';
import type { CloseoutEvidence } from './checklist';

/** Gathers the checklist's evidence; the provider's own report is re-read from the raw log on disk. */
export async function gatherEvidence(
  store: AssignmentStore,
  adapter: WorkerAdapter,
  assignmentId: string,
  files: { rawLog: string; transcript: string },
): Promise<CloseoutEvidence> {
  const reported: CloseoutEvidence['reported'] = { sessionCwd: null, turns: 0, total: 0, finalResult: null };
  let lines = 0;
  const rawExists = existsSync(files.rawLog);
  if (rawExists) {
    const reader = createInterface({ input: createReadStream(files.rawLog, 'utf8'), crlfDelay: Infinity });
    for await (const line of reader) {
      if (!line.trim()) continue;
      lines += 1;
      for (const event of adapter.parseLine(line)) {
        if (event.type === 'session') reported.sessionCwd = event.cwd;
        if (event.type === 'turn_completed') {
          reported.turns += 1;
          reported.total += usageTotal(event.usage);
          reported.finalResult = { isError: event.isError, subtype: event.subtype, text: event.resultText };
        }
      }
    }
  }
  return {
    assignment: store.get(assignmentId),
    events: store.events(assignmentId),
    tokenRows: store.tokenRows(assignmentId),
    rawLog: { exists: rawExists, lines },
    transcriptExists: existsSync(files.transcript),
    reported,
    verify: store.verify(assignmentId),
  };
}
