import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { FleetRun } from '../../shared/runs';
import { buildRun } from './builders';
import { runKey, runsKey } from './keys';
import { applyRunUpdate, mergeRun, sortRuns, upsertRun } from './runs-cache';

const older = buildRun('r1', '2026-01-01T10:00:00.000Z');
const newer = buildRun('r2', '2026-01-01T11:00:00.000Z');
const ids = (runs: readonly FleetRun[] | undefined) => runs?.map((run) => run.id);

describe('sortRuns / upsertRun', () => {
  it('orders newest-created first, then by id', () => {
    const twin = buildRun('r0', newer.createdAt);
    expect(ids(sortRuns([older, newer, twin]))).toEqual(['r0', 'r2', 'r1']);
  });

  it('adds a new run in its place and replaces one with the same id', () => {
    expect(ids(upsertRun([older], newer))).toEqual(['r2', 'r1']);
    const paused: FleetRun = { ...older, state: 'paused', updatedAt: '2026-01-01T12:00:00.000Z' };
    expect(upsertRun([newer, older], paused).map((run) => [run.id, run.state])).toEqual([
      ['r2', 'running'],
      ['r1', 'paused'],
    ]);
  });
});

describe('mergeRun', () => {
  const paused: FleetRun = { ...older, state: 'paused', updatedAt: '2026-01-01T12:00:00.000Z' };

  it('keeps a later copy over an earlier one that arrives after it', () => {
    expect(mergeRun(paused, older).state).toBe('paused');
  });

  it('takes the incoming copy when it is as new or newer', () => {
    expect(mergeRun(older, paused).state).toBe('paused');
    expect(mergeRun(undefined, older)).toBe(older);
  });
});

describe('applyRunUpdate', () => {
  it('upserts into a loaded list and marks the run detail stale', () => {
    const client = new QueryClient();
    client.setQueryData(runsKey, [older]);
    client.setQueryData(runKey('r2'), { run: newer, log: [] });
    applyRunUpdate(client, newer);
    expect(ids(client.getQueryData<FleetRun[]>(runsKey))).toEqual(['r2', 'r1']);
    expect(client.getQueryState(runKey('r2'))?.isInvalidated).toBe(true);
  });

  it('leaves a list that was never loaded to its own fetch', () => {
    const client = new QueryClient();
    applyRunUpdate(client, newer);
    expect(client.getQueryData(runsKey)).toBeUndefined();
  });
});
