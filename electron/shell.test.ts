import { EventEmitter } from 'node:events';
import type { HandlerDetails, WindowOpenHandlerResponse } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { toUnpackedPath } from './shell/paths';
import {
  buildWindowOptions,
  contentSecurityPolicy,
  decideWindowOpen,
  guardWebContents,
  isAppUrl,
  isPermissionGranted,
  withContentSecurityPolicy,
  type GuardedContents,
} from './shell/window-policy';

const APP_URL = 'file:///opt/khala/out/renderer/index.html';

describe('buildWindowOptions', () => {
  const options = buildWindowOptions('/opt/khala/out/preload.cjs');

  it('hardens the renderer', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/opt/khala/out/preload.cjs',
    });
  });

  it('stays hidden until ready-to-show, on a dark background', () => {
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only the app itself to run code', () => {
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
  });

  it('replaces a CSP header of any case and keeps the other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy],
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [contentSecurityPolicy] });
  });
});

describe('isAppUrl', () => {
  it('accepts the app document with any fragment or query', () => {
    expect(isAppUrl(APP_URL, APP_URL)).toBe(true);
    expect(isAppUrl(APP_URL, `${APP_URL}#/runs/1`)).toBe(true);
    expect(isAppUrl(APP_URL, `${APP_URL}?theme=light`)).toBe(true);
  });

  it('refuses other pages, other files and garbage', () => {
    expect(isAppUrl(APP_URL, 'https://evil.example/')).toBe(false);
    expect(isAppUrl(APP_URL, 'file:///etc/passwd')).toBe(false);
    expect(isAppUrl(APP_URL, 'file:///opt/khala/out/renderer/other.html')).toBe(false);
    expect(isAppUrl(APP_URL, 'not a url')).toBe(false);
  });
});

describe('decideWindowOpen', () => {
  it('denies every window and sends web links to the system browser', () => {
    const openExternal = vi.fn();
    expect(decideWindowOpen('https://github.com/login/device', openExternal)).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://github.com/login/device');
  });

  it('opens nothing for non-web schemes', () => {
    const openExternal = vi.fn();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'about:blank']) {
      expect(decideWindowOpen(url, openExternal)).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });
});

describe('guardWebContents', () => {
  class FakeContents extends EventEmitter {
    windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
    setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
      this.windowOpenHandler = handler;
    }
  }

  const navigation = (url: string) => ({ url, preventDefault: vi.fn() });
  let contents: FakeContents;
  let openExternal: ReturnType<typeof vi.fn<(url: string) => void>>;

  beforeEach(() => {
    contents = new FakeContents();
    openExternal = vi.fn<(url: string) => void>();
    guardWebContents(contents as unknown as GuardedContents, APP_URL, openExternal);
  });

  it('refuses navigation to https://evil.example and lets the app reload itself', () => {
    const away = navigation('https://evil.example/');
    contents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();

    const reload = navigation(APP_URL);
    contents.emit('will-navigate', reload);
    expect(reload.preventDefault).not.toHaveBeenCalled();
  });

  it('refuses redirects away from the app and any webview', () => {
    const redirect = navigation('https://evil.example/');
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open and opens web links externally', () => {
    const details = { url: 'https://evil.example/' } as HandlerDetails;
    expect(contents.windowOpenHandler?.(details)).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://evil.example/');
  });
});

describe('isPermissionGranted', () => {
  it('grants clipboard writes only', () => {
    expect(isPermissionGranted('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(isPermissionGranted(permission)).toBe(false);
    }
  });
});

describe('toUnpackedPath', () => {
  it('points into app.asar.unpacked inside a packaged app and leaves dev paths alone', () => {
    expect(toUnpackedPath('/opt/Khala/resources/app.asar/out/fixture-worker.cjs')).toBe(
      '/opt/Khala/resources/app.asar.unpacked/out/fixture-worker.cjs',
    );
    expect(toUnpackedPath('C:\\Khala\\resources\\app.asar\\out\\fixture-worker.cjs')).toBe(
      'C:\\Khala\\resources\\app.asar.unpacked\\out\\fixture-worker.cjs',
    );
    expect(toUnpackedPath('/work/main/out/fixture-worker.cjs')).toBe('/work/main/out/fixture-worker.cjs');
  });
});
