import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain';
import { buildCard } from './builders';
import { applyCardUpdate, cancelPushedCards, cardsOfRun, queuePushedCard, upsertCard, upsertCards } from './cards-cache';
import type { FrameScheduler } from './frame-batch';
import { cardsKey } from './keys';

const card = buildCard;

const older = card('a1', '2026-01-01T10:00:00.000Z');
const newer = card('a2', '2026-01-01T11:00:00.000Z');

describe('upsertCard', () => {
  it('adds a new card newest-created first', () => {
    expect(upsertCard([older], newer).map((c) => c.assignmentId)).toEqual(['a2', 'a1']);
  });

  it('replaces the card with the same assignment in place of the old copy', () => {
    const updated = upsertCard([newer, older], { ...older, lastLine: 'completed' });
    expect(updated.map((c) => [c.assignmentId, c.lastLine])).toEqual([
      ['a2', 'accepted'],
      ['a1', 'completed'],
    ]);
  });
});

describe('applyCardUpdate', () => {
  it('upserts into a loaded list', () => {
    const client = new QueryClient();
    client.setQueryData(cardsKey, [older]);
    applyCardUpdate(client, newer);
    expect(client.getQueryData<Card[]>(cardsKey)?.map((c) => c.assignmentId)).toEqual(['a2', 'a1']);
  });

  it('leaves a list that was never loaded to its own fetch', () => {
    const client = new QueryClient();
    applyCardUpdate(client, newer);
    expect(client.getQueryData(cardsKey)).toBeUndefined();
  });
});

describe('cardsOfRun', () => {
  it('keeps the cards of the selected run, or every card for "All tasks"', () => {
    const ofRun: Card = { ...newer, runId: 'r1' };
    const cards = [ofRun, older];
    expect(cardsOfRun(cards, 'r1').map((c) => c.assignmentId)).toEqual(['a2']);
    expect(cardsOfRun(cards, null).map((c) => c.assignmentId)).toEqual(['a2', 'a1']);
  });
});

/** A frame that comes only when the test says so. */
function manualFrames() {
  let pending: (() => void) | null = null;
  const schedule: FrameScheduler = (run) => {
    pending = run;
    return () => {
      pending = null;
    };
  };
  return {
    schedule,
    get waiting() {
      return pending !== null;
    },
    frame() {
      const run = pending;
      pending = null;
      run?.();
    },
  };
}

function countCardListUpdates(client: QueryClient): () => number {
  let updates = 0;
  client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'success' && event.query.queryKey[0] === cardsKey[0]) updates += 1;
  });
  return () => updates;
}

describe('upsertCards', () => {
  it('applies a batch in one list, the later copy of an assignment winning, untouched cards kept as they were', () => {
    const untouched = card('a0', '2026-01-01T09:00:00.000Z');
    const updated = upsertCards([newer, older, untouched], [{ ...older, lastLine: 'first' }, card('a3', '2026-01-01T12:00:00.000Z'), { ...older, lastLine: 'second' }]);
    expect(updated.map((c) => [c.assignmentId, c.lastLine])).toEqual([
      ['a3', 'accepted'],
      ['a2', 'accepted'],
      ['a1', 'second'],
      ['a0', 'accepted'],
    ]);
    expect(updated.find((c) => c.assignmentId === 'a0')).toBe(untouched);
  });
});

describe('queuePushedCard', () => {
  it('applies every card pushed before a frame in one cache update at that frame', () => {
    const client = new QueryClient();
    client.setQueryData(cardsKey, [older]);
    const updates = countCardListUpdates(client);
    const frames = manualFrames();
    const pushed = Array.from({ length: 50 }, (_, index) => card(`p${index}`, `2026-01-02T10:00:${String(index).padStart(2, '0')}.000Z`));
    for (const one of pushed) queuePushedCard(client, one, frames.schedule);
    expect(client.getQueryData<Card[]>(cardsKey)).toHaveLength(1);
    expect(updates()).toBe(0);

    frames.frame();
    expect(updates()).toBe(1);
    expect(client.getQueryData<Card[]>(cardsKey)).toHaveLength(51);
    expect(frames.waiting).toBe(false);
  });

  it('applies waiting pushed cards before a command answer, so an earlier copy never lands over the answer', () => {
    const client = new QueryClient();
    client.setQueryData(cardsKey, [older]);
    const frames = manualFrames();
    queuePushedCard(client, { ...older, lastLine: 'pushed earlier' }, frames.schedule);
    applyCardUpdate(client, { ...older, lastLine: 'answered' });
    frames.frame();
    expect(client.getQueryData<Card[]>(cardsKey)?.map((c) => c.lastLine)).toEqual(['answered']);
  });

  it('drops the waiting cards when cancelled', () => {
    const client = new QueryClient();
    client.setQueryData(cardsKey, [older]);
    const frames = manualFrames();
    queuePushedCard(client, newer, frames.schedule);
    cancelPushedCards(client);
    frames.frame();
    expect(client.getQueryData<Card[]>(cardsKey)?.map((c) => c.assignmentId)).toEqual(['a1']);
  });
});
