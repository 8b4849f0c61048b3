import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeScreenshotPng } from '../fixtures/evidence';
import { decryptSqlcipher4 } from '../support/sqlcipher4';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, sha256 } from '../support/vault';

const run = promisify(execFile);

/**
 * With the revealed keys, standard tools open everything without Dossier (docs/architecture.md,
 * "Rules everything builds on"; docs/vault-format.md §9).
 * The age CLI decrypts every blob; the database is SQLCipher 4, read here by an
 * independent page decoder and then by the stock sqlite3 shell.
 */
describe('escape hatch: the vault opens without Dossier', async () => {
  const root = await tempDir();
  const dir = join(root, 'vault');
  const png = await makeScreenshotPng(390, 844, 7);
  const text = Buffer.from('Your children should be taken into care.\n');
  await writeFile(join(root, 'shot.png'), png);
  await writeFile(join(root, 'email.txt'), text);
  const { vault } = await newVault(dir);
  await vault.add([join(root, 'shot.png'), join(root, 'email.txt')], {
    note: 'second email this week',
  });
  const keys = vault.revealKeys();
  const items = vault.list().map((i) => vault.item(i.id));
  await vault.lock();

  const noAge = missingTools(['age']);
  it.skipIf(noAge !== null)(
    skipTitle('age -d -i decrypts every original and preview', noAge),
    async () => {
      const idFile = join(root, 'identity.txt');
      await writeFile(idFile, `${keys.ageIdentity}\n`, { mode: 0o600 });
      for (const item of items) {
        const { stdout } = await run('age', ['-d', '-i', idFile, join(dir, item.blob)], {
          encoding: 'buffer',
          maxBuffer: 1 << 26,
        });
        expect(sha256(stdout)).toBe(item.sha256);
      }
      const withThumb = items.find((i) => i.thumbnail)!;
      const { stdout: thumb } = await run(
        'age',
        ['-d', '-i', idFile, join(dir, withThumb.thumbnail!)],
        { encoding: 'buffer' },
      );
      expect(thumb.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    },
  );

  it.skipIf(noAge !== null)(
    skipTitle(
      'big blobs sealed on the seal worker decrypt with age -d too, at and off slot boundaries',
      noAge,
    ),
    async () => {
      const { randomBytes } = await import('node:crypto');
      const bigRoot = join(root, 'big');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(bigRoot);
      const sizes = [8 * 1024 * 1024, 5 * 1024 * 1024 + 65536, 6 * 1024 * 1024 + 12345];
      const files = sizes.map((n) => randomBytes(n));
      for (const [i, b] of files.entries()) await writeFile(join(bigRoot, `b${i}.bin`), b);
      const dir2 = join(root, 'vault-big');
      const { vault: v } = await newVault(dir2);
      const report = await v.add([bigRoot]);
      expect(report.added).toBe(3);
      const keys2 = v.revealKeys();
      const list = v.list();
      await v.lock();
      const idFile = join(root, 'identity-big.txt');
      await writeFile(idFile, `${keys2.ageIdentity}\n`, { mode: 0o600 });
      for (const item of list) {
        const { stdout } = await run('age', ['-d', '-i', idFile, join(dir2, item.blob)], {
          encoding: 'buffer',
          maxBuffer: 1 << 26,
        });
        expect(sha256(stdout)).toBe(item.sha256);
        expect(files.some((f) => sha256(f) === item.sha256)).toBe(true);
      }
    },
  );

  it('the database is standard SQLCipher 4 under the revealed raw key', async () => {
    const rawKey = Buffer.from(keys.sqlcipherKey.slice(2, -1), 'hex');
    const encrypted = await readFile(join(dir, 'dossier.db'));
    expect(encrypted.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    const plain = decryptSqlcipher4(encrypted, rawKey);
    expect(plain.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(() => decryptSqlcipher4(encrypted, Buffer.alloc(32, 1))).toThrow(/HMAC mismatch/);
    await writeFile(join(root, 'plain.db'), plain);
  });

  const noSqlite3 = missingTools(['sqlite3']);
  it.skipIf(noSqlite3 !== null)(
    skipTitle('the stock sqlite3 shell reads the decrypted database', noSqlite3),
    async () => {
      const { stdout } = await run('sqlite3', [
        join(root, 'plain.db'),
        'SELECT name, sha256 FROM items ORDER BY name; SELECT body FROM notes LIMIT 1; PRAGMA integrity_check;',
      ]);
      const expected = items
        .map((i) => `${i.name}|${i.sha256}`)
        .sort()
        .join('\n');
      expect(stdout).toBe(`${expected}\nsecond email this week\nok\n`);
    },
  );
});
