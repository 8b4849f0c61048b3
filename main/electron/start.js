#!/usr/bin/env node
// `npm start`: launch the desktop app, or say plainly why it cannot start here.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed Electron binary, or null. Read from the package's path.txt rather than
 * require('electron'), which would try to download a missing binary.
 */
export function installedElectron() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const bin = join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

// Run as `node main/electron/start.js` (npm start), not when imported by a test.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const electron = installedElectron();
  if (!electron) {
    console.error(
      'The Electron binary is not installed (it was skipped, or its download was blocked).\n' +
        'Install it with network access (npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD),\n' +
        'or run the same app in a browser with `npm run web`, or use the command line: npx dossier --help',
    );
    process.exit(1);
  }
  const child = spawn(electron, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
}
