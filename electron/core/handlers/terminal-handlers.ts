import { SCROLLBACK_REPLAY_CHARS } from '../../../shared/constants';
import { FleetError } from '../../../shared/errors';
import type { AssignmentStore } from '../assignments/assignment-store';
import { assignmentFiles } from '../assignments/paths';
import { readOutputText } from '../terminal/output-file';
import type { PaneRegistry } from '../terminal/pane-registry';
import type { HandlerGroup } from '../router';

export function terminalHandlers(
  panes: PaneRegistry,
  store: AssignmentStore,
  dataDir: string,
): HandlerGroup<'terminal.attach' | 'terminal.detach' | 'terminal.ack'> {
  return {
    'terminal.attach': async ({ paneId }, connection) => {
      const pane = panes.get(paneId);
      if (pane) return { paneId, ...pane.attach(connection) };
      // A finished assignment replays from its transcript on disk, so panes survive a restart.
      const assignment = store.find(paneId);
      if (!assignment) throw new FleetError('shell_not_found', `No pane ${paneId}: it is neither an assignment nor an open shell.`);
      const file = assignmentFiles(dataDir, assignment.taskRef, assignment.id).transcript;
      const text = await readOutputText(file);
      return { paneId, scrollback: text.slice(-SCROLLBACK_REPLAY_CHARS), end: text.length, finished: true };
    },
    'terminal.detach': ({ paneId }, connection) => {
      panes.get(paneId)?.detach(connection.id);
      return {};
    },
    'terminal.ack': ({ paneId, chars }, connection) => {
      panes.get(paneId)?.ack(connection.id, chars);
      return {};
    },
  };
}
