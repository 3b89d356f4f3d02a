import { countReady } from '../accounts/account-text';
import { useFleetConnection, useHostLink } from '../bridge/context';
import { errorText, isHostUnavailable } from '../bridge/errors';
import { useAccounts, useCards, useHostInfo } from '../data/queries';
import { formatCount, plural } from '../format';
import { READY_COUNT_TICK_MS, useNow } from '../clock';

const linkWords = { connecting: 'connecting', open: 'connected', reconnecting: 'reconnecting', closed: 'disconnected' } as const;

export function StatusBar() {
  const connection = useFleetConnection();
  const link = useHostLink();
  const hostInfo = useHostInfo();
  const cards = useCards().data ?? [];
  const accounts = useAccounts().data;
  const now = useNow(true, READY_COUNT_TICK_MS);
  const exactTokens = cards.reduce((sum, card) => sum + card.tokens.exactTotal, 0);
  const transport = hostInfo.data?.transport ?? connection.transport;

  return (
    <footer className="status-bar" aria-label="Status bar">
      <span className={`link link-${link.state}`}>
        host {linkWords[link.state]} ({transport})
      </span>
      {hostInfo.data && <span>v{hostInfo.data.version}</span>}
      {hostInfo.isError && !isHostUnavailable(hostInfo.error) && <span className="error">{errorText(hostInfo.error)}</span>}
      {accounts && <span>{plural(countReady(accounts, now), 'account ready', 'accounts ready')}</span>}
      <span>{plural(cards.length, 'worker', 'workers')}</span>
      <span>{formatCount(exactTokens)} tokens exact</span>
    </footer>
  );
}
