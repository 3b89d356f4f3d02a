import { contextBridge, ipcRenderer, type IpcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_CHANNELS,
  eventNames,
  isCommandName,
  isEventName,
  type FleetPreloadApi,
  type InvokeResult,
  type IpcEventMessage,
} from '../shared/contract';
import { ECHO_PREFIX_CHARS } from '../shared/constants';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

interface Subscription {
  handler: (payload: unknown) => void;
}

/**
 * `window.fleet`: only names in the contract get through, and the page only ever sees results and
 * payloads, never an IpcRendererEvent or ipcRenderer itself.
 */
export function createPreloadApi(ipc: IpcRendererLike): FleetPreloadApi {
  // One ipcRenderer listener fans out to every subscriber, so many panes never pile up listeners.
  const subscriptions = new Map<string, Set<Subscription>>();

  const dispatch = (_event: IpcRendererEvent, message: unknown): void => {
    if (!isEventMessage(message)) return;
    const subscribers = subscriptions.get(message.event);
    if (!subscribers) return;
    for (const subscription of [...subscribers]) {
      try {
        subscription.handler(message.payload);
      } catch (error) {
        // One failing handler must not starve the others of the same event.
        console.error(`fleet.subscribe handler for ${message.event} threw:`, error);
      }
    }
  };

  const activeCount = (): number => {
    let count = 0;
    for (const subscribers of subscriptions.values()) count += subscribers.size;
    return count;
  };

  return {
    async invoke(command: string, input: unknown): Promise<InvokeResult> {
      if (!isCommandName(command)) {
        return {
          ok: false,
          error: { code: 'unknown_command', message: `There is no command named ${JSON.stringify(String(command).slice(0, ECHO_PREFIX_CHARS))}.` },
        };
      }
      try {
        return (await ipc.invoke(IPC_CHANNELS.invoke, command, input)) as InvokeResult;
      } catch (error) {
        // Reached only when the main process has no handler or the input cannot be cloned.
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'host_unavailable', message: `${command}: ${reason}` } };
      }
    },

    subscribe(event: string, handler: (payload: unknown) => void): () => void {
      if (!isEventName(event)) {
        throw new Error(
          `There is no event named ${JSON.stringify(String(event).slice(0, ECHO_PREFIX_CHARS))}; known events: ${eventNames.join(', ')}.`,
        );
      }
      if (activeCount() === 0) ipc.on(IPC_CHANNELS.event, dispatch);
      const subscription: Subscription = { handler };
      const subscribers = subscriptions.get(event) ?? new Set<Subscription>();
      subscribers.add(subscription);
      subscriptions.set(event, subscribers);

      return () => {
        if (!subscribers.delete(subscription)) return;
        if (subscribers.size === 0) subscriptions.delete(event);
        if (activeCount() === 0) ipc.removeListener(IPC_CHANNELS.event, dispatch);
      };
    },
  };
}

function isEventMessage(message: unknown): message is IpcEventMessage {
  return typeof message === 'object' && message !== null && 'event' in message && 'payload' in message;
}

contextBridge.exposeInMainWorld('fleet', createPreloadApi(ipcRenderer));
