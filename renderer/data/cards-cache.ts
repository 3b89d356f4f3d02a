import type { QueryClient } from '@tanstack/react-query';
import type { Card } from '../../shared/domain';
import { assignmentKey, cardsKey } from './keys';

function newestFirst(a: Card, b: Card): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

export function sortCards(cards: readonly Card[]): Card[] {
  return [...cards].sort(newestFirst);
}

/** Replaces the card with the same assignmentId (or adds it), keeping newest-created first. */
export function upsertCard(cards: readonly Card[], card: Card): Card[] {
  return sortCards([...cards.filter((existing) => existing.assignmentId !== card.assignmentId), card]);
}

/** The cards of one fleet run; null ("All tasks") keeps every card. */
export function cardsOfRun(cards: readonly Card[], runId: string | null): Card[] {
  return runId === null ? [...cards] : cards.filter((card) => card.runId === runId);
}

/** Applies a pushed (or freshly created) card to the cache. */
export function applyCardUpdate(queryClient: QueryClient, card: Card): void {
  const loaded = queryClient.getQueryData<Card[]>(cardsKey);
  // A list still loading (or reloading) could answer with a copy older than this card: fetch again instead.
  if (!loaded || queryClient.isFetching({ queryKey: cardsKey }) > 0) {
    void queryClient.invalidateQueries({ queryKey: cardsKey });
  } else {
    queryClient.setQueryData<Card[]>(cardsKey, upsertCard(loaded, card));
  }
  void queryClient.invalidateQueries({ queryKey: assignmentKey(card.assignmentId) });
}
