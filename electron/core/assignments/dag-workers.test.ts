import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Login } from '../../../shared/accounts';
import { VIEWER_STALL_TIMEOUT_MS } from '../../../shared/constants';
import type { Card } from '../../../shared/domain';
import { outputLine, type ResolvedFleetWorker } from '../../../shared/fleets';
import { AccountService } from '../accounts/account-service';
import { AccountStore } from '../accounts/account-store';
import { DEFAULT_LOGIN_TIMEOUTS } from '../accounts/login-session';
import { SecretStore } from '../accounts/secrets';
import { ConnectionHub } from '../connection';
import { HostHealth } from '../health/host-health';
import { openCheckedStore } from '../store/store-check';
import { PaneRegistry } from '../terminal/pane-registry';
import { claudeAdapter } from '../workers/claude-adapter';
import { codexAdapter } from '../workers/codex-adapter';
import { fixtureAdapter } from '../workers/fixture-adapter';
import { makeFakeCli, type FakeCli } from '../../test-support/fake-cli';
import { tempDir } from '../../test-support/temp-repo';
import { RecordingConnection } from '../../test-support/test-core';
import { whenExists } from '../../test-support/when-exists';
import { AssignmentStore } from './assignment-store';
import { assignmentFiles } from './paths';
import { SupervisionStore } from './supervision-store';
import { TaskService, type FleetWorkerDispatch, type WorkerFate } from './task-service';

const API_KEY = 'sk-ant-api03-dag-test';
const FLEET_ID = 'flt-test';

interface Harness {
  tasks: TaskService;
  store: AssignmentStore;
  accounts: AccountService;
  connection: RecordingConnection;
  dataDir: string;
  /** Assignments `onAssignmentClosed` was fired for, in order. */
  closed: string[];
  closedCard(assignmentId: string): Promise<Card>;
  close(workers?: WorkerFate): Promise<void>;
}

let harness: Harness | undefined;
/** Pids a kill test started; any still running after it (a failed test) are killed, so none outlives the suite. */
const started: number[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
});

/** The task service on real parts (store, accounts, panes, adapters), as the core builds it. */
function startTasks(fixtureScript: string = inject('fixtureWorkerScript'), dataDir = tempDir()): Harness {
  const log = () => undefined;
  const db = openCheckedStore(dataDir);
  const store = new AssignmentStore(db);
  const hub = new ConnectionHub();
  const connection = new RecordingConnection();
  hub.add(connection);
  const health = new HostHealth({ dataDir, log });
  const panes = new PaneRegistry({ stallTimeoutMs: VIEWER_STALL_TIMEOUT_MS, onFault: () => undefined, log });
  const accounts = new AccountService({
    store: new AccountStore(db),
    secrets: new SecretStore(dataDir, null),
    hub,
    dataDir,
    codexIssuer: null,
    loginTimeouts: DEFAULT_LOGIN_TIMEOUTS,
  });
  const closed: string[] = [];
  const closedWaiters = new Map<string, () => void>();
  const tasks = new TaskService({
    db,
    store,
    supervision: new SupervisionStore(db),
    hub,
    panes,
    accounts,
    onAssignmentClosed: (id) => {
      closed.push(id);
      closedWaiters.get(id)?.();
    },
    dataDir,
    adapters: {
      fixture: fixtureAdapter(fixtureScript, { command: process.execPath, env: {} }),
      claude: claudeAdapter({}),
      codex: codexAdapter({}),
    },
    log,
    health,
  });
  const h: Harness = {
    tasks,
    store,
    accounts,
    connection,
    dataDir,
    closed,
    // Resolves once the task service has fired onAssignmentClosed, which comes after the closed card is pushed.
    async closedCard(assignmentId) {
      if (!closed.includes(assignmentId)) await new Promise<void>((resolve) => closedWaiters.set(assignmentId, resolve));
      return connection.waitFor(() => {
        const card = connection.latestCard(assignmentId);
        return card?.status === 'closed' ? card : undefined;
      });
    },
    async close(workers: WorkerFate = 'stop') {
      await tasks.shutdown(workers);
      await accounts.shutdown();
      db.close();
    },
  };
  harness = h;
  return h;
}

/** Links a Claude account (API key) and a Codex account (device login), both on fake CLIs. */
async function linkAccounts(h: Harness): Promise<{ claude: FakeCli; codex: FakeCli }> {
  const claude = makeFakeCli('claude', { validApiKey: API_KEY });
  const codex = makeFakeCli('codex', { approveAfterMs: 20 });
  h.accounts.updateSettings({ claudePath: claude.path, codexPath: codex.path });
  expect(await h.accounts.connect({ provider: 'claude', method: 'api_key', secret: API_KEY })).toMatchObject({ state: 'approved' });
  const login = await h.accounts.connect({ provider: 'codex', method: 'device' });
  await h.connection.waitFor(() =>
    h.connection.events.some((e) => e.event === 'login.updated' && (e.payload as Login).loginId === login.loginId && (e.payload as Login).state === 'approved')
      ? true
      : undefined,
  );
  return { claude, codex };
}

function worker(overrides: Partial<ResolvedFleetWorker> & Pick<ResolvedFleetWorker, 'id'>): ResolvedFleetWorker {
  return {
    type: 'write',
    task: 'a task',
    provider: 'fixture',
    model: null,
    reasoningEffort: null,
    maxTurns: null,
    maxBudgetUsd: null,
    dependsOn: [],
    layer: 0,
    ...overrides,
  };
}

/** A fleet root that is not a git repository, with `workers/<id>/prompt.md` for each worker. */
function fleetRoot(ids: string[]): string {
  const root = tempDir('khala-fleet-');
  for (const id of ids) {
    mkdirSync(path.join(root, 'workers', id), { recursive: true });
    writeFileSync(path.join(root, 'workers', id, 'prompt.md'), `Do the ${id} part.\n`);
  }
  return root;
}

function dispatchSpec(root: string, w: ResolvedFleetWorker, extra: Partial<FleetWorkerDispatch> = {}): FleetWorkerDispatch {
  return {
    fleetId: FLEET_ID,
    fleetName: 'demo',
    root,
    worker: w,
    prompt: `Do the ${w.id} part.\n\n${outputLine(root, w.id)}\n`,
    sessionLog: path.join(root, 'workers', w.id, 'session.jsonl'),
    ...extra,
  };
}

function rawLogOf(h: Harness, assignmentId: string): string {
  const a = h.store.get(assignmentId);
  return readFileSync(assignmentFiles(h.dataDir, a.taskRef, a.id).rawLog, 'utf8');
}

const NOT_APPLICABLE_VERIFY = { name: 'verify_passed', ok: true, notApplicable: true, blocker: 'verify_failed', detail: 'verify is not part of a DAG fleet' };

describe('a DAG fleet worker', () => {
  it('runs in the fleet root with no worktree and no verify, mirrors its raw log to session.jsonl, and closes out ok', async () => {
    const h = startTasks();
    const root = fleetRoot(['alpha']);
    const card = await h.tasks.dispatchFleetWorker(dispatchSpec(root, worker({ id: 'alpha' }), { fixture: { durationMs: 100 } }));
    expect(card).toMatchObject({
      workUnit: { key: `fleet:${FLEET_ID}:alpha:1`, title: 'demo/alpha' },
      fleet: { fleetId: FLEET_ID, workerId: 'alpha' },
      repo: { path: root, branch: '', commit: '', worktreePath: root },
      verifyCommand: '',
      worktreeKept: false,
      workerType: 'write',
    });

    const closed = await h.closedCard(card.assignmentId);
    expect(closed.state).toBe('done');
    expect(closed.closeout.status).toBe('ok');
    expect(closed.closeout.blockers).toEqual([]);
    expect(closed.closeout.checks.find((c) => c.name === 'verify_passed')).toEqual(NOT_APPLICABLE_VERIFY);
    expect(closed.closeout.checks.filter((c) => !c.notApplicable).every((c) => c.ok)).toBe(true);
    expect(closed.tokens.text).toBe('1,050 exact');
    expect(h.closed).toEqual([card.assignmentId]);

    // cwd was the root: the fixture's tool wrote the prompt's first line there, and its session says so.
    expect(readFileSync(path.join(root, 'FIXTURE.md'), 'utf8')).toBe('Do the alpha part.\n');
    const kinds = h.store.events(card.assignmentId).map((e) => e.kind);
    expect(kinds).not.toContain('verify_started');
    expect(kinds).not.toContain('worktree_created');
    expect(h.store.verify(card.assignmentId)).toBeNull();
    // No git anywhere: the root is no repository, and the data dir has no worktrees.
    expect(existsSync(path.join(root, '.git'))).toBe(false);
    expect(existsSync(path.join(h.dataDir, 'worktrees'))).toBe(false);

    const sessionLog = path.join(root, 'workers', 'alpha', 'session.jsonl');
    const raw = rawLogOf(h, card.assignmentId);
    expect(raw.split('\n').filter(Boolean).length).toBeGreaterThan(3);
    expect(readFileSync(sessionLog, 'utf8')).toBe(raw);
    expect(statSync(sessionLog).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, 'workers', 'alpha', 'output')).isDirectory()).toBe(true);

    expect(h.store.byFleet(FLEET_ID)).toEqual([
      expect.objectContaining({ assignmentId: card.assignmentId, workerId: 'alpha', status: 'closed', interrupted: false, closeoutStatus: 'ok' }),
    ]);
    await expect(h.tasks.retry(card.assignmentId)).rejects.toMatchObject({ code: 'control_not_allowed' });
    await expect(h.tasks.removeWorktree(card.assignmentId, true)).rejects.toMatchObject({ code: 'control_not_allowed' });
    expect(existsSync(root)).toBe(true);
  });

  it('numbers a relaunch as the next attempt of the same worker, and a failing worker fails its closeout without a verify blocker', async () => {
    const h = startTasks();
    const root = fleetRoot(['beta']);
    const first = await h.tasks.dispatchFleetWorker(dispatchSpec(root, worker({ id: 'beta' }), { fixture: { durationMs: 0, fail: true } }));
    const failed = await h.closedCard(first.assignmentId);
    expect(failed.state).toBe('failed');
    expect(failed.closeout.blockers).toEqual(['worker_failed']);
    expect(failed.closeout.checks.find((c) => c.name === 'verify_passed')).toEqual(NOT_APPLICABLE_VERIFY);

    const second = await h.tasks.dispatchFleetWorker(dispatchSpec(root, worker({ id: 'beta' }), { fixture: { durationMs: 0 } }));
    expect(second.workUnit.key).toBe(`fleet:${FLEET_ID}:beta:2`);
    expect((await h.closedCard(second.assignmentId)).state).toBe('done');
    expect(h.store.byFleet(FLEET_ID).map((a) => [a.workerId, a.closeoutStatus])).toEqual([
      ['beta', 'failed'],
      ['beta', 'ok'],
    ]);
  });

  it('Claude- and Codex-format workers side by side: type limits, Claude budget, Codex sandbox and web search, exact token rows', async () => {
    const h = startTasks();
    const { claude, codex } = await linkAccounts(h);
    const root = fleetRoot(['writer', 'researcher']);
    const writer = worker({ id: 'writer', type: 'write', provider: 'claude', model: 'sonnet', maxTurns: 5, maxBudgetUsd: 1.5 });
    const researcher = worker({ id: 'researcher', type: 'research', provider: 'codex', model: 'gpt-5.4', reasoningEffort: 'medium' });
    const [claudeCard, codexCard] = await Promise.all([
      h.tasks.dispatchFleetWorker(dispatchSpec(root, writer)),
      h.tasks.dispatchFleetWorker(dispatchSpec(root, researcher)),
    ]);
    expect(claudeCard).toMatchObject({ accountRef: 'claude', workerKind: 'claude' });
    expect(codexCard).toMatchObject({ accountRef: 'codex', workerKind: 'codex' });
    const [claudeClosed, codexClosed] = await Promise.all([h.closedCard(claudeCard.assignmentId), h.closedCard(codexCard.assignmentId)]);

    for (const closed of [claudeClosed, codexClosed]) {
      expect(closed.closeout.blockers).toEqual([]);
      expect(closed.state).toBe('done');
      expect(closed.closeout.checks.find((c) => c.name === 'verify_passed')).toEqual(NOT_APPLICABLE_VERIFY);
    }
    const claudeCall = claude.calls().find((c) => c.args[0] === '-p');
    expect(claudeCall!.args).toEqual([
      '-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits',
      '--allowedTools', 'Edit Write Read Glob Grep', '--disallowedTools', 'Bash Agent WebFetch WebSearch',
      '--model=sonnet', '--max-turns', '5', '--max-budget-usd', '1.5',
    ]);
    const codexCall = codex.calls().find((c) => c.args[0] === 'exec');
    expect(codexCall!.args).toEqual([
      'exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', '-C', root,
      '--model=gpt-5.4', '-c', 'model_reasoning_effort="medium"', '-c', 'web_search="live"', '--', '-',
    ]);
    // The prompt (with the seed's output line) went in on stdin, never in argv.
    expect(claude.prompts().map((p) => p.prompt)).toEqual([dispatchSpec(root, writer).prompt]);
    expect(codex.prompts().map((p) => p.prompt)).toEqual([dispatchSpec(root, researcher).prompt]);

    expect(h.store.tokenRows(claudeCard.assignmentId)).toEqual([
      expect.objectContaining({ provider: 'anthropic', input: 1200, output: 80, cacheRead: 300, cacheWrite: 50, reasoning: 0, total: 1630, costAmount: 0.0125 }),
    ]);
    expect(h.store.tokenRows(codexCard.assignmentId)).toEqual([
      expect.objectContaining({ provider: 'openai', input: 1890, cacheRead: 610, cacheWrite: 0, output: 96, reasoning: 24, total: 2620, costAmount: null }),
    ]);
    for (const [card, id] of [[claudeCard, 'writer'], [codexCard, 'researcher']] as const) {
      expect(readFileSync(path.join(root, 'workers', id, 'session.jsonl'), 'utf8')).toBe(rawLogOf(h, card.assignmentId));
    }
  });

  it('is refused with no_ready_account, and nothing is recorded or made, when its provider has no account', async () => {
    const h = startTasks();
    const root = fleetRoot(['lonely']);
    for (const provider of ['claude', 'codex'] as const) {
      await expect(h.tasks.dispatchFleetWorker(dispatchSpec(root, worker({ id: 'lonely', provider })))).rejects.toMatchObject({ code: 'no_ready_account' });
    }
    expect(h.store.list()).toEqual([]);
    expect(h.store.byFleet(FLEET_ID)).toEqual([]);
    expect(readdirSync(path.join(root, 'workers', 'lonely'))).toEqual(['prompt.md']);
  });
});

/**
 * A worker whose tree leaves its process group: it starts a child in a new session (setsid); the child
 * starts a grandchild with a cleared environment (reachable only by parent links) and a middle process
 * that starts an orphan in yet another session and exits (the orphan is re-parented away from the tree
 * and keeps only the inherited marker). Each writes its pid to <cwd>/pids/<role>.pid.
 */
const TREE_WORKER = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const [, script, role, pidFile] = process.argv;
const pids = path.join(process.cwd(), 'pids');
const start = (args, env) => spawn(process.execPath, [script, ...args], { detached: true, stdio: 'ignore', env: env ?? process.env }).unref();
const idle = () => setInterval(() => {}, 60000);
// Written whole, then renamed: a reader that sees the file sees the pid.
const writePid = (file) => {
  fs.writeFileSync(file + '.tmp', String(process.pid));
  fs.renameSync(file + '.tmp', file);
};
if (role === 'idle') {
  writePid(pidFile);
  idle();
} else if (role === 'child') {
  writePid(path.join(pids, 'child.pid'));
  start(['idle', path.join(pids, 'grandchild.pid')], { PATH: process.env.PATH });
  start(['middle']);
  idle();
} else if (role === 'middle') {
  // Exits once its child has written its pid, so the child is re-parented as an orphan.
  const orphanPid = path.join(pids, 'orphan.pid');
  const exitOnceWritten = () => {
    if (fs.existsSync(orphanPid)) process.exit(0);
  };
  fs.watch(pids, exitOnceWritten);
  start(['idle', orphanPid]);
  exitOnceWritten();
} else {
  process.stdin.resume();
  process.stdin.on('end', () => {
    fs.mkdirSync(pids, { recursive: true });
    writePid(path.join(pids, 'worker.pid'));
    process.stdout.write(JSON.stringify({ type: 'system', subtype: 'init', session_id: 'tree-1', cwd: process.cwd(), model: 'tree' }) + '\\n');
    start(['child']);
    idle();
  });
}
`;

/** Whether a pid is a running process: gone, or a zombie waiting to be collected, is not. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

const roles = ['worker', 'child', 'grandchild', 'orphan'];

/** Starts the tree worker as a DAG worker and waits until each of its processes has written its pid. */
async function startTree(dataDir?: string): Promise<{ h: Harness; card: Card; pids: Record<string, number> }> {
  const script = path.join(tempDir('khala-tree-'), 'tree-worker.cjs');
  writeFileSync(script, TREE_WORKER);
  const h = startTasks(script, dataDir);
  const root = fleetRoot(['tree']);
  const card = await h.tasks.dispatchFleetWorker(dispatchSpec(root, worker({ id: 'tree' })));
  const pidsDir = path.join(root, 'pids');
  await whenExists(pidsDir);
  await Promise.all(roles.map((role) => whenExists(path.join(pidsDir, `${role}.pid`))));
  const pids = Object.fromEntries(roles.map((role) => [role, Number(readFileSync(path.join(pidsDir, `${role}.pid`), 'utf8'))]));
  started.push(...Object.values(pids));
  for (const role of roles) expect(running(pids[role]!), `${role} runs before the kill`).toBe(true);
  return { h, card, pids };
}

describe.runIf(existsSync('/proc/self/stat'))('killTree', () => {
  it('kills the worker, a setsid child, its env-less grandchild and a re-parented orphan; the closeout names interrupted', async () => {
    const { h, card, pids } = await startTree();
    const child = readFileSync(`/proc/${pids.child}/stat`, 'utf8');
    // The child left the worker's process group and session.
    expect(Number(child.slice(child.lastIndexOf(')') + 2).split(' ')[2])).not.toBe(pids.worker);

    const killed = await h.tasks.killTree(card.assignmentId);
    console.log(`killTree: ${killed.length} pids killed, ${roles.length} tracked`);
    expect(killed).toEqual(expect.arrayContaining(roles.map((role) => pids[role]!)));
    for (const role of roles) expect(running(pids[role]!), `${role} runs after the kill`).toBe(false);

    const closed = await h.closedCard(card.assignmentId);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.blockers).toEqual(['interrupted']);
    expect(closed.closeout.checks.find((c) => c.name === 'verify_passed')).toEqual(NOT_APPLICABLE_VERIFY);
    expect(h.store.events(card.assignmentId).map((e) => e.summary)).toContain('killed by the operator');
    expect(h.store.byFleet(FLEET_ID)).toEqual([expect.objectContaining({ workerId: 'tree', interrupted: true, closeoutStatus: 'failed' })]);
    expect(h.closed).toEqual([card.assignmentId]);
    // Once it has ended there is nothing left to sweep.
    expect(await h.tasks.killTree(card.assignmentId)).toEqual([]);
  });

  it('an app quit that stops every worker kills the whole tree and closes it out as interrupted', async () => {
    const { h, card, pids } = await startTree();
    await h.tasks.shutdown('stop');
    for (const role of roles) expect(running(pids[role]!), `${role} runs after the quit`).toBe(false);
    expect(h.store.closeout(card.assignmentId)).toMatchObject({ status: 'failed', blockers: ['interrupted'] });
    expect(h.store.events(card.assignmentId).map((e) => e.summary)).toContain('stopped by the owner when the app quit');
    // Nothing was handed to a scheduler while the host was going.
    expect(h.closed).toEqual([]);
  });

  it('a worker killed outright while no host watched closes out stale at the next start, and leftovers carrying its marker are swept', async () => {
    const { h, card, pids } = await startTree();
    await h.close('keep');
    harness = undefined;
    for (const role of roles) expect(running(pids[role]!), `${role} runs after a quit that keeps workers`).toBe(true);
    // SIGKILL to the worker's group (the wrapper that would record its exit included); its setsid child and the orphan live on.
    const stat = readFileSync(`/proc/${pids.worker}/stat`, 'utf8');
    const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    const groupGone = new Promise<void>((resolve) => {
      const check = () => (running(pids.worker!) || running(group) ? setImmediate(check) : resolve());
      check();
    });
    process.kill(-group, 'SIGKILL');
    await groupGone;

    const next = startTasks(undefined, h.dataDir);
    expect(next.store.get(card.assignmentId).status).toBe('running');
    next.tasks.adoptUnfinished();
    const closed = await next.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toEqual(['stale']);
    const detail = next.store.closeout(card.assignmentId)!.checks[0]!.detail;
    expect(detail).toContain(`its process (pid ${group}) is gone and left no exit status`);
    expect(detail).toMatch(/leftover processes it started \(pids [\d, ]+\) were stopped/);
    for (const role of ['child', 'grandchild', 'orphan']) expect(detail).toContain(String(pids[role]));
  });
});
