import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SCROLLBACK_REPLAY_CHARS } from '../../../shared/constants';
import type { AssignmentStore } from '../assignments/assignment-store';
import { assignmentFiles } from '../assignments/paths';
import type { TaskService } from '../assignments/task-service';
import type { HandlerGroup } from '../router';

export function terminalHandlers(
  tasks: TaskService,
  store: AssignmentStore,
  dataDir: string,
): HandlerGroup<'terminal.attach' | 'terminal.detach' | 'terminal.ack'> {
  return {
    'terminal.attach': async ({ assignmentId }, connection) => {
      const pane = tasks.pane(assignmentId);
      if (pane) return { assignmentId, ...pane.attach(connection) };
      // A finished assignment replays from its transcript on disk, so panes survive a restart.
      const assignment = store.get(assignmentId);
      const file = assignmentFiles(dataDir, assignment.taskRef, assignment.id).transcript;
      const text = existsSync(file) ? await readFile(file, 'utf8') : '';
      return { assignmentId, scrollback: text.slice(-SCROLLBACK_REPLAY_CHARS), end: text.length, finished: true };
    },
    'terminal.detach': ({ assignmentId }, connection) => {
      tasks.pane(assignmentId)?.detach(connection.id);
      return {};
    },
    'terminal.ack': ({ assignmentId, chars }, connection) => {
      tasks.pane(assignmentId)?.ack(connection.id, chars);
      return {};
    },
  };
}
