import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFileResponse } from '../../../main/electron/app-protocol';
import { CSP } from '../../../main/electron/security';
import { tempDir } from '../../support/tmp';

describe('app:// protocol', () => {
  it('serves renderer files with the CSP, and nothing outside the renderer folder', async () => {
    const root = await tempDir();
    const dir = join(root, 'renderer');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'assets', 'a.js'), 'x');
    await writeFile(join(root, 'secret.html'), 'no');
    const ok = await appFileResponse(dir, 'app://dossier/');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CSP);
    expect(await ok.text()).toBe('<!doctype html>');
    expect(
      (await appFileResponse(dir, 'app://dossier/assets/a.js')).headers.get('content-type'),
    ).toMatch(/javascript/);
    for (const bad of [
      'app://dossier/../secret.html',
      'app://dossier/%2e%2e/secret.html',
      'app://dossier/..%2fsecret.html',
      'app://other/index.html',
      'app://dossier/assets/a.exe',
      'app://dossier/missing.html',
    ]) {
      expect((await appFileResponse(dir, bad)).status, bad).toBe(404);
    }
  });
});
