#!/usr/bin/env node
// `npm start`: launch the desktop app, or say plainly why it cannot start here.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath;
try {
  electronPath = require('electron');
} catch {
  electronPath = undefined;
}
if (typeof electronPath !== 'string') {
  console.error(
    'The Electron binary is not installed (it was skipped, or its download was blocked).\n' +
      'Install it with network access (npm ci without ELECTRON_SKIP_BINARY_DOWNLOAD),\n' +
      'or use the command line: npx dossier --help',
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
