import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, makeTempRepo, tempDir } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

function openStore(dataDir: string) {
  return new Database(path.join(dataDir, 'fleet.sqlite'), { readonly: true });
}

describe('one fixture assignment, end to end', () => {
  it('claims, pins, runs in a worktree, verifies, records exact tokens and closes out ok', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const head = git(repo, 'rev-parse', 'HEAD');
    const card = await harness.invoke('tasks.create', {
      title: 'Record the task',
      repoPath: repo,
      prompt: 'Write the task into FIXTURE.md',
      verifyCommand: 'grep -q "Write the task" FIXTURE.md',
      workerKind: 'fixture',
      fixture: { durationMs: 200 },
    });
    expect(card.state).toBe('working');
    expect(card.repo.commit).toBe(head);
    expect(card.repo.branch).toMatch(/^fleet\/task-[0-9a-f]+\/record-the-task$/);

    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.state).toBe('done');
    expect(closed.closeout.status).toBe('ok');
    expect(closed.closeout.blockers).toEqual([]);
    expect(closed.closeout.checks.map((c) => [c.name, c.ok])).toEqual([
      ['refs_consistent', true],
      ['lifecycle_closed', true],
      ['raw_log_present', true],
      ['worker_succeeded', true],
      ['exact_token_rows', true],
      ['token_totals_match', true],
      ['verify_passed', true],
      ['no_spend_proof', true],
      ['timestamps_ordered', true],
    ]);
    expect(closed.closeout.proof).toEqual({ paymentMode: 'no-spend', payoutClaimAllowed: false });
    expect(closed.tokens.text).toBe('1,050 exact');

    // The worker really ran its tool in the worktree, on the new branch at the pinned commit.
    const worktree = closed.repo.worktreePath;
    expect(readFileSync(path.join(worktree, 'FIXTURE.md'), 'utf8')).toBe('Write the task into FIXTURE.md\n');
    expect(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(closed.repo.branch);
    expect(git(worktree, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(path.join(repo, 'FIXTURE.md'))).toBe(false);

    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.tokenRows).toHaveLength(1);
    expect(detail.tokenRows[0]).toMatchObject({
      taskRef: card.assignmentId,
      accountRef: 'fixture',
      provider: 'fixture',
      model: 'fixture',
      input: 800,
      output: 200,
      reasoning: 0,
      cacheRead: 40,
      cacheWrite: 10,
      total: 1050,
      usageTruth: 'exact',
      demandSource: 'khala_coding_delegation',
      costAmount: 0,
    });
    expect(detail.verify).toMatchObject({ passed: true, exitCode: 0 });
    const kinds = detail.events.map((e) => e.kind);
    expect(kinds[0]).toBe('accepted');
    expect(kinds).toEqual(expect.arrayContaining(['worktree_created', 'runtime_started', 'runtime_finished', 'verify_finished']));
    expect(kinds.slice(-2)).toEqual(['closeout_submitted', 'completed']);
    expect(detail.events.map((e) => e.seq)).toEqual(detail.events.map((_, i) => i));

    // The transcript reached the pane as readable, coloured text.
    const transcript = harness.connection.terminalText(card.assignmentId);
    expect(transcript).toBe('');
    const attached = await harness.invoke('terminal.attach', { paneId: card.assignmentId });
    expect(attached.finished).toBe(true);
    expect(attached.scrollback).toContain('▸ tool: Bash');
    expect(attached.scrollback).toContain('Working on: Write the task into FIXTURE.md');
    expect(attached.scrollback).toContain('\x1b[32m✔ result success');
    // The board's own status lines live in the store, drawn outside the terminal, never in the pane.
    expect(attached.scrollback).not.toContain('verify passed');
    expect(attached.scrollback).not.toContain('closeout ok');
    expect(detail.events.map((e) => e.summary)).toEqual(expect.arrayContaining(['verify passed', 'closeout ok: every check passed']));

    const db = openStore(harness.dataDir);
    expect(db.prepare('SELECT state, release_reason FROM claims').all()).toEqual([{ state: 'released', release_reason: 'closeout_ok' }]);
    db.close();
  });

  it('a failing verify command ends in a failed closeout whose blocker is named', async () => {
    harness = startTestCore();
    const card = await harness.invoke('tasks.create', {
      title: 'Verify fails',
      repoPath: makeTempRepo(),
      prompt: 'anything',
      verifyCommand: 'echo "2 tests failed" && exit 3',
      workerKind: 'fixture',
      fixture: { durationMs: 0 },
    });
    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.status).toBe('failed');
    expect(closed.closeout.blockers).toEqual(['verify_failed']);
    expect(closed.closeout.checks.find((c) => c.name === 'verify_passed')?.detail).toContain('exited 3');
    expect(closed.tokens.text).toBe('1,050 exact');
    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.verify?.output).toContain('2 tests failed');
  });

  it('a crashing worker is a failed closeout with worker_crashed, and nothing recorded is lost', async () => {
    harness = startTestCore();
    const card = await harness.invoke('tasks.create', {
      title: 'Crash',
      repoPath: makeTempRepo(),
      prompt: 'anything',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0, crash: true },
    });
    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.state).toBe('failed');
    expect(closed.closeout.blockers).toEqual(['worker_crashed', 'token_rows_missing', 'token_totals_mismatch']);
    expect(closed.tokens.text).toBe('not measured');
    const detail = await harness.invoke('assignments.get', { assignmentId: card.assignmentId });
    expect(detail.events.some((e) => e.kind === 'runtime_failed' && e.summary.includes('exit 70'))).toBe(true);
    expect(detail.events.some((e) => e.summary === 'tool: Bash')).toBe(true);
  });

  it('a worker that ends with an error result is worker_failed even though its tokens are exact', async () => {
    harness = startTestCore();
    const card = await harness.invoke('tasks.create', {
      title: 'Told to fail',
      repoPath: makeTempRepo(),
      prompt: 'anything',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0, fail: true },
    });
    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.closeout.blockers).toEqual(['worker_failed']);
    expect(closed.tokens.text).toBe('1,050 exact');
  });
});

describe('bad input', () => {
  it('refuses a folder that is not a git repo with a typed error and records nothing', async () => {
    harness = startTestCore();
    const result = await harness.invokeRaw('tasks.create', {
      title: 'x',
      repoPath: tempDir('khala-not-a-repo-'),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_a_git_repo' } });
    expect(await harness.invoke('cards.list', {})).toEqual([]);
  });

  it('refuses a missing folder, an unknown command and a malformed payload with typed errors', async () => {
    harness = startTestCore();
    expect(
      await harness.invokeRaw('tasks.create', {
        title: 'x',
        repoPath: '/no/such/folder',
        prompt: 'p',
        verifyCommand: 'true',
        workerKind: 'fixture',
      }),
    ).toMatchObject({ ok: false, error: { code: 'repo_not_found' } });
    expect(await harness.invokeRaw('tasks.destroyEverything', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    const malformed = await harness.invokeRaw('tasks.create', { title: 42, workerKind: 'gpt' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(malformed.ok === false && malformed.error.message).toMatch(/workerKind/);
    expect(await harness.invokeRaw('assignments.get', { assignmentId: 'asg-nope' })).toMatchObject({
      ok: false,
      error: { code: 'assignment_not_found' },
    });
  });

  it('keeps earlier assignments when a later request is bad', async () => {
    harness = startTestCore();
    const good = await harness.invoke('tasks.create', {
      title: 'Good',
      repoPath: makeTempRepo(),
      prompt: 'p',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0 },
    });
    await harness.invokeRaw('tasks.create', { title: 'Bad', repoPath: '/nope', prompt: 'p', verifyCommand: 'true', workerKind: 'fixture' });
    await harness.closedCard(good.assignmentId);
    const cards = await harness.invoke('cards.list', {});
    expect(cards.map((c) => c.workUnit.title)).toEqual(['Good']);
  });
});
