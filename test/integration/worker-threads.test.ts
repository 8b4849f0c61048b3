// Issue 10, point 8: the hash and seal threads are build entries (real modules that import
// others), found and started by the built CLI in plain Node, on the ≥ 4 MiB path that uses them.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';

const OUT = fileURLToPath(new URL('../../out/main/', import.meta.url));
const PASS = 'a long and unusual passphrase';
const hash = (alg: string, b: Buffer): string => createHash(alg).update(b).digest('hex');

describe('worker threads in the built CLI', () => {
  beforeAll(() => assertBuilt());

  it('are their own entries that import shared modules, not eval’d source', async () => {
    for (const name of ['hash-thread.js', 'seal-thread.js']) {
      const text = await readFile(join(OUT, name), 'utf8');
      expect(text).toMatch(/from "\.\/chunks\/[^"]+\.js"/);
    }
    // The seal thread runs the one sealChunks every age file is written with.
    expect(await readFile(join(OUT, 'seal-thread.js'), 'utf8')).toMatch(/sealChunks/);
    for (const f of (await readdir(OUT, { recursive: true })).filter((f) => f.endsWith('.js'))) {
      expect(await readFile(join(OUT, f), 'utf8'), f).not.toMatch(/eval:\s*(true|!0)/);
    }
  });

  it('seal and hash a file of more than 4 MiB on import, and hash it again on export', async () => {
    const root = await tempDir();
    const vault = join(root, 'vault');
    const env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASS };
    // Not a whole number of 1 MiB slots or 64 KiB chunks: the last, short chunk is sealed too.
    const data = randomBytes(5 * 1024 * 1024 + 12_345);
    await writeFile(join(root, 'big.bin'), data);
    expect((await dossier(['init', vault, '--json'], env)).code).toBe(0);
    const added = await dossier(['add', join(root, 'big.bin'), '--json'], env);
    expect(added.stderr).toBe('');
    const item = JSON.parse(added.out) as { id: string; sha256: string; status: string };
    expect(item).toMatchObject({ status: 'added', sha256: hash('sha256', data) });

    const cat = await dossier(['cat', item.id], env);
    expect(cat.code).toBe(0);
    expect(hash('sha256', cat.stdout)).toBe(hash('sha256', data));

    const out = join(root, 'bundle');
    const exported = await dossier(['export', '--out', out, '--all', '--format', 'dir'], env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const manifest = await readFile(join(out, 'manifest-sha512.txt'), 'utf8');
    expect(manifest).toContain(`${hash('sha512', data)}  data/evidence/`);
    expect((await dossier(['verify', out], env)).code).toBe(0);
  });
});
