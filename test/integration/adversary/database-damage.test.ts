import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

async function vaultWithEvidence(root: string): Promise<string> {
  const dir = join(root, `vault-${randomBytes(4).toString('hex')}`);
  const src = join(root, `src-${randomBytes(4).toString('hex')}`);
  await mkdir(src);
  for (let i = 0; i < 20; i++)
    await writeFile(join(src, `e${i}.txt`), `evidence ${i} `.repeat(500));
  const { vault } = await newVault(dir);
  await vault.add([src]);
  await vault.lock();
  return dir;
}

describe('a damaged, replaced or read-only database is named, never "internal error"', () => {
  let root: string;
  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
  });
  const env = (dir: string): Record<string, string> => ({
    DOSSIER_VAULT: dir,
    DOSSIER_PASSPHRASE: PASSPHRASE,
  });

  it('one flipped byte in a page: exit 4, "damaged"', async () => {
    const dir = await vaultWithEvidence(root);
    const db = join(dir, 'dossier.db');
    const pages = (await stat(db)).size / 4096;
    expect(pages).toBeGreaterThan(4);
    // Flip one byte in every page after the first: wherever the check reads, it meets damage.
    const fh = await open(db, 'r+');
    for (let p = 1; p < pages; p++) {
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, p * 4096 + 200);
      b[0]! ^= 0x01;
      await fh.write(b, 0, 1, p * 4096 + 200);
    }
    await fh.close();
    for (const cmd of [['ls'], ['check']]) {
      const r = await dossier(cmd, env(dir));
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/dossier\.db.*damaged/);
      expect(r.stderr).not.toMatch(/report it|did not expect/i);
    }
  });

  it('dossier.db replaced by a folder: exit 4, says so', async () => {
    const dir = await vaultWithEvidence(root);
    await rm(join(dir, 'dossier.db'));
    await mkdir(join(dir, 'dossier.db'));
    const r = await dossier(['ls'], env(dir));
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/dossier\.db.*folder/);
    expect(r.stderr).not.toMatch(/report it|did not expect/i);
  });

  it('a read-only dossier.db: exit 5, says it is read-only, and its mode is left alone', async () => {
    const dir = await vaultWithEvidence(root);
    const db = join(dir, 'dossier.db');
    await chmod(db, 0o400);
    const r = await dossier(['ls'], env(dir));
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/dossier\.db.*read-only/);
    expect(r.stderr).not.toMatch(/report it|did not expect/i);
    expect((await stat(db)).mode & 0o777).toBe(0o400);
    await chmod(db, 0o600);
    expect((await dossier(['ls'], env(dir))).code).toBe(0);
  });
});
