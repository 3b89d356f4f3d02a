import { randomUUID } from 'node:crypto';
import type { InboxItem } from '../../shared/runs';
import type { Connection } from '../core/connection';

/**
 * Watches the Inbox for the desktop app: each critical item raises one OS notification when it
 * first appears, and the dock/taskbar badge shows how many items wait.
 */
export function inboxNotifier(os: { notify(title: string, body: string): void; setBadge(count: number): void }): Connection {
  const notified = new Set<string>();
  return {
    id: `inbox-notifier-${randomUUID()}`,
    transport: 'ipc',
    emit(event, payload) {
      if (event !== 'inbox.updated') return;
      const items = payload as InboxItem[];
      os.setBadge(items.length);
      for (const item of items) {
        if (item.severity !== 'critical' || notified.has(item.id)) continue;
        notified.add(item.id);
        os.notify(item.title, item.detail);
      }
      // An item that went away and comes back later is news again.
      const present = new Set(items.map((item) => item.id));
      for (const id of notified) if (!present.has(id)) notified.delete(id);
    },
  };
}
