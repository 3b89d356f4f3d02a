import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_PATH_NOT_ABSOLUTE } from '../../../shared/runs';
import { git, makeTempRepo, tempDir } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

const fixtureTask = (repoPath: string) => ({
  title: 'Prune me',
  repoPath,
  prompt: 'Write the task into FIXTURE.md',
  verifyCommand: 'true',
  workerKind: 'fixture' as const,
  fixture: { durationMs: 0 },
});

const fixtureRun = (repoPath: string) => ({
  name: 'Paths',
  source: { kind: 'fixture' as const, units: 1 },
  repoPath,
  verifyCommand: 'true',
  workerKind: 'fixture' as const,
  targetConcurrency: 1,
});

/** The repository's own view of its worktrees: each entry's path and whether git calls it prunable. */
function worktreeEntries(repo: string): { path: string; prunable: boolean }[] {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n\n')
    .map((entry) => ({
      path: /^worktree (.*)$/m.exec(entry)?.[1] ?? '',
      prunable: /^prunable/m.test(entry),
    }));
}

describe('repository paths', () => {
  it('refuses a relative path for a task and a run with the same words, and records nothing', async () => {
    harness = startTestCore();
    for (const relative of ['repo', './repo', '../repo', '~/repo']) {
      expect(await harness.invokeRaw('tasks.create', fixtureTask(relative))).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringContaining(REPO_PATH_NOT_ABSOLUTE) },
      });
      expect(await harness.invokeRaw('runs.create', fixtureRun(relative))).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringContaining(REPO_PATH_NOT_ABSOLUTE) },
      });
    }
    expect(await harness.invoke('cards.list', {})).toEqual([]);
    expect(await harness.invoke('runs.list', {})).toEqual([]);
  });

  it('checks at creation that a run’s path is a git repository, echoing only a short prefix', async () => {
    harness = startTestCore();
    const plainFolder = tempDir('khala-plain-');
    expect(await harness.invokeRaw('runs.create', fixtureRun(plainFolder))).toMatchObject({ ok: false, error: { code: 'not_a_git_repo' } });
    const longMissing = `/${'x'.repeat(3000)}`;
    const refused = await harness.invokeRaw('runs.create', fixtureRun(longMissing));
    expect(refused).toMatchObject({ ok: false, error: { code: 'repo_not_found' } });
    expect(refused.ok ? '' : refused.error.message.length).toBeLessThan(200);
    expect(await harness.invoke('runs.list', {})).toEqual([]);
  });

  it('refuses a run on a branch the repository lacks, a flag-shaped or huge name included, echoing a short prefix', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    for (const branch of ['no-such-branch', '--output=/tmp/owned', '-h', 'b'.repeat(20_000)]) {
      const refused = await harness.invokeRaw('runs.create', { ...fixtureRun(repo), branch });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('has no branch') } });
      expect(refused.ok ? '' : refused.error.message.length).toBeLessThan(repo.length + 120);
    }
    expect(existsSync('/tmp/owned')).toBe(false);
    expect(await harness.invoke('runs.list', {})).toEqual([]);
  });

  it('shows the resolved repository root for a path inside the repository', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const inside = path.join(repo, 'sub');
    mkdirSync(inside);
    const card = await harness.invoke('tasks.create', fixtureTask(inside));
    expect(card.repo.path).toBe(git(repo, 'rev-parse', '--show-toplevel'));
    await harness.closedCard(card.assignmentId);
  });
});

describe('removing a worktree', () => {
  it('prunes it from the repository: git lists no entry and nothing prunable', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const card = await harness.invoke('tasks.create', fixtureTask(repo));
    const closed = await harness.closedCard(card.assignmentId);
    expect(worktreeEntries(repo).map((entry) => entry.path)).toContain(closed.repo.worktreePath);

    // Uncommitted work (the fixture's FIXTURE.md) is never removed without force.
    expect(await harness.invokeRaw('worktrees.remove', { assignmentId: card.assignmentId })).toMatchObject({
      ok: false,
      error: { code: 'worktree_dirty' },
    });
    expect(existsSync(closed.repo.worktreePath)).toBe(true);

    const removed = await harness.invoke('worktrees.remove', { assignmentId: card.assignmentId, force: true });
    expect(removed.worktreeKept).toBe(false);
    expect(existsSync(closed.repo.worktreePath)).toBe(false);
    expect(worktreeEntries(repo)).toEqual([{ path: git(repo, 'rev-parse', '--show-toplevel'), prunable: false }]);
    expect(git(repo, 'branch', '--list', closed.repo.branch)).toContain(closed.repo.branch);
  });

  it('prunes a worktree whose folder was already deleted by hand instead of failing', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const card = await harness.invoke('tasks.create', fixtureTask(repo));
    const closed = await harness.closedCard(card.assignmentId);
    rmSync(closed.repo.worktreePath, { recursive: true, force: true });
    expect(worktreeEntries(repo).some((entry) => entry.prunable)).toBe(true);

    const removed = await harness.invoke('worktrees.remove', { assignmentId: card.assignmentId });
    expect(removed.worktreeKept).toBe(false);
    expect(worktreeEntries(repo)).toEqual([{ path: git(repo, 'rev-parse', '--show-toplevel'), prunable: false }]);
  });
});
