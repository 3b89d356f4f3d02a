import { QueryClient, useQuery } from '@tanstack/react-query';
import { useBridge } from '../bridge/context';
import { sortAccounts } from './accounts-cache';
import { sortCards } from './cards-cache';
import { sortInbox } from './inbox-cache';
import {
  accountsKey,
  assignmentKey,
  cardsKey,
  hostInfoKey,
  inboxKey,
  loginKey,
  providersKey,
  rawLogKey,
  runKey,
  runsKey,
  settingsKey,
} from './keys';
import { sortRuns } from './runs-cache';

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

export function useRawLog(assignmentId: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: rawLogKey(assignmentId),
    queryFn: () => bridge.invoke('assignments.rawLog', { assignmentId }),
  });
}

export function useHostInfo() {
  const bridge = useBridge();
  return useQuery({ queryKey: hostInfoKey, queryFn: () => bridge.invoke('host.info', {}) });
}

export function useAccounts() {
  const bridge = useBridge();
  return useQuery({
    queryKey: accountsKey,
    queryFn: async () => sortAccounts(await bridge.invoke('accounts.list', {})),
  });
}

export function useProviders() {
  const bridge = useBridge();
  return useQuery({ queryKey: providersKey, queryFn: () => bridge.invoke('providers.list', {}) });
}

export function useSettings() {
  const bridge = useBridge();
  return useQuery({ queryKey: settingsKey, queryFn: () => bridge.invoke('settings.get', {}) });
}

/** Usually already in the cache: seeded by the command that started the login, then kept by `login.updated`. */
export function useLogin(loginId: string) {
  const bridge = useBridge();
  return useQuery({ queryKey: loginKey(loginId), queryFn: () => bridge.invoke('logins.get', { loginId }) });
}

export function useRuns() {
  const bridge = useBridge();
  return useQuery({
    queryKey: runsKey,
    queryFn: async () => sortRuns(await bridge.invoke('runs.list', {})),
  });
}

/** The run with its claims-and-skips log; refetched on `run.updated` while something shows it. */
export function useRunDetail(runId: string) {
  const bridge = useBridge();
  return useQuery({ queryKey: runKey(runId), queryFn: () => bridge.invoke('runs.get', { runId }) });
}

export function useInbox() {
  const bridge = useBridge();
  return useQuery({
    queryKey: inboxKey,
    queryFn: async () => sortInbox(await bridge.invoke('inbox.list', {})),
  });
}
