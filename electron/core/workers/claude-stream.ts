import { count, isObject, readJsonLine, str, type Json } from './json-line';
import type { TurnUsage, WorkerEvent } from './worker-events';

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (isObject(part) ? str(part.text) : '')).filter(Boolean).join('\n');
  }
  return '';
}

/** Claude's `result.usage` is the turn's truth; an assistant message's usage is only its stream-start value. */
function resultUsage(usage: unknown): TurnUsage {
  const u = isObject(usage) ? usage : {};
  return {
    input: count(u.input_tokens),
    output: count(u.output_tokens),
    reasoning: 0,
    cacheRead: count(u.cache_read_input_tokens),
    cacheWrite: count(u.cache_creation_input_tokens),
  };
}

/**
 * Parses one line of `claude -p --output-format stream-json --verbose`. Lenient: unknown types and
 * fields are ignored here (they stay in the raw log), and a line that is not JSON is reported, not thrown.
 */
export function parseClaudeLine(line: string): WorkerEvent[] {
  const read = readJsonLine(line);
  if (Array.isArray(read)) return read;
  const { value, type } = read;
  switch (type) {
    case 'system':
      return parseSystem(value);
    case 'assistant':
      return parseAssistant(value);
    case 'user':
      return parseUser(value);
    case 'result':
      return [parseResult(value)];
    default:
      return [{ type: 'ignored', eventType: type || 'untyped' }];
  }
}

function parseSystem(value: Json): WorkerEvent[] {
  const subtype = str(value.subtype);
  if (subtype === 'init') {
    return [
      {
        type: 'session',
        sessionId: str(value.session_id),
        model: str(value.model),
        cwd: str(value.cwd),
        tools: Array.isArray(value.tools) ? value.tools.filter((t): t is string => typeof t === 'string') : [],
      },
    ];
  }
  if (subtype === 'api_retry') {
    return [
      {
        type: 'retry',
        attempt: count(value.attempt),
        maxRetries: count(value.max_retries),
        delayMs: count(value.retry_delay_ms),
        error: str(value.error, str(value.error_status)),
      },
    ];
  }
  return [{ type: 'ignored', eventType: `system/${subtype}` }];
}

function contentBlocks(value: Json): Json[] {
  const message = isObject(value.message) ? value.message : {};
  return Array.isArray(message.content) ? message.content.filter(isObject) : [];
}

function parseAssistant(value: Json): WorkerEvent[] {
  const events: WorkerEvent[] = [];
  for (const block of contentBlocks(value)) {
    if (block.type === 'text') events.push({ type: 'message', text: str(block.text) });
    else if (block.type === 'tool_use') {
      events.push({ type: 'tool_call', id: str(block.id), name: str(block.name), input: block.input });
    }
  }
  return events;
}

function parseUser(value: Json): WorkerEvent[] {
  const events: WorkerEvent[] = [];
  for (const block of contentBlocks(value)) {
    if (block.type === 'tool_result') {
      events.push({
        type: 'tool_result',
        toolUseId: str(block.tool_use_id),
        content: toolResultText(block.content),
        isError: block.is_error === true,
      });
    }
  }
  return events;
}

function parseResult(value: Json): WorkerEvent {
  const modelUsage = isObject(value.modelUsage) ? Object.keys(value.modelUsage) : [];
  const usage = resultUsage(value.usage);
  return {
    type: 'turn_completed',
    sessionId: typeof value.session_id === 'string' ? value.session_id : null,
    model: modelUsage[0] ?? null,
    usage,
    // Anthropic's input_tokens excludes cached input, so the four fields are disjoint and add up.
    reportedTotal: usage.input + usage.output + usage.cacheRead + usage.cacheWrite,
    cumulativeCostUsd: typeof value.total_cost_usd === 'number' ? value.total_cost_usd : null,
    // The trap: a failed API call still says subtype "success"; is_error is the verdict.
    isError: value.is_error === true,
    subtype: str(value.subtype),
    resultText: str(value.result),
    numTurns: typeof value.num_turns === 'number' ? value.num_turns : null,
    apiErrorStatus: typeof value.api_error_status === 'number' ? value.api_error_status : null,
  };
}
