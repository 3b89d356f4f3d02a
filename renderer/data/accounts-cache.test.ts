import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { loginStates, type Account, type Login } from '../../shared/accounts';
import {
  applyAccountRemoval,
  applyAccountUpdate,
  applyLoginUpdate,
  isLoginEnded,
  mergeLogin,
  sortAccounts,
  upsertAccount,
  withoutAccount,
} from './accounts-cache';
import { buildAccount, buildLogin } from './builders';
import { accountsKey, loginKey } from './keys';

const account = buildAccount;
const login = buildLogin;

const codexOld = account('codex', 'codex', '2026-01-01T10:00:00.000Z');
const codexNew = account('codex-2', 'codex', '2026-01-02T10:00:00.000Z');
const claude = account('claude', 'claude', '2026-01-03T10:00:00.000Z');
const refs = (accounts: readonly Account[] | undefined) => accounts?.map((a) => a.ref);

describe('sortAccounts', () => {
  it('orders by provider, then oldest created first', () => {
    expect(refs(sortAccounts([codexNew, claude, codexOld]))).toEqual(['claude', 'codex', 'codex-2']);
  });

  it('breaks a tie on the ref in plain code-unit order, as the core does', () => {
    const at = '2026-01-05T10:00:00.000Z';
    expect(refs(sortAccounts([account('codexa', 'codex', at), account('codex-b', 'codex', at)]))).toEqual([
      'codex-b',
      'codexa',
    ]);
  });
});

describe('upsertAccount / withoutAccount', () => {
  it('adds a new account in its sorted place', () => {
    expect(refs(upsertAccount([claude, codexNew], codexOld))).toEqual(['claude', 'codex', 'codex-2']);
  });

  it('replaces the account with the same ref', () => {
    const updated = upsertAccount([claude, codexOld], { ...codexOld, paused: true });
    expect(updated.map((a) => [a.ref, a.paused])).toEqual([
      ['claude', false],
      ['codex', true],
    ]);
  });

  it('removes by ref', () => {
    expect(refs(withoutAccount([claude, codexOld], 'claude'))).toEqual(['codex']);
  });
});

describe('applyAccountUpdate / applyAccountRemoval', () => {
  it('upserts into and removes from a loaded list', () => {
    const client = new QueryClient();
    client.setQueryData(accountsKey, [codexOld]);
    applyAccountUpdate(client, claude);
    expect(refs(client.getQueryData<Account[]>(accountsKey))).toEqual(['claude', 'codex']);
    applyAccountRemoval(client, 'codex');
    expect(refs(client.getQueryData<Account[]>(accountsKey))).toEqual(['claude']);
  });

  it('leaves a list that was never loaded to its own fetch', () => {
    const client = new QueryClient();
    applyAccountUpdate(client, claude);
    applyAccountRemoval(client, 'codex');
    expect(client.getQueryData(accountsKey)).toBeUndefined();
  });
});

describe('mergeLogin', () => {
  it('takes the incoming copy while the login runs', () => {
    expect(mergeLogin(login('starting'), login('waiting_for_approval')).state).toBe('waiting_for_approval');
    expect(mergeLogin(undefined, login('starting')).state).toBe('starting');
  });

  it('never reopens an ended login with a late running copy', () => {
    expect(mergeLogin(login('approved'), login('waiting_for_approval')).state).toBe('approved');
  });

  it('knows which states are ended', () => {
    expect(loginStates.filter(isLoginEnded)).toEqual(['approved', 'failed', 'expired', 'cancelled']);
  });
});

describe('applyLoginUpdate', () => {
  it('keeps the newest copy under the login key', () => {
    const client = new QueryClient();
    applyLoginUpdate(client, login('waiting_for_approval'));
    applyLoginUpdate(client, login('failed'));
    applyLoginUpdate(client, login('waiting_for_approval'));
    expect(client.getQueryData<Login>(loginKey('l1'))?.state).toBe('failed');
  });

  it('refetches the accounts once a login is approved', () => {
    const client = new QueryClient();
    client.setQueryData(accountsKey, [codexOld]);
    applyLoginUpdate(client, login('waiting_for_approval'));
    expect(client.getQueryState(accountsKey)?.isInvalidated).toBe(false);
    applyLoginUpdate(client, login('approved'));
    expect(client.getQueryState(accountsKey)?.isInvalidated).toBe(true);
  });
});
