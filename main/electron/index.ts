import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  globalShortcut,
  ipcMain,
  powerMonitor,
  protocol,
  session,
  shell,
} from 'electron';
import { withShell } from '../core/api/shell';
import { ServiceWorkerHost } from '../core/api/worker-host';
import { defaultVaultDir } from '../core/vault/location';
import { appResponse } from './app-protocol';
import { startAutoLock, type LockReason } from './auto-lock';
import { autoLockMinutes } from './auto-lock-minutes';
import { desktopShell } from './dialogs';
import { registerIpc } from './ipc';
import { APP_SCHEME, createWindow, hardenContents, hardenSession } from './security';

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
    hardenSession(session.defaultSession, dev);
    // The vault runs on a worker thread: this loop only passes messages (the 50 ms rule).
    const vault = new ServiceWorkerHost({
      workerFile: join(import.meta.dirname, 'service-worker.js'),
      // The same folder the CLI uses by default (userData's case differs by packaging).
      vaultDir: defaultVaultDir(),
      actor: 'app',
    });
    const host = withShell(vault, desktopShell({ dialog, shell, window: () => win }));
    protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, host, request));
    const ipc = registerIpc({
      ipcMain,
      host,
      isTrustedSender: (event) =>
        (event.senderFrame?.url ?? '').startsWith(`${APP_SCHEME}://dossier/`) &&
        event.sender === win?.webContents,
      target: () => win?.webContents ?? null,
    });
    app.on('web-contents-created', (_e, contents) => hardenContents(contents));
    win = createWindow(BrowserWindow, join(import.meta.dirname, '../preload/index.cjs'), dev);
    win.setContentProtection(true);
    // The title never shows evidence names, whatever the page sets.
    win.on('page-title-updated', (event) => event.preventDefault());
    win.once('ready-to-show', () => win?.show());
    void win.loadURL(`${APP_SCHEME}://dossier/index.html`);
    // Any lock (the Lock button, auto-lock, a crashed worker) reloads the page, so nothing
    // decrypted stays in its memory.
    host.onEvent((event) => {
      if (event === 'locked') win?.webContents.reload();
    });
    const lock = async (reason: LockReason): Promise<void> => {
      await host.lock();
      ipc.emit('locked', { reason });
      win?.webContents.reload();
    };
    const idle = autoLockMinutes(host);
    const stopAutoLock = startAutoLock({
      powerMonitor,
      globalShortcut,
      idleMinutes: idle.minutes,
      isUnlocked: () => host.isUnlocked,
      lock,
    });
    app.on('before-quit', () => {
      stopAutoLock();
      idle.stop();
      void vault.close();
    });
  });
  app.on('window-all-closed', () => app.quit());
}
