import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FleetError } from '../../../shared/errors';
import { gitOutput, runGit } from './run-git';

/** The committer named when the repository has no identity of its own configured. */
const FALLBACK_IDENTITY = { name: 'Khala Fleet Board', email: 'fleet-board@khala.invalid' };
/** A line git writes into a file whose merge conflicted; left in a "resolved" file, the conflict is not resolved. */
const CONFLICT_MARKER = /^(?:<{7}|>{7})(?: |$)/m;

async function must(cwd: string, args: string[], what: string, env: Record<string, string> = {}): Promise<string> {
  const out = await runGit(cwd, args, env);
  if (!out.ok) throw new FleetError('invalid_input', `${what} failed: ${gitOutput(out)}`);
  return out.stdout.trim();
}

/** `-c user.name/email` when the repository (or the owner's config) has none, so a commit never stops on "Please tell me who you are". */
async function identityArgs(cwd: string): Promise<string[]> {
  const email = await runGit(cwd, ['config', 'user.email']);
  const name = await runGit(cwd, ['config', 'user.name']);
  const args: string[] = [];
  if (!name.ok || !name.stdout.trim()) args.push('-c', `user.name=${FALLBACK_IDENTITY.name}`);
  if (!email.ok || !email.stdout.trim()) args.push('-c', `user.email=${FALLBACK_IDENTITY.email}`);
  return args;
}

export async function revParse(cwd: string, ref: string): Promise<string | null> {
  const out = await runGit(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return out.ok ? out.stdout.trim() : null;
}

/** The branch checked out in the repository's main folder, or null when HEAD is detached. */
export async function currentBranch(repo: string): Promise<string | null> {
  const out = await runGit(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return out.ok ? out.stdout.trim() : null;
}

const HEADS = 'refs/heads/';

/** The repository's local branches by name, in git's order (by name); a repository with none has an empty list. */
export async function localBranches(repo: string): Promise<string[]> {
  const out = await runGit(repo, ['for-each-ref', '--format=%(refname)', HEADS]);
  if (!out.ok) throw new FleetError('not_a_git_repo', `Could not list the branches of ${repo}: ${gitOutput(out)}`);
  // The full ref, cut here: `:short` would say `heads/main` when a tag is also named main.
  return out.stdout
    .split('\n')
    .filter((line) => line.startsWith(HEADS))
    .map((line) => line.slice(HEADS.length));
}

/** Files with unresolved conflicts in a worktree (a merge in progress). */
export async function conflictedFiles(worktree: string): Promise<string[]> {
  const out = await runGit(worktree, ['diff', '--name-only', '--diff-filter=U', '-z']);
  return out.stdout.split('\0').filter(Boolean);
}

/** Whether a merge is in progress in this worktree (its conflict staged, waiting for a resolution). */
export async function mergeInProgress(worktree: string): Promise<boolean> {
  const out = await runGit(worktree, ['rev-parse', '--verify', '--quiet', 'MERGE_HEAD']);
  return out.ok;
}

/** Files among `files` that still hold conflict markers. */
export function filesWithMarkers(worktree: string, files: readonly string[]): string[] {
  return files.filter((file) => {
    const full = path.join(worktree, file);
    return existsSync(full) && CONFLICT_MARKER.test(readFileSync(full, 'utf8'));
  });
}

/**
 * Commits everything the worktree holds (modified, deleted, untracked; .gitignore respected) on its
 * branch. A merge in progress is concluded by this commit. Returns the new commit, or null when there
 * was nothing to commit.
 */
export async function commitAll(worktree: string, message: string): Promise<string | null> {
  await must(worktree, ['add', '-A', '--', '.'], 'git add');
  const merging = await mergeInProgress(worktree);
  const staged = await runGit(worktree, ['diff', '--cached', '--quiet']);
  if (staged.ok && !merging) return null;
  await must(worktree, [...(await identityArgs(worktree)), 'commit', '--no-verify', '-q', '-m', message], 'git commit');
  return must(worktree, ['rev-parse', 'HEAD'], 'git rev-parse');
}

export interface Remote {
  name: string;
  url: string;
}

/** `origin` when there is one, else the first remote; null when the repository has none. */
export async function remoteOf(repo: string): Promise<Remote | null> {
  const names = (await runGit(repo, ['remote'])).stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  const name = names.includes('origin') ? 'origin' : names[0];
  if (!name) return null;
  const url = await runGit(repo, ['remote', 'get-url', name]);
  return { name, url: url.stdout.trim() };
}

/** git's words for a push the remote refused, and for one it never let us make. */
const REJECTED = /\[rejected\]|\[remote rejected\]|non-fast-forward|fetch first|updates were rejected|pre-receive hook declined/i;
const NO_CREDENTIALS = /authentication failed|could not read username|could not read password|terminal prompts disabled|permission denied \(publickey|invalid username or password|403|401/i;

/** Pushes the branch to the repository's remote; a refusal is a typed error carrying git's own output. */
export async function pushBranch(worktree: string, branch: string): Promise<Remote> {
  const remote = await remoteOf(worktree);
  if (!remote) throw new FleetError('push_no_remote', `The repository has no remote to push ${branch} to: add one (git remote add origin <url>).`);
  const out = await runGit(worktree, ['push', '--porcelain', remote.name, `refs/heads/${branch}:refs/heads/${branch}`]);
  if (out.ok) return remote;
  const said = gitOutput(out);
  if (REJECTED.test(`${out.stdout}\n${out.stderr}`)) throw new FleetError('push_rejected', `${remote.name} rejected ${branch}: ${said}`);
  if (NO_CREDENTIALS.test(out.stderr)) throw new FleetError('push_no_credentials', `No credentials to push ${branch} to ${remote.url}: ${said}`);
  throw new FleetError('push_failed', `Pushing ${branch} to ${remote.name} failed: ${said}`);
}

/** Fetches the remote's branch, so a merge made on GitHub is here to verify. */
export async function fetchBranch(repo: string, remote: string, branch: string): Promise<string> {
  await must(repo, ['fetch', '--quiet', remote, `refs/heads/${branch}`], `git fetch ${remote} ${branch}`);
  return must(repo, ['rev-parse', 'FETCH_HEAD'], 'git rev-parse FETCH_HEAD');
}

/** A worktree at a commit, on no branch: a clean place to merge and verify without touching anyone's checkout. */
export async function addDetachedWorktree(repo: string, worktree: string, commit: string): Promise<void> {
  const out = await runGit(repo, ['worktree', 'add', '--detach', worktree, commit]);
  if (!out.ok) throw new FleetError('worktree_failed', `git worktree add failed: ${gitOutput(out)}`);
}

export type MergeOutcome = { ok: true; commit: string } | { ok: false; conflicts: string[]; output: string };

/**
 * Merges `ref` into what the worktree has checked out, as a merge commit. On a conflict the merge
 * is aborted (unless `keepConflict`, which leaves it staged for someone to resolve) and the
 * conflicting files are named.
 */
export async function mergeRef(worktree: string, ref: string, message: string, keepConflict = false): Promise<MergeOutcome> {
  const out = await runGit(worktree, [...(await identityArgs(worktree)), 'merge', '--no-ff', '--no-edit', '-m', message, ref]);
  if (out.ok) return { ok: true, commit: await must(worktree, ['rev-parse', 'HEAD'], 'git rev-parse') };
  const conflicts = await conflictedFiles(worktree);
  if (conflicts.length === 0) throw new FleetError('invalid_input', `git merge ${ref} failed: ${gitOutput(out)}`);
  if (!keepConflict) await runGit(worktree, ['merge', '--abort']);
  return { ok: false, conflicts, output: gitOutput(out) };
}

/** The worktree that has `branch` checked out, if any. */
async function checkedOutAt(repo: string, branch: string): Promise<string | null> {
  const list = await must(repo, ['worktree', 'list', '--porcelain'], 'git worktree list');
  let current: string | null = null;
  for (const line of list.split('\n')) {
    if (line.startsWith('worktree ')) current = line.slice('worktree '.length);
    if (line === `branch refs/heads/${branch}`) return current;
  }
  return null;
}

/**
 * Moves `branch` from `from` to `to` (a descendant). Where the branch is checked out, that checkout
 * is fast-forwarded (and refused if it has uncommitted work); elsewhere only the ref moves.
 */
export async function advanceBranch(repo: string, branch: string, from: string, to: string): Promise<void> {
  const checkout = await checkedOutAt(repo, branch);
  if (checkout) {
    const dirty = (await runGit(checkout, ['status', '--porcelain', '--untracked-files=no'])).stdout.trim();
    if (dirty) throw new FleetError('worktree_dirty', `${branch} is checked out at ${checkout} with uncommitted changes, so it was not moved to the merged work.`);
    await must(checkout, ['merge', '--ff-only', '--quiet', to], `fast-forwarding ${branch}`);
    return;
  }
  await must(repo, ['update-ref', `refs/heads/${branch}`, to, from], `moving ${branch}`);
}

/** Whether every commit of `branch` is already in `base`. */
export async function isMerged(repo: string, branch: string, base: string): Promise<boolean> {
  return (await runGit(repo, ['merge-base', '--is-ancestor', branch, base])).ok;
}

export async function deleteBranch(repo: string, branch: string): Promise<void> {
  await must(repo, ['branch', '-D', '--end-of-options', branch], `deleting ${branch}`);
}
