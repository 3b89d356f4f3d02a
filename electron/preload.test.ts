import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type InvokeResult } from '../shared/contract';
import { createPreloadApi, type IpcRendererLike } from './preload';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}));
vi.mock('electron', () => electron);

class FakeIpcRenderer extends EventEmitter {
  readonly invoke = vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>();

  /** What the main process's `webContents.send(IPC_CHANNELS.event, message)` looks like here. */
  push(message: unknown): void {
    this.emit(IPC_CHANNELS.event, { sender: this, ports: [] }, message);
  }
}

let ipc: FakeIpcRenderer;
let api: ReturnType<typeof createPreloadApi>;

beforeEach(() => {
  ipc = new FakeIpcRenderer();
  api = createPreloadApi(ipc as unknown as IpcRendererLike);
});

describe('preload module', () => {
  it('exposes exactly one api, as window.fleet, with invoke and subscribe', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [key, exposed] = electron.contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
    expect(key).toBe('fleet');
    expect(Object.keys(exposed as object).sort()).toEqual(['invoke', 'subscribe']);
  });
});

describe('fleet.invoke', () => {
  it('answers unknown_command for a name outside the contract without touching ipcRenderer', async () => {
    const result = await api.invoke('fs.readFile', { path: '/etc/passwd' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('rejects prototype names such as toString', async () => {
    const result = await api.invoke('toString', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('passes a contract command through on the invoke channel and returns the envelope', async () => {
    const envelope: InvokeResult = { ok: true, value: { version: '0.1.0' } };
    ipc.invoke.mockResolvedValue(envelope);
    await expect(api.invoke('host.info', {})).resolves.toEqual(envelope);
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_CHANNELS.invoke, 'host.info', {});
  });

  it('turns a failed ipcRenderer.invoke into an error envelope instead of rejecting', async () => {
    ipc.invoke.mockRejectedValue(new Error("No handler registered for 'fleet:invoke'"));
    await expect(api.invoke('cards.list', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'host_unavailable', message: expect.stringContaining('No handler registered') },
    });
  });
});

describe('fleet.subscribe', () => {
  it('throws synchronously for an event outside the contract and registers nothing', () => {
    expect(() => api.subscribe('ipc.raw', () => {})).toThrow(/no event named "ipc.raw"/);
    expect(ipc.listenerCount(IPC_CHANNELS.event)).toBe(0);
  });

  it('hands the handler only the payload of its own event', () => {
    const handler = vi.fn();
    api.subscribe('card.updated', handler);
    const payload = { assignmentId: 'a1' };

    ipc.push({ event: 'terminal.data', payload: { assignmentId: 'a1', start: 0, data: 'x' } });
    ipc.push({ event: 'card.updated', payload });

    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]).toEqual([payload]);
  });

  it('ignores malformed messages on the event channel', () => {
    const handler = vi.fn();
    api.subscribe('card.updated', handler);
    ipc.push('card.updated');
    ipc.push(null);
    expect(handler).not.toHaveBeenCalled();
  });

  it('unsubscribe stops only that subscription and removes the ipc listener with the last one', () => {
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribeFirst = api.subscribe('terminal.finished', first);
    const unsubscribeSecond = api.subscribe('terminal.finished', second);
    expect(ipc.listenerCount(IPC_CHANNELS.event)).toBe(1);

    unsubscribeFirst();
    unsubscribeFirst();
    ipc.push({ event: 'terminal.finished', payload: { assignmentId: 'a1', end: 3 } });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);

    unsubscribeSecond();
    expect(ipc.listenerCount(IPC_CHANNELS.event)).toBe(0);
  });

  it('keeps the same handler subscribed twice as two subscriptions', () => {
    const handler = vi.fn();
    const unsubscribe = api.subscribe('card.updated', handler);
    api.subscribe('card.updated', handler);
    unsubscribe();
    ipc.push({ event: 'card.updated', payload: {} });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('still reaches the other handlers when one throws', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    api.subscribe('card.updated', () => {
      throw new Error('boom');
    });
    api.subscribe('card.updated', after);
    ipc.push({ event: 'card.updated', payload: {} });
    expect(after).toHaveBeenCalledTimes(1);
    expect(consoleError).toHaveBeenCalled();
    consoleError.mockRestore();
  });
});
