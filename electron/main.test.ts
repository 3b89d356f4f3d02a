import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../shared/contract';

/** Fakes for everything main.ts touches; reset before each test. */
const fakes = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const state = {
    gotLock: true,
    appListeners: new Map<string, Listener>(),
    windows: [] as { options: unknown; listeners: Map<string, Listener>; loaded: string | undefined }[],
    calls: [] as string[],
    /** Which button the owner picks in a message box. */
    messageBoxResponse: 0,
    /** Workers the fake core runs when the app quits. */
    liveWorkers: 0,
  };
  const app = {
    requestSingleInstanceLock: () => state.gotLock,
    enableSandbox: () => {},
    whenReady: () => Promise.resolve(),
    setPath: (name: string, value: string) => state.calls.push(`app.setPath ${name} ${value}`),
    getVersion: () => '9.9.9',
    quit: () => state.calls.push('app.quit'),
    exit: (code: number) => state.calls.push(`app.exit ${code}`),
    on: (name: string, listener: Listener) => state.appListeners.set(name, listener),
  };
  class BrowserWindow {
    readonly listeners = new Map<string, Listener>();
    readonly webContents = { id: 1 };
    loaded: string | undefined;
    constructor(readonly options: unknown) {
      state.windows.push(this);
    }
    once(name: string, listener: Listener) {
      this.listeners.set(name, listener);
    }
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
    }
    loadFile(file: string) {
      this.loaded = file;
      return Promise.resolve();
    }
    show() {
      state.calls.push('window.show');
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    focus() {
      state.calls.push('window.focus');
    }
  }
  const electron = {
    app,
    BrowserWindow,
    dialog: {
      showErrorBox: (title: string) => state.calls.push(`dialog ${title}`),
      // Electron takes (options) or (window, options).
      showMessageBox: (...args: unknown[]) => {
        const options = args.at(-1) as { message: string; buttons: string[] };
        state.calls.push(`dialog ${options.message}: ${options.buttons.join(' / ')}`);
        return Promise.resolve({ response: state.messageBoxResponse });
      },
    },
    shell: { openExternal: () => Promise.resolve() },
    // As on a Linux session without a keyring: secrets stay in the owner-only file.
    safeStorage: { isEncryptionAvailable: () => false },
    Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => state.calls.push('csp') },
        setPermissionRequestHandler: () => state.calls.push('permissions'),
      },
    },
    ipcMain: {
      handle: (channel: string) => state.calls.push(`ipc.handle ${channel}`),
      removeHandler: (channel: string) => state.calls.push(`ipc.removeHandler ${channel}`),
    },
  };
  const core = {
    dataDir: '',
    router: { invoke: () => Promise.resolve({ ok: true, value: {} }) },
    connect: () => () => {},
    liveWorkers: () => state.liveWorkers,
    close: async (options?: { workers?: string }) => {
      state.calls.push(`core.close ${options?.workers ?? 'stop'}`);
    },
  };
  const createCore = vi.fn(() => core);
  const startWebSocketHost = vi.fn(async () => ({
    port: 4567,
    token: 'per-boot-token',
    boardUrl: 'http://127.0.0.1:4567/#token=per-boot-token',
    close: async () => {
      state.calls.push('ws.close');
    },
  }));
  return { state, electron, createCore, startWebSocketHost };
});

vi.mock('electron', () => fakes.electron);
vi.mock('./core', () => ({ createCore: fakes.createCore }));
vi.mock('./host/ws', () => ({ startWebSocketHost: fakes.startWebSocketHost }));

let dataDir: string;

beforeEach(() => {
  vi.resetModules();
  fakes.state.gotLock = true;
  fakes.state.appListeners.clear();
  fakes.state.windows.length = 0;
  fakes.state.calls.length = 0;
  fakes.state.messageBoxResponse = 0;
  fakes.state.liveWorkers = 0;
  fakes.createCore.mockClear();
  fakes.startWebSocketHost.mockClear();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'khala-main-'));
  vi.stubEnv('KHALA_HOME', dataDir);
});

afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('main', () => {
  it('starts the core, both hosts and one hardened window, then quits cleanly', async () => {
    await import('./main');
    await vi.waitFor(() => expect(fakes.state.windows).toHaveLength(1));

    expect(fakes.createCore).toHaveBeenCalledWith(
      expect.objectContaining({
        dataDir,
        version: '9.9.9',
        fixtureWorkerScript: expect.stringMatching(/fixture-worker\.cjs$/),
        node: { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } },
      }),
    );
    expect(fakes.startWebSocketHost).toHaveBeenCalledWith(expect.anything(), { port: 0 });
    expect(fakes.state.calls).toEqual(
      expect.arrayContaining([`app.setPath userData ${dataDir}`, 'csp', 'permissions', `ipc.handle ${IPC_CHANNELS.invoke}`]),
    );

    const window = fakes.state.windows[0];
    expect(window?.options).toMatchObject({
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(window?.loaded).toMatch(/renderer[\\/]index\.html$/);
    window?.listeners.get('ready-to-show')?.();
    expect(fakes.state.calls).toContain('window.show');

    const hostFile = path.join(dataDir, 'host.json');
    expect(JSON.parse(fs.readFileSync(hostFile, 'utf8'))).toEqual({
      url: 'ws://127.0.0.1:4567/ws',
      token: 'per-boot-token',
      pid: process.pid,
    });
    if (process.platform !== 'win32') expect(fs.statSync(hostFile).mode & 0o777).toBe(0o600);

    fakes.state.appListeners.get('second-instance')?.();
    expect(fakes.state.calls).toContain('window.focus');

    const quit = { preventDefault: vi.fn() };
    fakes.state.calls.length = 0;
    fakes.state.appListeners.get('before-quit')?.(quit);
    fakes.state.appListeners.get('before-quit')?.({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(fakes.state.calls).toContain('app.exit 0'));

    expect(quit.preventDefault).toHaveBeenCalledTimes(1);
    expect(fakes.state.calls).toEqual([`ipc.removeHandler ${IPC_CHANNELS.invoke}`, 'ws.close', 'core.close stop', 'app.exit 0']);
    expect(fs.existsSync(hostFile)).toBe(false);
  });

  it('asks what becomes of running workers at quit: keep leaves them running, cancel does not quit', async () => {
    await import('./main');
    await vi.waitFor(() => expect(fakes.state.windows).toHaveLength(1));
    await vi.waitFor(() => expect(fs.existsSync(path.join(dataDir, 'host.json'))).toBe(true));
    fakes.state.liveWorkers = 3;
    fakes.state.messageBoxResponse = 2;
    fakes.state.calls.length = 0;
    fakes.state.appListeners.get('before-quit')?.({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(fakes.state.calls).toContain('dialog 3 workers are still running.: Keep them running / Stop all workers / Cancel'));
    // Cancelled: the app goes on; asked again, the owner keeps the workers.
    expect(fakes.state.calls.some((call) => call.startsWith('core.close') || call.startsWith('app.exit'))).toBe(false);
    fakes.state.messageBoxResponse = 0;
    fakes.state.appListeners.get('before-quit')?.({ preventDefault: vi.fn() });
    await vi.waitFor(() => expect(fakes.state.calls).toContain('app.exit 0'));
    expect(fakes.state.calls).toContain('core.close keep');
  });

  it('quits at once, starting nothing, when another instance holds the lock', async () => {
    fakes.state.gotLock = false;
    await import('./main');
    await Promise.resolve();
    expect(fakes.state.calls).toEqual([`app.setPath userData ${dataDir}`, 'app.quit']);
    expect(fakes.createCore).not.toHaveBeenCalled();
    expect(fakes.state.windows).toHaveLength(0);
  });

  it('tells the owner and exits non-zero when the core cannot start', async () => {
    fakes.createCore.mockImplementationOnce(() => {
      throw new Error('better-sqlite3 was built for another ABI');
    });
    await import('./main');
    await vi.waitFor(() => expect(fakes.state.calls).toContain('app.exit 1'));
    expect(fakes.state.calls).toContain('dialog Khala Fleet Board could not start');
    expect(fakes.state.windows).toHaveLength(0);
    expect(fs.existsSync(path.join(dataDir, 'host.json'))).toBe(false);
  });

  it('refuses a data dir owned by another user before Chromium or the core touch it', async () => {
    fs.chownSync(dataDir, 65534, 65534);
    await import('./main');
    await vi.waitFor(() => expect(fakes.state.calls).toContain('app.exit 1'));
    expect(fakes.state.calls).toContain('dialog Khala Fleet Board could not start');
    expect(fakes.state.calls.some((call) => call.startsWith('app.setPath'))).toBe(false);
    expect(fakes.createCore).not.toHaveBeenCalled();
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('offers Start fresh for a refused store: the old data moves aside and the board starts', async () => {
    const { FleetError } = await import('../shared/errors');
    fs.writeFileSync(path.join(dataDir, 'fleet.sqlite'), '');
    fs.mkdirSync(path.join(dataDir, 'runs', 'task-old'), { recursive: true });
    fakes.createCore.mockImplementationOnce(() => {
      throw new FleetError('store_unrecognized', 'fleet.sqlite is empty, but runs/ in the data dir belong to an earlier store');
    });
    fakes.state.messageBoxResponse = 1;
    await import('./main');
    await vi.waitFor(() => expect(fakes.state.windows).toHaveLength(1));
    expect(fakes.state.calls).toContain('dialog Khala Fleet Board does not recognize its store: Quit / Start fresh');
    expect(fakes.createCore).toHaveBeenCalledTimes(2);
    const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith('aside-'));
    expect(aside).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, aside[0]!)).sort()).toEqual(['fleet.sqlite', 'runs']);
  });

  it('quits without moving anything when the owner does not choose Start fresh', async () => {
    const { FleetError } = await import('../shared/errors');
    fakes.createCore.mockImplementationOnce(() => {
      throw new FleetError('store_unrecognized', 'fleet.sqlite was replaced');
    });
    await import('./main');
    await vi.waitFor(() => expect(fakes.state.calls).toContain('app.exit 1'));
    expect(fakes.createCore).toHaveBeenCalledTimes(1);
    expect(fs.readdirSync(dataDir).filter((name) => name.startsWith('aside-'))).toEqual([]);
  });
});
