import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appResponse } from '../../../main/electron/app-protocol';
import { CSP } from '../../../main/electron/security';
import { evidenceResponse, type EvidenceKind } from '../../../main/core/serve/evidence-response';
import { makeScreenshotPng } from '../../fixtures/evidence';
import { tempDir } from '../../support/tmp';
import { newVault } from '../../support/vault';

const get = (url: string, range?: string) => ({
  url,
  headers: { get: (n: string) => (n.toLowerCase() === 'range' ? (range ?? null) : null) },
});

describe('app:// protocol', () => {
  it('serves renderer files with the CSP, and nothing outside the renderer folder', async () => {
    const root = await tempDir();
    const dir = join(root, 'renderer');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'assets', 'a.js'), 'x');
    await writeFile(join(root, 'secret.html'), 'no');
    const none = { evidence: () => Promise.reject(new Error('no evidence here')) };
    const ok = await appResponse(dir, none, get('app://dossier/'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CSP);
    expect(await ok.text()).toBe('<!doctype html>');
    expect(
      (await appResponse(dir, none, get('app://dossier/assets/a.js'))).headers.get('content-type'),
    ).toMatch(/javascript/);
    for (const bad of [
      'app://dossier/../secret.html',
      'app://dossier/%2e%2e/secret.html',
      'app://dossier/..%2fsecret.html',
      'app://other/index.html',
      'app://dossier/assets/a.exe',
      'app://dossier/missing.html',
    ]) {
      expect((await appResponse(dir, none, get(bad))).status, bad).toBe(404);
    }
  });

  it('streams evidence from the unlocked vault with Range support, and refuses while locked', async () => {
    const root = await tempDir();
    const png = await makeScreenshotPng(390, 844, 5);
    await writeFile(join(root, 'shot.png'), png);
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([join(root, 'shot.png')]);
    const id = vault.list()[0]!.id;
    let open: typeof vault | null = vault;
    // The evidence answer the worker host or the in-process service gives, on this vault.
    const host = {
      evidence: (i: string, k: EvidenceKind, r: string | null) => evidenceResponse(open, i, k, r),
    };
    const full = await appResponse(root, host, get(`app://dossier/evidence/${id}/original`));
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await full.arrayBuffer()).equals(png)).toBe(true);
    const part = await appResponse(
      root,
      host,
      get(`app://dossier/evidence/${id}/original`, 'bytes=100-199'),
    );
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${png.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(png.subarray(100, 200))).toBe(true);
    expect(
      (
        await appResponse(
          root,
          host,
          get(`app://dossier/evidence/${id}/original`, `bytes=${png.length}-`),
        )
      ).status,
    ).toBe(416);
    expect(
      (await appResponse(root, host, get(`app://dossier/evidence/${id}/thumbnail`))).headers.get(
        'content-type',
      ),
    ).toBe('image/jpeg');
    expect(
      (await appResponse(root, host, get(`app://dossier/evidence/${id.slice(0, 8)}/original`)))
        .status,
    ).toBe(404);
    await vault.lock();
    open = null;
    expect(
      (await appResponse(root, host, get(`app://dossier/evidence/${id}/original`))).status,
    ).toBe(423);
  });
});
