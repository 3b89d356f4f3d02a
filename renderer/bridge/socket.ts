import type {
  ClientMessage,
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
  FleetBridge,
  InvokeResult,
} from '../../shared/contract';
import { WS_CLOSE, WS_PATH } from '../../shared/constants';
import type { FleetConnection, HostLink, LinkEnd } from './connection';
import { BridgeError, hostUnavailable } from './errors';

/** What the owner can do about the close codes the host uses to end a connection. */
const closeRemedies: Record<number, { name: string; remedy: string }> = {
  [WS_CLOSE.overloaded]: {
    name: 'overloaded',
    remedy: 'the board fell too far behind reading what the host sent; reload the board',
  },
};

interface Pending {
  resolve(value: unknown): void;
  reject(error: BridgeError): void;
}

type AnyHandler = (payload: unknown) => void;

/** `ws(s)://<this host>/ws?token=<token from #token=...>`: the host serves the board and the socket on one port. */
export function socketUrl(location: Location): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

export function describeClose(link: Extract<HostLink, { state: 'closed' }>): string {
  if (link.cause === 'refused') {
    return "The host refused the connection: the link's token is not this host's (it was rotated, or the link is another host's). Open the board URL the host printed.";
  }
  if (link.cause === 'unreachable') {
    return 'The host is not answering. Once it runs again, open the board URL it prints.';
  }
  const known = closeRemedies[link.code];
  if (known) return `The host closed the connection (${link.reason || known.name}): ${known.remedy}.`;
  const why = link.reason ? `, ${link.reason}` : '';
  return `The connection to the host closed (code ${link.code}${why}). Reload the board once the host is back.`;
}

/** Whether the host that served this page still answers over plain HTTP. */
async function hostAnswers(socketAddress: string): Promise<boolean> {
  try {
    const page = new URL('/', socketAddress.replace(/^ws/, 'http'));
    await fetch(page, { method: 'HEAD', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** While a lost host is away the page asks again this often: a restart takes a second or two. */
export const RECONNECT_INTERVAL_MS = 1_000;

/**
 * Browser mode's transport: one WebSocket at a time speaking the contract's JSON frames. A link
 * that was open and drops is opened again until the host answers (or refuses the token), and then
 * `host.reconnected` tells the page to ask again for what it shows.
 */
export function createSocketConnection(url: string): FleetConnection {
  const pending = new Map<number, Pending>();
  const handlers = new Map<string, Set<AnyHandler>>();
  const linkListeners = new Set<() => void>();
  // Invokes made before the first socket opens are sent once it does.
  const outbox: string[] = [];
  let nextId = 1;
  let link: HostLink = { state: 'connecting' };
  let everOpened = false;

  const setLink = (next: HostLink): void => {
    link = next;
    for (const listener of linkListeners) listener();
  };

  const dispatch = (event: string, payload: unknown): void => {
    const listeners = handlers.get(event);
    if (!listeners) return;
    for (const handler of listeners) {
      // One failing subscriber must not starve the others (a pane's bytes share this loop with cards).
      try {
        handler(payload);
      } catch (error) {
        console.error(`${event} handler failed:`, error);
      }
    }
  };

  let socket: WebSocket;
  const open = (): void => {
    const current = new WebSocket(url);
    socket = current;
    let opened = false;
    current.addEventListener('open', () => {
      opened = true;
      const reconnected = everOpened;
      everOpened = true;
      for (const frame of outbox.splice(0)) current.send(frame);
      setLink({ state: 'open' });
      if (reconnected) dispatch('host.reconnected', {});
    });

    current.addEventListener('close', (event) => {
      const end = async (): Promise<LinkEnd> => {
        if (opened) return 'closed';
        return (await hostAnswers(url)) ? 'refused' : 'unreachable';
      };
      void end().then((cause) => {
        // What was sent on this socket is lost with it, and refused rather than sent again later.
        const reconnecting = everOpened && cause !== 'refused';
        outbox.length = 0;
        const closed = { state: 'closed', code: event.code, reason: event.reason, cause } as const;
        const error = hostUnavailable(reconnecting ? 'The host is not answering: reconnecting.' : describeClose(closed));
        for (const waiter of pending.values()) waiter.reject(error);
        pending.clear();
        if (!reconnecting) {
          setLink(closed);
          return;
        }
        setLink({ state: 'reconnecting' });
        setTimeout(open, RECONNECT_INTERVAL_MS);
      });
    });

    current.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as
        | { t: 'result'; id: number; result: InvokeResult }
        | { t: 'event'; event: string; payload: unknown };
      if (message.t === 'result') {
        const waiter = pending.get(message.id);
        if (!waiter) return;
        pending.delete(message.id);
        if (message.result.ok) waiter.resolve(message.result.value);
        else waiter.reject(new BridgeError(message.result.error));
        return;
      }
      dispatch(message.event, message.payload);
    });
  };
  open();

  const bridge: FleetBridge = {
    invoke<K extends CommandName>(command: K, input: unknown): Promise<CommandOutput<K>> {
      if (link.state === 'closed') {
        return Promise.reject(hostUnavailable(describeClose(link)));
      }
      // Nothing is queued for a host that may never come back: the owner acts again once it has.
      if (link.state === 'reconnecting') {
        return Promise.reject(hostUnavailable('The host is not answering: reconnecting.'));
      }
      const id = nextId++;
      const frame: ClientMessage = { t: 'invoke', id, command, input };
      const text = JSON.stringify(frame);
      return new Promise<CommandOutput<K>>((resolve, reject) => {
        // The core's router parses every output with the contract schema before replying.
        pending.set(id, { resolve: (value) => resolve(value as CommandOutput<K>), reject });
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
        else outbox.push(text);
      });
    },
    subscribe<K extends EventName>(event: K, handler: (payload: EventPayload<K>) => void): () => void {
      const listeners = handlers.get(event) ?? new Set<AnyHandler>();
      handlers.set(event, listeners);
      const untyped = handler as AnyHandler;
      listeners.add(untyped);
      return () => {
        listeners.delete(untyped);
      };
    },
  };

  return {
    bridge,
    transport: 'websocket',
    getLink: () => link,
    onLinkChange(listener) {
      linkListeners.add(listener);
      return () => {
        linkListeners.delete(listener);
      };
    },
  };
}
