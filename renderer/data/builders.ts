import type { Account, Login } from '../../shared/accounts';
import type { Card } from '../../shared/domain';
import type { FleetFeedEntry, FleetSummary, FleetWorkerView } from '../../shared/fleets';
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
    usage: { last5h: { tokens: 0, turns: 0 }, last7d: { tokens: 0, turns: 0 }, lastResetAt: null },
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
    fleet: null,
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
    progress: {
      startedAt: createdAt,
      endedAt: null,
      tokens: { exact: 0, rows: 0 },
      spend: { reportedUsd: null, estimatedUsd: null, priceTable: null },
      notStarted: { total: 1, units: [{ key: `${id}/fixture:5`, title: 'Fixture unit 5' }] },
    },
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

/** A running DAG fleet of four workers, one layer of two done, as the core reports it. */
export function buildFleetSummary(id: string, createdAt = '2026-01-01T10:00:00.000Z'): FleetSummary {
  return {
    id,
    name: `fleet-${id}`,
    root: `/fleets/${id}`,
    state: 'running',
    layersDone: 1,
    layerCount: 3,
    counts: { waiting: 1, ready: 0, running: 1, succeeded: 2, failed: 0, killed: 0, blocked: 0, held: 0 },
    maxConcurrent: 2,
    spend: { usd: 0, truth: 'none', priceTable: null },
    maxBudgetFleet: null,
    budgetReached: false,
    createdAt,
    endedAt: null,
  };
}

/** A fixture worker of a fleet, running in layer 0. */
export function buildFleetWorker(id: string, state: FleetWorkerView['state'] = 'running', dependsOn: string[] = []): FleetWorkerView {
  return {
    id,
    type: 'write',
    task: `task of ${id}`,
    provider: 'fixture',
    model: null,
    reasoningEffort: null,
    maxTurns: null,
    maxBudgetUsd: null,
    dependsOn,
    layer: dependsOn.length === 0 ? 0 : 1,
    state,
    reason: null,
    assignmentId: state === 'waiting' ? null : `a-${id}`,
    relaunches: 0,
    startedAt: state === 'waiting' ? null : '2026-01-01T10:00:00.000Z',
    endedAt: null,
    turns: 0,
    tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
    spend: { usd: 0, truth: 'none', priceTable: null },
    lastMessage: '',
    lastActivityAt: null,
  };
}

/** One feed line of worker `workerId` at cursor `cursor`. */
export function buildFeedEntry(cursor: number, workerId = 'w1', kind: FleetFeedEntry['kind'] = 'message'): FleetFeedEntry {
  return { cursor, at: new Date(Date.UTC(2026, 0, 1, 10, 0, cursor)).toISOString(), workerId, kind, text: `line ${cursor}` };
}
