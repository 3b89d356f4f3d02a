import { QueryClient, useQuery } from '@tanstack/react-query';
import { useBridge } from '../bridge/context';
import { sortCards } from './cards-cache';
import { assignmentKey, cardsKey, hostInfoKey } from './keys';

/** Pushed events keep the cache fresh, so nothing refetches on its own and typed errors are not retried. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: Number.POSITIVE_INFINITY, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

export function useCards() {
  const bridge = useBridge();
  return useQuery({
    queryKey: cardsKey,
    queryFn: async () => sortCards(await bridge.invoke('cards.list', {})),
  });
}

export function useAssignment(assignmentId: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: assignmentKey(assignmentId),
    queryFn: () => bridge.invoke('assignments.get', { assignmentId }),
  });
}

export function useHostInfo() {
  const bridge = useBridge();
  return useQuery({ queryKey: hostInfoKey, queryFn: () => bridge.invoke('host.info', {}) });
}
