import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RunControl } from '../../shared/runs';
import { useBridge } from '../bridge/context';
import { applyRunUpdate } from '../data/runs-cache';

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
