import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, Notification, session, shell } from 'electron';
import { WS_PATH } from '../shared/constants';
import { createCore, type Core } from './core';
import { acquireHostLock, type HostLock } from './core/host-lock';
import { ensureOwnDataDir } from './core/store/owner-only';
import { startFreshIfUnrecognized } from './core/store/store-check';
import { folderChooser } from './shell/folder-dialog';
import { inboxNotifier } from './shell/inbox-notifier';
import { fateOfChoice, quitDialogOptions } from './shell/quit-choice';
import type { WorkerFate } from './core/assignments/task-service';
import { keychainCipher } from './shell/secret-cipher';
import { defaultDataDir } from './host/data-dir';
import { removeHostFile, writeHostFile } from './host/host-file';
import { createSenderCheck, registerIpcHost } from './host/ipc';
import { installProcessGuard } from './host/process-guard';
import { startWebSocketHost, type WebSocketHost } from './host/ws';
import { toUnpackedPath } from './shell/paths';
import {
  buildWindowOptions,
  guardWebContents,
  isPermissionGranted,
  withContentSecurityPolicy,
} from './shell/window-policy';

// The build bundles this file to out/main.cjs, next to preload.cjs, fixture-worker.cjs and renderer/.
const PRELOAD_PATH = path.join(__dirname, 'preload.cjs');
const RENDERER_INDEX = path.join(__dirname, 'renderer', 'index.html');
const FIXTURE_WORKER_PATH = toUnpackedPath(path.join(__dirname, 'fixture-worker.cjs'));
const APP_URL = pathToFileURL(RENDERER_INDEX).href;
/** Any free loopback port; clients find it in host.json. */
const WS_ANY_PORT = 0;
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
/** The store-refusal dialog's buttons, by index. */
const QUIT_BUTTON = 0;
const START_FRESH_BUTTON = 1;

/** KHALA_HOME or the per-OS folder: the same one browser mode and the CLI use. */
const dataDir = defaultDataDir();

let mainWindow: BrowserWindow | undefined;
let core: Core | undefined;
/** Shared with browser mode: one host per data dir, whichever face it is. */
let hostLock: HostLock | undefined;
let wsHost: WebSocketHost | undefined;
let unregisterIpc: (() => void) | undefined;
/** Set once the core and both hosts are up; before that there is no board to show. */
let started = false;
let shuttingDown = false;

const openExternal = (url: string): void => {
  shell.openExternal(url).catch((error: unknown) => console.error(`Could not open ${url}:`, error));
};

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(buildWindowOptions(PRELOAD_PATH));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  window.loadFile(RENDERER_INDEX).catch((error: unknown) => console.error('Could not load the board:', error));
  return window;
}

function focusWindow(): void {
  if (!started) return;
  if (!mainWindow) {
    mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

/** Made owner-only, or the reason it cannot be the data dir (another user's folder, a file). */
function checkDataDir(): Error | null {
  try {
    ensureOwnDataDir(dataDir);
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function start(): Promise<void> {
  await app.whenReady();
  if (dataDirProblem) throw dataDirProblem;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(isPermissionGranted(permission));
  });

  // The single-instance lock only knows other desktop apps; this one also refuses while browser mode runs.
  hostLock ??= await acquireHostLock(dataDir);
  core = createCore({
    dataDir,
    version: app.getVersion(),
    fixtureWorkerScript: FIXTURE_WORKER_PATH,
    // Workers run under this same binary as plain Node, so a packaged app needs no separate node.
    node: { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } },
    secretCipher: keychainCipher(),
    codexIssuer: process.env.KHALA_CODEX_ISSUER || null,
    chooseFolder: folderChooser(dialog, () => mainWindow),
  });
  unregisterIpc = registerIpcHost(core, createSenderCheck(APP_URL, () => mainWindow?.webContents));
  core.connect(
    inboxNotifier({
      notify: (title, body) => {
        if (Notification.isSupported()) new Notification({ title, body }).show();
      },
      setBadge: (count) => app.setBadgeCount(count),
    }),
  );
  wsHost = await startWebSocketHost(core, { port: WS_ANY_PORT });
  writeHostFile(dataDir, { url: `ws://127.0.0.1:${wsHost.port}${WS_PATH}`, token: wsHost.token });
  started = true;
  focusWindow();
}

/**
 * Starts the board. A refused store (empty, replaced, corrupt, newer) offers the owner the way the
 * message names: quit and restore a backup, or start fresh with the old data moved aside.
 */
function startOrRecover(): void {
  start().catch(async (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    if ((error as { code?: unknown }).code !== 'store_unrecognized') {
      dialog.showErrorBox('Khala Fleet Board could not start', reason);
      shutdownAndExit(EXIT_FAILURE);
      return;
    }
    const { response } = await dialog.showMessageBox({
      type: 'warning',
      message: 'Khala Fleet Board does not recognize its store',
      detail: reason,
      buttons: ['Quit', 'Start fresh'],
      defaultId: QUIT_BUTTON,
      cancelId: QUIT_BUTTON,
    });
    if (response !== START_FRESH_BUTTON) {
      shutdownAndExit(EXIT_FAILURE);
      return;
    }
    try {
      startFreshIfUnrecognized(dataDir);
    } catch (moveError) {
      dialog.showErrorBox('Khala Fleet Board could not start fresh', moveError instanceof Error ? moveError.message : String(moveError));
      shutdownAndExit(EXIT_FAILURE);
      return;
    }
    startOrRecover();
  });
}

async function shutdown(workers: WorkerFate = 'stop'): Promise<void> {
  shuttingDown = true;
  if (started) removeHostFile(dataDir);
  unregisterIpc?.();
  await wsHost?.close();
  await core?.close({ workers });
  await hostLock?.release();
}

function shutdownAndExit(exitCode: number, workers: WorkerFate = 'stop'): void {
  shutdown(workers).then(
    () => app.exit(exitCode),
    (error: unknown) => {
      console.error('Shutdown failed:', error);
      app.exit(EXIT_FAILURE);
    },
  );
}

// Chromium's profile and the single-instance lock live in the data dir, so one data dir has one app
// (one writer of fleet.sqlite), while test instances with their own KHALA_HOME can run side by side.
// A data dir that is not the owner's gets nothing of Chromium's; start() then says why it stops.
const dataDirProblem = checkDataDir();
if (!dataDirProblem) app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  installProcessGuard();
  app.enableSandbox();
  app.on('second-instance', focusWindow);
  app.on('activate', focusWindow);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, APP_URL, openExternal));
  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows (the workers keep running); 'activate' reopens the board.
    if (process.platform !== 'darwin') app.quit();
  });
  let askingToQuit = false;
  app.on('before-quit', (event) => {
    if (shuttingDown) return;
    // Electron does not wait for promises: hold the quit until workers and the store are closed.
    event.preventDefault();
    const live = core?.liveWorkers() ?? 0;
    if (live === 0) return shutdownAndExit(EXIT_OK);
    if (askingToQuit) return;
    askingToQuit = true;
    // Quitting with workers running is a choice: keep them (re-adopted at the next start) or stop them all.
    const options = quitDialogOptions(live);
    const window = mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined;
    void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options)).then(({ response }) => {
      askingToQuit = false;
      const fate = fateOfChoice(response);
      if (fate !== 'cancel') shutdownAndExit(EXIT_OK, fate);
    });
  });

  startOrRecover();
}
