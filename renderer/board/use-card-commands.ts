import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBridge } from '../bridge/context';
import { applyCardUpdate } from '../data/cards-cache';

/** Stops the card's worker (SIGINT, then harder); the card comes back interrupted. */
export function useInterruptWorker(assignmentId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => bridge.invoke('assignments.interrupt', { assignmentId }),
    onSuccess: (updated) => applyCardUpdate(queryClient, updated),
  });
}

/** Runs the unit again as a new assignment with the owner's (edited) prompt; the new card is put in the cache. */
export function useRetryWorker(assignmentId: string) {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (prompt: string) => bridge.invoke('assignments.retry', { assignmentId, prompt }),
    onSuccess: (retried) => applyCardUpdate(queryClient, retried),
  });
}
