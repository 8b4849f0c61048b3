import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';

// Minimal secure shell; the full window, IPC and protocol wiring is the desktop-shell issue.
function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    title: 'Dossier',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  win.setContentProtection(true);
  win.once('ready-to-show', () => win.show());
  void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

void app.whenReady().then(createWindow);
app.on('window-all-closed', () => app.quit());
