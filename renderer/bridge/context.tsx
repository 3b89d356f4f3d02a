import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { FleetBridge } from '../../shared/contract';
import type { FleetConnection, HostLink } from './connection';

const ConnectionContext = createContext<FleetConnection | null>(null);

export function BridgeProvider({ connection, children }: { connection: FleetConnection; children: ReactNode }) {
  return <ConnectionContext value={connection}>{children}</ConnectionContext>;
}

export function useFleetConnection(): FleetConnection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useFleetConnection needs a <BridgeProvider> above it');
  return connection;
}

export function useBridge(): FleetBridge {
  return useFleetConnection().bridge;
}

export function useHostLink(): HostLink {
  const connection = useFleetConnection();
  return useSyncExternalStore(connection.onLinkChange, connection.getLink);
}
