import { useEffect, useRef } from 'react';
import { repoDefaults, type RepoDefaults } from './repo-defaults';
import { useRepositoryInfo } from './use-repos';

/**
 * Describes the repository a form points at and, once per repository, hands the form what it fills
 * in (see `repoDefaults`). Returns the description, for the branch list and the form's notes.
 */
export function useRepoDefaults(
  repoPath: string,
  current: { verifyCommand: string; branch?: string },
  apply: (defaults: RepoDefaults) => void,
) {
  const info = useRepositoryInfo(repoPath);
  const appliedFor = useRef<string | null>(null);
  const latest = useRef({ current, apply });
  latest.current = { current, apply };
  useEffect(() => {
    if (!info.data || appliedFor.current === info.data.root) return;
    appliedFor.current = info.data.root;
    latest.current.apply(repoDefaults(latest.current.current, info.data));
  }, [info.data]);
  return info;
}
