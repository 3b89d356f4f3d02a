import type {
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  FleetBridge,
  FleetPreloadApi,
} from '../../shared/contract';
import type { FleetConnection, HostLink } from './connection';
import { BridgeError, hostUnavailable } from './errors';

const openLink: HostLink = { state: 'open' };

/** The Electron window's transport: `window.fleet`, exposed by the preload. */
export function createPreloadConnection(api: FleetPreloadApi): FleetConnection {
  const bridge: FleetBridge = {
    async invoke<K extends CommandName>(command: K, input: unknown): Promise<CommandOutput<K>> {
      let result;
      try {
        result = await api.invoke(command, input);
      } catch (error) {
        throw hostUnavailable(`${command}: the IPC call failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!result.ok) throw new BridgeError(result.error);
      // The core's router parses every output with the contract schema before replying.
      return result.value as CommandOutput<K>;
    },
    subscribe<K extends EventName>(event: K, handler: (payload: EventPayload<K>) => void): () => void {
      return api.subscribe(event, (payload) => handler(payload as EventPayload<K>));
    },
  };
  return {
    bridge,
    transport: 'ipc',
    getLink: () => openLink,
    onLinkChange: () => () => undefined,
  };
}
