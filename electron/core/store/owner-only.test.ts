import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../test-support/test-core';
import { makeTempRepo, tempDir } from '../../test-support/temp-repo';
import { DATABASE_FILE } from './database';
import { openCheckedStore, STORE_ID_FILE } from './store-check';

/** uid of `nobody`: a user other than the one the tests run as. */
const OTHER_UID = 65534;
const GROUP_OTHER_BITS = 0o077;

function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

/** Every entry under dir (not inside worktrees/) that group or other users could read, write or enter. */
function looseEntries(dir: string): { entries: string[]; walked: number } {
  const entries: string[] = [];
  let walked = 0;
  const walk = (at: string) => {
    // Worktrees are git checkouts with git's modes, shielded by the 0700 worktrees/ folder itself.
    if (path.relative(dir, at) === 'worktrees') return;
    for (const name of readdirSync(at)) {
      const file = path.join(at, name);
      const stats = lstatSync(file);
      if (stats.isSymbolicLink()) continue;
      walked += 1;
      if ((stats.mode & GROUP_OTHER_BITS) !== 0) entries.push(`${path.relative(dir, file)} ${(stats.mode & 0o777).toString(8)}`);
      if (stats.isDirectory()) walk(file);
    }
  };
  walk(dir);
  return { entries, walked };
}

describe('an owner-only data dir', () => {
  let harness: TestCore | undefined;
  afterEach(async () => {
    await harness?.core.close();
    harness = undefined;
  });

  it('tightens a 0755 data dir and 0644 files to 0700 and 0600 at start, and leaves worktree checkouts alone', () => {
    const dir = tempDir();
    openCheckedStore(dir).close();
    const run = path.join(dir, 'runs', 'task-1', 'asg-1');
    mkdirSync(path.join(run, 'home'), { recursive: true });
    mkdirSync(path.join(dir, 'worktrees', 'asg-1'), { recursive: true });
    mkdirSync(path.join(dir, 'accounts', 'codex', 'codex'), { recursive: true });
    mkdirSync(path.join(dir, 'backups'), { recursive: true });
    const files = {
      store: path.join(dir, DATABASE_FILE),
      marker: path.join(dir, STORE_ID_FILE),
      secrets: path.join(dir, 'secrets.json'),
      host: path.join(dir, 'host.json'),
      log: path.join(run, 'events.jsonl'),
      transcript: path.join(run, 'transcript.log'),
      homeFile: path.join(run, 'home', '.cli-state'),
      backup: path.join(dir, 'backups', 'fleet-v4-2020-01-01T00-00-00-000Z.sqlite'),
      checkout: path.join(dir, 'worktrees', 'asg-1', 'README.md'),
    };
    for (const file of Object.values(files)) if (!existsSync(file)) writeFileSync(file, 'x');
    for (const file of Object.values(files)) chmodSync(file, 0o644);
    const dirs = [dir, path.join(dir, 'runs'), path.join(dir, 'runs', 'task-1'), run, path.join(run, 'home'), path.join(dir, 'worktrees'),
      path.join(dir, 'accounts'), path.join(dir, 'backups')];
    for (const folder of [...dirs, path.join(dir, 'worktrees', 'asg-1'), path.join(dir, 'accounts', 'codex')]) chmodSync(folder, 0o755);

    openCheckedStore(dir).close();
    for (const folder of dirs) expect(modeOf(folder), folder).toBe(0o700);
    const { checkout, ...ownFiles } = files;
    for (const file of Object.values(ownFiles)) expect(modeOf(file), file).toBe(0o600);
    // Inside worktrees/ and accounts/ the modes are git's and the CLIs'; the 0700 folder above shields them.
    expect(modeOf(checkout)).toBe(0o644);
    expect(modeOf(path.join(dir, 'worktrees', 'asg-1'))).toBe(0o755);
    expect(modeOf(path.join(dir, 'accounts', 'codex'))).toBe(0o755);
  });

  it('refuses a data dir owned by another user, and creates nothing in it', () => {
    const dir = tempDir();
    chownSync(dir, OTHER_UID, OTHER_UID);
    expect(() => openCheckedStore(dir)).toThrow(expect.objectContaining({ code: 'data_dir_insecure', message: expect.stringContaining('belongs to another user') }));
    expect(readdirSync(dir)).toEqual([]);
    expect(statSync(dir).uid).toBe(OTHER_UID);
  });

  it('follows a data dir that is a link to a folder the owner keeps elsewhere, and refuses a file', () => {
    const real = tempDir();
    const link = path.join(tempDir(), 'data');
    symlinkSync(real, link);
    chmodSync(real, 0o755);
    openCheckedStore(link).close();
    expect(modeOf(real)).toBe(0o700);
    expect(existsSync(path.join(real, DATABASE_FILE))).toBe(true);

    const file = path.join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    expect(() => openCheckedStore(file)).toThrow(expect.objectContaining({ code: 'data_dir_insecure' }));
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('after a real fixture assignment runs to closeout, nothing in the data dir is open to group or other', async () => {
    harness = startTestCore();
    const card = await harness.invoke('tasks.create', {
      title: 'Owner only',
      repoPath: makeTempRepo(),
      prompt: 'Write the task into FIXTURE.md',
      verifyCommand: 'true',
      workerKind: 'fixture',
      fixture: { durationMs: 0 },
    });
    const closed = await harness.closedCard(card.assignmentId);
    expect(closed.closeout.status).toBe('ok');
    expect(modeOf(harness.dataDir)).toBe(0o700);
    const { entries, walked } = looseEntries(harness.dataDir);
    console.log(`owner-only walk: ${walked} entries checked in the data dir after a closeout`);
    expect(walked).toBeGreaterThan(5);
    expect(entries).toEqual([]);
  });
});
