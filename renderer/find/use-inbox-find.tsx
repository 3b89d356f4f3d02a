import { useCallback, useMemo } from 'react';
import type { Card } from '../../shared/domain';
import type { FleetRun, InboxItem } from '../../shared/runs';
import { useCards, useRuns } from '../data/queries';
import { inboxKindLabels } from '../inbox/inbox-text';
import { NoMatches, useFind, type FacetChoice } from './FindBar';
import { inboxFindable } from './filter';

const noItems: InboxItem[] = [];

/**
 * The Inbox's search: the items its filter lets through, and the bar (with the "nothing matches" note when
 * it hides them all). An item's run, card and account fill in what its refs only name.
 */
export function useInboxFind(items: readonly InboxItem[] | undefined) {
  const cards = useCards();
  const runs = useRuns();
  const cardsById = useMemo(() => new Map<string, Card>(cards.data?.map((card) => [card.assignmentId, card])), [cards.data]);
  const runsById = useMemo(() => new Map<string, FleetRun>(runs.data?.map((run) => [run.id, run])), [runs.data]);
  const toFindable = useCallback((item: InboxItem) => inboxFindable(item, cardsById, runsById), [cardsById, runsById]);
  const choices = useMemo<FacetChoice[]>(
    () => [
      { facet: 'state', label: 'Kind', valueLabel: (kind) => inboxKindLabels[kind as InboxItem['kind']] ?? kind },
      { facet: 'provider', label: 'Provider' },
      { facet: 'account', label: 'Account' },
      { facet: 'run', label: 'Run', valueLabel: (runId) => runsById.get(runId)?.name ?? runId },
      { facet: 'repository', label: 'Repository' },
    ],
    [runsById],
  );
  const all = items ?? noItems;
  const find = useFind('inbox', all, toFindable, choices);
  const hidesAll = find.filtering && all.length > 0 && find.shown.length === 0;
  const bar =
    all.length === 0 ? null : (
      <>
        {find.bar}
        {hidesAll && <NoMatches view="inbox" />}
      </>
    );
  return { shown: find.shown, bar };
}
