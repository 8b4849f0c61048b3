import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  globalShortcut,
  ipcMain,
  powerMonitor,
  protocol,
  session,
} from 'electron';
import { DossierService } from '../core/api/service';
import { appResponse } from './app-protocol';
import { startAutoLock, type LockReason } from './auto-lock';
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
    const ipc = registerIpc({
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
    // Locking drops the keys and reloads the page so nothing decrypted stays in its memory.
    const lock = async (reason: LockReason): Promise<void> => {
      await service.lock();
      ipc.emit('locked', { reason });
      win?.webContents.reload();
    };
    // Idle minutes come from settings once the UI has them (renderer issue); 5 until then.
    const stopAutoLock = startAutoLock({
      powerMonitor,
      globalShortcut,
      idleMinutes: () => 5,
      isUnlocked: () => service.unlocked !== null,
      lock,
    });
    app.on('before-quit', () => {
      stopAutoLock();
      void service.lock();
    });
  });
  app.on('window-all-closed', () => app.quit());
}
