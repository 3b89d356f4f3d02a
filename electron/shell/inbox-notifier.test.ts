import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../shared/runs';
import { inboxNotifier } from './inbox-notifier';

const item = (id: string, severity: InboxItem['severity']): InboxItem => ({
  id,
  kind: severity === 'critical' ? 'credentials_missing' : 'approval_required',
  severity,
  title: `title ${id}`,
  detail: `detail ${id}`,
  refs: {},
  action: { kind: 'open_run', runId: 'r' },
  actionLabel: 'Open run',
  createdAt: '2026-11-22T00:00:00.000Z',
});

describe('the inbox notifier', () => {
  it('notifies each critical item once while it stays, badges the count, and notifies again if it returns', () => {
    const notes: string[] = [];
    const badges: number[] = [];
    const notifier = inboxNotifier({ notify: (title) => notes.push(title), setBadge: (n) => badges.push(n) });
    notifier.emit('inbox.updated', [item('a', 'critical'), item('b', 'warning')]);
    notifier.emit('inbox.updated', [item('a', 'critical'), item('b', 'warning'), item('c', 'critical')]);
    notifier.emit('inbox.updated', []);
    notifier.emit('inbox.updated', [item('a', 'critical')]);
    notifier.emit('card.updated', {} as never);
    expect(notes).toEqual(['title a', 'title c', 'title a']);
    expect(badges).toEqual([2, 3, 0, 1]);
  });
});
