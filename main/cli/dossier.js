#!/usr/bin/env node
// The `dossier` command: runs the CLI built by `npm run build` (npm ci runs it via `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  console.error(
    'Dossier is not built yet. Run `npm run build` in the Dossier folder, then try again.',
  );
  process.exit(70);
}
await import(built);
