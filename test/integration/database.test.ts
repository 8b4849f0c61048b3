import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { MIGRATIONS } from '../../main/core/db/migrations';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

function openRaw(dir: string, key: string): Database.Database {
  const db = new Database(join(dir, 'dossier.db'));
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="${key}"`);
  return db;
}

describe('the encrypted database', () => {
  it('is at the latest schema, in WAL mode with synchronous=FULL and foreign keys on', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    const db = (vault as unknown as { db: Database.Database }).db;
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table')").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'items',
        'blobs',
        'tags',
        'notes',
        'incidents',
        'people',
        'incident_items',
        'incident_people',
        'item_people',
        'custody_log',
        'item_search',
      ]),
    );
    await vault.lock();
  });

  it('refuses the wrong key and a database from a newer Dossier', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    const key = vault.revealKeys().sqlcipherKey;
    await vault.lock();
    const wrong = openRaw(dir, `x'${'00'.repeat(32)}'`);
    expect(() => wrong.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(
      /not a database/,
    );
    wrong.close();
    const db = openRaw(dir, key);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/newer Dossier/),
    });
  });

  it('says the database is damaged when its pages do not decrypt under the right key', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    await vault.lock();
    const { open } = await import('node:fs/promises');
    const fh = await open(join(dir, 'dossier.db'), 'r+');
    await fh.write(Buffer.alloc(64, 0xab), 0, 64, 100);
    await fh.close();
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'CORRUPT' });
  });
});
