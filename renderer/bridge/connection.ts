import type { FleetBridge, HostInfo } from '../../shared/contract';

export type Transport = HostInfo['transport'];

/** The state of the link to the host; only the WebSocket transport can ever close. */
export type HostLink =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'closed'; code: number; reason: string };

/** A typed bridge plus what the status bar and the banner need to know about its transport. */
export interface FleetConnection {
  readonly bridge: FleetBridge;
  readonly transport: Transport;
  getLink(): HostLink;
  /** Returns the unsubscribe function (the shape `useSyncExternalStore` expects). */
  onLinkChange(listener: () => void): () => void;
}
