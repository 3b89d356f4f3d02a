import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseClaudeLine } from './claude-stream';
import { parseCodexLine } from './codex-stream';
import { LineSplitter } from './line-splitter';
import { failureCause, type FinalResult, type WorkerEvent } from './worker-events';

/** Streams the real CLIs printed against the local fake model API (see fake-model-api.test.ts). */
function recorded(name: string): string[] {
  return readFileSync(fileURLToPath(new URL(`./recorded/${name}.jsonl`, import.meta.url)), 'utf8').split('\n').filter(Boolean);
}

function finalResult(events: WorkerEvent[]): FinalResult | null {
  let result: FinalResult | null = null;
  for (const e of events) {
    if (e.type === 'turn_completed') result = { isError: e.isError, subtype: e.subtype, text: e.resultText };
    if (e.type === 'turn_failed') result = { isError: true, subtype: 'turn_failed', text: e.message };
  }
  return result;
}

describe('recorded streams of the real CLIs', () => {
  it('claude success: init, a Bash tool call and its result, text, and the summed result usage', () => {
    const events = recorded('claude-success').flatMap(parseClaudeLine);
    expect(events.map((e) => e.type)).toEqual(['session', 'tool_call', 'tool_result', 'message', 'turn_completed']);
    expect(events[1]).toMatchObject({ name: 'Bash', input: { command: expect.stringContaining('MADE_BY_MODEL.txt') } });
    expect(events.at(-1)).toMatchObject({
      usage: { input: 2500, output: 120, reasoning: 0, cacheRead: 610, cacheWrite: 50 },
      reportedTotal: 3280,
      isError: false,
    });
  });

  it('claude 429 (retries off): an api_error result with api_error_status 429 is rate_limited, not a failure of the work', () => {
    const events = recorded('claude-429').flatMap(parseClaudeLine);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'turn_completed', isError: true, apiErrorStatus: 429 });
    const result = last?.type === 'turn_completed' ? { isError: last.isError, subtype: last.subtype, text: last.resultText, apiErrorStatus: last.apiErrorStatus } : null;
    expect(failureCause(result, false)).toBe('rate_limited');
    // Without the status field, the words alone still say it.
    expect(failureCause(result && { ...result, apiErrorStatus: null }, false)).toBe('rate_limited');
  });

  it('codex 429 (retries off): the error notice, then turn.failed, is rate_limited', () => {
    const events = recorded('codex-429').flatMap(parseCodexLine);
    expect(events.map((e) => e.type)).toEqual(['session', 'turn_started', 'notice', 'turn_failed']);
    expect(failureCause(finalResult(events), false)).toBe('rate_limited');
  });

  it('claude 401: "success" with is_error true is a failure, named credentials_invalid', () => {
    const events = recorded('claude-401').flatMap(parseClaudeLine);
    const result = finalResult(events);
    expect(result).toMatchObject({ isError: true, subtype: 'success' });
    expect(failureCause(result, false)).toBe('credentials_invalid');
  });

  it('codex success: the command, the message, and usage split into disjoint columns', () => {
    const events = recorded('codex-success').flatMap(parseCodexLine);
    // A shell command that writes a file is a command_execution; Codex emits file_change only for its own patches.
    expect(events.map((e) => e.type)).toEqual(['session', 'turn_started', 'command', 'command', 'message', 'turn_completed']);
    expect(events[3]).toMatchObject({ phase: 'finished', exitCode: 0 });
    expect(events.at(-1)).toMatchObject({ usage: { input: 1840, cacheRead: 610, cacheWrite: 50, output: 96, reasoning: 24 }, reportedTotal: 2620 });
  });

  it('codex 401: the error line is only a notice; turn.failed ends the turn, named credentials_invalid', () => {
    const events = recorded('codex-401').flatMap(parseCodexLine);
    expect(events.map((e) => e.type)).toEqual(['session', 'turn_started', 'notice', 'turn_failed']);
    expect(failureCause(finalResult(events), false)).toBe('credentials_invalid');
  });

  it('a stream cut off mid-line keeps its whole lines and reports the broken tail, not a crash', () => {
    const text = recorded('codex-success').join('\n');
    const cut = text.slice(0, text.length - 40);
    const splitter = new LineSplitter();
    const lines = [...splitter.push(Buffer.from(cut)), ...splitter.end()];
    const events = lines.flatMap(parseCodexLine);
    expect(events.at(-1)).toMatchObject({ type: 'unparsed' });
    expect(events.filter((e) => e.type === 'turn_completed')).toEqual([]);
  });
});

describe('the codex JSONL parser, every event and item type', () => {
  const item = (phase: string, body: object) => JSON.stringify({ type: `item.${phase}`, item: { id: 'i', ...body } });

  it('reads each item type', () => {
    expect(parseCodexLine(item('completed', { type: 'agent_message', text: 'hi' }))).toEqual([{ type: 'message', text: 'hi' }]);
    expect(parseCodexLine(item('completed', { type: 'reasoning', text: 'think' }))).toEqual([{ type: 'reasoning', text: 'think' }]);
    expect(parseCodexLine(item('started', { type: 'command_execution', command: 'ls', aggregated_output: '', exit_code: null, status: 'in_progress' }))).toEqual([
      { type: 'command', id: 'i', command: 'ls', phase: 'started', output: '', exitCode: null },
    ]);
    expect(parseCodexLine(item('updated', { type: 'command_execution', command: 'ls' }))).toEqual([]);
    expect(parseCodexLine(item('completed', { type: 'command_execution', command: 'false', aggregated_output: 'x', exit_code: 1, status: 'failed' }))).toEqual([
      { type: 'command', id: 'i', command: 'false', phase: 'finished', output: 'x', exitCode: 1 },
    ]);
    expect(parseCodexLine(item('completed', { type: 'file_change', changes: [{ path: 'a.ts', kind: 'add' }], status: 'completed' }))).toEqual([
      { type: 'file_change', changes: [{ path: 'a.ts', kind: 'add' }] },
    ]);
    expect(parseCodexLine(item('completed', { type: 'mcp_tool_call', server: 's', tool: 't', arguments: {}, result: null, error: { message: 'boom' }, status: 'failed' }))).toEqual([
      { type: 'mcp_call', server: 's', tool: 't', status: 'failed', error: 'boom' },
    ]);
    expect(parseCodexLine(item('completed', { type: 'web_search', query: 'xterm flow control' }))).toEqual([{ type: 'web_search', query: 'xterm flow control' }]);
    expect(parseCodexLine(item('updated', { type: 'todo_list', items: [{ text: 'a', completed: true }, { text: 'b', completed: false }] }))).toEqual([
      { type: 'todo', items: [{ text: 'a', completed: true }, { text: 'b', completed: false }] },
    ]);
    expect(parseCodexLine(item('completed', { type: 'error', message: 'tool broke' }))).toEqual([{ type: 'notice', message: 'tool broke' }]);
    expect(parseCodexLine(item('completed', { type: 'future_item', x: 1 }))).toEqual([{ type: 'ignored', eventType: 'item/future_item' }]);
  });

  it('survives retries before a success: reconnect errors are notices and the turn still completes', () => {
    const lines = [
      '{"type":"thread.started","thread_id":"t1"}',
      '{"type":"turn.started"}',
      '{"type":"error","message":"Reconnecting... 1/5"}',
      '{"type":"error","message":"Reconnecting... 2/5"}',
      '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"ok"}}',
      '{"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":20,"cache_write_input_tokens":5,"output_tokens":30,"reasoning_output_tokens":10}}',
    ];
    const events = lines.flatMap(parseCodexLine);
    expect(events.filter((e) => e.type === 'notice')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'turn_completed', usage: { input: 75, cacheRead: 20, cacheWrite: 5, output: 20, reasoning: 10 }, reportedTotal: 130 });
    expect(finalResult(events)).toMatchObject({ isError: false });
  });

  it('ignores unknown event types and fields, and reports lines that are not JSON', () => {
    expect(parseCodexLine('{"type":"session.compacted","extra":true}')).toEqual([{ type: 'ignored', eventType: 'session.compacted' }]);
    expect(parseCodexLine('Reading additional input from stdin...')).toEqual([{ type: 'unparsed', line: 'Reading additional input from stdin...' }]);
    expect(parseCodexLine('{"type":"turn.failed","error":{"message":"context window exceeded"}}')).toEqual([{ type: 'turn_failed', message: 'context window exceeded' }]);
  });
});

describe('failure causes', () => {
  it('names max turns, budget, interruption and crashes', () => {
    expect(failureCause({ isError: true, subtype: 'error_max_turns', text: '' }, false)).toBe('max_turns');
    expect(failureCause({ isError: true, subtype: 'error_max_budget_usd', text: '' }, false)).toBe('budget_exhausted');
    expect(failureCause({ isError: true, subtype: 'error_during_execution', text: 'Interrupted' }, true)).toBe('interrupted');
    expect(failureCause(null, false)).toBe('worker_crashed');
    expect(failureCause({ isError: true, subtype: 'turn_failed', text: 'context window exceeded' }, false)).toBe('worker_failed');
  });
});
