import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Khala Test',
  GIT_AUTHOR_EMAIL: 'test@khala.invalid',
  GIT_COMMITTER_NAME: 'Khala Test',
  GIT_COMMITTER_EMAIL: 'test@khala.invalid',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_IDENTITY }, encoding: 'utf8' }).trim();
}

/** A real git repository with one commit, in its own temporary folder. */
export function makeTempRepo(files: Record<string, string> = { 'README.md': '# demo\n' }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'khala-repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

export function tempDir(prefix = 'khala-data-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
