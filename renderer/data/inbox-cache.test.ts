import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../shared/runs';
import { buildInboxItem } from './builders';
import { applyInboxUpdate, sortInbox } from './inbox-cache';
import { inboxKey } from './keys';

const item = buildInboxItem;
const ids = (items: readonly InboxItem[] | undefined) => items?.map((entry) => entry.id);

describe('sortInbox', () => {
  it('puts the higher-priority kind first, then the newest of a kind', () => {
    const silent = item('silent', 'worker_silent', '2026-01-01T12:00:00.000Z');
    const oldApproval = item('old', 'approval_required', '2026-01-01T09:00:00.000Z');
    const newApproval = item('new', 'approval_required', '2026-01-01T11:00:00.000Z');
    const credentials = item('creds', 'credentials_missing', '2026-01-01T13:00:00.000Z');
    expect(ids(sortInbox([silent, oldApproval, credentials, newApproval]))).toEqual(['new', 'old', 'creds', 'silent']);
  });
});

describe('applyInboxUpdate', () => {
  it('replaces the whole list, sorted', () => {
    const client = new QueryClient();
    client.setQueryData(inboxKey, [item('gone')]);
    applyInboxUpdate(client, [item('b', 'worker_silent'), item('a', 'run_blocked')]);
    expect(ids(client.getQueryData<InboxItem[]>(inboxKey))).toEqual(['a', 'b']);
  });

  it('fills a list that was never loaded, since the push is the whole inbox', () => {
    const client = new QueryClient();
    applyInboxUpdate(client, []);
    expect(client.getQueryData(inboxKey)).toEqual([]);
  });
});
