import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useBridge } from '../bridge/context';
import { applyAccountRemoval, applyAccountUpdate, applyLoginUpdate } from './accounts-cache';
import { applyCardUpdate } from './cards-cache';
import { applyFeedEntries, applyFleetUpdate } from './fleets-cache';
import { applyInboxUpdate } from './inbox-cache';
import { rawLogKey } from './keys';
import { applyRunUpdate } from './runs-cache';

/** The one place pushed events become cache updates (terminal bytes bypass React entirely). */
export function EventBridge() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribers = [
      bridge.subscribe('card.updated', (card) => {
        applyCardUpdate(queryClient, card);
        // Each lifecycle step may have added raw events; only an open Raw view refetches.
        void queryClient.invalidateQueries({ queryKey: rawLogKey(card.assignmentId) });
      }),
      bridge.subscribe('account.updated', (account) => applyAccountUpdate(queryClient, account)),
      bridge.subscribe('account.removed', ({ ref }) => applyAccountRemoval(queryClient, ref)),
      bridge.subscribe('login.updated', (login) => applyLoginUpdate(queryClient, login)),
      bridge.subscribe('run.updated', (run) => applyRunUpdate(queryClient, run)),
      bridge.subscribe('inbox.updated', (items) => applyInboxUpdate(queryClient, items)),
      bridge.subscribe('fleet.updated', (fleet) => applyFleetUpdate(queryClient, fleet)),
      bridge.subscribe('fleet.feed', ({ fleetId, entries }) => applyFeedEntries(queryClient, fleetId, entries)),
      // Back after a lost link: whatever was pushed meanwhile is read again.
      bridge.subscribe('host.reconnected', () => void queryClient.invalidateQueries()),
    ];
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [bridge, queryClient]);
  return null;
}
