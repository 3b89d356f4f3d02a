import type { Account, Login } from '../../shared/accounts';
import type { Card } from '../../shared/domain';
import type { FleetRun, InboxItem } from '../../shared/runs';

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
    runId: null,
    retryOf: null,
    followUps: 0,
    worktreeKept: true,
  };
}

/** A fixture run of five units, running, as the core reports it. */
export function buildRun(id: string, createdAt = '2026-01-01T10:00:00.000Z', updatedAt = createdAt): FleetRun {
  return {
    id,
    name: `run ${id}`,
    state: 'running',
    source: { kind: 'fixture', units: 5 },
    repoPath: '/repo',
    branch: 'main',
    verifyCommand: 'true',
    workerKind: 'fixture',
    workerType: 'code-run',
    targetConcurrency: 4,
    maxPerAccount: 1,
    stopCondition: 'backlog_empty',
    targetCount: null,
    approvedAt: createdAt,
    counts: { done: 1, failed: 0, active: 3, queued: 1, skipped: {} },
    capacity: { free: 1, total: 4 },
    waiting: null,
    waitingDetail: '',
    createdAt,
    updatedAt,
  };
}

/** An inbox item asking to approve run `r1`. */
export function buildInboxItem(
  id: string,
  kind: InboxItem['kind'] = 'approval_required',
  createdAt = '2026-01-01T10:00:00.000Z',
): InboxItem {
  return {
    id,
    kind,
    severity: 'warning',
    title: `Item ${id}`,
    detail: 'detail',
    refs: { run: 'r1' },
    action: { kind: 'approve', runId: 'r1' },
    actionLabel: 'Approve run',
    createdAt,
  };
}
