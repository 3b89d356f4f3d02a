import { describe, expect, it } from 'vitest';
import { parseClaudeLine } from './claude-stream';
import { LineSplitter } from './line-splitter';

describe('the Claude stream-json parser', () => {
  it('reads init, text, tool use, tool result, retries and the result', () => {
    expect(parseClaudeLine('{"type":"system","subtype":"init","session_id":"s1","cwd":"/w","model":"m","tools":["Bash"],"extra":1}')).toEqual([
      { type: 'session', sessionId: 's1', model: 'm', cwd: '/w', tools: ['Bash'] },
    ]);
    expect(parseClaudeLine('{"type":"assistant","message":{"content":[{"type":"text","text":"hi"}],"usage":{"output_tokens":1}}}')).toEqual([
      { type: 'message', text: 'hi' },
    ]);
    expect(parseClaudeLine('{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"ls"}}]}}')).toEqual([
      { type: 'tool_call', id: 't1', name: 'Bash', input: { command: 'ls' } },
    ]);
    expect(parseClaudeLine('{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"a"}],"is_error":true}]}}')).toEqual([
      { type: 'tool_result', toolUseId: 't1', content: 'a', isError: true },
    ]);
    expect(parseClaudeLine('{"type":"system","subtype":"api_retry","attempt":2,"max_retries":10,"retry_delay_ms":500,"error_status":401,"error":"authentication_failed"}')).toEqual([
      { type: 'retry', attempt: 2, maxRetries: 10, delayMs: 500, error: 'authentication_failed' },
    ]);
  });

  it('takes usage from the result, never from the assistant message, and judges by is_error', () => {
    const [event] = parseClaudeLine(
      JSON.stringify({
        type: 'result',
        subtype: 'success',
        is_error: true,
        result: 'Not logged in · Please run /login',
        session_id: 's1',
        num_turns: 1,
        total_cost_usd: 0.25,
        usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 2, cache_read_input_tokens: 3 },
        modelUsage: { 'claude-x': { inputTokens: 10 } },
      }),
    );
    expect(event).toEqual({
      type: 'turn_completed',
      sessionId: 's1',
      model: 'claude-x',
      usage: { input: 10, output: 5, reasoning: 0, cacheRead: 3, cacheWrite: 2 },
      reportedTotal: 20,
      cumulativeCostUsd: 0.25,
      isError: true,
      subtype: 'success',
      resultText: 'Not logged in · Please run /login',
      numTurns: 1,
      apiErrorStatus: null,
    });
  });

  it('ignores unknown types and reports lines that are not JSON', () => {
    expect(parseClaudeLine('{"type":"stream_event","event":{}}')).toEqual([{ type: 'ignored', eventType: 'stream_event' }]);
    expect(parseClaudeLine('{"type":"result","subtype":"succ')).toEqual([{ type: 'unparsed', line: '{"type":"result","subtype":"succ' }]);
    expect(parseClaudeLine('   ')).toEqual([]);
  });
});

describe('the line splitter', () => {
  it('keeps a final line without a newline and a character split across chunks', () => {
    const splitter = new LineSplitter();
    const euro = Buffer.from('€');
    expect(splitter.push(Buffer.concat([Buffer.from('one\r\ntw'), euro.subarray(0, 1)]))).toEqual(['one']);
    expect(splitter.push(Buffer.concat([euro.subarray(1), Buffer.from('o\nthree')])))
      .toEqual(['tw€o']);
    expect(splitter.end()).toEqual(['three']);
    expect(splitter.end()).toEqual([]);
  });

  it('has no line length cap', () => {
    const splitter = new LineSplitter();
    const long = 'x'.repeat(5_000_000);
    expect(splitter.push(Buffer.from(long))).toEqual([]);
    expect(splitter.push(Buffer.from('\n'))).toEqual([long]);
  });
});
