import { ipcMain, type IpcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CHANNELS, type InvokeResult, type IpcEventMessage } from '../../shared/contract';
import type { FleetErrorValue } from '../../shared/errors';
import type { Connection, Core } from '../core';
import { isAppUrl } from '../shell/window-policy';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type IpcCore = Pick<Core, 'router' | 'connect'>;

/** What the preload receives on `IPC_CHANNELS.event`. */
/**
 * Only the top frame of the app's own window, showing the app's own document, may call the core:
 * a navigated-away, embedded or foreign frame is refused even if it somehow got the preload.
 */
export function createSenderCheck(appUrl: string, trustedContents: () => WebContents | undefined): SenderCheck {
  return (event) => {
    try {
      const frame = event.senderFrame;
      const trusted = trustedContents();
      return (
        frame !== null &&
        frame.parent === null &&
        isAppUrl(appUrl, frame.url) &&
        trusted !== undefined &&
        event.sender === trusted
      );
    } catch {
      // A frame disposed mid-check throws on access; a frame that is gone is not trusted.
      return false;
    }
  };
}

/**
 * Binds the core's router to Electron IPC: one handler for every command, one connection per
 * window. Always answers with the result envelope, never throws across IPC (contextBridge would
 * keep only the message). Returns a function that unregisters the handler and detaches every window.
 */
export function registerIpcHost(core: IpcCore, isTrustedSender: SenderCheck, ipc: IpcMainLike = ipcMain): () => void {
  const attached = new Map<number, { connection: Connection; detach: () => void }>();

  const release = (contentsId: number): void => {
    const entry = attached.get(contentsId);
    if (!entry) return;
    attached.delete(contentsId);
    entry.detach();
  };

  const connectionFor = (contents: WebContents): Connection => {
    const existing = attached.get(contents.id);
    if (existing) return existing.connection;
    const connection: Connection = {
      id: `ipc:${contents.id}`,
      transport: 'ipc',
      emit(event, payload) {
        if (contents.isDestroyed()) return;
        const message: IpcEventMessage = { event, payload };
        contents.send(IPC_CHANNELS.event, message);
      },
    };
    attached.set(contents.id, { connection, detach: core.connect(connection) });
    contents.once('destroyed', () => release(contents.id));
    return connection;
  };

  ipc.handle(IPC_CHANNELS.invoke, async (event, command: unknown, input: unknown): Promise<InvokeResult> => {
    if (!isTrustedSender(event)) {
      return failure({ code: 'unauthorized', message: 'Only the Khala Fleet Board window may call the core.' });
    }
    try {
      return await core.router.invoke(command, input, connectionFor(event.sender));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return failure({ code: 'internal', message: `The IPC host could not reach the core: ${reason}` });
    }
  });

  return () => {
    ipc.removeHandler(IPC_CHANNELS.invoke);
    for (const contentsId of [...attached.keys()]) release(contentsId);
  };
}

function failure(error: FleetErrorValue): InvokeResult {
  return { ok: false, error };
}
