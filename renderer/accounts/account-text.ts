import type { Account, Login, LoginMethod, LoginState, ProviderInfo, Readiness, UsageWindow } from '../../shared/accounts';
import { coolingDown, readyForWork } from '../../shared/capacity';
import { formatElapsed, plural } from '../format';

export const readinessWords: Record<Readiness, string> = {
  ready: 'ready',
  not_logged_in: 'not logged in',
  cli_missing: 'CLI missing',
  error: 'error',
};

export const authMethodWords: Record<Account['authMethod'], string> = {
  device: 'device login',
  browser: 'browser login',
  token: 'long-lived token',
  api_key: 'API key',
};

/** Ready means able to take work now: logged in, not paused by the owner, and not cooling down. */
export function countReady(accounts: readonly Account[], now: number): number {
  return accounts.filter((account) => readyForWork(account, now)).length;
}

export function missingCliText(info: ProviderInfo): string {
  return `${info.provider} CLI not found. Install it with: ${info.installCommand}`;
}

/** "codex 0.169.0 · /usr/local/bin/codex" for a CLI that was found. */
export function foundCliText(info: ProviderInfo): string {
  return `${info.provider} ${info.version ?? '(version unknown)'} · ${info.path ?? 'on PATH'}`;
}

const loginStateWords: Record<Exclude<LoginState, 'approved'>, string> = {
  starting: 'Starting the login…',
  waiting_for_approval: 'Waiting for you to approve the code in your browser',
  waiting_for_code: 'Paste the code the browser shows',
  failed: 'Login failed',
  expired: 'The code expired',
  cancelled: 'Login cancelled',
};

/** The Connect dialog's status line; `identity` is the connected account's, once it is known. */
export function loginStatusText(login: Login, identity: string | null): string {
  if (login.state !== 'approved') return loginStateWords[login.state];
  return identity ? `Connected ${login.ref} as ${identity}` : `Connected ${login.ref}`;
}

/** Logins that hand over a secret link at once; the others run the CLI's interactive login. */
export function takesSecret(method: LoginMethod): method is 'token' | 'api_key' {
  return method === 'token' || method === 'api_key';
}

export function isWaiting(state: LoginState): boolean {
  return state === 'waiting_for_approval' || state === 'waiting_for_code';
}

/** Whether the account is still cooling down at `now` (the capacity rule's own test). */
export const isCooling = coolingDown;

/** The countdown on a cooling card: "1:29:05 left". */
export function cooldownLeftText(cooldownUntil: string, now: number): string {
  return `${formatElapsed(Date.parse(cooldownUntil) - now)} left`;
}

/** A meter in plain counts: "12,345 tokens in 3 turns". Never a percentage: the providers' limits are not known here. */
export function usageText(window: UsageWindow): string {
  return `${plural(window.tokens, 'token', 'tokens')} in ${plural(window.turns, 'turn', 'turns')}`;
}
