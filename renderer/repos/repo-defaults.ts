import type { RepositoryInfo } from '../../shared/repos';

/** What a form takes from the repository it was just pointed at. */
export interface RepoDefaults {
  verifyCommand?: string;
  branch?: string;
}

/**
 * A picked repository fills in the verify command last used with it, only where none is typed, and
 * (for a form with a branch) its current branch where the branch is not one of its own. A detached
 * HEAD has no current branch: the branch stays for the owner to choose.
 */
export function repoDefaults(current: { verifyCommand: string; branch?: string }, info: RepositoryInfo): RepoDefaults {
  const defaults: RepoDefaults = {};
  if (current.verifyCommand.trim() === '' && info.verifyCommand !== null) defaults.verifyCommand = info.verifyCommand;
  if (current.branch !== undefined && !info.branches.includes(current.branch)) defaults.branch = info.currentBranch ?? '';
  return defaults;
}
