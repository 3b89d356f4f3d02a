import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeCodexIssuer, type FakeCodexIssuer } from './fake-codex-issuer';
import { ensureCodexCli, PROVIDER_CLI_INSTALL_TIMEOUT_MS } from './provider-cli-cache';
import { tempDir } from './temp-repo';

/** One login round-trip takes 1-2 s (the CLI polls once a second); leave room on slow machines. */
const LOGIN_TEST_TIMEOUT_MS = 30_000;
/** Long enough for the prompt to be read and checked before the code expires. */
const SHORT_CODE_LIFETIME_SECONDS = 2;
/** The prompt, once ANSI colour is stripped: the link and the code each sit on the line after their step. */
const PROMPT = /Open this link[^\n]*\n\s*(\S+)\s*\n[\s\S]*?one-time code[^\n]*\n\s*(\S+)/;
const TOKEN_POLL_PATH = '/api/accounts/deviceauth/token';

interface CodexRun {
  stderr(): string;
  /** The link and one-time code, once both are printed. */
  prompt: Promise<{ link: string; code: string }>;
  /** The exit code, after both output streams have closed. */
  exit: Promise<number | null>;
}

let codex: string;
let runningIssuer: FakeCodexIssuer | undefined;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  codex = await ensureCodexCli();
}, PROVIDER_CLI_INSTALL_TIMEOUT_MS);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await runningIssuer?.close();
  runningIssuer = undefined;
});

/** A fresh CODEX_HOME that keeps credentials in auth.json rather than the OS keyring. */
function codexHome(): string {
  const home = tempDir('khala-codex-home-');
  writeFileSync(path.join(home, 'config.toml'), 'cli_auth_credentials_store = "file"\n');
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

function runCodex(home: string, args: string[]): CodexRun {
  const env: NodeJS.ProcessEnv = { ...process.env, CODEX_HOME: home };
  // A developer's own API key in the environment would change what `login status` reports.
  delete env.OPENAI_API_KEY;
  delete env.CODEX_API_KEY;
  const child = spawn(codex, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.kill());
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const prompt = new Promise<{ link: string; code: string }>((resolve, reject) => {
    const check = () => {
      const match = PROMPT.exec(stripVTControlCharacters(stdout + stderr));
      if (match?.[1] && match[2]) resolve({ link: match[1], code: match[2] });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      check();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    void exit.then((code) => reject(new Error(`codex exited (${code}) before printing a device code:\n${stdout}\n${stderr}`)));
  });
  // Only device logins await the prompt; for other commands its rejection on exit is expected.
  void prompt.catch(() => undefined);
  return { stderr: () => stderr, prompt, exit };
}

async function startDeviceLogin(options?: Parameters<typeof startFakeCodexIssuer>[0]) {
  const started = await startFakeCodexIssuer(options);
  runningIssuer = started;
  const home = codexHome();
  const run = runCodex(home, ['login', '--device-auth', '--experimental_issuer', started.url]);
  const { link, code } = await run.prompt;
  expect(link).toBe(`${started.url}/codex/device`);
  expect(started.pendingCodes()).toContain(code);
  // The CLI polls as soon as it has printed the code: let one poll be told "pending" first, so
  // each test also covers the wait-and-poll-again path.
  await vi.waitFor(() => expect(tokenPolls(started)).toBeGreaterThan(0));
  return { issuer: started, home, run, code };
}

function tokenPolls(fake: FakeCodexIssuer): number {
  return fake.requests.filter((request) => request.path === TOKEN_POLL_PATH).length;
}

async function loginStatus(home: string): Promise<{ exitCode: number | null; stderr: string }> {
  const run = runCodex(home, ['login', 'status']);
  const exitCode = await run.exit;
  return { exitCode, stderr: run.stderr() };
}

function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('the real codex CLI against the fake issuer', () => {
  it('signs in once the code is approved and writes auth.json', async () => {
    const email = 'fleet-worker@khala.invalid';
    const { issuer, home, run, code } = await startDeviceLogin({ email });

    issuer.approve(code);

    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('Successfully logged in');
    expect(issuer.pendingCodes()).toEqual([]);
    expect(tokenPolls(issuer)).toBeGreaterThan(1);
    expect(issuer.requests.at(-1)).toEqual({ method: 'POST', path: '/oauth/token' });
    const authFile = path.join(home, 'auth.json');
    expect(existsSync(authFile)).toBe(true);
    const auth = JSON.parse(readFileSync(authFile, 'utf8')) as { auth_mode: string; tokens: { id_token: string; account_id: string } };
    expect(auth.auth_mode).toBe('chatgpt');
    expect(auth.tokens.account_id).toEqual(expect.any(String));
    expect(jwtClaims(auth.tokens.id_token).email).toBe(email);

    const status = await loginStatus(home);
    expect(status.exitCode).toBe(0);
    expect(status.stderr).toContain('Logged in using ChatGPT');
  }, LOGIN_TEST_TIMEOUT_MS);

  it('fails without credentials when the code is denied', async () => {
    const { issuer, home, run, code } = await startDeviceLogin();

    issuer.deny(code);

    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('Error logging in: device auth failed with status 400 Bad Request');
    expect(existsSync(path.join(home, 'auth.json'))).toBe(false);
    const status = await loginStatus(home);
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toContain('Not logged in');
  }, LOGIN_TEST_TIMEOUT_MS);

  it('fails without credentials when the code is expired on demand', async () => {
    const { issuer, home, run, code } = await startDeviceLogin();

    issuer.expire(code);

    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('Error logging in: device auth failed with status 410 Gone');
    expect(existsSync(path.join(home, 'auth.json'))).toBe(false);
  }, LOGIN_TEST_TIMEOUT_MS);

  it('fails once the code outlives expiresInSeconds', async () => {
    const { issuer, home, run } = await startDeviceLogin({ expiresInSeconds: SHORT_CODE_LIFETIME_SECONDS });

    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('device auth failed with status 410 Gone');
    expect(issuer.pendingCodes()).toEqual([]);
    expect(existsSync(path.join(home, 'auth.json'))).toBe(false);
  }, LOGIN_TEST_TIMEOUT_MS);
});
