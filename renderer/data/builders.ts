import type { Account, Login } from '../../shared/accounts';

/** A login as the core reports it, for tests of the pure view and cache functions. */
export function buildLogin(state: Login['state'], loginId = 'l1'): Login {
  return {
    loginId,
    provider: 'codex',
    ref: 'codex-2',
    method: 'device',
    reconnect: false,
    state,
    verificationUrl: null,
    userCode: null,
    expiresAt: null,
    reason: null,
    outputTail: [],
    startedAt: '2026-01-01T10:00:00.000Z',
    endedAt: null,
  };
}

/** A ready account as the inventory reports it. */
export function buildAccount(ref: string, provider: Account['provider'], createdAt: string, paused = false): Account {
  return {
    ref,
    provider,
    homeDir: `/data/accounts/${provider}/${ref}`,
    readiness: 'ready',
    readinessDetail: 'Logged in using ChatGPT',
    identity: null,
    authMethod: provider === 'codex' ? 'device' : 'browser',
    slots: 1,
    busy: 0,
    paused,
    cooldownUntil: null,
    lastCheckedAt: null,
    createdAt,
  };
}
