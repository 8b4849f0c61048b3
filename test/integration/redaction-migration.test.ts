// Schema 15 (issue 15): the redactions table is made again so that its kind may be 'text'.
// A vault at schema 14 with copies already made keeps every row as it was, and can then hold
// a redacted copy of an email.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import type { Db } from '../../main/core/db/database';
import { MIGRATIONS } from '../../main/core/db/migrations';
import { makeScreenshotPng } from '../fixtures/evidence';
import { rewindSchema } from '../support/schema-rewind';
import { openVaultDbFile } from '../support/custody-tamper';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

const dbOf = (vault: Vault): Db => (vault as unknown as { db: Db }).db;

describe('schema 15: redactions of kind text', () => {
  it('keeps a schema-14 vault’s copies and lets it make a redacted copy of an email', async () => {
    const root = await tempDir();
    const dir = join(root, 'v');
    const { vault } = await newVault(dir);
    writeFileSync(join(root, 'reply.png'), await makeScreenshotPng(60, 90));
    writeFileSync(
      join(root, 'threat.eml'),
      'From: a@example.com\r\nSubject: hi\r\n\r\nmy address\r\n',
    );
    const added = await vault.add([join(root, 'reply.png'), join(root, 'threat.eml')]);
    const [png, eml] = added.results.map((r) => (r.status === 'added' ? r.id : ''));
    const copy = await vault.makeRedactedCopy(png!, [
      { x: 0, y: 0, w: 500_000, h: 500_000, reason: 'other', otherReason: 'her workplace' },
    ]);
    const rows = dbOf(vault).prepare('SELECT * FROM redactions ORDER BY item_id').all();
    expect(rows).toHaveLength(1);
    const key = vault.revealKeys().sqlcipherKey;
    await vault.lock();

    // The table as schema 14 made it, with its rows.
    const raw = openVaultDbFile(dir, key);
    raw.exec(`
      DROP INDEX redactions_original;
      ALTER TABLE redactions RENAME TO redactions_kept;
    `);
    raw.exec(MIGRATIONS[13] as string);
    raw.exec('INSERT INTO redactions SELECT * FROM redactions_kept; DROP TABLE redactions_kept;');
    rewindSchema(raw, 14);
    // Schema 14 could not hold a text copy.
    expect(() =>
      raw
        .prepare(`INSERT INTO redactions VALUES ('x', 'y', 'text', '[]', '[]', 0, '2026-01-01', 1)`)
        .run(),
    ).toThrow(/CHECK constraint failed/);
    raw.close();

    const again = await Vault.unlock(dir, PASSPHRASE);
    const db = dbOf(again);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.length).toBe(16);
    expect(db.prepare('SELECT * FROM redactions ORDER BY item_id').all()).toEqual(rows);
    expect(
      db
        .prepare(
          "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'redactions_original'",
        )
        .get(),
    ).toBeTruthy();
    expect(again.itemDetail(copy.id).copyOf).toMatchObject({
      kind: 'redacted',
      areas: [{ x: 0, y: 0, w: 0.5, h: 0.5, reason: 'other', otherReason: 'her workplace' }],
      spans: [],
    });

    const text = (await again.textForRedaction(eml!)).text;
    const start = text.indexOf('my address');
    const made = await again.makeRedactedTextCopy(eml!, [
      { start, end: start + 'my address'.length, reason: 'address', otherReason: null },
    ]);
    expect(db.prepare('SELECT kind, areas FROM redactions WHERE item_id = ?').get(made.id)).toEqual(
      {
        kind: 'text',
        areas: JSON.stringify([
          { start, end: start + 'my address'.length, reason: 'address', otherReason: null },
        ]),
      },
    );
    expect((await again.check()).problems).toEqual([]);
    await again.lock();
  });
});
