import type { FleetPreloadApi } from '../../shared/contract';
import type { FleetConnection } from './connection';
import { createPreloadConnection } from './preload';
import { createSocketConnection, socketUrl } from './socket';

/** The Electron window has `window.fleet`; a browser tab served by the headless host does not. */
export function connectToHost(): FleetConnection {
  const { fleet } = window as Window & { fleet?: FleetPreloadApi };
  if (fleet) return createPreloadConnection(fleet);
  return createSocketConnection(socketUrl(window.location));
}
