import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Provider } from '../../../shared/accounts';
import type { Probe } from './account-store';
import { outputTail, stripAnsi } from './cli-output';
import { providerEnvironment } from './homes';
import { runCli } from './run-cli';

/** A status probe talks to nothing remote; longer than this means the CLI is wedged. */
export const STATUS_PROBE_TIMEOUT_MS = 20_000;
/** Lines of CLI output quoted in an error probe. */
const PROBE_TAIL_LINES = 5;

function jwtClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Codex keeps the login's id_token in auth.json; its claims carry the email. */
export function codexIdentity(home: string): string | null {
  const file = path.join(home, 'auth.json');
  if (!existsSync(file)) return null;
  try {
    const auth = JSON.parse(readFileSync(file, 'utf8')) as { tokens?: { id_token?: unknown } };
    const idToken = auth.tokens?.id_token;
    const claims = typeof idToken === 'string' ? jwtClaims(idToken) : null;
    return typeof claims?.email === 'string' ? claims.email : null;
  } catch {
    return null;
  }
}

function failedProbe(run: Awaited<ReturnType<typeof runCli>>, what: string): Probe {
  if (run.spawnError) return { readiness: 'cli_missing', detail: `${what} could not start: ${run.spawnError}`, identity: null };
  if (run.timedOut) return { readiness: 'error', detail: `${what} gave no answer within ${STATUS_PROBE_TIMEOUT_MS} ms`, identity: null };
  return { readiness: 'error', detail: `${what} exited ${run.code}: ${outputTail(`${run.stdout}\n${run.stderr}`, PROBE_TAIL_LINES).join(' | ')}`, identity: null };
}

/**
 * Asks the CLI, in the account's home, whether it is logged in. Never starts a login.
 * Codex: `codex login status` (stderr, exit 0/1). Claude: `claude auth status` (JSON, exit 0/1).
 */
export async function probeReadiness(provider: Provider, cli: string, home: string, secretEnv: Record<string, string>): Promise<Probe> {
  const args = provider === 'codex' ? ['login', 'status'] : ['auth', 'status'];
  const run = await runCli(cli, args, { env: providerEnvironment(provider, home, secretEnv), cwd: home, timeoutMs: STATUS_PROBE_TIMEOUT_MS });
  const what = `${provider} ${args.join(' ')}`;
  if (run.spawnError || run.timedOut || (run.code !== 0 && run.code !== 1)) return failedProbe(run, what);
  if (provider === 'codex') {
    const said = stripAnsi(`${run.stderr}\n${run.stdout}`)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('WARNING:'));
    const detail = said.at(-1) ?? (run.code === 0 ? 'Logged in' : 'Not logged in');
    return run.code === 0
      ? { readiness: 'ready', detail, identity: codexIdentity(home) }
      : { readiness: 'not_logged_in', detail, identity: null };
  }
  let status: { loggedIn?: unknown; authMethod?: unknown; email?: unknown };
  try {
    status = JSON.parse(stripAnsi(run.stdout)) as typeof status;
  } catch {
    return { readiness: 'error', detail: `${what} printed something unexpected: ${outputTail(run.stdout, PROBE_TAIL_LINES).join(' | ')}`, identity: null };
  }
  const method = typeof status.authMethod === 'string' ? status.authMethod : 'unknown method';
  const email = typeof status.email === 'string' ? status.email : null;
  return status.loggedIn === true && run.code === 0
    ? { readiness: 'ready', detail: `Logged in (${method})`, identity: email }
    : { readiness: 'not_logged_in', detail: 'Not logged in', identity: null };
}
