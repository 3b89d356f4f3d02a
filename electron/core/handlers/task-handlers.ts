import type { AssignmentStore } from '../assignments/assignment-store';
import { projectCard } from '../assignments/cards';
import type { TaskService } from '../assignments/task-service';
import type { HandlerGroup } from '../router';

export function taskHandlers(tasks: TaskService, store: AssignmentStore): HandlerGroup<'tasks.create' | 'cards.list' | 'assignments.get'> {
  return {
    'tasks.create': (input) => tasks.createTask(input),
    'cards.list': () => store.list().map((row) => projectCard(store, row.id)),
    'assignments.get': ({ assignmentId }) => ({
      card: projectCard(store, assignmentId),
      events: store.events(assignmentId),
      tokenRows: store.tokenRows(assignmentId),
      verify: store.verify(assignmentId),
      prompt: store.get(assignmentId).prompt,
    }),
  };
}
