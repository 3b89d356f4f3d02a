import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { FleetError } from '../../../shared/errors';
import { echoPrefix } from '../router';

const execFileAsync = promisify(execFile);

/** git's own output is small; a worktree add prints a line or two. */
const GIT_MAX_BUFFER = 8 * 1024 * 1024;

export interface PinnedRepo {
  root: string;
  branch: string;
  commit: string;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    maxBuffer: GIT_MAX_BUFFER,
    // Never prompt for credentials or an editor from a background process.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true' },
  });
  return stdout.trim();
}

function gitErrorText(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  if (typeof stderr === 'string' && stderr.trim()) return stderr.trim();
  return error instanceof Error ? error.message : String(error);
}

/** Resolves a local path to its repository and pins the current commit. */
export async function pinRepo(repoPath: string): Promise<PinnedRepo> {
  const shown = echoPrefix(repoPath);
  if (!existsSync(repoPath) || !statSync(repoPath).isDirectory()) {
    throw new FleetError('repo_not_found', `No folder at ${shown}.`);
  }
  let root: string;
  try {
    root = await git(repoPath, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new FleetError('not_a_git_repo', `${shown} is not inside a git repository.`);
  }
  let commit: string;
  try {
    commit = await git(root, ['rev-parse', '--verify', 'HEAD^{commit}']);
  } catch {
    throw new FleetError('repo_has_no_commits', `${root} has no commits yet, so there is nothing to pin.`);
  }
  const branch = await git(root, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return { root, branch, commit };
}

/** The commit a branch points at, or null when the repository has no such branch. */
export async function branchCommit(repoRoot: string, branch: string): Promise<string | null> {
  try {
    // After --end-of-options a branch named like a flag is still only a name.
    return await git(repoRoot, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${branch}^{commit}`]);
  } catch {
    return null;
  }
}

/** Creates a worktree on a new branch at the pinned commit. */
export async function addWorktree(repoRoot: string, worktreePath: string, branch: string, commit: string): Promise<void> {
  try {
    await git(repoRoot, ['worktree', 'add', '-b', branch, worktreePath, commit]);
  } catch (error) {
    throw new FleetError('worktree_failed', `git worktree add failed: ${gitErrorText(error)}`);
  }
}

/** Uncommitted work in a worktree (modified, staged or untracked files), as `git status` names it. */
export async function dirtyFiles(worktree: string): Promise<string[]> {
  const status = await git(worktree, ['status', '--porcelain', '--untracked-files=all']);
  return status
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3));
}

/**
 * Removes a worktree and prunes its entry from the repository, so `git worktree list` keeps no
 * prunable leftover; its branch stays, for review. A folder already deleted by hand is only pruned.
 */
export async function removeWorktree(repoRoot: string, worktreePath: string, force: boolean): Promise<void> {
  // A repository that is gone holds no entry to prune.
  if (!existsSync(repoRoot)) return;
  try {
    if (existsSync(worktreePath)) await git(repoRoot, ['worktree', 'remove', ...(force ? ['--force'] : []), worktreePath]);
    await git(repoRoot, ['worktree', 'prune']);
  } catch (error) {
    throw new FleetError('worktree_failed', `git worktree remove failed: ${gitErrorText(error)}`);
  }
}
