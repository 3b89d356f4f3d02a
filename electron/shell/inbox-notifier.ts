import { randomUUID } from 'node:crypto';
import { InboxNotices } from '../../shared/inbox-notices';
import type { InboxItem } from '../../shared/runs';
import type { Connection } from '../core/connection';

/**
 * Watches the Inbox for the desktop app: each item that needs action raises one OS notification when
 * it first appears (by the shared rule, not for what was there at start), and the dock/taskbar badge
 * shows how many items wait.
 */
export function inboxNotifier(os: { notify(title: string, body: string): void; setBadge(count: number): void }): Connection {
  const notices = new InboxNotices();
  return {
    id: `inbox-notifier-${randomUUID()}`,
    transport: 'ipc',
    emit(event, payload) {
      if (event !== 'inbox.updated') return;
      const items = payload as InboxItem[];
      os.setBadge(items.length);
      for (const item of notices.fresh(items)) os.notify(item.title, item.detail);
    },
  };
}
