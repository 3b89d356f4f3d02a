import { z } from 'zod';
import type { Card } from '../../shared/domain';
import type { FleetRun, InboxItem } from '../../shared/runs';
import { cardLine } from '../board/card-controls';

/** What the owner can narrow a list by, besides the search text. */
export const facets = ['state', 'provider', 'account', 'run', 'repository'] as const;
export type Facet = (typeof facets)[number];

export const findFilterSchema = z.object({
  text: z.string(),
  facets: z.partialRecord(z.enum(facets), z.string()),
});
/** A search text (every word must appear) and at most one chosen value per facet. */
export type FindFilter = z.infer<typeof findFilterSchema>;

export const emptyFilter: FindFilter = { text: '', facets: {} };

/**
 * One card, run or Inbox item as search sees it: the words it can be found by, and its value for each facet
 * (absent when the facet says nothing about it, e.g. an account's Inbox item has no run).
 */
export interface Findable {
  text: readonly string[];
  facets: Partial<Record<Facet, string>>;
}

export function isFiltering(filter: FindFilter): boolean {
  return filter.text.trim() !== '' || Object.values(filter.facets).some((value) => value !== undefined);
}

/**
 * The one rule of search, for the Board, the Runs view and the Inbox: every word of the search text appears
 * (case-insensitive) in one of the item's texts, and the item has each chosen facet value. An item the facet
 * says nothing about does not match a chosen value: "show what is about this account" hides the rest.
 */
export function matchesFilter(item: Findable, filter: FindFilter): boolean {
  for (const facet of facets) {
    const wanted = filter.facets[facet];
    if (wanted !== undefined && item.facets[facet] !== wanted) return false;
  }
  const words = filter.text.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return true;
  const haystack = item.text.join('\n').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** The values a facet's picker offers: those the items have, plus the chosen one so it can still be seen and cleared. */
export function facetValues(items: readonly Findable[], facet: Facet, chosen: string | undefined): string[] {
  const values = new Set<string>();
  for (const item of items) {
    const value = item.facets[facet];
    if (value !== undefined) values.add(value);
  }
  if (chosen !== undefined) values.add(chosen);
  return [...values].sort((a, b) => a.localeCompare(b));
}

/** A card is found by its title, account, repository, branch and last message. */
export function cardFindable(card: Card): Findable {
  return {
    text: [card.workUnit.title, card.workUnit.key, card.accountRef, card.repo.path, card.repo.branch, cardLine(card)],
    facets: {
      state: card.state,
      provider: card.workerKind,
      account: card.accountRef,
      repository: card.repo.path,
      ...(card.runId === null ? {} : { run: card.runId }),
    },
  };
}

/** A run is found by its name, repository and branch; its provider is the worker kind it dispatches. */
export function runFindable(run: FleetRun): Findable {
  return {
    text: [run.name, run.repoPath, run.branch, run.waitingDetail],
    facets: { state: run.state, provider: run.workerKind, run: run.id, repository: run.repoPath },
  };
}

/**
 * An Inbox item names its run, assignment or account in its refs; the run's and the card's own facts fill in
 * the repository, account and provider it is about. Its state is its kind (a failure, a rate limit, …).
 */
export function inboxFindable(
  item: InboxItem,
  cardsById: ReadonlyMap<string, Card>,
  runsById: ReadonlyMap<string, FleetRun>,
): Findable {
  const card = item.refs.assignment === undefined ? undefined : cardsById.get(item.refs.assignment);
  const runId = item.refs.run ?? card?.runId ?? undefined;
  const run = runId === undefined ? undefined : runsById.get(runId);
  const account = item.refs.account ?? card?.accountRef;
  const repository = card?.repo.path ?? run?.repoPath;
  const provider = card?.workerKind ?? run?.workerKind;
  return {
    text: [
      item.title,
      item.detail,
      ...Object.values(item.refs),
      ...(card ? [card.workUnit.title, card.repo.path, card.repo.branch] : []),
      ...(run ? [run.name, run.repoPath, run.branch] : []),
    ],
    facets: {
      state: item.kind,
      ...(provider === undefined ? {} : { provider }),
      ...(account === undefined ? {} : { account }),
      ...(runId === undefined ? {} : { run: runId }),
      ...(repository === undefined ? {} : { repository }),
    },
  };
}
