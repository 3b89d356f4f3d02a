import type { FleetBridge, HostInfo } from '../../shared/contract';

export type Transport = HostInfo['transport'];

/** The state of the link to the host; only the WebSocket transport can ever close. */
export type HostLink =
  | { state: 'connecting' }
  | { state: 'open' }
  /** The link was open and dropped (a host restart): the page tries again until the host answers. */
  | { state: 'reconnecting' }
  | { state: 'closed'; code: number; reason: string; cause: LinkEnd };

/**
 * How the link ended. The host refuses a bad token or a foreign page with an HTTP status before the
 * socket opens, which a browser only reports as code 1006, so a socket that never opened is told
 * apart by asking the host for its page: it answers (refused) or does not (unreachable).
 */
export type LinkEnd = 'closed' | 'refused' | 'unreachable';

/** A typed bridge plus what the status bar and the banner need to know about its transport. */
export interface FleetConnection {
  readonly bridge: FleetBridge;
  readonly transport: Transport;
  getLink(): HostLink;
  /** Returns the unsubscribe function (the shape `useSyncExternalStore` expects). */
  onLinkChange(listener: () => void): () => void;
}
