#!/usr/bin/env node
// A stand-in for `claude` that reproduces the real CLI's login and status output (ANSI included) for
// the paths that cannot run for real here. It reads its behaviour from mode.json beside it and logs
// each call (argv and the home variables it was given) to calls.jsonl there.
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const here = path.dirname(fs.realpathSync(__filename));
const mode = JSON.parse(fs.readFileSync(path.join(here, 'mode.json'), 'utf8'));
const args = process.argv.slice(2);
const env = process.env;
fs.appendFileSync(
  path.join(here, 'calls.jsonl'),
  `${JSON.stringify({ args, HOME: env.HOME, CLAUDE_CONFIG_DIR: env.CLAUDE_CONFIG_DIR, CODEX_HOME: env.CODEX_HOME })}\n`,
);

const configDir = env.CLAUDE_CONFIG_DIR;
const credentials = configDir ? path.join(configDir, '.credentials.json') : null;
const bold = (text) => `\x1b[1m${text}\x1b[22m`;
const dim = (text) => `\x1b[2m${text}\x1b[22m`;

function status() {
  if (mode.status === 'garbage') {
    process.stdout.write('\x1b[31mSegmentation fault\x1b[0m\n');
    process.exit(1);
  }
  let method = null;
  if (credentials && fs.existsSync(credentials)) method = 'claude.ai';
  else if (env.CLAUDE_CODE_OAUTH_TOKEN && env.CLAUDE_CODE_OAUTH_TOKEN === mode.validToken) method = 'oauth_token';
  else if (env.ANTHROPIC_API_KEY && env.ANTHROPIC_API_KEY === mode.validApiKey) method = 'api_key';
  const loggedIn = method !== null;
  const body = { loggedIn, authMethod: method ?? 'none', configDirectory: configDir ?? null };
  if (loggedIn && method !== 'api_key') body.email = mode.email;
  process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  process.exit(loggedIn ? 0 : 1);
}

function login() {
  const url = 'https://claude.ai/oauth/authorize?code=true&client_id=9d1c250a-e61b-44d9-88ed-5944d1962f5e&response_type=code&scope=user%3Ainference&state=fake-state';
  process.stdout.write(`${bold('Opening browser to sign in…')}\n`);
  process.stdout.write(`${dim("Browser didn't open? Use the url below to sign in:")}\n\n${url}\n\n`);
  if (mode.login === 'crash') {
    process.stderr.write('node:internal/process: Aborted (core dumped)\n');
    process.exit(134);
  }
  process.stdout.write('Paste code here if prompted > ');
  if (mode.login === 'expire') {
    setTimeout(() => {
      process.stdout.write('\n\x1b[31mLogin timed out: the authorization code expired. Please try again.\x1b[0m\n');
      process.exit(1);
    }, mode.expireAfterMs ?? 500);
    return;
  }
  const input = readline.createInterface({ input: process.stdin });
  input.once('line', (line) => {
    if (line.trim() !== mode.acceptCode) {
      process.stdout.write('\n\x1b[31mOAuth error: Invalid code. The request was denied.\x1b[0m\n');
      process.exit(1);
    }
    fs.writeFileSync(credentials, JSON.stringify({ claudeAiOauth: { accessToken: 'fake', refreshToken: 'fake' } }));
    process.stdout.write(`\n\x1b[32mLogin successful.\x1b[0m\n`);
    process.exit(0);
  });
}

/** Flags of `claude -p` that take a value; any other word in argv would be a prompt. */
const VALUE_FLAGS = ['--output-format', '--permission-mode', '--allowedTools', '--disallowedTools', '--model', '--max-turns', '--max-budget-usd', '--resume'];
const SWITCHES = ['-p', '--print', '--verbose'];

/** As the real CLI: `-p` with no prompt argument reads it from stdin. A prompt in argv is a bug here, so it fails loudly. */
function readPrompt(then) {
  for (let i = 0; i < args.length; i += 1) {
    if (VALUE_FLAGS.includes(args[i])) i += 1;
    else if (!SWITCHES.includes(args[i]) && !VALUE_FLAGS.includes(args[i].split('=')[0])) {
      process.stderr.write('fake claude: a prompt arrived in argv; it must come on stdin\n');
      // Not 1 (an ordinary failed turn), so a test sees which failure it was.
      process.exit(3);
    }
  }
  // A CLI that dies before it reads its prompt: the app's write to its stdin fails (EPIPE).
  if (mode.exitBeforeReading) process.exit(1);
  let prompt = '';
  process.stdin.setEncoding('utf8').on('data', (text) => (prompt += text));
  process.stdin.on('end', () => {
    fs.appendFileSync(path.join(here, 'prompts.jsonl'), `${JSON.stringify({ pid: process.pid, prompt })}\n`);
    then(prompt);
  });
}

/** `claude -p`: a stream-json session in the real format that creates a file in its cwd with a Bash tool call. */
function print(prompt) {
  const { randomUUID } = require('node:crypto');
  // `--name value` or `--name=value`, as the real CLI takes either.
  const flag = (name) => {
    const joined = args.find((arg) => arg.startsWith(`${name}=`));
    if (joined) return joined.slice(name.length + 1);
    return args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
  };
  const sessionId = flag('--resume') ?? randomUUID();
  const model = flag('--model') ?? 'claude-fake-1';
  const costs = path.join(configDir, 'fake-costs.json');
  const cumulative = (fs.existsSync(costs) ? JSON.parse(fs.readFileSync(costs, 'utf8')) : {})[sessionId] ?? 0;
  const emit = (event) => process.stdout.write(`${JSON.stringify({ ...event, session_id: sessionId })}\n`);
  const usage = mode.usage ?? { input_tokens: 1200, output_tokens: 80, cache_creation_input_tokens: 50, cache_read_input_tokens: 300 };
  const result = (fields) => emit({ type: 'result', duration_ms: 10, num_turns: 1, permission_denials: [], errors: [], ...fields });
  emit({ type: 'system', subtype: 'init', cwd: process.cwd(), model, tools: ['Bash', 'Edit', 'Write'], permissionMode: flag('--permission-mode') ?? 'default', claude_code_version: '2.1.330' });
  if (mode.auth === 'invalid' || env.ANTHROPIC_API_KEY === 'revoked') {
    result({ subtype: 'success', is_error: true, result: 'Invalid API key · Please run /login', total_cost_usd: 0, usage: { input_tokens: 0, output_tokens: 0 } });
    process.exit(1);
  }
  if (mode.rateLimit) {
    // The real shape once retries run out (CLAUDE_CODE_MAX_RETRIES=0; see recorded/claude-429.jsonl): an API-error result, exit 1.
    const text = typeof mode.rateLimit === 'string' ? mode.rateLimit : "API Error: Request rejected (429) · This request would exceed your account's rate limit. Please try again later.";
    result({ subtype: 'success', is_error: true, api_error_status: 429, api_error_type: 'rate_limit_error', terminal_reason: 'api_error', result: text, total_cost_usd: 0, usage: { input_tokens: 0, output_tokens: 0 } });
    process.exit(1);
  }
  let interrupted = false;
  process.on('SIGINT', () => {
    interrupted = true;
    // As the real CLI does: an error result with zero usage, and exit 0.
    result({ subtype: 'error_during_execution', is_error: true, result: 'Interrupted', total_cost_usd: cumulative, usage: { input_tokens: 0, output_tokens: 0 }, modelUsage: { [model]: { inputTokens: 900, costUSD: 0.01 } } });
    process.exit(0);
  });
  const file = mode.file ?? 'MADE_BY_CLAUDE.txt';
  emit({ type: 'assistant', message: { role: 'assistant', model, content: [{ type: 'text', text: `On it: ${prompt}` }], usage: { input_tokens: 3, output_tokens: 1 } } });
  emit({ type: 'assistant', message: { role: 'assistant', model, content: [{ type: 'tool_use', id: 'toolu_fake1', name: 'Bash', input: { command: `printf '%s\\n' "${prompt}" >> ${file}` } }] } });
  // `overwrite` replaces the file instead, as an agent that rewrites a file (e.g. to resolve a merge conflict).
  (mode.overwrite ? fs.writeFileSync : fs.appendFileSync)(path.join(process.cwd(), file), `${prompt}\n`);
  emit({ type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_fake1', content: '', is_error: false }] } });
  setTimeout(() => {
    if (interrupted) return;
    emit({ type: 'assistant', message: { role: 'assistant', model, content: [{ type: 'text', text: `Done: wrote ${file}` }] } });
    const total = cumulative + (mode.turnCostUsd ?? 0.0125);
    const all = fs.existsSync(costs) ? JSON.parse(fs.readFileSync(costs, 'utf8')) : {};
    fs.writeFileSync(costs, JSON.stringify({ ...all, [sessionId]: total }));
    result({ subtype: 'success', is_error: false, result: `Done: wrote ${file}`, total_cost_usd: total, usage, modelUsage: { [model]: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens, costUSD: total - cumulative } } });
  }, mode.turnMs ?? 300);
}

if (args[0] === '-p') readPrompt(print);
else if (args[0] === '--version') {
  if (mode.version === 'crash') process.exit(139);
  process.stdout.write('2.1.330 (Claude Code)\n');
} else if (args[0] === 'auth' && args[1] === 'status') status();
else if (args[0] === 'auth' && args[1] === 'login') login();
else {
  process.stderr.write(`fake claude: unsupported ${args.join(' ')}\n`);
  process.exit(2);
}
