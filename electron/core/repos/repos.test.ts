import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FOLDER_SUGGESTIONS_MAX } from '../../../shared/repos';
import { git, makeTempRepo, tempDir } from '../../test-support/temp-repo';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import type { Connection } from '../connection';

let harness: TestCore | undefined;
afterEach(async () => {
  await harness?.core.close();
  harness = undefined;
});

const fixtureTask = (repoPath: string, verifyCommand: string) => ({
  title: 'Record the task',
  repoPath,
  prompt: 'Write the task into FIXTURE.md',
  verifyCommand,
  workerKind: 'fixture' as const,
  fixture: { durationMs: 0 },
});

const fixtureRun = (repoPath: string, verifyCommand: string) => ({
  name: 'Remembered',
  source: { kind: 'fixture' as const, units: 1 },
  repoPath,
  verifyCommand,
  workerKind: 'fixture' as const,
  targetConcurrency: 1,
});

/** The desktop window's connection, as the IPC host attaches it. */
const windowConnection: Connection = { id: 'ipc:1', transport: 'ipc', emit: () => undefined };

describe('recent repositories and remembered verify commands', () => {
  it('offers the repositories work started in, most recent first, each with its last verify command, after a restart too', async () => {
    harness = startTestCore();
    const { dataDir } = harness;
    const first = makeTempRepo();
    const second = makeTempRepo();
    mkdirSync(path.join(first, 'src'));
    expect(await harness.invoke('repos.recent', {})).toEqual([]);

    // A task started from a sub-folder is remembered by its repository's top.
    const one = await harness.invoke('tasks.create', fixtureTask(path.join(first, 'src'), 'true'));
    await harness.closedCard(one.assignmentId);
    await harness.invoke('runs.create', fixtureRun(second, 'test -f README.md'));
    const two = await harness.invoke('tasks.create', fixtureTask(first, 'test -s FIXTURE.md'));
    await harness.closedCard(two.assignmentId);

    const recent = await harness.invoke('repos.recent', {});
    expect(recent.map(({ path: repo, verifyCommand }) => ({ repo, verifyCommand }))).toEqual([
      { repo: first, verifyCommand: 'test -s FIXTURE.md' },
      { repo: second, verifyCommand: 'test -f README.md' },
    ]);
    expect((await harness.invoke('repos.describe', { repoPath: second })).verifyCommand).toBe('test -f README.md');

    // A refused task remembers nothing.
    const plain = tempDir('khala-plain-');
    expect(await harness.invokeRaw('tasks.create', fixtureTask(plain, 'make check'))).toMatchObject({ ok: false, error: { code: 'not_a_git_repo' } });

    await harness.core.close();
    harness = startTestCore({ dataDir });
    expect((await harness.invoke('repos.recent', {})).map((repo) => repo.path)).toEqual([first, second]);
    expect((await harness.invoke('repos.describe', { repoPath: first })).verifyCommand).toBe('test -s FIXTURE.md');
  });

  it('describes a repository: its top, current branch and branches; a plain or missing folder is a typed error', async () => {
    harness = startTestCore();
    const repo = makeTempRepo();
    git(repo, 'branch', 'alpha');
    // A worker's branch is the board's, not a place to start work from.
    git(repo, 'branch', 'fleet/task-1/fix-login');
    git(repo, 'checkout', '-q', '-b', 'feature/picker');
    mkdirSync(path.join(repo, 'docs'));

    expect(await harness.invoke('repos.describe', { repoPath: path.join(repo, 'docs') })).toEqual({
      root: repo,
      currentBranch: 'feature/picker',
      branches: ['alpha', 'feature/picker', 'main'],
      verifyCommand: null,
    });

    git(repo, 'checkout', '-q', '--detach');
    expect(await harness.invoke('repos.describe', { repoPath: repo })).toMatchObject({ currentBranch: null, branches: ['alpha', 'feature/picker', 'main'] });

    expect(await harness.invokeRaw('repos.describe', { repoPath: tempDir('khala-plain-') })).toMatchObject({ ok: false, error: { code: 'not_a_git_repo' } });
    expect(await harness.invokeRaw('repos.describe', { repoPath: path.join(repo, 'missing') })).toMatchObject({ ok: false, error: { code: 'repo_not_found' } });
    expect(await harness.invokeRaw('repos.describe', { repoPath: 'relative/repo' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('folder completion', () => {
  /** An owner's home with projects, a hidden folder, a file, and links in and out of it. */
  function ownerHome(): string {
    const home = tempDir('khala-home-');
    mkdirSync(path.join(home, 'projects', 'api'), { recursive: true });
    mkdirSync(path.join(home, 'projects', '.cache'));
    mkdirSync(path.join(home, 'Pictures'));
    git(home, 'init', '-q', path.join(home, 'projects', 'app'));
    writeFileSync(path.join(home, 'projects', 'notes.txt'), 'not a folder\n');
    symlinkSync(path.join(home, 'projects'), path.join(home, 'work'));
    symlinkSync('/etc', path.join(home, 'system'));
    return home;
  }

  const names = (completion: { folders: { name: string }[] }) => completion.folders.map((folder) => folder.name);

  it('lists the sub-folders of what was typed, only folders, hidden ones only when asked', async () => {
    const home = ownerHome();
    harness = startTestCore({ ownerHome: home });
    const projects = path.join(home, 'projects');

    const listed = await harness.invoke('repos.complete', { typed: `${projects}/` });
    expect(listed).toEqual({
      folder: projects,
      folders: [
        { path: path.join(projects, 'api'), name: 'api', repository: false },
        { path: path.join(projects, 'app'), name: 'app', repository: true },
      ],
      truncated: false,
    });
    expect(names(await harness.invoke('repos.complete', { typed: '~/pro' }))).toEqual(['projects']);
    expect(names(await harness.invoke('repos.complete', { typed: '~/projects/app' }))).toEqual(['app']);
    expect(names(await harness.invoke('repos.complete', { typed: '~/projects/a' }))).toEqual(['api', 'app']);
    expect(names(await harness.invoke('repos.complete', { typed: `${projects}/.` }))).toEqual(['.cache']);
    expect(names(await harness.invoke('repos.complete', { typed: `${projects}/notes` }))).toEqual([]);
    // Nothing typed yet: the home's own folders, a link that stays inside it included.
    expect(names(await harness.invoke('repos.complete', { typed: '' }))).toEqual(['Pictures', 'projects', 'work']);
    expect(names(await harness.invoke('repos.complete', { typed: '~/work/' }))).toEqual(['api', 'app']);
    // A folder still being typed lists nothing rather than failing.
    expect(await harness.invoke('repos.complete', { typed: `${home}/not-yet/` })).toMatchObject({ folders: [], truncated: false });
  });

  it('refuses hostile paths cleanly: relative, out of the home, through a link, NUL, 10 MB', async () => {
    const home = ownerHome();
    harness = startTestCore({ ownerHome: home });
    const refusals: [string, string][] = [
      ['../../etc', 'invalid_input'],
      ['etc/passwd', 'invalid_input'],
      ['~root/', 'invalid_input'],
      [`${home}/../../etc/`, 'path_outside_home'],
      ['/etc/', 'path_outside_home'],
      ['/', 'path_outside_home'],
      ['~/system/', 'path_outside_home'],
      ['~/system/ss', 'path_outside_home'],
      [`${home}/projects\0/`, 'invalid_input'],
      ['/'.repeat(10 * 1024 * 1024), 'invalid_input'],
    ];
    for (const [typed, code] of refusals) {
      const refused = await harness.invokeRaw('repos.complete', { typed });
      expect(refused, typed.slice(0, 40)).toMatchObject({ ok: false, error: { code } });
      // The message says what to do in words, and never echoes a long value back.
      expect(refused.ok ? '' : refused.error.message.length).toBeLessThan(home.length + 200);
    }
  });

  it('lists at most a bounded number of folders and says more matched', async () => {
    const home = tempDir('khala-home-');
    const many = path.join(home, 'many');
    for (let n = 0; n < FOLDER_SUGGESTIONS_MAX + 10; n += 1) mkdirSync(path.join(many, `folder-${String(n).padStart(3, '0')}`), { recursive: true });
    harness = startTestCore({ ownerHome: home });
    const completion = await harness.invoke('repos.complete', { typed: `${many}/` });
    expect(completion.folders).toHaveLength(FOLDER_SUGGESTIONS_MAX);
    expect(completion.folders[0]!.name).toBe('folder-000');
    expect(completion.truncated).toBe(true);
  });
});

describe('the desktop folder dialog', () => {
  it('opens only for the app window of a host that has one, starting at the most recent repository', async () => {
    const asked: string[] = [];
    const chosen = makeTempRepo();
    harness = startTestCore({
      chooseFolder: (startIn) => {
        asked.push(startIn);
        return Promise.resolve(chosen);
      },
    });
    const recentRepo = makeTempRepo();
    await harness.invoke('runs.create', fixtureRun(recentRepo, 'true'));

    expect(await harness.core.router.invoke('repos.chooseFolder', {}, windowConnection)).toEqual({ ok: true, value: { path: chosen } });
    expect(asked).toEqual([recentRepo]);
    // A browser page on the same host never puts a dialog on the desktop.
    expect(await harness.invokeRaw('repos.chooseFolder', {})).toMatchObject({ ok: false, error: { code: 'folder_dialog_unavailable' } });
    expect(asked).toHaveLength(1);
  });

  it('is unavailable in browser mode, and a cancelled dialog chooses nothing', async () => {
    harness = startTestCore();
    expect(await harness.core.router.invoke('repos.chooseFolder', {}, windowConnection)).toMatchObject({ ok: false, error: { code: 'folder_dialog_unavailable' } });
    await harness.core.close();
    harness = startTestCore({ chooseFolder: () => Promise.resolve(null) });
    expect(await harness.core.router.invoke('repos.chooseFolder', {}, windowConnection)).toEqual({ ok: true, value: { path: null } });
  });
});

describe('the first-run guide', () => {
  it('stays dismissed once the owner closes it, across a restart', async () => {
    harness = startTestCore();
    const { dataDir } = harness;
    expect(await harness.invoke('firstRun.get', {})).toEqual({ dismissed: false });
    expect(await harness.invoke('firstRun.dismiss', {})).toEqual({ dismissed: true });
    expect(await harness.invoke('firstRun.dismiss', {})).toEqual({ dismissed: true });
    await harness.core.close();
    harness = startTestCore({ dataDir });
    expect(await harness.invoke('firstRun.get', {})).toEqual({ dismissed: true });
  });
});
