import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../shared/domain';
import type { FleetRun, NewRunInput } from '../../../shared/runs';
import { makeFakeCli } from '../../test-support/fake-cli';
import { startFakeGithubApi, type FakeGithubApi } from '../../test-support/fake-github-api';
import { BACKLOG_ISSUES, BACKLOG_PULLS, BACKLOG_REPOSITORY, BACKLOG_SKIPS, BACKLOG_WORKED } from '../../test-support/github-backlog';
import { git, makeTempRepo } from '../../test-support/temp-repo';
import { fixtureRunInput } from '../../test-support/run-input';
import { startTestCore, type TestCore } from '../../test-support/test-core';

/** Fast ticks and short fixture runs keep the test brief; the rules are the same at any speed. */
const TICK_MS = 100;
let harness: TestCore | undefined;
let second: TestCore | undefined;
let github: FakeGithubApi | undefined;
afterEach(async () => {
  await second?.core.close();
  await harness?.core.close();
  await github?.close();
  harness = second = github = undefined;
});

function runInput(overrides: Partial<NewRunInput>): NewRunInput {
  return fixtureRunInput({ name: 'Backlog sweep', targetConcurrency: 3, ...overrides });
}

/** The largest number of the run's assignments in flight at once, replayed from the pushed cards. */
function peakActive(h: TestCore, runId: string): number {
  const status = new Map<string, Card['status']>();
  let peak = 0;
  for (const e of h.connection.events) {
    if (e.event !== 'card.updated') continue;
    const card = e.payload as Card;
    if (card.runId !== runId) continue;
    status.set(card.assignmentId, card.status);
    peak = Math.max(peak, [...status.values()].filter((s) => s !== 'closed').length);
  }
  return peak;
}

function runState(h: TestCore, runId: string, state: FleetRun['state']): Promise<FleetRun> {
  return h.connection.waitFor(
    () => h.connection.events.map((e) => e.payload as FleetRun).find((r) => r.id === runId && r.state === state),
    60_000,
  );
}

describe('the supervisor', () => {
  it('sweeps a GitHub backlog: never over 3 active, refills, skips with typed reasons, closes out every other issue once', async () => {
    github = await startFakeGithubApi({ repository: BACKLOG_REPOSITORY, issues: BACKLOG_ISSUES, pulls: BACKLOG_PULLS, perPage: 5 });
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const run = await harness.invoke(
      'runs.create',
      runInput({ source: { kind: 'github', repository: BACKLOG_REPOSITORY, apiBaseUrl: github.url, excludeLabels: [] } }),
    );
    expect(run).toMatchObject({ state: 'draft', approvedAt: null, waiting: 'awaiting_approval' });
    expect(await harness.invoke('inbox.list', {})).toEqual([expect.objectContaining({ kind: 'approval_required', action: { kind: 'approve', runId: run.id } })]);
    // Nothing is claimed before the approval.
    await new Promise((resolve) => setTimeout(resolve, TICK_MS * 5));
    expect(await harness.invoke('cards.list', {})).toEqual([]);

    await harness.invoke('runs.approve', { runId: run.id });
    const completed = await runState(harness, run.id, 'completed');
    // Closed out ok is awaiting review: done means merged and verified on the integrated state.
    expect(completed.counts).toMatchObject({ done: 0, awaitingReview: 8, failed: 0, active: 0, skipped: BACKLOG_SKIPS });
    expect(peakActive(harness, run.id)).toBe(3);

    const cards = await harness.invoke('cards.list', {});
    expect(cards.map((c) => Number(c.workUnit.key.split('#')[1])).sort((a, b) => a - b)).toEqual(BACKLOG_WORKED);
    expect(cards.every((c) => c.closeout.status === 'ok' && c.runId === run.id)).toBe(true);
    const { log } = await harness.invoke('runs.get', { runId: run.id });
    const skips = log.filter((e) => e.kind === 'skipped').map((e) => [e.unitKey, e.reason]);
    expect(skips).toEqual(
      expect.arrayContaining([
        [`github:${BACKLOG_REPOSITORY}#3`, 'needs_owner'],
        [`github:${BACKLOG_REPOSITORY}#5`, 'closed'],
        [`github:${BACKLOG_REPOSITORY}#7`, 'pr_exists'],
        [`github:${BACKLOG_REPOSITORY}#9`, 'merged'],
      ]),
    );
    expect(skips).toHaveLength(4);
    expect(log.filter((e) => e.kind === 'claimed')).toHaveLength(8);
    expect(log.filter((e) => e.kind === 'released').map((e) => e.reason)).toEqual(Array(8).fill('closeout_ok'));
    // Claimed in issue order: lower numbers first.
    expect(log.filter((e) => e.kind === 'claimed').slice(0, 3).map((e) => e.unitKey)).toEqual([1, 2, 4].map((n) => `github:${BACKLOG_REPOSITORY}#${n}`));
    const inbox = await harness.invoke('inbox.list', {});
    expect(inbox.map((i) => i.kind)).toEqual(['ready_for_review']);
  });

  it('pause claims nothing new while active work finishes; resume claims again; drain claims nothing new and names what it left', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const run = await harness.invoke('runs.create', runInput({ source: { kind: 'fixture', units: 12 }, fixtureDurationMs: 600 }));
    await harness.invoke('runs.approve', { runId: run.id });
    await harness.connection.waitFor(() => (peakActive(harness!, run.id) === 3 ? true : undefined));
    expect(await harness.invokeRaw('runs.control', { runId: run.id, control: 'resume' })).toMatchObject({ ok: false, error: { code: 'control_not_allowed' } });

    const sincePause = harness.connection.events.length;
    await harness.invoke('runs.control', { runId: run.id, control: 'pause' });
    const claimedAtPause = (await harness.invoke('runs.get', { runId: run.id })).log.filter((e) => e.kind === 'claimed').length;
    // The active workers finish while paused (waited for as pushed run updates, never a fixed time).
    await harness.connection.waitFor(() =>
      harness!.connection.events
        .slice(sincePause)
        .some((e) => e.event === 'run.updated' && (e.payload as FleetRun).id === run.id && (e.payload as FleetRun).counts.active === 0)
        ? true
        : undefined,
    );
    const paused = await harness.invoke('runs.get', { runId: run.id });
    expect(paused.run).toMatchObject({ state: 'paused', counts: { active: 0 } });
    expect(paused.log.filter((e) => e.kind === 'claimed')).toHaveLength(claimedAtPause);

    await harness.invoke('runs.control', { runId: run.id, control: 'resume' });
    await harness.connection.waitFor(() => {
      const claims = harness!.connection.events.filter((e) => e.event === 'card.updated' && (e.payload as Card).runId === run.id);
      return new Set(claims.map((e) => (e.payload as Card).assignmentId)).size > claimedAtPause ? true : undefined;
    });
    await harness.invoke('runs.control', { runId: run.id, control: 'drain' });
    const claimedAtDrain = (await harness.invoke('runs.get', { runId: run.id })).log.filter((e) => e.kind === 'claimed').length;
    // Units were left in the backlog: the drained run names them rather than calling itself completed.
    const drained = await runState(harness, run.id, 'stopped');
    expect(drained.counts.active).toBe(0);
    expect((await harness.invoke('runs.get', { runId: run.id })).log.filter((e) => e.kind === 'claimed')).toHaveLength(claimedAtDrain);
    expect(drained.counts.awaitingReview).toBe(claimedAtDrain);
    expect(drained.counts.skipped).toEqual({ not_started: 12 - claimedAtDrain });
  });

  it("a run's units are its own: a second run over the same fixture and the same task list works every unit again", async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const repoPath = makeTempRepo({ 'tasks.md': '- [ ] first {#a}\n- [ ] second (after: a)\n' });
    const sources: NewRunInput['source'][] = [
      { kind: 'fixture', units: 2 },
      { kind: 'task_list', path: path.join(repoPath, 'tasks.md') },
    ];
    for (const source of sources) {
      for (const attempt of [1, 2]) {
        const run = await harness.invoke('runs.create', runInput({ name: `${source.kind} ${attempt}`, source, repoPath, fixtureDurationMs: 50 }));
        await harness.invoke('runs.approve', { runId: run.id });
        const completed = await runState(harness, run.id, 'completed');
        expect(completed.counts).toMatchObject({ awaitingReview: 2, failed: 0, skipped: {} });
        const { log } = await harness.invoke('runs.get', { runId: run.id });
        expect(log.filter((e) => e.kind === 'claimed')).toHaveLength(2);
      }
    }
  });

  it('a drained run names the units it never started and does not call itself completed', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const run = await harness.invoke('runs.create', runInput({ source: { kind: 'fixture', units: 8 }, targetConcurrency: 2, fixtureDurationMs: 600 }));
    await harness.invoke('runs.approve', { runId: run.id });
    await harness.connection.waitFor(() => (peakActive(harness!, run.id) === 2 ? true : undefined));
    await harness.invoke('runs.control', { runId: run.id, control: 'drain' });
    const ended = await runState(harness, run.id, 'stopped');
    const { log } = await harness.invoke('runs.get', { runId: run.id });
    const claimed = log.filter((e) => e.kind === 'claimed').length;
    const notStarted = log.filter((e) => e.kind === 'skipped' && e.reason === 'not_started');
    expect(notStarted).toHaveLength(8 - claimed);
    expect(ended.counts).toMatchObject({ active: 0, queued: 0, skipped: { not_started: 8 - claimed } });
    expect((await harness.invoke('runs.get', { runId: run.id })).run.state).toBe('stopped');
  });

  it('stop interrupts active workers and releases their claims; a stopped run is never reopened', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const run = await harness.invoke('runs.create', runInput({ source: { kind: 'fixture', units: 6 }, fixtureDurationMs: 60_000 }));
    await harness.invoke('runs.approve', { runId: run.id });
    await harness.connection.waitFor(() => (peakActive(harness!, run.id) === 3 ? true : undefined));
    const stopped = await harness.invoke('runs.control', { runId: run.id, control: 'stop' });
    expect(stopped.state).toBe('stopped');
    // A stopped run starts nothing more: it does not say it has units queued.
    expect(stopped.counts.queued).toBe(0);
    const cards = await harness.connection.waitFor(() => {
      const latest = new Map<string, Card>();
      for (const e of harness!.connection.events) if (e.event === 'card.updated') latest.set((e.payload as Card).assignmentId, e.payload as Card);
      const all = [...latest.values()];
      return all.length === 3 && all.every((c) => c.status === 'closed') ? all : undefined;
    });
    for (const card of cards) expect(card.closeout.blockers).toContain('interrupted');
    const db = new Database(path.join(harness.dataDir, 'fleet.sqlite'), { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) FROM claims WHERE state IN ('claimed', 'in_progress', 'closeout')`).pluck().get()).toBe(0);
    db.close();
    await new Promise((resolve) => setTimeout(resolve, TICK_MS * 5));
    expect((await harness.invoke('runs.get', { runId: run.id })).run.state).toBe('stopped');
    for (const control of ['pause', 'resume', 'drain', 'stop'] as const) {
      expect(await harness.invokeRaw('runs.control', { runId: run.id, control })).toMatchObject({ ok: false, error: { code: 'control_not_allowed' } });
    }
  });

  it('a second instance on the same data dir refuses to supervise, and says so', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    second = startTestCore({ dataDir: harness.dataDir, supervisorTickMs: TICK_MS });
    const run = await second.invoke('runs.create', runInput({}));
    expect(await second.invokeRaw('runs.approve', { runId: run.id })).toMatchObject({
      ok: false,
      error: { code: 'supervisor_locked', message: expect.stringContaining(`pid ${process.pid}`) },
    });
    expect(await harness.invoke('runs.approve', { runId: run.id })).toMatchObject({ state: 'running' });
  });

  it('says why it waits: no ready accounts for a claude run, shown in the Inbox as a blocked run', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const run = await harness.invoke('runs.create', runInput({ workerKind: 'claude' }));
    await harness.invoke('runs.approve', { runId: run.id });
    const waiting = await harness.connection.waitFor(() =>
      harness!.connection.events.map((e) => e.payload as FleetRun).find((r) => r.id === run.id && r.waiting === 'no_ready_accounts'),
    );
    expect(waiting.waitingDetail).toContain('no claude account is linked');
    expect(waiting.counts.active).toBe(0);
    const blocked = await harness.connection.waitFor(() =>
      harness!.connection.events.flatMap((e) => (e.event === 'inbox.updated' ? (e.payload as { kind: string; title: string }[]) : [])).find((i) => i.kind === 'run_blocked'),
    );
    // In words, not the wait code.
    expect(blocked.title).toBe('Run Backlog sweep is blocked: no account is ready');
  });

  it("starts at the repository's current branch when none is named, and reads a relative task list in the repository", async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const repoPath = makeTempRepo({ 'sprint-tasks.md': '- [ ] only task\n' });
    git(repoPath, 'checkout', '-q', '-b', 'feature/next');
    const run = await harness.invoke('runs.create', runInput({ repoPath, branch: '', source: { kind: 'task_list', path: 'sprint-tasks.md' } }));
    expect(run.branch).toBe('feature/next');
    expect(run.source).toEqual({ kind: 'task_list', path: path.join(repoPath, 'sprint-tasks.md') });
    git(repoPath, 'checkout', '-q', '--detach');
    const detached = await harness.invokeRaw('runs.create', runInput({ repoPath, branch: '' }));
    expect(detached).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('name the branch') } });
  });

  it('refuses a malformed task list file with a typed error, and records no run', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    const file = path.join(makeTempRepo({ 'tasks.md': '- [ ] first\n- [?] second\n' }), 'tasks.md');
    const refused = await harness.invokeRaw('runs.create', runInput({ source: { kind: 'task_list', path: file } }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_fleet_file', message: expect.stringContaining('tasks.md line 2') } });
    expect(await harness.invoke('runs.list', {})).toEqual([]);
  });

  it('flags a silent worker in the Inbox and never kills it', async () => {
    harness = startTestCore({ supervisorTickMs: TICK_MS, workerSilentMs: 300 });
    // Five pauses of 800 ms between the fixture's events: long silences, then a normal finish.
    const run = await harness.invoke('runs.create', runInput({ source: { kind: 'fixture', units: 1 }, fixtureDurationMs: 4_000 }));
    await harness.invoke('runs.approve', { runId: run.id });
    const flagged = await harness.connection.waitFor(() => {
      for (const e of harness!.connection.events) {
        if (e.event !== 'inbox.updated') continue;
        const silent = (e.payload as { kind: string; action: { kind: string } }[]).find((i) => i.kind === 'worker_silent');
        if (silent) return silent;
      }
      return undefined;
    });
    expect(flagged.action.kind).toBe('open_worker');
    const completed = await runState(harness, run.id, 'completed');
    expect(completed.counts).toMatchObject({ awaitingReview: 1, failed: 0 });
  });

  it('auto picks a ready account with a free slot, and never runs more on it than its slots', async () => {
    const claude = makeFakeCli('claude', { validApiKey: 'k', turnMs: 200 });
    harness = startTestCore({ supervisorTickMs: TICK_MS });
    await harness.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await harness.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k' });
    const run = await harness.invoke('runs.create', runInput({ workerKind: 'auto', source: { kind: 'fixture', units: 3 }, targetConcurrency: 3, maxPerAccount: 3 }));
    await harness.invoke('runs.approve', { runId: run.id });
    const busy = await harness.connection.waitFor(() =>
      harness!.connection.events.map((e) => e.payload as FleetRun).find((r) => r.id === run.id && r.waiting === 'all_accounts_busy'),
    );
    expect(busy.waitingDetail).toContain('claude has no free slot (1/1 busy)');
    const completed = await runState(harness, run.id, 'completed');
    expect(completed.counts).toMatchObject({ awaitingReview: 3, failed: 0 });
    expect(peakActive(harness, run.id)).toBe(1);
    const cards = await harness.invoke('cards.list', {});
    expect(cards.map((c) => [c.workerKind, c.accountRef])).toEqual(Array(3).fill(['claude', 'claude']));
  });
});
