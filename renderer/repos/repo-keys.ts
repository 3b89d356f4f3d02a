/** Everything the pickers ask the core about repositories sits under this key: a started task or run refreshes it all. */
export const reposKey = ['repos'] as const;
export const recentReposKey = [...reposKey, 'recent'] as const;

export function repositoryInfoKey(repoPath: string) {
  return [...reposKey, 'info', repoPath] as const;
}

export function folderCompletionKey(typed: string) {
  return [...reposKey, 'folders', typed] as const;
}

export const firstRunGuideKey = ['first-run-guide'] as const;
