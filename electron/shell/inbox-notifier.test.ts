import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../shared/runs';
import { inboxNotifier } from './inbox-notifier';

const item = (id: string, severity: InboxItem['severity']): InboxItem => ({
  id,
  kind: severity === 'critical' ? 'credentials_missing' : severity === 'info' ? 'ready_for_review' : 'approval_required',
  severity,
  title: `title ${id}`,
  detail: `detail ${id}`,
  refs: {},
  action: { kind: 'open_run', runId: 'r' },
  actionLabel: 'Open run',
  createdAt: '2026-11-22T00:00:00.000Z',
});

describe('the inbox notifier', () => {
  it('notifies each item that needs action once, not those there at start nor info items; badges the count; notifies again if one returns', () => {
    const notes: string[] = [];
    const badges: number[] = [];
    const notifier = inboxNotifier({ notify: (title) => notes.push(title), setBadge: (n) => badges.push(n) });
    notifier.emit('inbox.updated', [item('a', 'critical'), item('b', 'warning')]);
    notifier.emit('inbox.updated', [item('a', 'critical'), item('b', 'warning'), item('c', 'critical'), item('d', 'warning'), item('e', 'info')]);
    notifier.emit('inbox.updated', []);
    notifier.emit('inbox.updated', [item('a', 'critical')]);
    notifier.emit('card.updated', {} as never);
    expect(notes).toEqual(['title c', 'title d', 'title a']);
    expect(badges).toEqual([2, 5, 0, 1]);
  });
});
