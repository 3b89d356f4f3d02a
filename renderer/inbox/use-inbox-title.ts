import { useEffect } from 'react';
import { useFleetConnection } from '../bridge/context';
import { useInbox } from '../data/queries';
import { useInboxNotifications } from './inbox-notifications';
import { documentTitle } from './inbox-text';

/**
 * The Inbox outside the page: in a browser tab the title carries the count (the Electron window keeps
 * its plain title), and new items that need action raise a notification once the owner asked for them.
 */
export function useInboxTitle(): void {
  useInboxNotifications();
  const { transport } = useFleetConnection();
  const count = useInbox().data?.length ?? 0;
  useEffect(() => {
    if (transport === 'websocket') document.title = documentTitle(count);
  }, [transport, count]);
}
