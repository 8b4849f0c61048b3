import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Vault, type Argon2Params } from '../../main/core';

/**
 * Core tests that create many vaults use a cheap Argon2id cost; the CLI tests and
 * the unlock benchmark use the real default (m = 256 MiB, t = 3).
 */
export const TEST_KDF: Argon2Params = { memoryKiB: 1024, iterations: 1, parallelism: 1 };
export const PASSPHRASE = 'correct horse battery staple';

export async function newVault(dir: string): Promise<{ vault: Vault; recoveryCode: string }> {
  return Vault.create(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
}

/** Every file under `dir` with its size, mtime and SHA-256: a before/after picture. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const st = await stat(p);
        const sha = createHash('sha256')
          .update(await readFile(p))
          .digest('hex');
        out[relative(dir, p)] = `${st.size}:${st.mtimeMs}:${sha}`;
      }
    }
  }
  await walk(dir);
  return out;
}

/** True when `needle` occurs in any file under `dir` (to prove no plaintext reached the disk). */
export async function anyFileContains(dir: string, needle: Buffer): Promise<string | null> {
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    if ((await readFile(p)).includes(needle)) return p;
  }
  return null;
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
