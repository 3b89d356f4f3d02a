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

if (args[0] === '--version') {
  if (mode.version === 'crash') process.exit(139);
  process.stdout.write('2.1.330 (Claude Code)\n');
} else if (args[0] === 'auth' && args[1] === 'status') status();
else if (args[0] === 'auth' && args[1] === 'login') login();
else {
  process.stderr.write(`fake claude: unsupported ${args.join(' ')}\n`);
  process.exit(2);
}
