import { useEffect } from 'react';
import { useFleetConnection } from '../bridge/context';
import { useInbox } from '../data/queries';
import { documentTitle } from './inbox-text';

/** In a browser tab the title carries the inbox count; the Electron window keeps its plain title. */
export function useInboxTitle(): void {
  const { transport } = useFleetConnection();
  const count = useInbox().data?.length ?? 0;
  useEffect(() => {
    if (transport === 'websocket') document.title = documentTitle(count);
  }, [transport, count]);
}
