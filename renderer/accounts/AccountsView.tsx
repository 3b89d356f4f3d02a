import { useState } from 'react';
import type { Account } from '../../shared/accounts';
import { BusyButton } from '../app/BusyButton';
import { ErrorNote } from '../app/ErrorNote';
import { useNow } from '../clock';
import { useAccounts } from '../data/queries';
import { useUiStore } from '../state/ui-store';
import { AccountCard } from './AccountCard';
import { isCooling } from './account-text';
import { LoginNotes } from './LoginNotes';
import { ProvidersPanel } from './ProvidersPanel';
import { useRefreshAccounts } from './use-account-commands';

/** "last checked 3 min ago" has minute resolution, so a slow clock is enough. */
const AGO_TICK_MS = 30_000;
/** A cooldown's countdown shows seconds. */
const COUNTDOWN_TICK_MS = 1_000;

export function AccountsView() {
  const accounts = useAccounts();
  const openDialog = useUiStore((state) => state.openDialog);
  const refresh = useRefreshAccounts();

  return (
    <div className="accounts">
      <header className="board-head">
        <h1>Accounts</h1>
        <div className="head-actions">
          <BusyButton busy={refresh.isPending} busyText="Refreshing…" onClick={() => refresh.mutate()}>
            Refresh
          </BusyButton>
          <button type="button" className="primary" onClick={() => openDialog('connect-account')}>
            Connect account
          </button>
        </div>
      </header>
      {refresh.isError && <ErrorNote error={refresh.error} />}
      <LoginNotes />
      <ProvidersPanel />
      {accounts.isPending && <p className="muted">Loading accounts…</p>}
      {accounts.isError && <ErrorNote error={accounts.error} />}
      {accounts.isSuccess &&
        (accounts.data.length === 0 ? (
          <p className="empty">
            No accounts yet. Connect a Codex or Claude account: each one lives in its own isolated home.
          </p>
        ) : (
          <AccountList accounts={accounts.data} />
        ))}
    </div>
  );
}

function AccountList({ accounts }: { accounts: Account[] }) {
  // A cooling card counts down by the second; otherwise "last checked" needs only a slow tick.
  const [cooling, setCooling] = useState(false);
  const now = useNow(true, cooling ? COUNTDOWN_TICK_MS : AGO_TICK_MS);
  const coolingNow = accounts.some((account) => isCooling(account, now));
  if (coolingNow !== cooling) setCooling(coolingNow);
  return (
    <div className="account-list">
      {accounts.map((account) => (
        <AccountCard key={account.ref} account={account} now={now} />
      ))}
    </div>
  );
}
