import type { Inbox } from '../inbox/inbox';
import type { HandlerGroup } from '../router';
import type { RunService } from '../runs/run-service';

export function runHandlers(runs: RunService, inbox: Inbox): HandlerGroup<'runs.create' | 'runs.list' | 'runs.get' | 'runs.approve' | 'runs.control' | 'inbox.list' | 'inbox.dismiss' | 'inbox.snooze'> {
  return {
    'runs.create': (input) => runs.create(input),
    'runs.list': () => runs.list(),
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.approve': ({ runId }) => runs.approve(runId),
    'runs.control': ({ runId, control }) => runs.control(runId, control),
    'inbox.list': () => inbox.items(),
    'inbox.dismiss': ({ itemId }) => {
      inbox.dismiss(itemId);
      return {};
    },
    'inbox.snooze': ({ itemId, until }) => ({ until: inbox.snooze(itemId, until) }),
  };
}
