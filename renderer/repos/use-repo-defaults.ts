import { useEffect, useRef } from 'react';
import type { RepositoryInfo } from '../../shared/repos';
import { repoDefaults, type RepoDefaults } from './repo-defaults';
import { useRepositoryInfo } from './use-repos';

/**
 * Describes the repository a form points at and, each time it points at another one (or back),
 * hands the form what it fills in (see `repoDefaults`). Returns the description, for the branch list and the form's notes.
 */
export function useRepoDefaults(
  repoPath: string,
  current: { verifyCommand: string; branch?: string },
  apply: (defaults: RepoDefaults) => void,
) {
  const info = useRepositoryInfo(repoPath);
  const appliedFor = useRef<RepositoryInfo | null>(null);
  const latest = useRef({ current, apply });
  latest.current = { current, apply };
  useEffect(() => {
    // A cached answer the core is being asked again (work started since) may name an old verify command: wait for the new one.
    const outdated = info.isStale && info.isFetching;
    if (!info.data || outdated || appliedFor.current === info.data) return;
    appliedFor.current = info.data;
    latest.current.apply(repoDefaults(latest.current.current, info.data));
  }, [info.data, info.isStale, info.isFetching]);
  return info;
}
