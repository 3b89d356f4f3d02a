import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useBridge } from '../bridge/context';
import { applyAccountRemoval, applyAccountUpdate, applyLoginUpdate } from './accounts-cache';
import { cancelPushedCards, flushPushedCards, queuePushedCard } from './cards-cache';
import { applyFeedEntries, applyFleetUpdate } from './fleets-cache';
import { applyInboxUpdate } from './inbox-cache';
import { applyRunUpdate } from './runs-cache';

/** The one place pushed events become cache updates (terminal bytes bypass React entirely). */
export function EventBridge() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribers = [
      // Cards are the flood under load (every worker's every step): one cache update per frame.
      bridge.subscribe('card.updated', (card) => queuePushedCard(queryClient, card)),
      bridge.subscribe('account.updated', (account) => applyAccountUpdate(queryClient, account)),
      bridge.subscribe('account.removed', ({ ref }) => applyAccountRemoval(queryClient, ref)),
      bridge.subscribe('login.updated', (login) => applyLoginUpdate(queryClient, login)),
      bridge.subscribe('run.updated', (run) => applyRunUpdate(queryClient, run)),
      bridge.subscribe('inbox.updated', (items) => applyInboxUpdate(queryClient, items)),
      bridge.subscribe('fleet.updated', (fleet) => applyFleetUpdate(queryClient, fleet)),
      bridge.subscribe('fleet.feed', ({ fleetId, entries }) => applyFeedEntries(queryClient, fleetId, entries)),
      // Back after a lost link: whatever was pushed meanwhile is read again.
      bridge.subscribe('host.reconnected', () => {
        flushPushedCards(queryClient);
        void queryClient.invalidateQueries();
      }),
    ];
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      cancelPushedCards(queryClient);
    };
  }, [bridge, queryClient]);
  return null;
}
