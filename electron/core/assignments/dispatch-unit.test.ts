import Database from 'better-sqlite3';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';

/** Fast supervisor ticks keep the run test brief; the rules are the same at any speed. */
const SUPERVISOR_TICK_MS = 100;

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

/** What a half-made dispatch would leave behind, read straight from the store file. */
function leftovers(dataDir: string) {
  const db = new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
  try {
    return {
      liveClaims: db.prepare(`SELECT COUNT(*) FROM claims WHERE state IN ('claimed', 'in_progress', 'closeout')`).pluck().get(),
      unfinished: db.prepare(`SELECT COUNT(*) FROM assignments WHERE status != 'closed'`).pluck().get(),
      assignments: db.prepare('SELECT COUNT(*) FROM assignments').pluck().get(),
      releaseReasons: db.prepare(`SELECT release_reason FROM claims WHERE state = 'released'`).pluck().all(),
    };
  } finally {
    db.close();
  }
}

const TASK = {
  title: 'Half-made dispatch',
  prompt: 'Write the task into FIXTURE.md',
  verifyCommand: 'true',
  workerKind: 'fixture' as const,
  fixture: { durationMs: 50 },
};

describe('claim, worktree, assignment row and spawn are one unit', () => {
  it('a worktrees/ folder that cannot be made (a file in its place) closes the unit out as worktree_failed with its claim released', async () => {
    harness = startTestCore();
    // Tests run as root, where chmod stops nothing: a plain file where the folder must go does.
    writeFileSync(path.join(harness.dataDir, 'worktrees'), 'not a folder');
    const card = await harness.invoke('tasks.create', { ...TASK, repoPath: makeTempRepo() });

    expect(card.status).toBe('closed');
    expect(card.state).toBe('blocked');
    expect(card.blockers).toEqual(['worktree_failed']);
    expect(card.closeout.status).toBe('failed');
    expect(card.closeout.blockers).toEqual(['worktree_failed']);
    expect(card.closeout.checks[0]!.detail).toMatch(/^the worker never started: .*(EEXIST|ENOTDIR)/);
    expect(leftovers(harness.dataDir)).toEqual({ liveClaims: 0, unfinished: 0, assignments: 1, releaseReasons: ['worktree_failed'] });
    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.events.map((e) => e.kind)).toContain('runtime_failed');
    expect(detail.events.map((e) => e.kind)).not.toContain('runtime_started');
  });

  it('git worktree add failing (the repo refuses new worktrees) closes the unit out as worktree_failed with its claim released', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    writeFileSync(path.join(repo, '.git', 'worktrees'), 'not a folder');
    const card = await harness.invoke('tasks.create', { ...TASK, repoPath: repo });

    expect(card.status).toBe('closed');
    expect(card.closeout.blockers).toEqual(['worktree_failed']);
    expect(card.closeout.checks[0]!.detail).toContain('git worktree add failed');
    expect(leftovers(harness.dataDir)).toEqual({ liveClaims: 0, unfinished: 0, assignments: 1, releaseReasons: ['worktree_failed'] });
  });

  it('git rev-parse failing (a repo whose HEAD is corrupted) is a typed refusal that records nothing', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    writeFileSync(path.join(repo, '.git', 'HEAD'), 'garbage\n');
    const result = await harness.invokeRaw('tasks.create', { ...TASK, repoPath: repo });

    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.code).toBe('not_a_git_repo');
    expect(leftovers(harness.dataDir)).toEqual({ liveClaims: 0, unfinished: 0, assignments: 0, releaseReasons: [] });
  });

  it('a worker that cannot be spawned (missing executable) closes out failed with worker_spawn_failed and its claim released', async () => {
    const missing = path.join(makeTempRepo(), 'no-such-node');
    rmSync(missing, { force: true });
    harness = startTestCore({ node: { command: missing, env: {} } });
    const card = await harness.invoke('tasks.create', { ...TASK, repoPath: makeTempRepo() });
    const closed = await harness.closedCard(card.assignmentId);

    expect(closed.closeout.status).toBe('failed');
    expect(closed.closeout.blockers).toEqual(expect.arrayContaining(['worker_crashed', 'raw_log_missing']));
    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.events.find((e) => e.kind === 'runtime_failed')?.summary).toMatch(/^worker_spawn_failed: .*ENOENT/);
    expect(leftovers(harness.dataDir)).toEqual({ liveClaims: 0, unfinished: 0, assignments: 1, releaseReasons: ['closeout_failed'] });
  });

  it('a run whose branch no longer resolves (git rev-parse fails after the claim) releases each claim it took and logs why; no assignment is made', async () => {
    harness = startTestCore({ supervisorTickMs: SUPERVISOR_TICK_MS });
    const repo = makeTempRepo();
    const run = await harness.invoke('runs.create', {
      name: 'Branch gone',
      source: { kind: 'fixture', units: 2 },
      repoPath: repo,
      branch: 'main',
      verifyCommand: 'true',
      workerKind: 'fixture',
      workerType: 'code-run',
      targetConcurrency: 2,
      maxPerAccount: 1,
      stopCondition: 'backlog_empty',
      fixtureDurationMs: 50,
    });
    // The branch's ref now names no commit: rev-parse fails for every dispatch of this run.
    writeFileSync(path.join(repo, '.git', 'refs', 'heads', 'main'), 'garbage\n');
    await harness.invoke('runs.approve', { runId: run.id });
    // Each tick pushes the run; the claims table says when a claim has come and gone.
    await harness.connection.waitFor(() => (leftovers(harness!.dataDir).releaseReasons.length > 0 ? true : undefined));
    await harness.invoke('runs.control', { runId: run.id, control: 'stop' });

    const { log: released } = await harness.invoke('runs.get', { runId: run.id });
    expect(released.filter((e) => e.kind === 'released').map((e) => e.reason)).toContain('invalid_input');
    const state = leftovers(harness.dataDir);
    expect(state).toMatchObject({ liveClaims: 0, unfinished: 0, assignments: 0 });
    expect(state.releaseReasons.length).toBeGreaterThan(0);
    expect(new Set(state.releaseReasons)).toEqual(new Set(['invalid_input']));
  });

  it('a run whose worktrees cannot be made closes each unit out as worktree_failed, logs the release with that reason and holds no claim', async () => {
    harness = startTestCore({ supervisorTickMs: SUPERVISOR_TICK_MS });
    writeFileSync(path.join(harness.dataDir, 'worktrees'), 'not a folder');
    const run = await harness.invoke('runs.create', {
      name: 'No worktrees',
      source: { kind: 'fixture', units: 2 },
      repoPath: makeTempRepo(),
      branch: 'main',
      verifyCommand: 'true',
      workerKind: 'fixture',
      workerType: 'code-run',
      targetConcurrency: 2,
      maxPerAccount: 1,
      stopCondition: 'backlog_empty',
      fixtureDurationMs: 50,
    });
    await harness.invoke('runs.approve', { runId: run.id });
    await harness.connection.waitFor(() => (leftovers(harness!.dataDir).releaseReasons.length > 0 ? true : undefined));
    await harness.invoke('runs.control', { runId: run.id, control: 'stop' });

    const { log } = await harness.invoke('runs.get', { runId: run.id });
    const releases = log.filter((e) => e.kind === 'released');
    expect(releases.length).toBeGreaterThan(0);
    expect(new Set(releases.map((e) => e.reason))).toEqual(new Set(['worktree_failed']));
    const state = leftovers(harness.dataDir);
    expect(state).toMatchObject({ liveClaims: 0, unfinished: 0 });
    expect(state.assignments).toBeGreaterThan(0);
  });
});
