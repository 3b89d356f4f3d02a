import { count, isObject, readJsonLine, str, type Json } from './json-line';
import type { TurnUsage, WorkerEvent } from './worker-events';

/**
 * Codex's usage, summed over the turn's model requests. OpenAI counts cached input inside
 * input_tokens and reasoning inside output_tokens; the row keeps disjoint columns, so those are
 * split out, and the columns add up to the provider's own total (input + output).
 */
export function codexUsage(usage: unknown): { usage: TurnUsage; reportedTotal: number } {
  const u = isObject(usage) ? usage : {};
  const input = count(u.input_tokens);
  const cached = Math.min(count(u.cached_input_tokens), input);
  const cacheWrite = Math.min(count(u.cache_write_input_tokens), input - cached);
  const output = count(u.output_tokens);
  const reasoning = Math.min(count(u.reasoning_output_tokens), output);
  return {
    usage: { input: input - cached - cacheWrite, cacheRead: cached, cacheWrite, output: output - reasoning, reasoning },
    reportedTotal: input + output,
  };
}

function parseItem(phase: 'started' | 'updated' | 'completed', item: Json): WorkerEvent[] {
  const type = str(item.type);
  switch (type) {
    case 'agent_message':
      return phase === 'completed' ? [{ type: 'message', text: str(item.text) }] : [];
    case 'reasoning':
      return phase === 'completed' ? [{ type: 'reasoning', text: str(item.text) }] : [];
    case 'command_execution':
      if (phase === 'updated') return [];
      return [
        {
          type: 'command',
          id: str(item.id),
          command: str(item.command),
          phase: phase === 'started' ? 'started' : 'finished',
          output: str(item.aggregated_output),
          exitCode: typeof item.exit_code === 'number' ? item.exit_code : null,
        },
      ];
    case 'file_change': {
      if (phase !== 'completed') return [];
      const changes = Array.isArray(item.changes) ? item.changes.filter(isObject) : [];
      return [{ type: 'file_change', changes: changes.map((c) => ({ path: str(c.path), kind: str(c.kind) })) }];
    }
    case 'mcp_tool_call':
      if (phase !== 'completed') return [];
      return [
        {
          type: 'mcp_call',
          server: str(item.server),
          tool: str(item.tool),
          status: str(item.status),
          error: isObject(item.error) ? str(item.error.message, JSON.stringify(item.error)) : typeof item.error === 'string' ? item.error : null,
        },
      ];
    case 'web_search':
      return phase === 'completed' ? [{ type: 'web_search', query: str(item.query) }] : [];
    case 'todo_list': {
      if (phase === 'started') return [];
      const items = Array.isArray(item.items) ? item.items.filter(isObject) : [];
      return [{ type: 'todo', items: items.map((t) => ({ text: str(t.text), completed: t.completed === true })) }];
    }
    case 'error':
      return [{ type: 'notice', message: str(item.message) }];
    default:
      return [{ type: 'ignored', eventType: `item/${type || 'untyped'}` }];
  }
}

/**
 * Parses one line of `codex exec --json`. Lenient: unknown types are ignored (kept in the raw log).
 * An `error` line is a notice, not a failure: Codex reports retries that way; only turn.failed ends a turn.
 */
export function parseCodexLine(line: string): WorkerEvent[] {
  const read = readJsonLine(line);
  if (Array.isArray(read)) return read;
  const { value, type } = read;
  switch (type) {
    case 'thread.started':
      return [{ type: 'session', sessionId: str(value.thread_id), model: null, cwd: null, tools: [] }];
    case 'turn.started':
      return [{ type: 'turn_started' }];
    case 'turn.completed': {
      const { usage, reportedTotal } = codexUsage(value.usage);
      return [
        {
          type: 'turn_completed',
          sessionId: null,
          model: null,
          usage,
          reportedTotal,
          cumulativeCostUsd: null,
          isError: false,
          subtype: 'completed',
          resultText: '',
          numTurns: null,
        },
      ];
    }
    case 'turn.failed': {
      const error = isObject(value.error) ? value.error : {};
      return [{ type: 'turn_failed', message: str(error.message, 'the turn failed') }];
    }
    case 'item.started':
    case 'item.updated':
    case 'item.completed':
      return isObject(value.item) ? parseItem(type.slice('item.'.length) as 'started' | 'updated' | 'completed', value.item) : [];
    case 'error':
      return [{ type: 'notice', message: str(value.message) }];
    default:
      return [{ type: 'ignored', eventType: type || 'untyped' }];
  }
}
