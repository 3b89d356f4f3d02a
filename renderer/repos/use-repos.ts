import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { typedFolderSchema } from '../../shared/repos';
import { repoPathSchema } from '../../shared/runs';
import { useBridge } from '../bridge/context';
import { firstRunGuideKey, folderCompletionKey, recentReposKey, reposKey, repositoryInfoKey } from './repo-keys';
import { useDebounced } from './use-debounced';

/** A pause in typing this long asks the core again: short enough to feel live, long enough to skip every key. */
const TYPING_SETTLE_MS = 150;

/** Repositories work started in, most recent first. */
export function useRecentRepos() {
  const bridge = useBridge();
  return useQuery({ queryKey: recentReposKey, queryFn: () => bridge.invoke('repos.recent', {}) });
}

/** The repository at a typed path (its branches, current branch, remembered verify command), once the typing settles. */
export function useRepositoryInfo(repoPath: string) {
  const bridge = useBridge();
  const settled = useDebounced(repoPath.trim(), TYPING_SETTLE_MS);
  // The contract's own check: a relative or empty path is the form's problem, not a question for the core.
  const askable = repoPathSchema.safeParse(settled).success;
  return useQuery({
    queryKey: repositoryInfoKey(settled),
    queryFn: () => bridge.invoke('repos.describe', { repoPath: settled }),
    enabled: askable,
  });
}

/** Sub-folders of what is typed in a path field, while it has focus; the last list stays up while the next loads. */
export function useFolderCompletion(typed: string, active: boolean) {
  const bridge = useBridge();
  const settled = useDebounced(typed, TYPING_SETTLE_MS);
  // A pasted page of text is no path: it is not sent at all (the field's own check says why on submit).
  const askable = typedFolderSchema.safeParse(settled).success;
  return useQuery({
    queryKey: folderCompletionKey(settled),
    queryFn: () => bridge.invoke('repos.complete', { typed: settled }),
    enabled: active && askable,
    placeholderData: askable ? keepPreviousData : undefined,
  });
}

/** The desktop app's folder dialog. */
export function useChooseFolder() {
  const bridge = useBridge();
  return useMutation({ mutationFn: () => bridge.invoke('repos.chooseFolder', {}) });
}

/** After work starts, its repository leads the recent list and its verify command is the one remembered. */
export function refreshRepos(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ queryKey: reposKey });
}

export function useFirstRunGuide() {
  const bridge = useBridge();
  return useQuery({ queryKey: firstRunGuideKey, queryFn: () => bridge.invoke('firstRun.get', {}) });
}

export function useDismissFirstRunGuide() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bridge.invoke('firstRun.dismiss', {}),
    onSuccess: (guide) => queryClient.setQueryData(firstRunGuideKey, guide),
  });
}
