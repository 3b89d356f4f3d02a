import type { QueryClient } from '@tanstack/react-query';
import type { Account, Login, LoginState } from '../../shared/accounts';
import { accountsKey, loginKey } from './keys';

const endedLoginStates: ReadonlySet<LoginState> = new Set(['approved', 'failed', 'expired', 'cancelled']);

export function isLoginEnded(state: LoginState): boolean {
  return endedLoginStates.has(state);
}

/** Plain code-unit order, as SQLite's default collation compares text. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The core's own order (provider, then oldest first, then ref), so a pushed update never reshuffles the cards. */
function byProviderThenCreated(a: Account, b: Account): number {
  return compareText(a.provider, b.provider) || compareText(a.createdAt, b.createdAt) || compareText(a.ref, b.ref);
}

export function sortAccounts(accounts: readonly Account[]): Account[] {
  return [...accounts].sort(byProviderThenCreated);
}

/** Replaces the account with the same ref (or adds it), keeping the list order. */
export function upsertAccount(accounts: readonly Account[], account: Account): Account[] {
  return sortAccounts([...accounts.filter((existing) => existing.ref !== account.ref), account]);
}

export function withoutAccount(accounts: readonly Account[], ref: string): Account[] {
  return accounts.filter((account) => account.ref !== ref);
}

/** Applies `change` to a loaded list; a list still (re)loading could answer with an older copy, so it is fetched again instead. */
function updateAccounts(queryClient: QueryClient, change: (accounts: readonly Account[]) => Account[]): void {
  const loaded = queryClient.getQueryData<Account[]>(accountsKey);
  if (!loaded || queryClient.isFetching({ queryKey: accountsKey }) > 0) {
    void queryClient.invalidateQueries({ queryKey: accountsKey });
    return;
  }
  queryClient.setQueryData<Account[]>(accountsKey, change(loaded));
}

/** A pushed account, or one a command answered with. */
export function applyAccountUpdate(queryClient: QueryClient, account: Account): void {
  updateAccounts(queryClient, (accounts) => upsertAccount(accounts, account));
}

export function applyAccountRemoval(queryClient: QueryClient, ref: string): void {
  updateAccounts(queryClient, (accounts) => withoutAccount(accounts, ref));
}

/**
 * The newer copy of one login wins, except that an ended login never returns to a running state:
 * a command's answer can arrive after a pushed update that already reported the end.
 */
export function mergeLogin(current: Login | undefined, incoming: Login): Login {
  if (current && isLoginEnded(current.state) && !isLoginEnded(incoming.state)) return current;
  return incoming;
}

/** A pushed login, or one a command answered with. */
export function applyLoginUpdate(queryClient: QueryClient, login: Login): void {
  queryClient.setQueryData<Login>(loginKey(login.loginId), (current) => mergeLogin(current, login));
  // The core pushes the new account too; this covers a face that missed that push.
  if (login.state === 'approved') void queryClient.invalidateQueries({ queryKey: accountsKey });
}
