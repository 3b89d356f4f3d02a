import { QueryClient, useQuery } from '@tanstack/react-query';
import { useBridge } from '../bridge/context';
import { sortAccounts } from './accounts-cache';
import { sortCards } from './cards-cache';
import { sortInbox } from './inbox-cache';
import { sortFleets, type FeedPage } from './fleets-cache';
import {
  accountsKey,
  assignmentKey,
  cardsKey,
  fleetFeedKey,
  fleetKey,
  fleetPromptKey,
  fleetReportKey,
  fleetsKey,
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

export function useFleets() {
  const bridge = useBridge();
  return useQuery({
    queryKey: fleetsKey,
    queryFn: async () => sortFleets(await bridge.invoke('fleets.list', {})),
  });
}

/**
 * One fleet's detail, asked for by its root (commands take a fleet's name or root) and kept under its
 * id, which is what events and Inbox actions carry; refetched on `fleet.updated`.
 */
export function useFleetDetail(fleetId: string, root: string) {
  const bridge = useBridge();
  return useQuery({ queryKey: fleetKey(fleetId), queryFn: () => bridge.invoke('fleets.get', { fleet: root }) });
}

/** The most feed lines one page may carry (the contract's limit). */
const FEED_PAGE_LIMIT = 2_000;

/** The whole feed so far, page after page; `fleet.feed` events extend it from then on. */
export function useFleetFeed(fleetId: string, root: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: fleetFeedKey(fleetId),
    queryFn: async (): Promise<FeedPage> => {
      const entries: FeedPage['entries'] = [];
      let cursor = 0;
      for (;;) {
        const page = await bridge.invoke('fleets.feed', { fleet: root, after: cursor, limit: FEED_PAGE_LIMIT });
        entries.push(...page.entries);
        if (page.entries.length < FEED_PAGE_LIMIT || page.cursor <= cursor) return { entries, cursor: page.cursor };
        cursor = page.cursor;
      }
    },
  });
}

/** A worker's prompt.md, read from disk each time the editor opens. */
export function useFleetPrompt(fleetId: string, root: string, workerId: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: fleetPromptKey(fleetId, workerId),
    queryFn: () => bridge.invoke('fleets.prompt', { fleet: root, workerId }),
    gcTime: 0,
  });
}

/** Writes report.md in the fleet root and returns it; the Report tab fetches it when opened or asked. */
export function useFleetReport(fleetId: string, root: string) {
  const bridge = useBridge();
  return useQuery({
    queryKey: fleetReportKey(fleetId),
    queryFn: () => bridge.invoke('fleets.report', { fleet: root }),
    gcTime: 0,
  });
}
