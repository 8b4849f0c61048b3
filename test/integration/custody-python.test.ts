/**
 * docs/vault-format.md §8 says a verifier re-derives every custody hash with Python's
 * json.dumps and SHA-256, without Dossier. This holds it to that: vaults made of generated
 * notes, tags, region marks, incidents and people, then test/support/rederive-custody.py
 * run on the rows as stored. Also a vault from before schema 9, with fractions in its
 * region entries: those keep their hashes and a new entry re-states them.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJsonAsWritten } from '../../shared/canonical-json';
import { Vault } from '../../main/core';
import { GENESIS_PREV, type CustodyRow } from '../../main/core/custody/log';
import { MIGRATIONS, restateRegionsInMillionths } from '../../main/core/db/migrations';
import { makeScreenshotPng } from '../fixtures/evidence';
import { openRawDb } from '../support/custody-tamper';
import { rewindSchema } from '../support/schema-rewind';
import { newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';
import { missingTools } from '../support/tools';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', 'support', 'rederive-custody.py');
const noPython = missingTools(['python3']);
if (noPython) console.warn(`custody hashes re-derived in Python — SKIPPED: ${noPython}`);

/** The custody rows exactly as stored, read with the revealed key from the locked vault. */
function storedRows(dir: string, sqlcipherKey: string): CustodyRow[] {
  const db = openRawDb(dir, sqlcipherKey);
  try {
    return db.prepare('SELECT * FROM custody_log ORDER BY seq').all() as CustodyRow[];
  } finally {
    db.close();
  }
}

/** Python's verdict on each row: "<seq> ok" lines, or the reason it is broken. */
async function python(rows: CustodyRow[]): Promise<{ code: number; lines: string[] }> {
  const file = join(await tempDir('custody-rows-'), 'rows.jsonl');
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = await run('python3', [SCRIPT, file]).then(
    (o) => ({ code: 0, out: o.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
  );
  return { code: r.code, lines: r.out.trim().split('\n') };
}

// Text a person might type: every escape, controls, RTL, emoji, astral and unpaired surrogates.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '"\\/\b\f\n\r\t\u0000\u001f\u007f',
    '\u2028\u2029\u202e',
    '🚗 Éva ﬀ \u{10000}',
    '\ud800 \udfff',
  ),
);
const fraction = fc.double({ min: 0, max: 0.95, noNaN: true });
const box = fc
  .tuple(
    fraction,
    fraction,
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([x, y, a, b]) => ({
    x,
    y,
    // Widths down to 1e-7: JavaScript writes 1e-7 where Python writes 1e-07.
    w: Math.max(1e-7, a * (1 - x)),
    h: Math.max(1e-7, b * (1 - y)),
  }));
const op = fc.oneof(
  fc.record({ kind: fc.constant('note' as const), text: anyText }),
  fc.record({ kind: fc.constant('region' as const), box, text: anyText, remove: fc.boolean() }),
  fc.record({
    kind: fc.constant('tags' as const),
    tags: fc.subarray(['Threat', 'Éva', '🚗', 'ﬀ', 'car']),
  }),
  fc.record({ kind: fc.constant('incident' as const), text: anyText }),
  fc.record({ kind: fc.constant('person' as const), text: anyText }),
  fc.record({ kind: fc.constant('settings' as const), minutes: fc.integer({ min: 1, max: 240 }) }),
);

describe.skipIf(noPython !== null)('custody hashes re-derived in Python', () => {
  it('holds for every entry of a generated vault', async () => {
    const root = await tempDir('custody-python-');
    await writeFile(join(root, 'shot.png'), await makeScreenshotPng(120, 260, 3));
    await writeFile(join(root, 'threat\u202etxt.eml'), 'From: x@example.org\r\n\r\nHi\r\n');
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        const { service, vault, call } = await newService();
        await vault.add([join(root, 'shot.png'), join(root, 'threat\u202etxt.eml')]);
        const [photo, email] = vault
          .list()
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((i) => i.id);
        for (const o of ops) {
          if (o.kind === 'note')
            await ok(call('items.addNote', { id: email, body: `n ${o.text}` }));
          if (o.kind === 'tags') await ok(call('items.setTags', { id: photo, tags: o.tags }));
          if (o.kind === 'settings')
            await ok(call('settings.update', { autoLockMinutes: o.minutes }));
          if (o.kind === 'region') {
            const r = await ok<{ id: string }>(
              call('items.addRegion', { id: photo, ...o.box, comment: o.text }),
            );
            if (o.remove) await ok(call('items.removeRegion', { regionId: r.id }));
          }
          if (o.kind === 'incident') {
            await ok(
              call('incidents.create', {
                occurredAt: '2024-03-09T23:11:58.000Z',
                summary: o.text,
                itemIds: [email],
              }),
            );
          }
          if (o.kind === 'person') {
            const p = await ok<{ id: string }>(
              call('people.create', { name: `p ${o.text}`, role: 'harasser' }),
            );
            await ok(call('people.linkItems', { id: p.id, itemIds: [photo] }));
          }
        }
        const keys = vault.revealKeys();
        const dir = vault.dir;
        await service.lock();
        const rows = storedRows(dir, keys.sqlcipherKey);
        const verdict = await python(rows);
        expect(verdict.lines).toEqual(rows.map((r) => `${r.seq} ok`));
        expect(verdict.code).toBe(0);
        // No entry written today holds a fraction: Python's plain json.dumps gives its bytes.
        for (const r of rows) {
          JSON.parse(r.details, (_k, v: unknown) => {
            if (typeof v === 'number') expect(Number.isSafeInteger(v), r.details).toBe(true);
            return v;
          });
        }
      }),
      { numRuns: 4 },
    );
  });

  it('a vault from before schema 9: old region entries keep their hashes, one new entry re-states them', async () => {
    const step = MIGRATIONS.indexOf(restateRegionsInMillionths);
    expect(step).toBeGreaterThan(0);
    const dir = join(await tempDir('custody-python-old-'), 'v');
    const created = await Vault.create(dir, PASSPHRASE, { kdf: TEST_KDF, actor: 'test' });
    const v = created.vault;
    const root = await tempDir();
    await writeFile(join(root, 'shot.png'), await makeScreenshotPng(120, 260, 5));
    await v.add([join(root, 'shot.png')]);
    const photo = v.list()[0]!.id;
    const keys = v.revealKeys();
    await v.lock();

    // What a Dossier before schema 9 wrote: a REAL regions table and fractions in the log.
    const db = openRawDb(dir, keys.sqlcipherKey);
    const regionId = '0123456789abcdefghjkmnpqrs';
    const old = { x: 0.3, y: 1e-7, w: 0.7, h: 0.000012345 };
    db.exec(`DROP TABLE regions;
      CREATE TABLE regions (id TEXT PRIMARY KEY, item_id TEXT NOT NULL REFERENCES items(id),
        x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
        comment TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL) STRICT;
      CREATE INDEX regions_item ON regions(item_id);`);
    db.prepare('INSERT INTO regions VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      regionId,
      photo,
      old.x,
      old.y,
      old.w,
      old.h,
      'his car',
      '2024-01-01T00:00:00.000Z',
    );
    const head = db
      .prepare('SELECT seq, hash FROM custody_log ORDER BY seq DESC LIMIT 1')
      .get() as {
      seq: number;
      hash: string;
    };
    const entry = {
      seq: head.seq + 1,
      at: '2024-01-01T00:00:00.000Z',
      actor: 'test',
      action: 'annotate',
      subjects: [photo, regionId],
      details: { what: 'region marked', region: { ...old, comment: 'his car' } },
      prev: head.hash,
    };
    const { createHash } = await import('node:crypto');
    const oldHash = createHash('sha256').update(canonicalJsonAsWritten(entry)).digest('hex');
    db.prepare('INSERT INTO custody_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      entry.seq,
      entry.at,
      entry.actor,
      entry.action,
      JSON.stringify(entry.subjects),
      JSON.stringify(entry.details),
      entry.prev,
      oldHash,
    );
    // And text with a broken UTF-16 pair, which JSON.stringify wrote as \ud800.
    const note = {
      ...entry,
      seq: entry.seq + 1,
      subjects: [photo],
      details: { what: 'note added', note: 'a\ud800b' },
      prev: oldHash,
    };
    const noteHash = createHash('sha256').update(canonicalJsonAsWritten(note)).digest('hex');
    // And a region entry that is not a box (damaged): it must not stop the vault opening.
    const odd = {
      ...note,
      seq: note.seq + 1,
      details: { what: 'region marked', region: null },
      prev: noteHash,
    };
    const oddHash = createHash('sha256').update(canonicalJsonAsWritten(odd)).digest('hex');
    for (const [e, h] of [
      [note, noteHash],
      [odd, oddHash],
    ] as const) {
      db.prepare('INSERT INTO custody_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        e.seq,
        e.at,
        e.actor,
        e.action,
        JSON.stringify(e.subjects),
        JSON.stringify(e.details),
        e.prev,
        h,
      );
    }
    rewindSchema(db, step);
    db.close();
    expect(JSON.stringify(entry.details)).toContain('1e-7');
    expect(JSON.stringify(note.details)).toContain('\\ud800');

    const reopened = await Vault.unlock(dir, PASSPHRASE, { actor: 'test' });
    expect(reopened.itemDetail(photo).regions).toEqual([
      expect.objectContaining({ id: regionId, x: 0.3, y: 0, w: 0.7, h: 0.000012 }),
    ]);
    const log = reopened.log();
    const restate = log.find((e) => e.details.what === 'regions restated');
    expect(restate).toMatchObject({
      action: 'annotate',
      subjects: [photo, regionId],
      details: {
        scale: 1_000_000,
        restated: [{ seq: entry.seq, hash: oldHash, x: 300_000, y: 0, w: 700_000, h: 12 }],
      },
    });
    expect(log.find((e) => e.seq === entry.seq)?.hash).toBe(oldHash);
    expect(reopened.verifyLog().ok).toBe(true);
    await reopened.lock();

    const rows = storedRows(dir, keys.sqlcipherKey);
    expect(rows.find((r) => r.seq === entry.seq)?.details).toBe(JSON.stringify(entry.details));
    const verdict = await python(rows);
    expect(verdict.lines).toEqual(rows.map((r) => `${r.seq} ok`));
    expect(rows[0]!.prev).toBe(GENESIS_PREV);

    // Opening it again re-states nothing more.
    const again = await Vault.unlock(dir, PASSPHRASE, { actor: 'test' });
    expect(again.log().filter((e) => e.details.what === 'regions restated')).toHaveLength(1);
    await again.lock();
  });
});
