import type { McpFailures } from '../agents/mcp-failures';
import { checkPin, type SpawnRequests } from '../agents/spawn-requests';
import type { TaskService } from '../assignments/task-service';
import type { Handler, HandlerGroup } from '../router';

type AgentCommands = 'tasks.request' | 'spawns.propose' | 'spawns.proposeFleet' | 'spawns.list' | 'spawns.get' | 'spawns.approve' | 'spawns.decline';

/** The surfaces outside the board: the owner's terminal (`khala request`) and agents' spawns through MCP. */
export function agentHandlers(tasks: TaskService, spawns: SpawnRequests): HandlerGroup<AgentCommands> {
  return {
    'tasks.request': async (input) => {
      await checkPin(input);
      return tasks.createTask(input);
    },
    'spawns.propose': ({ requestedBy, ...request }) => spawns.propose(request, requestedBy),
    'spawns.proposeFleet': ({ root, requestedBy }) => spawns.proposeFleet(root, requestedBy),
    'spawns.list': () => spawns.list(),
    'spawns.get': ({ spawnId }) => spawns.get(spawnId),
    'spawns.approve': ({ spawnId }) => spawns.approve(spawnId),
    'spawns.decline': ({ spawnId }) => spawns.decline(spawnId),
  };
}

/** An `mcp_failed` item is dismissed like a host fault (the same Inbox button); anything else goes on to the host's faults. */
export function dismissingMcpFailures(
  dismissFault: Handler<'host.dismissFault'>,
  failures: McpFailures,
  changed: () => void,
): Handler<'host.dismissFault'> {
  return (input, connection) => {
    if (!failures.dismiss(input.faultId)) return dismissFault(input, connection);
    changed();
    return {};
  };
}
