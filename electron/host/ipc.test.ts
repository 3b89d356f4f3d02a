import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type InvokeResult } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { Connection, Core } from '../core';
import { createSenderCheck, registerIpcHost, type IpcMainLike, type SenderCheck } from './ipc';

vi.mock('electron', () => ({ ipcMain: { handle: vi.fn(), removeHandler: vi.fn() } }));

const APP_URL = 'file:///opt/khala/resources/app.asar/out/renderer/index.html';

class FakeWebContents extends EventEmitter {
  destroyed = false;
  readonly send = vi.fn();
  constructor(readonly id: number) {
    super();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** A stand-in for the core: records invokes and connections, answers every command with ok. */
function createFakeCore() {
  const connections: Connection[] = [];
  const detach = vi.fn();
  const invoke = vi.fn(
    async (command: unknown, _input: unknown, _connection: Connection): Promise<Result<unknown>> => ({
      ok: true,
      value: { command },
    }),
  );
  const core: Core = {
    dataDir: '/tmp/khala-test',
    router: { invoke },
    connect(connection) {
      connections.push(connection);
      return detach;
    },
    liveWorkers: () => 0,
    close: async () => {},
  };
  return { core, connections, detach, invoke };
}

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<InvokeResult>;

function createFakeIpcMain() {
  const handlers = new Map<string, InvokeHandler>();
  const ipc = {
    handle: vi.fn((channel: string, handler: InvokeHandler) => handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
  const call = (event: IpcMainInvokeEvent, command: unknown, input: unknown): Promise<InvokeResult> => {
    const handler = handlers.get(IPC_CHANNELS.invoke);
    if (!handler) throw new Error('no invoke handler registered');
    return handler(event, command, input);
  };
  return { ipc: ipc as unknown as IpcMainLike, handlers, call };
}

function invokeEvent(sender: FakeWebContents, frame: { url: string; parent: unknown } | null): IpcMainInvokeEvent {
  return { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

const appFrame = { url: `${APP_URL}#/board`, parent: null };

describe('createSenderCheck', () => {
  const window = new FakeWebContents(1);
  const check = createSenderCheck(APP_URL, () => window as unknown as WebContents);

  it('trusts the top frame of the main window showing the app', () => {
    expect(check(invokeEvent(window, appFrame))).toBe(true);
  });

  it('refuses a frame showing another URL', () => {
    expect(check(invokeEvent(window, { url: 'https://evil.example/', parent: null }))).toBe(false);
    expect(check(invokeEvent(window, { url: 'file:///tmp/other.html', parent: null }))).toBe(false);
  });

  it('refuses a sub-frame, a missing frame, and a foreign webContents', () => {
    expect(check(invokeEvent(window, { url: APP_URL, parent: {} }))).toBe(false);
    expect(check(invokeEvent(window, null))).toBe(false);
    expect(check(invokeEvent(new FakeWebContents(2), appFrame))).toBe(false);
  });

  it('refuses everything while there is no window', () => {
    const noWindow = createSenderCheck(APP_URL, () => undefined);
    expect(noWindow(invokeEvent(window, appFrame))).toBe(false);
  });

  it('refuses a frame that throws on access (disposed)', () => {
    const event = {
      sender: window,
      get senderFrame() {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    } as unknown as IpcMainInvokeEvent;
    expect(check(event)).toBe(false);
  });
});

describe('registerIpcHost', () => {
  let window: FakeWebContents;
  let fake: ReturnType<typeof createFakeCore>;
  let ipcMain: ReturnType<typeof createFakeIpcMain>;
  let unregister: () => void;

  beforeEach(() => {
    window = new FakeWebContents(7);
    fake = createFakeCore();
    ipcMain = createFakeIpcMain();
    const isTrusted: SenderCheck = createSenderCheck(APP_URL, () => window as unknown as WebContents);
    unregister = registerIpcHost(fake.core, isTrusted, ipcMain.ipc);
  });

  it('registers exactly one handler, on the invoke channel', () => {
    expect([...ipcMain.handlers.keys()]).toEqual([IPC_CHANNELS.invoke]);
  });

  it('answers an untrusted frame URL with unauthorized and never calls the router', async () => {
    const result = await ipcMain.call(invokeEvent(window, { url: 'https://evil.example/', parent: null }), 'cards.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(fake.invoke).not.toHaveBeenCalled();
    expect(fake.connections).toHaveLength(0);
  });

  it('answers a foreign webContents with unauthorized and never calls the router', async () => {
    const result = await ipcMain.call(invokeEvent(new FakeWebContents(8), appFrame), 'cards.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(fake.invoke).not.toHaveBeenCalled();
  });

  it('passes a trusted call to the router with one ipc connection per window', async () => {
    const input = { assignmentId: 'a1' };
    await expect(ipcMain.call(invokeEvent(window, appFrame), 'assignments.get', input)).resolves.toEqual({
      ok: true,
      value: { command: 'assignments.get' },
    });
    await ipcMain.call(invokeEvent(window, appFrame), 'cards.list', {});

    expect(fake.connections).toHaveLength(1);
    const connection = fake.connections[0];
    expect(connection?.transport).toBe('ipc');
    expect(fake.invoke).toHaveBeenNthCalledWith(1, 'assignments.get', input, connection);
    expect(fake.invoke).toHaveBeenNthCalledWith(2, 'cards.list', {}, connection);
  });

  it('delivers events the core emits to webContents.send on the event channel', async () => {
    await ipcMain.call(invokeEvent(window, appFrame), 'host.info', {});
    const payload = { paneId: 'a1', end: 42 };
    fake.connections[0]?.emit('terminal.finished', payload);
    expect(window.send).toHaveBeenCalledWith(IPC_CHANNELS.event, { event: 'terminal.finished', payload });
  });

  it('detaches when the webContents is destroyed and sends nothing afterwards', async () => {
    await ipcMain.call(invokeEvent(window, appFrame), 'host.info', {});
    const connection = fake.connections[0];
    window.destroy();
    expect(fake.detach).toHaveBeenCalledTimes(1);
    connection?.emit('terminal.finished', { paneId: 'a1', end: 1 });
    expect(window.send).not.toHaveBeenCalled();
  });

  it('returns an error envelope instead of throwing when the core throws', async () => {
    fake.invoke.mockRejectedValueOnce(new Error('store closed'));
    await expect(ipcMain.call(invokeEvent(window, appFrame), 'cards.list', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('store closed') },
    });
  });

  it('unregister removes the handler and detaches every window once', async () => {
    await ipcMain.call(invokeEvent(window, appFrame), 'host.info', {});
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    expect(fake.detach).toHaveBeenCalledTimes(1);
    window.destroy();
    expect(fake.detach).toHaveBeenCalledTimes(1);
  });
});
