#!/usr/bin/env node
// A stand-in for `codex` for the login paths the real CLI cannot show on demand: a crash mid-login,
// a hang, and output it never prints. It reads its behaviour from mode.json beside it and logs each
// call to calls.jsonl there. (The happy device login runs the real CLI against a fake issuer.)
const fs = require('node:fs');
const path = require('node:path');

const here = path.dirname(fs.realpathSync(__filename));
const mode = JSON.parse(fs.readFileSync(path.join(here, 'mode.json'), 'utf8'));
const args = process.argv.slice(2);
const env = process.env;
fs.appendFileSync(
  path.join(here, 'calls.jsonl'),
  `${JSON.stringify({ args, HOME: env.HOME, CLAUDE_CONFIG_DIR: env.CLAUDE_CONFIG_DIR, CODEX_HOME: env.CODEX_HOME })}\n`,
);

const home = env.CODEX_HOME;
if (!home || !fs.existsSync(home)) {
  process.stderr.write(`Error: CODEX_HOME points to ${JSON.stringify(home)}, but that path does not exist\n`);
  process.exit(1);
}
const authFile = path.join(home, 'auth.json');

function deviceBlock() {
  process.stdout.write(
    '\nWelcome to Codex [v\x1b[90m0.169.0\x1b[0m]\n\x1b[90mOpenAI\'s command-line coding agent\x1b[0m\n\n' +
      'Follow these steps to sign in with ChatGPT using device code authorization:\n\n' +
      '1. Open this link in your browser and sign in to your account\n' +
      `   \x1b[94mhttps://auth.openai.com/codex/device\x1b[0m\n\n` +
      '2. Enter this one-time code \x1b[90m(expires in 15 minutes)\x1b[0m\n' +
      `   \x1b[94m${mode.code ?? 'WXYZ-12345'}\x1b[0m\n\n`,
  );
}

/**
 * `codex exec --json [flags] -- -` (and `exec resume [flags] -- <thread> -`): a turn in the real JSONL
 * that creates a file in its cwd. As the real CLI: `-` as the prompt reads it from stdin (and, unlike a
 * prompt in argv with stdin piped, prints no "Reading additional input from stdin..."). Any other
 * prompt in argv is a bug here, so it fails loudly.
 */
function exec() {
  const resuming = args[1] === 'resume';
  const positional = [];
  for (let i = resuming ? 2 : 1; i < args.length; i += 1) {
    if (args[i] === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (['-s', '-C', '-m', '-c'].includes(args[i])) i += 1;
    else if (!args[i].startsWith('--')) positional.push(args[i]);
  }
  const prompt = resuming ? positional[1] : positional[0];
  if (prompt !== '-' || positional.length !== (resuming ? 2 : 1)) {
    process.stderr.write('fake codex: a prompt arrived in argv; it must come on stdin\n');
    // Not 1 (an ordinary failed turn), so a test sees which failure it was.
    process.exit(3);
  }
  let text = '';
  process.stdin.setEncoding('utf8').on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => {
    fs.appendFileSync(path.join(here, 'prompts.jsonl'), `${JSON.stringify({ pid: process.pid, prompt: text })}\n`);
    turn(resuming ? positional[0] : undefined, text);
  });
}

function turn(resumedThread, prompt) {
  const { randomUUID } = require('node:crypto');
  const dirFlag = args.indexOf('-C');
  const cwd = dirFlag >= 0 ? args[dirFlag + 1] : process.cwd();
  const threadId = resumedThread ?? randomUUID();
  const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
  emit({ type: 'thread.started', thread_id: threadId });
  emit({ type: 'turn.started' });
  if (mode.auth === 'invalid') {
    for (let attempt = 1; attempt <= 2; attempt += 1) emit({ type: 'error', message: `Reconnecting... ${attempt}/5` });
    emit({ type: 'turn.failed', error: { message: 'unexpected status 401 Unauthorized: Incorrect API key provided' } });
    process.exit(1);
  }
  if (mode.usageLimit) {
    // A ChatGPT login past its limit: the provider's message as an error line, then turn.failed, exit 1.
    const message = typeof mode.usageLimit === 'string' ? mode.usageLimit : "You've hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), or try again in 1h 30m.";
    emit({ type: 'error', message });
    emit({ type: 'turn.failed', error: { message } });
    process.exit(1);
  }
  // As the real CLI does on SIGINT: exit 1, the output stops, no turn.failed.
  process.on('SIGINT', () => process.exit(1));
  const file = mode.file ?? 'MADE_BY_CODEX.txt';
  const command = `bash -lc "printf '%s\\n' '${prompt}' >> ${file}"`;
  emit({ type: 'item.started', item: { id: 'item_0', type: 'command_execution', command, aggregated_output: '', exit_code: null, status: 'in_progress' } });
  fs.appendFileSync(path.join(cwd, file), `${prompt}\n`);
  emit({ type: 'item.completed', item: { id: 'item_0', type: 'command_execution', command, aggregated_output: '', exit_code: 0, status: 'completed' } });
  emit({ type: 'item.completed', item: { id: 'item_1', type: 'file_change', changes: [{ path: path.join(cwd, file), kind: 'update' }], status: 'completed' } });
  setTimeout(() => {
    emit({ type: 'item.completed', item: { id: 'item_2', type: 'agent_message', text: `Done: wrote ${file}` } });
    emit({ type: 'turn.completed', usage: mode.usage ?? { input_tokens: 2500, cached_input_tokens: 610, output_tokens: 120, reasoning_output_tokens: 24 } });
  }, mode.turnMs ?? 300);
}

if (args[0] === 'exec') exec();
else if (args[0] === '--version') {
  process.stdout.write('codex-cli 0.169.0\n');
} else if (args[0] === 'login' && args[1] === 'status') {
  if (fs.existsSync(authFile)) {
    process.stderr.write('Logged in using ChatGPT\n');
    process.exit(0);
  }
  process.stderr.write('Not logged in\n');
  process.exit(1);
} else if (args[0] === 'login' && args.includes('--device-auth')) {
  if (mode.login === 'hang') setInterval(() => undefined, 60_000);
  else if (mode.login === 'crash') {
    deviceBlock();
    setTimeout(() => {
      process.stderr.write(`thread 'main' panicked at login/src/device_code_auth.rs:212:9:\n${mode.crashReason ?? 'connection reset by peer'}\n`);
      process.exit(101);
    }, mode.crashAfterMs ?? 200);
  } else if (mode.login === 'garbage') {
    process.stdout.write('\x1b[35m*** unexpected banner from a future codex ***\x1b[0m\n');
    process.exit(0);
  } else if (mode.login === 'wait') {
    deviceBlock();
    setInterval(() => undefined, 60_000);
  } else {
    deviceBlock();
    setTimeout(() => {
      fs.writeFileSync(authFile, JSON.stringify({ OPENAI_API_KEY: null, tokens: { id_token: mode.idToken ?? 'x.e30.y' } }));
      process.stderr.write('Successfully logged in\n');
      process.exit(0);
    }, mode.approveAfterMs ?? 200);
  }
} else {
  process.stderr.write(`fake codex: unsupported ${args.join(' ')}\n`);
  process.exit(2);
}
