// The one-time job at unlock for pictures imported before Dossier read XMP for a place: an
// older photo located by its XMP alone is flagged once, logged without the place itself, and
// the job never runs twice; one unreadable picture does not stop it, and a job killed
// part-way resumes after the last picture it saved.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { beforeEach, describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { XMP_LOCATION_JOB } from '../../main/core/ingest/xmp-location-job';
import { exiftool, makePlainJpeg } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

const noTools = missingTools(['exiftool']);
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;
const STREET = 'Jobstreet Mews';

/** Makes the vault look as an older version left it: no XMP read, the job never run. */
function asBefore(v: Vault): void {
  const d = db(v);
  for (const r of d.prepare('SELECT id, metadata FROM items').all() as {
    id: string;
    metadata: string;
  }[]) {
    const rest = JSON.parse(r.metadata) as Record<string, unknown>;
    delete rest.xmpLocation;
    d.prepare("UPDATE items SET sensitive = '[]', metadata = ? WHERE id = ?").run(
      JSON.stringify(rest),
      r.id,
    );
  }
  d.prepare('DELETE FROM settings WHERE key = ?').run(XMP_LOCATION_JOB);
}

describe(skipTitle('the XMP location job for older pictures', noTools), () => {
  let dir: string;
  let located: string;
  let plain: string;

  beforeEach(async () => {
    if (noTools) return;
    const root = await tempDir();
    const photo = join(root, 'edited.jpg');
    await writeFile(photo, await makePlainJpeg());
    await exiftool(['-q', '-overwrite_original', `-XMP-iptcCore:Location=${STREET}`, photo]);
    await writeFile(join(root, 'plain.jpg'), await makePlainJpeg(320, 200));
    dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.add([photo, join(root, 'plain.jpg')]);
    located = vault.items.list().find((i) => i.name === 'edited.jpg')!.id;
    plain = vault.items.list().find((i) => i.name === 'plain.jpg')!.id;
    expect(vault.items.get(located).sensitive).toEqual(['gps']);
    asBefore(vault);
    await vault.lock();
  }, 60_000);

  it.skipIf(noTools !== null)(
    'flags the picture once, logs the fields by name only, and never runs again',
    async () => {
      let v = await Vault.unlock(dir, PASSPHRASE);
      try {
        expect(v.items.get(located).sensitive).toEqual(['gps']);
        expect(JSON.stringify(v.items.get(located).metadata)).toContain(STREET);
        expect(v.items.get(plain).sensitive).toEqual([]);
        expect(v.notices.join(' ')).toMatch(
          /1 picture imported earlier says in its hidden details \(XMP\)/,
        );
        const entries = v.custody.entriesWith(['annotate']);
        const found = entries.filter(
          (e) => (e.details as { what?: string }).what === 'location found in XMP',
        );
        expect(found).toHaveLength(1);
        expect(found[0]!.subjects).toEqual([located]);
        expect(JSON.stringify(found[0]!.details)).not.toContain(STREET);
        expect((found[0]!.details as { fields: string[] }).fields).toEqual([
          'Iptc4xmpCore:Location',
        ]);
      } finally {
        await v.lock();
      }
      v = await Vault.unlock(dir, PASSPHRASE);
      try {
        expect(v.notices.join(' ')).not.toMatch(/imported earlier says?/);
        const again = v.custody
          .entriesWith(['annotate'])
          .filter((e) => (e.details as { what?: string }).what === 'location found in XMP');
        expect(again).toHaveLength(1);
      } finally {
        await v.lock();
      }
    },
  );

  it.skipIf(noTools !== null)('goes on past a picture whose file cannot be read', async () => {
    let v = await Vault.unlock(dir, PASSPHRASE);
    const blob = db(v).prepare('SELECT blob_id FROM items WHERE id = ?').pluck().get(plain);
    asBefore(v);
    const path = (v as unknown as { blobs: { path(id: string): string } }).blobs.path(
      blob as string,
    );
    await v.lock();
    await rm(path);
    v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(v.items.get(located).sensitive).toEqual(['gps']);
      expect(v.notices.join(' ')).toContain(
        'could not be read to look for a location in their hidden details',
      );
      expect(v.notices.join(' ')).toContain(plain);
    } finally {
      await v.lock();
    }
  });

  it.skipIf(noTools !== null)('resumes after the last picture saved', async () => {
    let v = await Vault.unlock(dir, PASSPHRASE);
    asBefore(v);
    // As if killed after saving every picture up to the located one.
    db(v)
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
      .run(XMP_LOCATION_JOB, JSON.stringify({ state: 'running', after: located, found: 0 }));
    await v.lock();
    v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(v.items.get(located).sensitive).toEqual([]);
    } finally {
      await v.lock();
    }
  });
});
