import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback-server';

/**
 * A local stand-in for both model APIs that the REAL worker CLIs (Claude Code 2.1.330 and Codex
 * 0.169) can run a whole turn against: the first model response asks for a tool call that writes a
 * file into the CLI's working directory, the second (once the tool result comes back) is a short
 * final text. Every model response carries fixed, distinct token counts, so a test can check the
 * CLI's reported usage (and the token rows the app derives from it) to the token.
 *
 * Anthropic Messages API, for Claude Code with `ANTHROPIC_BASE_URL=<url>`:
 * - POST /v1/messages?beta=true with `stream: true` → SSE: `message_start` (usage so far; output
 *   starts at 1), `content_block_start` / `content_block_delta` (`input_json_delta` pieces of a
 *   `tool_use` block's input, or a `text_delta`) / `content_block_stop`, `message_delta`
 *   (`stop_reason` `tool_use` | `end_turn`, and the final usage), `message_stop`.
 *   A `-p` turn makes exactly these calls and nothing else once non-essential traffic is off;
 *   without `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1` it first sends `HEAD /api/hello`.
 * - POST /v1/messages/count_tokens → `{input_tokens}` (not seen in a `-p` turn; served in case).
 * - A bad key: 401 `{type:"error", error:{type:"authentication_error", message:"invalid x-api-key"}}`.
 *
 * OpenAI Responses API, for Codex with a `[model_providers.<id>]` table, `base_url = <url>/v1`:
 * - POST /v1/responses with `stream: true` → SSE: `response.created`, `response.output_item.added`,
 *   the item's deltas (`response.function_call_arguments.delta` for a `function_call`,
 *   `response.content_part.added` / `response.output_text.delta` / `.done` for a `message`),
 *   `response.output_item.done` (the item Codex acts on), `response.completed` with `usage`.
 *   Codex replies to the function call with a `function_call_output` input item.
 * - GET /v1/models?client_version=... (only when the home holds a ChatGPT login) → the list; Codex
 *   decodes its own `{models: [...]}` shape (an empty list keeps its built-in catalogue), OpenAI's
 *   `{object:"list", data}` is there for anything else that asks.
 * - A bad key: 401 `{error:{message, type:"invalid_request_error", param:null, code:"invalid_api_key"}}`.
 *
 * Which response a model request gets is decided by counting the tool results already in its body,
 * never by counting requests, so a retried or duplicated request gets the same answer again.
 */

export interface FakeTurnScript {
  /** The file the model's tool call creates, relative to the CLI's working directory. */
  fileName: string;
  /** What the tool call writes into it. */
  fileText: string;
  /** The model's final message, once the tool result comes back. */
  finalText: string;
}

/** One model response's token counts, as the server puts them on the wire. */
export interface FakeResponseUsage {
  /**
   * `input_tokens`. The APIs count differently: Anthropic's excludes cache reads and writes,
   * OpenAI's includes its cached tokens (so there `cacheRead + cacheWrite` must not exceed it).
   */
  input: number;
  /** `output_tokens`. OpenAI's includes `reasoning`. */
  output: number;
  /** Anthropic `cache_read_input_tokens`; OpenAI `input_tokens_details.cached_tokens`. */
  cacheRead: number;
  /** Anthropic `cache_creation_input_tokens`; OpenAI `input_tokens_details.cache_write_tokens`. */
  cacheWrite: number;
  /** OpenAI `output_tokens_details.reasoning_tokens`; not sent to Claude (Anthropic has no such count). */
  reasoning: number;
}

/** Usage of the tool-call response, then of the final-text response. */
export type FakeUsagePerResponse = readonly [toolCall: FakeResponseUsage, finalText: FakeResponseUsage];

/** A turn's usage in the token row's columns. */
export interface FakeUsageTotals {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
  total: number;
}

export type FakeModelProvider = 'claude' | 'codex';

export interface FakeModelOptions {
  script: FakeTurnScript;
  /** Answer every API call with the provider's 401 "bad API key" error. */
  unauthorized?: boolean;
  /** Answer every model call with the provider's 429 rate-limit error. */
  rateLimited?: boolean;
  /** Defaults to {@link DEFAULT_USAGE_PER_RESPONSE}. */
  usage?: FakeUsagePerResponse;
  /**
   * Claude only: when the request offers this MCP tool (Claude Code names it `mcp__<server>__<tool>`),
   * the first response calls it with no arguments instead of writing the file; its tool_result comes
   * back in the next request, which gets the final text.
   */
  mcpTool?: string;
}

export interface FakeRequest {
  method: string;
  /** Path without the query string (Claude adds `?beta=true`, Codex `?client_version=`). */
  path: string;
  /** The parsed JSON body; the raw text if it is not JSON; undefined if empty. */
  body: unknown;
}

export interface FakeModelApi {
  /** `http://127.0.0.1:PORT`: Claude's ANTHROPIC_BASE_URL; a Codex provider's `base_url` adds `/v1`. */
  url: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  usagePerResponse: FakeUsagePerResponse;
  /**
   * What the CLI's final usage line says for one successful turn (both model responses), checked
   * against the real CLIs. Both sum every model response of the turn:
   * - Claude `result.usage`: `input_tokens`, `output_tokens`, `cache_read_input_tokens`,
   *   `cache_creation_input_tokens` are the per-response sums (its `assistant` lines only carry the
   *   stream-start output of 1). Anthropic's four counts are disjoint: `total` is their sum, and
   *   `reasoning` is 0.
   * - Codex `turn.completed.usage`: `input_tokens`, `cached_input_tokens`,
   *   `cache_write_input_tokens`, `output_tokens`, `reasoning_output_tokens` are the per-response
   *   sums. OpenAI's cached tokens are part of its input and its reasoning tokens part of its
   *   output: `total` is input + output (the sum of each response's `total_tokens`; Codex does not
   *   print it), not the sum of all five columns.
   */
  expectedTotals(provider: FakeModelProvider): FakeUsageTotals;
  /**
   * The same turn as the app's token row stores it: disjoint columns that add up to `total`. For
   * Claude that is {@link expectedTotals} as is; for Codex the cached and cache-write tokens come
   * out of `input` and the reasoning tokens out of `output` (the Codex stream parser's split).
   */
  expectedRow(provider: FakeModelProvider): FakeUsageTotals;
  close(): Promise<void>;
}

export const FAKE_FILE_NAME = 'MADE_BY_MODEL.txt';
export const FAKE_FILE_TEXT = 'made by the fake model\n';

/** A script that writes `fileText` into `fileName`, then says "Done: created <fileName>". */
export function fileCreatingScript(fileName = FAKE_FILE_NAME, fileText = FAKE_FILE_TEXT): FakeTurnScript {
  return { fileName, fileText, finalText: `Done: created ${fileName}` };
}

/** Distinct per response and per column, so a sum that drops or double-counts one shows up. */
export const DEFAULT_USAGE_PER_RESPONSE: FakeUsagePerResponse = [
  { input: 1200, output: 80, cacheRead: 300, cacheWrite: 50, reasoning: 16 },
  { input: 1300, output: 40, cacheRead: 310, cacheWrite: 0, reasoning: 8 },
];

/**
 * The Codex model the tests run: it is offered the classic `exec_command` function tool (Codex
 * 0.169's default model gets a JavaScript `exec` tool inside an `additional_tools` input item).
 */
export const FAKE_CODEX_MODEL = 'gpt-5.5';

const HTTP_OK = 200;
const HTTP_UNAUTHORIZED = 401;
const HTTP_NOT_FOUND = 404;
const HTTP_TOO_MANY_REQUESTS = 429;
/** What the 429s below ask the client to wait, in seconds, as the real APIs' retry-after header does. */
const RATE_LIMIT_RETRY_AFTER_S = 20;

const ANTHROPIC_RATE_LIMITED = {
  type: 'error',
  error: { type: 'rate_limit_error', message: "This request would exceed your account's rate limit. Please try again later." },
};
const OPENAI_RATE_LIMITED = {
  error: {
    message: `Rate limit reached for ${FAKE_CODEX_MODEL} on tokens per min (TPM): Limit 30000, Used 30000, Requested 1200. Please try again in ${RATE_LIMIT_RETRY_AFTER_S}s.`,
    type: 'tokens',
    param: null,
    code: 'rate_limit_exceeded',
  },
};

const ANTHROPIC_BAD_KEY = { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } };
const OPENAI_BAD_KEY = {
  error: {
    message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};

/** Claude Code's shell tool; its input is `{command, description}`. */
const CLAUDE_SHELL_TOOL = 'Bash';
/** Claude Code's file tool, for workers whose Bash is disallowed; its input is `{file_path, content}`, the path absolute. */
const CLAUDE_WRITE_TOOL = 'Write';
/** How Claude Code names an MCP server's tool: `mcp__<server>__<tool>`. */
const CLAUDE_MCP_TOOL_PREFIX = 'mcp__';
/** How Claude Code's system prompt names the session's cwd, which the Write tool's absolute path needs. */
const CLAUDE_CWD_LINE = /Primary working directory: (.+)/;
/** Codex's shell tool for gpt-5.5; its arguments are a JSON string `{cmd, workdir?, ...}`. */
const CODEX_SHELL_TOOL = 'exec_command';
/** What Codex answers a tool call with (freeform tools like apply_patch get the custom kind). */
const CODEX_TOOL_OUTPUTS = new Set(['function_call_output', 'custom_tool_call_output']);
/** A request offering none of the tools above (a title, a summary) is answered with this and zero usage, so totals stay exact. */
const SIDE_REQUEST_TEXT = 'OK';
/** Tool input JSON is streamed in pieces of this size, as the real APIs do. */
const JSON_DELTA_CHARS = 24;
const ID_BYTES = 12;
const ZERO_USAGE: FakeResponseUsage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };

export async function startFakeModelApi(options: FakeModelOptions): Promise<FakeModelApi> {
  const { script } = options;
  const usagePerResponse = options.usage ?? DEFAULT_USAGE_PER_RESPONSE;
  const requests: FakeRequest[] = [];
  /** The usage of the response at `step` (tool results seen so far): anything past the tool call is the final text. */
  const usageAt = (step: number) => (step === 0 ? usagePerResponse[0] : usagePerResponse[1]);

  const route = (method: string, path: string, body: unknown, response: http.ServerResponse) => {
    const anthropic = path.startsWith('/v1/messages');
    if (options.unauthorized && (anthropic || path === '/v1/responses' || path === '/v1/models')) {
      return anthropic
        ? sendJson(response, HTTP_UNAUTHORIZED, ANTHROPIC_BAD_KEY, anthropicHeaders())
        : sendJson(response, HTTP_UNAUTHORIZED, OPENAI_BAD_KEY);
    }
    if (options.rateLimited && method === 'POST' && (path === '/v1/messages' || path === '/v1/responses')) {
      const retryAfter = { 'retry-after': String(RATE_LIMIT_RETRY_AFTER_S) };
      return anthropic
        ? sendJson(response, HTTP_TOO_MANY_REQUESTS, ANTHROPIC_RATE_LIMITED, { ...anthropicHeaders(), ...retryAfter })
        : sendJson(response, HTTP_TOO_MANY_REQUESTS, OPENAI_RATE_LIMITED, retryAfter);
    }
    if (method === 'POST' && path === '/v1/messages') return anthropicMessage(asObject(body), response);
    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      return sendJson(response, HTTP_OK, { input_tokens: usagePerResponse[0].input }, anthropicHeaders());
    }
    // Claude Code's connectivity probe, sent unless non-essential traffic is disabled.
    if ((method === 'HEAD' || method === 'GET') && path === '/api/hello') return sendJson(response, HTTP_OK, {});
    if (method === 'POST' && path === '/v1/responses') return openAiResponse(asObject(body), response);
    if (method === 'GET' && path === '/v1/models') return sendJson(response, HTTP_OK, modelList());
    // Also what Codex gets for the ChatGPT backend calls a ChatGPT-login home makes (see provider-config.ts).
    return sendJson(response, HTTP_NOT_FOUND, { error: { type: 'not_found_error', message: `${method} ${path} is not served` } });
  };

  const anthropicMessage = (body: Record<string, unknown>, response: http.ServerResponse) => {
    const model = typeof body.model === 'string' ? body.model : 'claude-fake';
    const offered = new Set((Array.isArray(body.tools) ? body.tools : []).map((tool) => asObject(tool).name));
    const mcpTool = [...offered].find(
      (name): name is string => options.mcpTool !== undefined && typeof name === 'string' && name.startsWith(CLAUDE_MCP_TOOL_PREFIX) && name.endsWith(`__${options.mcpTool}`),
    );
    const toolCall = mcpTool
      ? { name: mcpTool, input: {} }
      : offered.has(CLAUDE_SHELL_TOOL)
        ? { name: CLAUDE_SHELL_TOOL, input: { command: shellCommand(script), description: `Create ${script.fileName}` } }
        : offered.has(CLAUDE_WRITE_TOOL)
          ? claudeWriteCall(body, script)
          : undefined;
    const step = countToolResults(body.messages);
    const usage = toolCall ? usageAt(step) : ZERO_USAGE;
    let block: { start: Record<string, unknown>; deltas: Record<string, unknown>[]; stopReason: string; text?: string };
    if (toolCall && step === 0) {
      block = {
        start: { type: 'tool_use', id: `toolu_${id()}`, name: toolCall.name, input: {} },
        deltas: chunks(JSON.stringify(toolCall.input)).map((part) => ({ type: 'input_json_delta', partial_json: part })),
        stopReason: 'tool_use',
      };
    } else {
      const text = toolCall ? script.finalText : SIDE_REQUEST_TEXT;
      block = { start: { type: 'text', text: '' }, deltas: [{ type: 'text_delta', text }], stopReason: 'end_turn', text };
    }
    const inputUsage = {
      input_tokens: usage.input,
      cache_creation_input_tokens: usage.cacheWrite,
      cache_read_input_tokens: usage.cacheRead,
    };
    const message = { id: `msg_${id()}`, type: 'message', role: 'assistant', model, stop_sequence: null };
    if (body.stream !== true) {
      const content = block.text === undefined ? [{ ...block.start, input: toolCall?.input }] : [{ type: 'text', text: block.text }];
      return sendJson(
        response,
        HTTP_OK,
        { ...message, content, stop_reason: block.stopReason, usage: { ...inputUsage, output_tokens: usage.output } },
        anthropicHeaders(),
      );
    }
    sendSse(response, anthropicHeaders(), [
      // The real API starts every message's output count at 1.
      { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...inputUsage, output_tokens: Math.min(1, usage.output) } } },
      { type: 'content_block_start', index: 0, content_block: block.start },
      ...block.deltas.map((delta) => ({ type: 'content_block_delta', index: 0, delta })),
      { type: 'content_block_stop', index: 0 },
      // The real API repeats the input counts here next to the final output count.
      { type: 'message_delta', delta: { stop_reason: block.stopReason, stop_sequence: null }, usage: { ...inputUsage, output_tokens: usage.output } },
      { type: 'message_stop' },
    ]);
  };

  const openAiResponse = (body: Record<string, unknown>, response: http.ServerResponse) => {
    const model = typeof body.model === 'string' ? body.model : FAKE_CODEX_MODEL;
    const step = Array.isArray(body.input) ? body.input.filter((item) => CODEX_TOOL_OUTPUTS.has(String(asObject(item).type))).length : 0;
    const usage = usageAt(step);
    const base = { id: `resp_${id()}`, object: 'response', created_at: Math.floor(Date.now() / 1000), model };
    let item: Record<string, unknown>;
    let itemEvents: Record<string, unknown>[];
    if (step === 0) {
      const args = JSON.stringify({ cmd: shellCommand(script) });
      const itemId = `fc_${id()}`;
      item = { type: 'function_call', id: itemId, call_id: `call_${id()}`, name: CODEX_SHELL_TOOL, arguments: args, status: 'completed' };
      itemEvents = [
        { type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } },
        ...chunks(args).map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: itemId, output_index: 0, delta })),
        { type: 'response.function_call_arguments.done', item_id: itemId, output_index: 0, arguments: args },
      ];
    } else {
      const itemId = `msg_${id()}`;
      const text = script.finalText;
      const part = { type: 'output_text', text, annotations: [] };
      item = { type: 'message', id: itemId, role: 'assistant', status: 'completed', content: [part] };
      const at = { item_id: itemId, output_index: 0, content_index: 0 };
      itemEvents = [
        { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
        { type: 'response.content_part.added', ...at, part: { ...part, text: '' } },
        { type: 'response.output_text.delta', ...at, delta: text },
        { type: 'response.output_text.done', ...at, text },
        { type: 'response.content_part.done', ...at, part },
      ];
    }
    sendSse(response, {}, [
      { type: 'response.created', response: { ...base, status: 'in_progress', output: [] } },
      ...itemEvents,
      { type: 'response.output_item.done', output_index: 0, item },
      {
        type: 'response.completed',
        response: {
          ...base,
          status: 'completed',
          output: [item],
          usage: {
            input_tokens: usage.input,
            input_tokens_details: { cached_tokens: usage.cacheRead, cache_write_tokens: usage.cacheWrite },
            output_tokens: usage.output,
            output_tokens_details: { reasoning_tokens: usage.reasoning },
            total_tokens: usage.input + usage.output,
          },
        },
      },
    ]);
  };

  const server = http.createServer((request, response) => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    const received: Buffer[] = [];
    request.on('data', (chunk: Buffer) => received.push(chunk));
    request.on('end', () => {
      const body = parseBody(Buffer.concat(received).toString('utf8'));
      requests.push({ method, path, body });
      route(method, path, body, response);
    });
  });
  const url = await listenOnLoopback(server);

  return {
    url,
    requests,
    usagePerResponse,
    expectedTotals: (provider) => expectedTotals(provider, usagePerResponse),
    expectedRow: (provider) => expectedRow(provider, usagePerResponse),
    close: () => closeLoopback(server),
  };
}

function expectedTotals(provider: FakeModelProvider, perResponse: FakeUsagePerResponse): FakeUsageTotals {
  const sum = (pick: (usage: FakeResponseUsage) => number) => perResponse.reduce((total, usage) => total + pick(usage), 0);
  const input = sum((usage) => usage.input);
  const output = sum((usage) => usage.output);
  const cacheRead = sum((usage) => usage.cacheRead);
  const cacheWrite = sum((usage) => usage.cacheWrite);
  if (provider === 'claude') return { input, output, reasoning: 0, cacheRead, cacheWrite, total: input + output + cacheRead + cacheWrite };
  return { input, output, reasoning: sum((usage) => usage.reasoning), cacheRead, cacheWrite, total: input + output };
}

function expectedRow(provider: FakeModelProvider, perResponse: FakeUsagePerResponse): FakeUsageTotals {
  const printed = expectedTotals(provider, perResponse);
  if (provider === 'claude') return printed;
  const { input, output, reasoning, cacheRead, cacheWrite, total } = printed;
  return { input: input - cacheRead - cacheWrite, output: output - reasoning, reasoning, cacheRead, cacheWrite, total };
}

/**
 * `printf '<text>' > <file>`: one simple command, so a `Bash(printf *)` rule matches it. printf's
 * own escapes carry the newlines; `%` and `\` are doubled so the text comes out as given.
 */
function shellCommand(script: FakeTurnScript): string {
  const format = script.fileText.replaceAll('\\', '\\\\').replaceAll('%', '%%').replaceAll('\n', '\\n');
  return `printf ${shellQuote(format)} > ${shellQuote(script.fileName)}`;
}

function shellQuote(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Undefined when the request does not name its cwd: then there is no absolute path to write to. */
function claudeWriteCall(body: Record<string, unknown>, script: FakeTurnScript): { name: string; input: Record<string, unknown> } | undefined {
  const cwd = strings([body.system, body.messages])
    .map((text) => CLAUDE_CWD_LINE.exec(text)?.[1]?.trim())
    .find(Boolean);
  if (!cwd) return undefined;
  return { name: CLAUDE_WRITE_TOOL, input: { file_path: `${cwd.replace(/[\\/]$/, '')}/${script.fileName}`, content: script.fileText } };
}

function modelList(): Record<string, unknown> {
  return {
    object: 'list',
    data: [{ id: FAKE_CODEX_MODEL, object: 'model', created: 0, owned_by: 'khala-fake' }],
    models: [],
  };
}

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Each event framed as `event: <type>` + `data: <json>`, as both APIs do. */
function sendSse(response: http.ServerResponse, headers: http.OutgoingHttpHeaders, events: Record<string, unknown>[]) {
  response.writeHead(HTTP_OK, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  for (const event of events) response.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
  response.end();
}

/** Claude Code quotes the `request-id` header in its error lines. */
function anthropicHeaders(): http.OutgoingHttpHeaders {
  return { 'request-id': `req_${id()}` };
}

/** `tool_result` blocks across every message of the conversation so far. */
function countToolResults(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  return messages.reduce<number>((total, message) => {
    const content = asObject(message).content;
    return total + (Array.isArray(content) ? content.filter((block) => asObject(block).type === 'tool_result').length : 0);
  }, 0);
}

/** Every string inside a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

function chunks(text: string): string[] {
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += JSON_DELTA_CHARS) parts.push(text.slice(at, at + JSON_DELTA_CHARS));
  return parts;
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function id(): string {
  return randomBytes(ID_BYTES).toString('hex');
}
