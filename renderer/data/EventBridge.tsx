import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useBridge } from '../bridge/context';
import { applyCardUpdate } from './cards-cache';

/** The one place pushed events become cache updates (terminal bytes bypass React entirely). */
export function EventBridge() {
  const bridge = useBridge();
  const queryClient = useQueryClient();
  useEffect(() => bridge.subscribe('card.updated', (card) => applyCardUpdate(queryClient, card)), [bridge, queryClient]);
  return null;
}
