import { needsAction, type InboxItem } from './runs';

/**
 * Which Inbox items are news worth an OS notification, for every face (the desktop shell, the browser
 * page): an item that needs action, the first time it is in the Inbox. The first list seen is what was
 * there already, so opening the app never raises a flood; an item that leaves and comes back (a
 * snooze that ended, a cause that arose again) is news again.
 */
export class InboxNotices {
  private seen: Set<string> | null = null;

  fresh(items: readonly InboxItem[]): InboxItem[] {
    const actionable = items.filter(needsAction);
    const before = this.seen;
    this.seen = new Set(actionable.map((item) => item.id));
    return before === null ? [] : actionable.filter((item) => !before.has(item.id));
  }
}
