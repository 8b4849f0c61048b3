import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CSP } from '../core/serve/renderer-files';

/**
 * The Electron security checklist, in one place so tests can check it without the binary:
 * an isolated, sandboxed renderer with no Node, a CSP with no remote origin, no navigation,
 * no new windows, no webviews, every permission denied, and no file: or remote requests.
 */
export const APP_SCHEME = 'app';

// The page's CSP lives with the renderer files it is served with (shared with the bridge).
export { CSP } from '../core/serve/renderer-files';

/** The BrowserWindow class, passed in so this file and its tests need no Electron binary. */
export type WindowClass<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * The main window. Its options are written out in the `new BrowserWindow` call on purpose:
 * electronegativity (npm run lint:electron) reads them only there, one file at a time.
 */
export function createWindow<W>(
  BrowserWindow: WindowClass<W>,
  preloadPath: string,
  dev: boolean,
): W {
  return new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Dossier',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: dev,
      // For electronegativity's AUXCLICK_JS_CHECK only: Chromium has had no "Auxclick" feature
      // to disable since auxclick shipped (Chrome 55), so this changes nothing. A middle-click
      // cannot open a window because hardenContents denies every window open.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}

/**
 * The only URLs the renderer may load: app://dossier/ (pages and evidence), blob: and data:;
 * devtools: only in development, where the developer tools are on.
 */
export function isAllowedRequest(url: string, dev = false): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === `${APP_SCHEME}:` ||
      u.protocol === 'blob:' ||
      u.protocol === 'data:' ||
      (dev && u.protocol === 'devtools:')
    );
  } catch {
    return false;
  }
}

type SessionSurface = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

/**
 * The one permission the page gets: writing plain text to the clipboard (Copy on the recovery
 * code, the fingerprint). Never reading it, and nothing else.
 */
export const GRANTED_PERMISSION = 'clipboard-sanitized-write';

export function hardenSession(session: SessionSurface, dev = false): void {
  session.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === GRANTED_PERMISSION),
  );
  session.setPermissionCheckHandler((_wc, permission) => permission === GRANTED_PERMISSION);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url, dev) }),
  );
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
}

type ContentsSurface = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenContents(contents: ContentsSurface): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
