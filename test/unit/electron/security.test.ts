import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import {
  createWindow,
  CSP,
  hardenContents,
  hardenSession,
  isAllowedRequest,
} from '../../../main/electron/security';

/** The options createWindow hands to BrowserWindow. */
function windowOptions(dev: boolean): BrowserWindowConstructorOptions {
  class FakeWindow {
    constructor(readonly options: BrowserWindowConstructorOptions) {}
  }
  return createWindow(FakeWindow, '/p.cjs', dev).options;
}

describe('Electron hardening, checked without the binary', () => {
  it('uses an isolated, sandboxed renderer with no Node', () => {
    expect(windowOptions(false).webPreferences).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
    expect(windowOptions(true).webPreferences!.devTools).toBe(true);
  });

  it('has a CSP with no remote origin and no inline script', () => {
    expect(CSP).toMatch(/default-src 'none'/);
    expect(CSP).not.toMatch(/https?:|\*|unsafe-inline|unsafe-eval/);
  });

  it('blocks file: and remote requests', () => {
    for (const bad of [
      'file:///etc/passwd',
      'https://example.com/x.png',
      'http://127.0.0.1/',
      'ws://x',
      'not a url',
    ]) {
      expect(isAllowedRequest(bad)).toBe(false);
    }
    // The developer tools' own pages only in development.
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(false);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', true)).toBe(true);
    expect(isAllowedRequest('https://example.com/x.png', true)).toBe(false);
    expect(isAllowedRequest('app://dossier/index.html')).toBe(true);
    expect(isAllowedRequest('app://dossier/evidence/0123456789abcdefghjkmnpqrs/original')).toBe(
      true,
    );
  });

  it('denies every permission but writing to the clipboard, refuses blocked requests and sets the CSP header', () => {
    const calls: Record<string, (...a: never[]) => unknown> = {};
    hardenSession({
      setPermissionRequestHandler: (fn: never) => void (calls.request = fn),
      setPermissionCheckHandler: (fn: never) => void (calls.check = fn),
      webRequest: {
        onBeforeRequest: ((fn: never) => void (calls.before = fn)) as never,
        onHeadersReceived: ((fn: never) => void (calls.headers = fn)) as never,
      },
    } as never);
    const request = (permission: string): boolean | undefined => {
      let granted: boolean | undefined;
      (calls.request as (wc: unknown, p: string, cb: (g: boolean) => void) => void)(
        null,
        permission,
        (g) => (granted = g),
      );
      return granted;
    };
    const check = calls.check as (wc: unknown, p?: string) => boolean;
    for (const p of ['media', 'clipboard-read', 'notifications', 'openExternal']) {
      expect(request(p), p).toBe(false);
      expect(check(null, p), p).toBe(false);
    }
    expect(check(null)).toBe(false);
    // Only writing to the clipboard (Copy on the recovery code), never reading it.
    expect(request('clipboard-sanitized-write')).toBe(true);
    expect(check(null, 'clipboard-sanitized-write')).toBe(true);
    let cancelled: boolean | undefined;
    (calls.before as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)(
      { url: 'https://tracker.example/p.gif' },
      (r) => (cancelled = r.cancel),
    );
    expect(cancelled).toBe(true);
    let headers: Record<string, string[]> = {};
    (
      calls.headers as (
        d: { responseHeaders: object },
        cb: (r: { responseHeaders: Record<string, string[]> }) => void,
      ) => void
    )({ responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CSP]);
  });

  it('prevents navigation, redirects, webviews and new windows', () => {
    const handlers: Record<string, (e: { preventDefault(): void }) => void> = {};
    let openHandler: (() => { action: string }) | undefined;
    hardenContents({
      on: ((name: string, fn: (e: { preventDefault(): void }) => void) =>
        void (handlers[name] = fn)) as never,
      setWindowOpenHandler: ((fn: () => { action: string }) => void (openHandler = fn)) as never,
    });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      handlers[name]!({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
    expect(openHandler!()).toEqual({ action: 'deny' });
  });
});
