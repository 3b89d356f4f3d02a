import type { Account, Login } from '../../shared/accounts';
import type { Card } from '../../shared/domain';

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

/** A fixture worker's card, running, as the core reports it. */
export function buildCard(assignmentId: string, createdAt = '2026-01-01T10:00:00.000Z', lastLine = 'accepted'): Card {
  return {
    assignmentId,
    accountRef: 'fixture',
    workerKind: 'fixture',
    workUnit: { key: `task:${assignmentId}`, title: assignmentId },
    status: 'running',
    state: 'working',
    createdAt,
    startedAt: createdAt,
    endedAt: null,
    lastLine,
    closeout: { status: 'pending', checks: [], blockers: [], proof: null },
    blockers: [],
    tokens: { text: 'pending exact rows', exactTotal: 0, rows: 0 },
    repo: { path: '/repo', branch: 'main', commit: 'abc', worktreePath: '/wt' },
    verifyCommand: 'true',
    workerType: 'code-run',
    model: null,
    sessionRef: null,
    retryOf: null,
    followUps: 0,
    worktreeKept: true,
  };
}
