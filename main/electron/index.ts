import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { DossierService } from '../core/api/service';
import { appResponse } from './app-protocol';
import { registerIpc } from './ipc';
import { APP_SCHEME, hardenContents, hardenSession, webPreferences } from './security';

// Thin glue: everything testable lives in security.ts, ipc.ts, app-protocol.ts and main/core.
const dev = !app.isPackaged;
const rendererDir = join(import.meta.dirname, '../renderer');
let win: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([
  // stream: media elements read evidence with Range requests.
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
  },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => win?.focus());
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    const service = new DossierService(join(app.getPath('userData'), 'vault'), { actor: 'app' });
    protocol.handle(APP_SCHEME, (request) =>
      appResponse(rendererDir, () => service.unlocked, request),
    );
    registerIpc({
      ipcMain,
      service,
      isTrustedSender: (event) =>
        (event.senderFrame?.url ?? '').startsWith(`${APP_SCHEME}://dossier/`) &&
        event.sender === win?.webContents,
      target: () => win?.webContents ?? null,
    });
    app.on('web-contents-created', (_e, contents) => hardenContents(contents));
    win = new BrowserWindow({
      width: 1200,
      height: 800,
      title: 'Dossier',
      show: false,
      webPreferences: webPreferences(join(import.meta.dirname, '../preload/index.cjs'), dev),
    });
    win.setContentProtection(true);
    // The title never shows evidence names, whatever the page sets.
    win.on('page-title-updated', (event) => event.preventDefault());
    win.once('ready-to-show', () => win?.show());
    void win.loadURL(`${APP_SCHEME}://dossier/index.html`);
    app.on('before-quit', () => void service.lock());
  });
  app.on('window-all-closed', () => app.quit());
}
