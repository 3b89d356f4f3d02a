import type { QueryClient } from '@tanstack/react-query';
import type { Card } from '../../shared/domain';
import { createFrameBatch, nextAnimationFrame, type FrameBatch, type FrameScheduler } from './frame-batch';
import { assignmentKey, cardsKey, rawLogKey } from './keys';

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

/**
 * Replaces or adds every card of a batch (a later copy of the same assignment wins), sorting once;
 * cards the batch does not touch keep their identity, so memoised card components skip them.
 */
export function upsertCards(cards: readonly Card[], batch: readonly Card[]): Card[] {
  const latest = new Map<string, Card>();
  for (const card of batch) latest.set(card.assignmentId, card);
  return sortCards([...cards.filter((existing) => !latest.has(existing.assignmentId)), ...latest.values()]);
}

/** Pushed cards waiting for the next frame, per cache. */
const pushedCards = new WeakMap<QueryClient, FrameBatch<Card>>();

/**
 * A card pushed by the core: gathered with the others pushed before the next frame and applied with
 * them in one cache update. Each lifecycle step may have added raw events; only an open Raw view refetches.
 */
export function queuePushedCard(queryClient: QueryClient, card: Card, schedule: FrameScheduler = nextAnimationFrame): void {
  let batch = pushedCards.get(queryClient);
  if (!batch) {
    batch = createFrameBatch<Card>((cards) => {
      applyCardUpdates(queryClient, cards);
      for (const assignmentId of new Set(cards.map((pushed) => pushed.assignmentId))) {
        void queryClient.invalidateQueries({ queryKey: rawLogKey(assignmentId) });
      }
    }, schedule);
    pushedCards.set(queryClient, batch);
  }
  batch.add(card);
}

/** Applies the pushed cards still waiting for their frame (before a reconnect's refetch, before a command's answer). */
export function flushPushedCards(queryClient: QueryClient): void {
  pushedCards.get(queryClient)?.flush();
}

/** Drops the pushed cards still waiting (the board is going away). */
export function cancelPushedCards(queryClient: QueryClient): void {
  pushedCards.get(queryClient)?.cancel();
}

/**
 * Applies a card a command answered with. Cards pushed before it are applied first, so a copy that
 * arrived earlier never lands over it a frame later.
 */
export function applyCardUpdate(queryClient: QueryClient, card: Card): void {
  flushPushedCards(queryClient);
  applyCardUpdates(queryClient, [card]);
}

/** Applies the cards pushed within one frame as one cache update: one sort, one re-render of the board. */
export function applyCardUpdates(queryClient: QueryClient, cards: readonly Card[]): void {
  if (cards.length === 0) return;
  const loaded = queryClient.getQueryData<Card[]>(cardsKey);
  // A list still loading (or reloading) could answer with a copy older than these cards: fetch again instead.
  if (!loaded || queryClient.isFetching({ queryKey: cardsKey }) > 0) {
    void queryClient.invalidateQueries({ queryKey: cardsKey });
  } else {
    queryClient.setQueryData<Card[]>(cardsKey, upsertCards(loaded, cards));
  }
  for (const assignmentId of new Set(cards.map((card) => card.assignmentId))) {
    void queryClient.invalidateQueries({ queryKey: assignmentKey(assignmentId) });
  }
}
