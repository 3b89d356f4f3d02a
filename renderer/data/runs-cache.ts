import type { QueryClient } from '@tanstack/react-query';
import type { FleetRun } from '../../shared/runs';
import { runKey, runsKey } from './keys';

/** Plain code-unit order, so two runs created in the same millisecond keep one order. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function newestFirst(a: FleetRun, b: FleetRun): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || compareText(a.id, b.id);
}

export function sortRuns(runs: readonly FleetRun[]): FleetRun[] {
  return [...runs].sort(newestFirst);
}

/**
 * The later copy of one run wins: a command's answer can arrive after a pushed update that already
 * reported a newer state, and must not put the run back (an owner's pause is never undone by a late echo).
 */
export function mergeRun(current: FleetRun | undefined, incoming: FleetRun): FleetRun {
  if (current && Date.parse(current.updatedAt) > Date.parse(incoming.updatedAt)) return current;
  return incoming;
}

/** Replaces the run with the same id (or adds it), keeping newest-created first. */
export function upsertRun(runs: readonly FleetRun[], run: FleetRun): FleetRun[] {
  const current = runs.find((existing) => existing.id === run.id);
  return sortRuns([...runs.filter((existing) => existing.id !== run.id), mergeRun(current, run)]);
}

/** A pushed run, or one a command answered with; its claims-and-skips log is fetched again. */
export function applyRunUpdate(queryClient: QueryClient, run: FleetRun): void {
  const loaded = queryClient.getQueryData<FleetRun[]>(runsKey);
  // A list still loading (or reloading) could answer with a copy older than this run: fetch again instead.
  if (!loaded || queryClient.isFetching({ queryKey: runsKey }) > 0) {
    void queryClient.invalidateQueries({ queryKey: runsKey });
  } else {
    queryClient.setQueryData<FleetRun[]>(runsKey, upsertRun(loaded, run));
  }
  void queryClient.invalidateQueries({ queryKey: runKey(run.id) });
}
