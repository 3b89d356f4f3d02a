import type { QueryClient } from '@tanstack/react-query';
import { inboxKinds, type InboxItem } from '../../shared/runs';
import { inboxKey } from './keys';

/** fleet-model.md lists the kinds highest priority first, so a kind's index is its rank. */
function byPriorityThenNewest(a: InboxItem, b: InboxItem): number {
  return inboxKinds.indexOf(a.kind) - inboxKinds.indexOf(b.kind) || Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

/** Highest-priority kind first, newest first within a kind. */
export function sortInbox(items: readonly InboxItem[]): InboxItem[] {
  return [...items].sort(byPriorityThenNewest);
}

/** `inbox.updated` carries the whole list, so it replaces whatever the cache held. */
export function applyInboxUpdate(queryClient: QueryClient, items: readonly InboxItem[]): void {
  queryClient.setQueryData<InboxItem[]>(inboxKey, sortInbox(items));
}
