import type { QueryClient } from '@tanstack/react-query';
import type { FleetDetail, FleetFeedEntry, FleetSummary } from '../../shared/fleets';
import { fleetFeedKey, fleetKey, fleetsKey } from './keys';

/** Plain code-unit order, so two fleets created in the same millisecond keep one order. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function sortFleets(fleets: readonly FleetSummary[]): FleetSummary[] {
  return [...fleets].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || compareText(a.id, b.id));
}

/** Replaces the fleet with the same id (or adds it), keeping newest-created first. */
export function upsertFleet(fleets: readonly FleetSummary[], fleet: FleetSummary): FleetSummary[] {
  return sortFleets([...fleets.filter((existing) => existing.id !== fleet.id), fleet]);
}

/** A pushed summary: the list takes it, and the fleet's detail (workers, graph) is fetched again. */
export function applyFleetUpdate(queryClient: QueryClient, fleet: FleetSummary): void {
  const loaded = queryClient.getQueryData<FleetSummary[]>(fleetsKey);
  // A list still loading could answer with a copy older than this one: fetch again instead.
  if (!loaded || queryClient.isFetching({ queryKey: fleetsKey }) > 0) {
    void queryClient.invalidateQueries({ queryKey: fleetsKey });
  } else {
    queryClient.setQueryData<FleetSummary[]>(fleetsKey, upsertFleet(loaded, fleet));
  }
  void queryClient.invalidateQueries({ queryKey: fleetKey(fleet.id) });
}

/** A command's answer (launch, kill, relaunch) is the fleet's whole detail: both caches take it. */
export function applyFleetDetail(queryClient: QueryClient, detail: FleetDetail): void {
  queryClient.setQueryData<FleetDetail>(fleetKey(detail.summary.id), detail);
  applyFleetUpdate(queryClient, detail.summary);
}

/** The feed as loaded: its entries in cursor order and the cursor to page on from. */
export interface FeedPage {
  entries: FleetFeedEntry[];
  cursor: number;
}

/** Adds entries it does not have yet (by cursor), in cursor order: a page and a pushed event may overlap. */
export function mergeFeed(current: FeedPage, incoming: readonly FleetFeedEntry[]): FeedPage {
  const known = new Set(current.entries.map((entry) => entry.cursor));
  const added = incoming.filter((entry) => !known.has(entry.cursor));
  if (added.length === 0) return current;
  const entries = [...current.entries, ...added].sort((a, b) => a.cursor - b.cursor);
  return { entries, cursor: Math.max(current.cursor, entries.at(-1)?.cursor ?? 0) };
}

/** Pushed feed lines join a loaded feed; one still loading is fetched again so nothing falls between. */
export function applyFeedEntries(queryClient: QueryClient, fleetId: string, entries: readonly FleetFeedEntry[]): void {
  const key = fleetFeedKey(fleetId);
  const loaded = queryClient.getQueryData<FeedPage>(key);
  if (!loaded || queryClient.isFetching({ queryKey: key }) > 0) {
    void queryClient.invalidateQueries({ queryKey: key });
    return;
  }
  queryClient.setQueryData<FeedPage>(key, mergeFeed(loaded, entries));
}
