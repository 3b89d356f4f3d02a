import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../shared/domain';
import type { InboxItem } from '../../../shared/runs';
import { HUGE_FILE_PATCH_LINES, type MergeWave } from '../../../shared/review';
import { makeFakeCli } from '../../test-support/fake-cli';
import { startFakeGithubApi, type FakeGithubApi } from '../../test-support/fake-github-api';
import { closeLoopback, listenOnLoopback } from '../../test-support/loopback-server';
import { git, makeTempRepo } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';

let harness: TestCore | undefined;
let github: FakeGithubApi | undefined;
afterEach(async () => {
  await harness?.core.close();
  await github?.close();
  harness = undefined;
  github = undefined;
});

/** A bare repository as the remote `origin` of `repo`, holding its main branch. */
function addBareRemote(repo: string): string {
  const bare = mkdtempSync(path.join(os.tmpdir(), 'khala-remote-'));
  git(bare, 'init', '-q', '--bare', '-b', 'main');
  git(repo, 'remote', 'add', 'origin', bare);
  git(repo, 'push', '-q', 'origin', 'main');
  return bare;
}

async function fixtureTask(h: TestCore, repo: string, title: string, prompt: string, verifyCommand = 'true'): Promise<Card> {
  const card = await h.invoke('tasks.create', { title, repoPath: repo, prompt, verifyCommand, workerKind: 'fixture', fixture: { durationMs: 0 } });
  return h.closedCard(card.assignmentId);
}

function waveEnded(h: TestCore, waveId: string): Promise<MergeWave> {
  return h.connection.waitFor(() => {
    const waves = h.connection.events.filter((e) => e.event === 'wave.updated').map((e) => e.payload as MergeWave);
    return waves.reverse().find((w) => w.id === waveId && w.state !== 'running');
  });
}

function latestInbox(h: TestCore): InboxItem[] {
  const pushed = h.connection.events.filter((e) => e.event === 'inbox.updated');
  return (pushed.at(-1)?.payload as InboxItem[] | undefined) ?? [];
}

describe('the diff of an assignment', () => {
  it('holds committed, uncommitted and untracked changes against the pinned commit, binary and huge files named only', async () => {
    harness = startTestCore();
    const repo = makeTempRepo({ 'README.md': '# demo\n', 'old.txt': 'one\ntwo\n' });
    const card = await fixtureTask(harness, repo, 'Change things', 'Write the change');
    // At closeout the card counted the worker's untracked FIXTURE.md.
    const counted = await harness.connection.waitFor(() => harness!.connection.latestCard(card.assignmentId)?.review?.diff ?? undefined);
    expect(counted).toEqual({ files: 1, added: 1, removed: 0 });

    const worktree = card.repo.worktreePath;
    writeFileSync(path.join(worktree, 'README.md'), '# demo\nmore\n');
    git(worktree, 'commit', '-q', '-am', 'committed change');
    writeFileSync(path.join(worktree, 'old.txt'), 'one\n');
    writeFileSync(path.join(worktree, 'image.bin'), Buffer.from([0, 1, 2, 0, 255]));
    writeFileSync(path.join(worktree, 'huge.txt'), Array.from({ length: HUGE_FILE_PATCH_LINES + 1 }, (_, i) => `line ${i}`).join('\n'));
    // A 50,000-line file is sent whole: the dialog draws it a window at a time.
    writeFileSync(path.join(worktree, 'large.ts'), Array.from({ length: 50_000 }, (_, i) => `export const v${i} = ${i};`).join('\n'));

    const diff = await harness.invoke('review.diff', { assignmentId: card.assignmentId });
    expect(diff.base).toBe(card.repo.commit);
    expect(diff.source).toBe('worktree');
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(byPath['README.md']).toMatchObject({ status: 'modified', added: 1, removed: 0, binary: false, huge: false });
    expect(byPath['README.md']!.patch).toContain('+more');
    expect(byPath['old.txt']).toMatchObject({ status: 'modified', added: 0, removed: 1 });
    expect(byPath['FIXTURE.md']).toMatchObject({ status: 'added', added: 1 });
    expect(byPath['image.bin']).toMatchObject({ status: 'added', binary: true, patch: null });
    expect(byPath['huge.txt']).toMatchObject({ status: 'added', added: HUGE_FILE_PATCH_LINES + 1, huge: true, patch: null });
    expect(byPath['large.ts']).toMatchObject({ status: 'added', added: 50_000, huge: false });
    expect(byPath['large.ts']!.patch).toContain('+export const v49999 = 49999;');
    expect(diff.stat).toEqual({ files: 6, added: 1 + 1 + HUGE_FILE_PATCH_LINES + 1 + 50_000, removed: 1 });
    // The worker's own index is untouched: the untracked files are still untracked.
    expect(git(worktree, 'status', '--porcelain')).toContain('?? image.bin');
    expect(harness.connection.latestCard(card.assignmentId)?.review?.diff).toEqual(diff.stat);

    // The finished task waits for review in the Inbox, and its item opens this diff.
    const item = (await harness.invoke('inbox.list', {})).find((i) => i.kind === 'ready_for_review' && i.refs.assignment === card.assignmentId);
    expect(item).toMatchObject({ severity: 'info', action: { kind: 'open_diff', assignmentId: card.assignmentId }, actionLabel: 'Review diff' });
    expect(item!.detail).toContain('+150,003 -1, 6 files');
  });

  it('refuses a wave of work that is not finished ok, and an unknown assignment, with typed errors', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const failed = await fixtureTask(harness, repo, 'Broken', 'Fail it', 'false');
    expect(failed.closeout.status).toBe('failed');
    await expect(harness.invoke('review.mergeWave', { assignmentIds: [failed.assignmentId] })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(harness.invoke('review.mergeWave', { assignmentIds: ['asg-nope'] })).rejects.toMatchObject({ code: 'assignment_not_found' });
    expect(await harness.invokeRaw('review.mergeWave', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await expect(harness.invoke('review.diff', { assignmentId: 'asg-nope' })).rejects.toMatchObject({ code: 'assignment_not_found' });
  });
});

describe('Create PR', () => {
  it('commits, pushes to the bare remote and opens the pull request at a run closeout; a wave merges it through the GitHub merge API', async () => {
    const repo = makeTempRepo();
    const bare = addBareRemote(repo);
    github = await startFakeGithubApi({ repository: 'octo/demo', issues: [{ number: 7, title: 'Add the notes' }], remote: bare });
    harness = startTestCore({ supervisorTickMs: 50 });
    const run = await harness.invoke('runs.create', {
      name: 'prs',
      source: { kind: 'github', repository: 'octo/demo', apiBaseUrl: github.url, excludeLabels: [] },
      repoPath: repo,
      branch: 'main',
      verifyCommand: 'test -f FIXTURE.md',
      workerKind: 'fixture',
      targetConcurrency: 1,
      createPrOnCloseout: true,
      fixtureDurationMs: 0,
    });
    await harness.invoke('runs.approve', { runId: run.id });
    const card = await harness.connection.waitFor(() =>
      harness!.connection.events
        .filter((e) => e.event === 'card.updated')
        .map((e) => e.payload as Card)
        .find((c) => c.runId === run.id && c.review?.pullRequest),
    );
    expect(card.review!.pullRequest).toMatchObject({ number: 8, state: 'open', url: 'https://github.com/octo/demo/pull/8' });
    const pull = github.pulls.find((p) => p.number === 8)!;
    expect(pull.head).toBe(card.repo.branch);
    expect(pull.body).toContain('Closes #7');
    expect(pull.body).toContain('1050 total in 1 turns');
    expect(pull.body).toContain('verify_passed');
    // The worker's uncommitted file was committed on its branch and pushed.
    expect(git(bare, 'show', `${card.repo.branch}:FIXTURE.md`)).toContain('#7 Add the notes');
    expect(git(card.repo.worktreePath, 'status', '--porcelain')).toBe('');
    const before = (await harness.invoke('runs.list', {})).find((r) => r.id === run.id)!;
    expect(before.counts).toMatchObject({ done: 0, awaitingMerge: 1 });
    // The completed run's Inbox item leads to the diff of its work, not just to the run.
    const runItem = () => harness!.invoke('inbox.list', {}).then((items) => items.find((i) => i.id === `review:${run.id}`));
    await expect.poll(runItem, { timeout: 30_000 }).toMatchObject({
      kind: 'ready_for_review',
      title: 'Run prs completed: 1 ready for review',
      action: { kind: 'open_diff', assignmentId: card.assignmentId },
      actionLabel: 'Review changes',
    });

    const wave = await harness.invoke('review.mergeWave', { runId: run.id });
    const ended = await waveEnded(harness, wave.id);
    expect(ended.state).toBe('completed');
    expect(github.pulls.find((p) => p.number === 8)!.merged).toBe(true);
    // GitHub made the merge; it was fetched, verified, and the local main followed it.
    expect(git(repo, 'rev-parse', 'main')).toBe(git(bare, 'rev-parse', 'main'));
    expect(existsSync(path.join(repo, 'FIXTURE.md'))).toBe(true);
    const runs = await harness.invoke('runs.list', {});
    expect(runs.find((r) => r.id === run.id)!.counts).toMatchObject({ done: 1, awaitingMerge: 0, awaitingReview: 0 });
    expect(harness.connection.latestCard(card.assignmentId)?.review).toMatchObject({ stage: 'done', pullRequest: { state: 'merged' } });
    expect(await runItem()).toBeUndefined();
  });

  it('a failed verify after a GitHub merge stops the wave and says plainly that the merge is on GitHub', async () => {
    const repo = makeTempRepo();
    const bare = addBareRemote(repo);
    github = await startFakeGithubApi({ repository: 'octo/demo', issues: [{ number: 7, title: 'Add the notes' }], remote: bare });
    harness = startTestCore({ supervisorTickMs: 50 });
    // Passes in the worker's worktree, fails in the wave's clean worktree (<data dir>/waves/<wave>).
    const verifyCommand = 'case "$PWD" in */waves/*) echo integrated state broken; exit 1;; esac';
    const run = await harness.invoke('runs.create', {
      name: 'prs',
      source: { kind: 'github', repository: 'octo/demo', apiBaseUrl: github.url, excludeLabels: [] },
      repoPath: repo,
      branch: 'main',
      verifyCommand,
      workerKind: 'fixture',
      targetConcurrency: 1,
      createPrOnCloseout: true,
      fixtureDurationMs: 0,
    });
    await harness.invoke('runs.approve', { runId: run.id });
    await harness.connection.waitFor(() =>
      harness!.connection.events
        .filter((e) => e.event === 'card.updated')
        .map((e) => e.payload as Card)
        .find((c) => c.runId === run.id && c.review?.pullRequest),
    );
    const localMain = git(repo, 'rev-parse', 'main');
    const stopped = await waveEnded(harness, (await harness.invoke('review.mergeWave', { runId: run.id })).id);
    expect(stopped.state).toBe('verify_failed');
    expect(stopped.detail).toContain('Add the notes broke the integrated verify. It was merged through GitHub before the verify could run, and the board cannot undo that merge');
    expect(github.pulls.find((p) => p.number === 8)!.merged).toBe(true);
    expect(git(repo, 'rev-parse', 'main')).toBe(localMain);
  });

  it('a repository with no remote is push_no_remote', async () => {
    harness = startTestCore();
    const card = await fixtureTask(harness, makeTempRepo(), 'No remote', 'Write it');
    await expect(harness.invoke('review.createPr', { assignmentId: card.assignmentId })).rejects.toMatchObject({ code: 'push_no_remote' });
  });

  it('a push the remote refuses is push_rejected, with git output', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    const bare = addBareRemote(repo);
    const hook = path.join(bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "branch protection: pushes are closed"\nexit 1\n');
    chmodSync(hook, 0o755);
    const card = await fixtureTask(harness, repo, 'Rejected', 'Write it');
    const refused = harness.invoke('review.createPr', { assignmentId: card.assignmentId });
    await expect(refused).rejects.toMatchObject({ code: 'push_rejected' });
    await expect(refused).rejects.toThrow(/branch protection: pushes are closed/);
  });

  it('a remote that wants credentials is push_no_credentials, and git never prompts', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="git"' });
      response.end();
    });
    const url = await listenOnLoopback(server);
    try {
      harness = startTestCore();
      const repo = makeTempRepo();
      git(repo, 'remote', 'add', 'origin', `${url}/octo/demo.git`);
      const card = await fixtureTask(harness, repo, 'Locked', 'Write it');
      await expect(harness.invoke('review.createPr', { assignmentId: card.assignmentId })).rejects.toMatchObject({ code: 'push_no_credentials' });
    } finally {
      await closeLoopback(server);
    }
  });
});

describe('merge waves', () => {
  it('a wave of three stops at the second on a conflict, the worker resolves it in a follow-up, and the wave completes', async () => {
    const claude = makeFakeCli('claude', { validApiKey: 'k', turnMs: 50, file: 'NOTES.txt', overwrite: true });
    harness = startTestCore();
    await harness.invoke('settings.update', { claudePath: claude.path, codexPath: '/nonexistent/codex' });
    await harness.invoke('accounts.connect', { provider: 'claude', method: 'api_key', secret: 'k' });
    const repo = makeTempRepo();
    const task = async (title: string, prompt: string) => {
      const card = await harness!.invoke('tasks.create', { title, repoPath: repo, prompt, verifyCommand: 'test -f NOTES.txt || test -f THIRD.txt', workerKind: 'claude' });
      return harness!.closedCard(card.assignmentId);
    };
    const first = await task('First', 'alpha');
    const second = await task('Second', 'beta');
    claude.setMode({ validApiKey: 'k', turnMs: 50, file: 'THIRD.txt', overwrite: true });
    const third = await task('Third', 'gamma');
    claude.setMode({ validApiKey: 'k', turnMs: 50, file: 'NOTES.txt', overwrite: true });

    const wave = await harness.invoke('review.mergeWave', { assignmentIds: [third.assignmentId, second.assignmentId, first.assignmentId] });
    expect(wave.steps.map((s) => s.title)).toEqual(['First', 'Second', 'Third']);
    const stopped = await waveEnded(harness, wave.id);
    expect(stopped).toMatchObject({ state: 'conflict', stoppedAt: second.assignmentId, conflictFiles: ['NOTES.txt'] });
    expect(stopped.steps.map((s) => s.state)).toEqual(['done', 'conflict', 'pending']);
    expect(readFileSync(path.join(repo, 'NOTES.txt'), 'utf8')).toBe('alpha\n');
    const item = await harness.connection.waitFor(() => latestInbox(harness!).find((i) => i.kind === 'merge_conflict_wave'));
    expect(item).toMatchObject({ severity: 'critical', actionLabel: 'Ask the worker to resolve', action: { kind: 'resolve_conflict', waveId: wave.id } });
    expect(item.detail).toContain('NOTES.txt');

    // The follow-up goes to the original worker's session, in its worktree with the conflict staged.
    const asked = await harness.invoke('review.resolveConflict', { waveId: wave.id });
    expect(asked.assignmentId).toBe(second.assignmentId);
    const completed = await harness.connection.waitFor(() => {
      const waves = harness!.connection.events.filter((e) => e.event === 'wave.updated').map((e) => e.payload as MergeWave);
      return waves.find((w) => w.id === wave.id && w.state === 'completed');
    });
    expect(claude.prompts().at(-1)!.prompt).toContain('conflicts in: NOTES.txt');
    expect(claude.calls().at(-1)!.args.some((arg) => arg.startsWith('--resume'))).toBe(true);
    expect(completed.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect(readFileSync(path.join(repo, 'THIRD.txt'), 'utf8')).toBe('gamma\n');
    expect(readFileSync(path.join(repo, 'NOTES.txt'), 'utf8')).toContain('conflicts in: NOTES.txt');
    expect(readFileSync(path.join(repo, 'NOTES.txt'), 'utf8')).not.toMatch(/^<{7}/m);
    await harness.connection.waitFor(() => (latestInbox(harness!).some((i) => i.kind === 'merge_conflict_wave') ? undefined : true));

    // Cleanup removes every merged worktree and branch in one action.
    const cleaned = await harness.invoke('review.cleanup', { force: false });
    expect(cleaned.kept).toEqual([]);
    expect(cleaned.removed.map((r) => r.assignmentId).sort()).toEqual([first, second, third].map((c) => c.assignmentId).sort());
    expect(git(repo, 'branch', '--list', 'fleet/*')).toBe('');
    expect(existsSync(first.repo.worktreePath)).toBe(false);
  });

  it('a failed verify on the integrated state stops the wave naming the assignment, and leaves the base where it was', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    // Each change passes alone; together they break the rule the verify checks.
    const verify = '! { test -f a.txt && test -f b.txt; }';
    const one = await fixtureTask(harness, repo, 'Add a', 'Same line', verify);
    const two = await fixtureTask(harness, repo, 'Add b', 'Same line', verify);
    writeFileSync(path.join(one.repo.worktreePath, 'a.txt'), 'a\n');
    writeFileSync(path.join(two.repo.worktreePath, 'b.txt'), 'b\n');
    const mainBefore = git(repo, 'rev-parse', 'main');

    const wave = await harness.invoke('review.mergeWave', { assignmentIds: [one.assignmentId, two.assignmentId] });
    const stopped = await waveEnded(harness, wave.id);
    expect(stopped).toMatchObject({ state: 'verify_failed', stoppedAt: two.assignmentId });
    expect(stopped.detail).toContain('Add b broke the integrated verify. ');
    expect(stopped.detail).toContain('was not moved');
    // Merged locally, nothing happened that cannot be undone: only a GitHub merge is said to be.
    expect(stopped.detail).not.toContain('GitHub');
    expect(stopped.steps.map((s) => s.state)).toEqual(['done', 'verify_failed']);
    // The first merge landed; the second did not.
    expect(git(repo, 'rev-parse', 'main')).not.toBe(mainBefore);
    expect(existsSync(path.join(repo, 'a.txt'))).toBe(true);
    expect(existsSync(path.join(repo, 'b.txt'))).toBe(false);
    expect(harness.connection.latestCard(two.assignmentId)?.review).toMatchObject({ stage: 'verify_failed' });

    // Cleanup keeps the unmerged branch (with why) unless forced.
    const cleaned = await harness.invoke('review.cleanup', { assignmentIds: [one.assignmentId, two.assignmentId], force: false });
    expect(cleaned.removed.map((r) => r.assignmentId)).toEqual([one.assignmentId]);
    expect(cleaned.kept).toEqual([{ assignmentId: two.assignmentId, branch: two.repo.branch, reason: `${two.repo.branch} is not merged into main` }]);
    const forced = await harness.invoke('review.cleanup', { assignmentIds: [two.assignmentId], force: true });
    expect(forced.removed.map((r) => r.assignmentId)).toEqual([two.assignmentId]);
    expect(execFileSync('git', ['branch', '--list', 'fleet/*'], { cwd: repo, encoding: 'utf8' }).trim()).toBe('');
  });
});
