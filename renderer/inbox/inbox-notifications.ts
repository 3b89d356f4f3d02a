import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { InboxNotices } from '../../shared/inbox-notices';
import { useFleetConnection } from '../bridge/context';
import { useInbox } from '../data/queries';
import { useUiStore } from '../state/ui-store';

/** Where the browser keeps the owner's "Notify me" choice. */
const NOTIFY_STORAGE_KEY = 'khala.inbox-notify';

/** Whether the owner asked for OS notifications in this browser; the permission itself is the browser's. */
export const useNotifySetting = create<{ enabled: boolean; setEnabled(enabled: boolean): void }>()(
  persist((set) => ({ enabled: false, setEnabled: (enabled) => set({ enabled }) }), {
    name: NOTIFY_STORAGE_KEY,
    storage: createJSONStorage(() => localStorage),
  }),
);

/** The Web Notifications API where this browser has one (an insecure origin or an old browser has none). */
export function webNotifications(): typeof Notification | null {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : null;
}

/**
 * Browser mode: each new Inbox item that needs action raises one Web Notification, once the owner
 * turned them on and the browser allows them. The desktop app's shell notifies through the OS itself.
 */
export function useInboxNotifications(): void {
  const { transport } = useFleetConnection();
  const items = useInbox().data;
  const enabled = useNotifySetting((state) => state.enabled);
  const showSection = useUiStore((state) => state.showSection);
  // The first list the page sees is what was there at load: it is never announced.
  const notices = useRef(new InboxNotices());

  useEffect(() => {
    if (items === undefined) return;
    const fresh = notices.current.fresh(items);
    const api = webNotifications();
    if (transport !== 'websocket' || !enabled || api === null || api.permission !== 'granted') return;
    for (const item of fresh) {
      // The tag makes a repeat of the same item replace its notification rather than stack.
      const notification = new api(item.title, { body: item.detail, tag: item.id });
      notification.onclick = () => {
        window.focus();
        showSection('inbox');
      };
    }
  }, [items, transport, enabled, showSection]);
}
