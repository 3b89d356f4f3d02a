import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NewTaskInput } from '../../shared/contract';
import { useBridge } from '../bridge/context';
import { applyCardUpdate } from '../data/cards-cache';
import { refreshRepos } from '../repos/use-repos';

/** Starts a one-off task, from the New task dialog or the first-run guide; its card lands on the board at once. */
export function useCreateTask() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewTaskInput) => bridge.invoke('tasks.create', input),
    onSuccess: (card) => {
      applyCardUpdate(queryClient, card);
      refreshRepos(queryClient);
    },
  });
}
