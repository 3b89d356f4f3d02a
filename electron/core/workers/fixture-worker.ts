/**
 * The no-spend fixture worker: a real child process that behaves like `claude -p --output-format
 * stream-json --verbose`. It prints init, assistant text, a Bash tool call that really runs in its
 * working directory, the tool's result and a final `result` with fixed usage. Like `claude -p`, it
 * reads the prompt from stdin, and refuses one given as an argument. Flags:
 *   -p  --duration-ms <n>  --fail (error result, exit 1)  --crash (die mid-run, no result)
 *   --flood-bytes <n> (extra assistant text, for benchmarks of the output path)
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { FIXTURE_USAGE } from '../../../shared/constants';

/** The fixture's run is spread over this many pauses between its events. */
const STEPS = 5;
/** Flood text is sent in assistant messages of this size, like a long streamed answer. */
const FLOOD_MESSAGE_CHARS = 64 * 1024;
/** Width of one flood line, so the transcript has realistic line breaks. */
const FLOOD_LINE_CHARS = 100;
/** The exit code of a crash: anything non-zero that is not a normal error result. */
const CRASH_EXIT_CODE = 70;
/** Tool output kept in the tool_result, as an agent CLI truncates long output. */
const TOOL_OUTPUT_MAX_CHARS = 4_000;
/** The exit code for a command line it does not take (a prompt in argv), as a CLI's usage error. */
const USAGE_EXIT_CODE = 2;

interface Options {
  durationMs: number;
  fail: boolean;
  crash: boolean;
  floodBytes: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { durationMs: 0, fail: false, crash: false, floodBytes: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const next = (): string => argv[++i] ?? '';
    // The flags `claude -p --output-format stream-json --verbose` takes; the fixture always prints stream-json.
    if (arg === '-p' || arg === '--print' || arg === '--verbose') continue;
    if (arg === '--output-format') next();
    else if (arg === '--duration-ms') options.durationMs = Number(next()) || 0;
    else if (arg === '--flood-bytes') options.floodBytes = Number(next()) || 0;
    else if (arg === '--fail') options.fail = true;
    else if (arg === '--crash') options.crash = true;
    else {
      // Not echoed: a stray argument may be a prompt, and prompts stay out of logs.
      process.stderr.write('fixture worker: unexpected argument (the prompt comes on stdin)\n');
      process.exit(USAGE_EXIT_CODE);
    }
  }
  return options;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function emit(event: unknown): Promise<void> {
  const line = `${JSON.stringify(event)}\n`;
  // Respect the pipe: when the reader pauses us (flow control), wait for it to drain.
  return new Promise((resolve) => {
    if (process.stdout.write(line)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function runShell(command: string): Promise<{ output: string; code: number }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', command], { cwd: process.cwd() }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ output: `${stdout}${stderr}`.slice(0, TOOL_OUTPUT_MAX_CHARS), code });
    });
  });
}

function assistant(sessionId: string, content: unknown[]): unknown {
  return {
    type: 'assistant',
    session_id: sessionId,
    message: {
      id: `msg_${randomUUID()}`,
      role: 'assistant',
      model: 'fixture',
      content,
      // The stream-start value, as the real CLI reports it: not the turn's total.
      usage: { input_tokens: FIXTURE_USAGE.input_tokens, output_tokens: 1 },
    },
  };
}

async function flood(sessionId: string, bytes: number): Promise<void> {
  const line = 'x'.repeat(FLOOD_LINE_CHARS - 1);
  let sent = 0;
  let lineNo = 0;
  while (sent < bytes) {
    let text = '';
    while (text.length < FLOOD_MESSAGE_CHARS && sent + text.length < bytes) {
      const numbered = `${String(lineNo).padStart(8, '0')} ${line}`.slice(0, FLOOD_LINE_CHARS - 1);
      text += `${numbered}\n`;
      lineNo += 1;
    }
    sent += text.length;
    await emit(assistant(sessionId, [{ type: 'text', text }]));
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const prompt = await readStdin();
  const sessionId = randomUUID();
  const pause = options.durationMs / STEPS;
  const started = Date.now();

  await emit({
    type: 'system',
    subtype: 'init',
    session_id: sessionId,
    cwd: process.cwd(),
    model: 'fixture',
    tools: ['Bash'],
    permissionMode: 'default',
    claude_code_version: 'fixture',
  });
  await sleep(pause);
  const firstLine = prompt.split('\n')[0]?.trim() || 'the task';
  await emit(assistant(sessionId, [{ type: 'text', text: `Working on: ${firstLine}` }]));
  await sleep(pause);

  const toolUseId = `toolu_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  // `git status` shows the change in a worktree; a DAG fleet's folder is no repository, so list it there.
  // A worker told to fail fails its tool call too, as a real one that could not finish would.
  const command = `printf '%s\\n' ${shellQuote(firstLine)} > FIXTURE.md && (git status --short 2>/dev/null || ls -A)${
    options.fail ? " && echo 'fixture: told to fail' >&2 && exit 1" : ''
  }`;
  await emit(assistant(sessionId, [{ type: 'tool_use', id: toolUseId, name: 'Bash', input: { command, description: 'Record the task' } }]));
  const tool = await runShell(command);
  await emit({
    type: 'user',
    session_id: sessionId,
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: tool.output, is_error: tool.code !== 0 }] },
  });
  await sleep(pause);

  if (options.crash) {
    process.stderr.write('fixture worker: crashing as told\n');
    process.exit(CRASH_EXIT_CODE);
  }
  if (options.floodBytes > 0) await flood(sessionId, options.floodBytes);

  await emit(assistant(sessionId, [{ type: 'text', text: options.fail ? 'I could not finish.' : 'Recorded the task in FIXTURE.md.' }]));
  await sleep(pause);

  const usage = { ...FIXTURE_USAGE, server_tool_use: { web_search_requests: 0 } };
  await emit({
    type: 'result',
    subtype: options.fail ? 'error_during_execution' : 'success',
    is_error: options.fail,
    duration_ms: Date.now() - started,
    num_turns: 1,
    result: options.fail ? 'fixture worker told to fail' : 'Recorded the task in FIXTURE.md.',
    session_id: sessionId,
    total_cost_usd: 0,
    usage,
    modelUsage: {
      fixture: {
        inputTokens: FIXTURE_USAGE.input_tokens,
        outputTokens: FIXTURE_USAGE.output_tokens,
        cacheReadInputTokens: FIXTURE_USAGE.cache_read_input_tokens,
        cacheCreationInputTokens: FIXTURE_USAGE.cache_creation_input_tokens,
        costUSD: 0,
      },
    },
    permission_denials: [],
    errors: options.fail ? ['fixture worker told to fail'] : [],
  });
  process.exitCode = options.fail ? 1 : 0;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

void main();
