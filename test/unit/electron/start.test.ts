import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const binary: string | null = (await import('../../../main/electron/start.js')).installedElectron();

describe('npm start', () => {
  it.skipIf(binary !== null)(
    'says plainly that the desktop app cannot start without the Electron binary, and what to use instead (skipped where the binary is installed: it would start the app)',
    async () => {
      const run = promisify(execFile)(process.execPath, [join(root, 'main/electron/start.js')], {
        cwd: root,
      });
      const failed = (await run.then(
        () => null,
        (e: unknown) => e,
      )) as { code: number; stderr: string } | null;
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/The Electron binary is not installed/);
      expect(failed?.stderr).toMatch(/npm run web/);
      expect(failed?.stderr).toMatch(/npx dossier --help/);
    },
  );
});
