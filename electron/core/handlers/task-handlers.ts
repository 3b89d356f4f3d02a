import type { AssignmentStore } from '../assignments/assignment-store';
import { projectCard } from '../assignments/cards';
import type { TaskService } from '../assignments/task-service';
import type { HandlerGroup } from '../router';
import type { ShellService } from '../shells/shell-service';

type TaskCommands =
  | 'tasks.create'
  | 'cards.list'
  | 'assignments.get'
  | 'assignments.interrupt'
  | 'assignments.retry'
  | 'assignments.followUp'
  | 'assignments.rawLog'
  | 'worktrees.remove'
  | 'shells.open'
  | 'shells.input'
  | 'shells.resize'
  | 'shells.close';

export function taskHandlers(tasks: TaskService, store: AssignmentStore, shells: ShellService): HandlerGroup<TaskCommands> {
  return {
    'tasks.create': (input) => tasks.createTask(input),
    'cards.list': () => store.list().map((row) => projectCard(store, row.id)),
    'assignments.get': ({ assignmentId }) => tasks.detail(assignmentId),
    'assignments.interrupt': ({ assignmentId }) => tasks.interrupt(assignmentId),
    'assignments.retry': ({ assignmentId, prompt }) => tasks.retry(assignmentId, prompt),
    'assignments.followUp': ({ assignmentId, prompt }) => tasks.followUp(assignmentId, prompt),
    'assignments.rawLog': ({ assignmentId }) => tasks.rawLog(assignmentId),
    'worktrees.remove': ({ assignmentId, force }) => tasks.removeWorktree(assignmentId, force),
    'shells.open': ({ assignmentId, cols, rows }) => shells.open(assignmentId, cols, rows),
    'shells.input': ({ paneId, data }) => {
      shells.input(paneId, data);
      return {};
    },
    'shells.resize': ({ paneId, cols, rows }) => {
      shells.resize(paneId, cols, rows);
      return {};
    },
    'shells.close': ({ paneId }) => {
      shells.close(paneId);
      return {};
    },
  };
}
