import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { DossierService } from '../core/api/service';
import { appFileResponse } from './app-protocol';
import { registerIpc } from './ipc';
import {
  APP_SCHEME,
  EVIDENCE_SCHEME,
  hardenContents,
  hardenSession,
  webPreferences,
} from './security';

// Thin glue: everything testable lives in security.ts, ipc.ts, app-protocol.ts and main/core.
const dev = !app.isPackaged;
const rendererDir = join(import.meta.dirname, '../renderer');
let win: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  {
    scheme: EVIDENCE_SCHEME,
    privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true },
  },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => win?.focus());
  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, (request) => appFileResponse(rendererDir, request.url));
    const service = new DossierService(join(app.getPath('userData'), 'vault'), { actor: 'app' });
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
