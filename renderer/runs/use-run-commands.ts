import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NewRunInput, RunControl } from '../../shared/runs';
import { useBridge } from '../bridge/context';
import { applyRunUpdate } from '../data/runs-cache';
import { refreshRepos } from '../repos/use-repos';

/** The run's one approval, from its header or from the Inbox. */
export function useApproveRun(runId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bridge.invoke('runs.approve', { runId }),
    onSuccess: (run) => applyRunUpdate(queryClient, run),
  });
}

/** Pause, resume, drain or stop; a control the run's state does not allow comes back as `control_not_allowed`. */
export function useRunControl(runId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (control: RunControl) => bridge.invoke('runs.control', { runId, control }),
    onSuccess: (run) => applyRunUpdate(queryClient, run),
  });
}

/** Creates a run as a draft that waits for approval; its repository leads the recent list from then on. */
export function useCreateRun() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewRunInput) => bridge.invoke('runs.create', input),
    onSuccess: (run) => {
      applyRunUpdate(queryClient, run);
      refreshRepos(queryClient);
    },
  });
}
