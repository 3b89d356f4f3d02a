import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { FleetDetail, FleetSummary } from '../../shared/fleets';
import { buildFeedEntry, buildFleetSummary } from './builders';
import { applyFeedEntries, applyFleetDetail, applyFleetUpdate, mergeFeed, sortFleets, upsertFleet, type FeedPage } from './fleets-cache';
import { fleetFeedKey, fleetKey, fleetsKey } from './keys';

const older = buildFleetSummary('f1', '2026-01-01T10:00:00.000Z');
const newer = buildFleetSummary('f2', '2026-01-01T11:00:00.000Z');
const ids = (fleets: readonly FleetSummary[] | undefined) => fleets?.map((fleet) => fleet.id);
const cursors = (page: FeedPage | undefined) => page?.entries.map((entry) => entry.cursor);

describe('sortFleets / upsertFleet', () => {
  it('orders newest-created first, then by id', () => {
    const twin = buildFleetSummary('f0', newer.createdAt);
    expect(ids(sortFleets([older, newer, twin]))).toEqual(['f0', 'f2', 'f1']);
  });

  it('adds a new fleet and replaces one with the same id', () => {
    expect(ids(upsertFleet([older], newer))).toEqual(['f2', 'f1']);
    const killed: FleetSummary = { ...older, state: 'killed' };
    expect(upsertFleet([newer, older], killed).map((fleet) => [fleet.id, fleet.state])).toEqual([
      ['f2', 'running'],
      ['f1', 'killed'],
    ]);
  });
});

describe('mergeFeed', () => {
  it('adds only unseen entries, in cursor order, and moves the cursor to the newest', () => {
    const page: FeedPage = { entries: [buildFeedEntry(1), buildFeedEntry(2)], cursor: 2 };
    const merged = mergeFeed(page, [buildFeedEntry(4), buildFeedEntry(2), buildFeedEntry(3)]);
    expect(cursors(merged)).toEqual([1, 2, 3, 4]);
    expect(merged.cursor).toBe(4);
  });

  it('returns the same page when nothing is new', () => {
    const page: FeedPage = { entries: [buildFeedEntry(1)], cursor: 1 };
    expect(mergeFeed(page, [buildFeedEntry(1)])).toBe(page);
  });
});

describe('cache updates', () => {
  it('a pushed summary replaces the listed fleet and marks its detail stale', () => {
    const client = new QueryClient();
    client.setQueryData(fleetsKey, [newer, older]);
    const detail = { summary: older, workers: [], layers: [], ascii: '', mermaid: '' } satisfies FleetDetail;
    client.setQueryData(fleetKey('f1'), detail);
    applyFleetUpdate(client, { ...older, state: 'finished' });
    expect(client.getQueryData<FleetSummary[]>(fleetsKey)?.map((fleet) => fleet.state)).toEqual(['running', 'finished']);
    expect(client.getQueryState(fleetKey('f1'))?.isInvalidated).toBe(true);
  });

  it("a command's detail answer fills the detail and the list", () => {
    const client = new QueryClient();
    client.setQueryData(fleetsKey, [older]);
    applyFleetDetail(client, { summary: newer, workers: [], layers: [['a']], ascii: 'a', mermaid: 'graph TD' });
    expect(ids(client.getQueryData(fleetsKey))).toEqual(['f2', 'f1']);
    expect(client.getQueryData<FleetDetail>(fleetKey('f2'))?.layers).toEqual([['a']]);
  });

  it('pushed feed lines join a loaded feed and leave an unloaded one alone', () => {
    const client = new QueryClient();
    client.setQueryData<FeedPage>(fleetFeedKey('f1'), { entries: [buildFeedEntry(1)], cursor: 1 });
    applyFeedEntries(client, 'f1', [buildFeedEntry(2, 'w2', 'tool_call')]);
    applyFeedEntries(client, 'f2', [buildFeedEntry(1)]);
    expect(cursors(client.getQueryData(fleetFeedKey('f1')))).toEqual([1, 2]);
    expect(client.getQueryData(fleetFeedKey('f2'))).toBeUndefined();
  });
});
