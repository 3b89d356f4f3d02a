import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain';
import { buildCard } from './builders';
import { applyCardUpdate, cardsOfRun, upsertCard } from './cards-cache';
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
