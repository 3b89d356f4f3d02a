import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useBridge } from '../bridge/context';
import { applyAccountRemoval, applyAccountUpdate, applyLoginUpdate } from './accounts-cache';
import { applyCardUpdate } from './cards-cache';

/** The one place pushed events become cache updates (terminal bytes bypass React entirely). */
export function EventBridge() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribers = [
      bridge.subscribe('card.updated', (card) => applyCardUpdate(queryClient, card)),
      bridge.subscribe('account.updated', (account) => applyAccountUpdate(queryClient, account)),
      bridge.subscribe('account.removed', ({ ref }) => applyAccountRemoval(queryClient, ref)),
      bridge.subscribe('login.updated', (login) => applyLoginUpdate(queryClient, login)),
    ];
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [bridge, queryClient]);
  return null;
}
