import type { BrowserWindowConstructorOptions, WebContents, WindowOpenHandlerResponse } from 'electron';

const WINDOW_WIDTH = 1440;
const WINDOW_HEIGHT = 900;
const WINDOW_MIN_WIDTH = 960;
const WINDOW_MIN_HEIGHT = 600;
/** Matches the renderer's dark theme so the window never flashes white before the first paint. */
const WINDOW_BACKGROUND_COLOR = '#0d1117';

/**
 * Enforced on top of the meta CSP in renderer/index.html, and stricter: the window talks to the core
 * over IPC, so unlike browser mode it needs no loopback WebSocket. Inline styles stay allowed
 * because xterm injects <style> elements; scripts, frames, plugins and foreign connections do not.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CSP_HEADER = 'Content-Security-Policy';

/** Permissions the board really uses: xterm's copy writes to the clipboard. Everything else is denied. */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function buildWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Khala Fleet Board',
    width: WINDOW_WIDTH,
    height: WINDOW_HEIGHT,
    minWidth: WINDOW_MIN_WIDTH,
    minHeight: WINDOW_MIN_HEIGHT,
    backgroundColor: WINDOW_BACKGROUND_COLOR,
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: preloadPath,
    },
  };
}

/**
 * True when `url` is the app's own document: same scheme, host and path, any query or fragment
 * (the renderer routes in the fragment). Unparseable URLs are never the app. The window may only
 * ever navigate to this, and only a frame showing it may call the core.
 */
export function isAppUrl(appUrl: string, url: string): boolean {
  const app = parseUrl(appUrl);
  const target = parseUrl(url);
  if (!app || !target) return false;
  return app.protocol === target.protocol && app.host === target.host && app.pathname === target.pathname;
}

/** Links the owner may follow in the system browser (e.g. the device-login page). */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && (parsed.protocol === 'https:' || parsed.protocol === 'http:');
}

/** No in-app windows, ever: web links go to the system browser, everything else is dropped. */
export function decideWindowOpen(url: string, openExternal: (url: string) => void): WindowOpenHandlerResponse {
  if (isExternalWebUrl(url)) openExternal(url);
  return { action: 'deny' };
}

/** Replaces any CSP the response carried (header names are case-insensitive) with ours. */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== CSP_HEADER.toLowerCase()) result[name] = value;
  }
  result[CSP_HEADER] = [contentSecurityPolicy];
  return result;
}

export function isPermissionGranted(permission: string): boolean {
  return GRANTED_PERMISSIONS.has(permission);
}

export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Applied to every webContents the app creates, so no frame can leave the app or open a window. */
export function guardWebContents(contents: GuardedContents, appUrl: string, openExternal: (url: string) => void): void {
  const refuseForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(appUrl, event.url)) event.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => decideWindowOpen(url, openExternal));
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
