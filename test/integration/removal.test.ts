import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { verifyBundle } from '../../main/core/export/verify-bundle';
import { makeScreenshotPng } from '../fixtures/evidence';
import { openRawDb } from '../support/custody-tamper';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

/** Issue 10, point B5: removing items, incidents and people; renaming items. */

let n = 0;
async function vaultWith(root: string): Promise<{
  dir: string;
  vault: Vault;
  junk: string;
  keep: string;
  photo: string;
}> {
  const dir = join(root, `vault-${++n}`);
  const src = join(root, `src-${n}`);
  await mkdir(src);
  await writeFile(join(src, 'junk.bin'), `52 MB of junk, in miniature ${n}\n`);
  await writeFile(join(src, 'threat.txt'), `I know where you live ${n}\n`);
  await writeFile(join(src, 'photo.png'), await makeScreenshotPng(120, 200, n));
  const { vault } = await newVault(dir);
  await vault.add([src]);
  const id = (name: string): string => vault.list().find((i) => i.name === name)!.id;
  return { dir, vault, junk: id('junk.bin'), keep: id('threat.txt'), photo: id('photo.png') };
}

const blobFiles = async (dir: string): Promise<string[]> =>
  (await readdir(join(dir, 'blobs'), { recursive: true })).filter((f) => f.endsWith('.age'));

describe('removing an item', async () => {
  const root = await tempDir();

  it('logs and tombstones it, deletes its encrypted files, drops its links, and check stays clean', async () => {
    const { dir, vault, junk, keep, photo } = await vaultWith(root);
    const person = vault.createPerson({ name: 'Jo Bloggs', role: 'harasser' });
    const incident = vault.createIncident(
      { occurredAt: '2026-03-09', place: 'outside work' },
      { itemIds: [photo, keep], personIds: [person.id] },
    );
    vault.linkItemPerson(photo, person.id);
    vault.setTags(photo, ['kestrel-tag']);
    vault.addNote(photo, 'heronword seen here');
    const item = vault.item(photo);
    expect(item.thumbnailBlobId).not.toBeNull();
    const files = [item.blob, item.thumbnail!];
    for (const f of files) expect(existsSync(join(dir, f))).toBe(true);

    const result = await vault.removeItem(photo.slice(0, 8), '  imported by mistake  ');
    expect(result).toMatchObject({ id: photo, kind: 'item', name: 'photo.png', warnings: [] });
    expect(result.reason).toBe('imported by mistake');

    for (const f of files) expect(existsSync(join(dir, f))).toBe(false);
    expect(vault.list().map((i) => i.id)).not.toContain(photo);
    expect(vault.cases.incident(incident.id).itemIds).toEqual([keep]);
    expect(vault.cases.person(person.id).itemIds).toEqual([]);
    expect(vault.items.facets()).toMatchObject({ total: 2, tags: [] });
    const search = (text: string) =>
      vault.items.query({ text, sort: 'name', order: 'asc', offset: 0, limit: 10 }).total;
    expect(search('heronword')).toBe(0);
    expect(search('photo')).toBe(0);
    const entry = vault.log().at(-1)!;
    expect(entry).toMatchObject({
      action: 'delete',
      subjects: [photo],
      details: {
        what: 'item removed',
        reason: 'imported by mistake',
        name: 'photo.png',
        sha256: item.sha256,
        size: item.size,
        blob: item.blobId,
        thumbnail: item.thumbnailBlobId,
        unlinked: { incidents: [incident.id], people: [person.id] },
      },
    });
    // The log page names it from its tombstone.
    const page = vault.logPage({ offset: 0, limit: 1, order: 'desc' });
    expect(page.entries[0]!.subjectLabels[0]).toMatchObject({
      kind: 'item',
      label: 'photo.png (removed)',
    });

    const report = await vault.check();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.items).toBe(2);
    expect(vault.verifyLog().ok).toBe(true);

    // A second removal, or a read, of the same id says what happened to it.
    await expect(vault.removeItem(photo, 'again')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/was removed on .*imported by mistake/),
    });
    expect(() => vault.item(photo.slice(0, 6))).toThrow(/was removed on/);
    expect(junk).not.toBe(photo);
    await vault.lock();

    // Reopened: nothing quarantined, nothing to report.
    const again = await Vault.unlock(dir, PASSPHRASE);
    expect(again.notices).toEqual([]);
    expect(await again.quarantined()).toEqual([]);
    expect((await again.check()).ok).toBe(true);
    await again.lock();
  });

  it('requires a reason, refuses unknown ids, and changes nothing when refused', async () => {
    const { dir, vault, junk } = await vaultWith(root);
    const before = vault.log().length;
    const files = await blobFiles(dir);
    await expect(vault.removeItem(junk, '   ')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/Say why/),
    });
    await expect(vault.removeItem(junk, 'x'.repeat(2001))).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(vault.removeItem('zzzz', 'mistake')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(vault.removeItem('ab', 'mistake')).rejects.toMatchObject({ code: 'USAGE' });
    expect(vault.log().length).toBe(before);
    expect(await blobFiles(dir)).toEqual(files);
    expect(vault.list().map((i) => i.id)).toContain(junk);
    await vault.lock();
  });

  it('finishes a removal interrupted after its tombstone was committed (kill before the files went)', async () => {
    const { dir, vault, junk } = await vaultWith(root);
    const item = vault.item(junk);
    const blob = join(dir, item.blob);
    const saved = join(root, `saved-${n}.age`);
    await copyFile(blob, saved);
    await vault.removeItem(junk, 'junk');
    // As if the process died between the commit and the unlink: the file is still there.
    await copyFile(saved, blob);

    const same = await vault.check();
    expect(same.problems).toEqual([]);
    await vault.lock();

    const v = await Vault.unlock(dir, PASSPHRASE);
    expect(existsSync(blob)).toBe(false);
    expect(await v.quarantined()).toEqual([]);
    expect(v.notices).toEqual([expect.stringMatching(/A removal was interrupted/)]);
    const repair = v.log().findLast((e) => e.action === 'repair')!;
    expect(repair.details).toMatchObject({ deletedFiles: [item.blob] });
    const report = await v.check();
    expect(report.problems).toEqual([]);
    await v.lock();
  });

  it('a tombstone written outside Dossier cannot get an encrypted file deleted: it is quarantined', async () => {
    const { dir, vault } = await vaultWith(root);
    const stray = await vault.blobs.create();
    await stray.write(Buffer.from('evidence whose row was lost'));
    await stray.commit();
    const keys = vault.revealKeys();
    await vault.lock();
    const db = openRawDb(dir, keys.sqlcipherKey);
    db.prepare(
      `INSERT INTO tombstones (id, kind, name, blob_id, reason, removed_at, custody_seq)
       VALUES ('0000000000000000000000000a', 'item', 'x', ?, 'forged', '2026-01-01', 1)`,
    ).run(stray.id);
    db.close();
    const v = await Vault.unlock(dir, PASSPHRASE);
    expect(existsSync(join(dir, v.blobs.relativePath(stray.id)))).toBe(false);
    expect((await v.quarantined()).map((q) => q.path)).toEqual([
      `quarantine/${stray.id.slice(0, 2)}/${stray.id}.age`,
    ]);
    const report = await v.check();
    expect(report.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/does not record that removal/)]),
    );
    await v.lock();
  });

  it('an export after a removal leaves it out, withholds its removal entry, and verifies', async () => {
    const { vault, junk, keep, photo } = await vaultWith(root);
    await vault.removeItem(junk, 'private: my bank statement');
    const out = join(root, `out-${n}`);
    await mkdir(out);
    const result = await vault.export({ out, format: 'dir', selection: { all: true } });
    expect(result.exhibits.map((e) => e.itemId).sort()).toEqual([keep, photo].sort());
    const items = JSON.parse(
      await readFile(join(result.path, 'data/metadata/items.json'), 'utf8'),
    ) as { itemId: string }[];
    expect(items.map((i) => i.itemId)).not.toContain(junk);
    const custody = await readFile(join(result.path, 'data/metadata/custody.jsonl'), 'utf8');
    expect(custody).not.toContain('bank statement');
    expect(custody).not.toContain('junk.bin');
    const report = await verifyBundle(result.path);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    await vault.lock();
  });

  it('the same bytes imported again after a removal become a new item, and check stays clean', async () => {
    const { dir, vault, junk } = await vaultWith(root);
    const { sha256 } = vault.item(junk);
    await vault.removeItem(junk, 'wrong folder');
    const again = join(root, `again-${n}`);
    await mkdir(again);
    await writeFile(join(again, 'junk.bin'), `52 MB of junk, in miniature ${n}\n`);
    const report = await vault.add([join(again, 'junk.bin')]);
    expect(report.added).toBe(1);
    const back = vault.list().find((i) => i.sha256 === sha256)!;
    expect(back.id).not.toBe(junk);
    expect((await vault.check()).problems).toEqual([]);
    expect(await blobFiles(dir)).toContain(back.blob.slice('blobs/'.length));
    await vault.lock();
  });

  it('check finds an item deleted outside Dossier, and a removed item put back', async () => {
    const { dir, vault, junk, keep } = await vaultWith(root);
    await vault.removeItem(junk, 'junk');
    const other = await vaultWith(root);
    const otherJunk = other.junk;
    await other.vault.removeItem(otherJunk, 'junk');
    const otherKeys = other.vault.revealKeys();
    await other.vault.lock();
    const keys = vault.revealKeys();
    await vault.lock();
    const db = openRawDb(dir, keys.sqlcipherKey);
    db.pragma('foreign_keys = OFF');
    // Deleted without a removal: its rows simply vanish.
    for (const t of ['item_sources', 'incident_items', 'item_tags', 'items'])
      db.prepare(`DELETE FROM ${t} WHERE ${t === 'items' ? 'id' : 'item_id'} = ?`).run(keep);
    // A tombstone whose hash no longer matches what its removal entry recorded.
    db.prepare("UPDATE tombstones SET sha256 = 'ab' WHERE id = ?").run(junk);
    db.close();
    const v = await Vault.unlock(dir, PASSPHRASE);
    const report = await v.check();
    const removal = report.problems.filter((p) => p.kind === 'removal').map((p) => p.message);
    expect(removal).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`Item ${keep} .*no removal is logged`)),
        expect.stringMatching(new RegExp(`Item ${junk} .*does not record that removal`)),
      ]),
    );
    expect(report.ok).toBe(false);
    await v.lock();

    // In another vault, a removed item's id given back to a row: it is in the vault again.
    const raw = openRawDb(other.dir, otherKeys.sqlcipherKey);
    raw.pragma('foreign_keys = OFF');
    raw.prepare('UPDATE items SET id = ? WHERE id = ?').run(otherJunk, other.photo);
    raw.close();
    const w = await Vault.unlock(other.dir, PASSPHRASE);
    const messages = (await w.check()).problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`Item ${otherJunk} .*recorded as removed, but it is in the vault again`),
        ),
      ]),
    );
    await w.lock();
  });
});

describe('removing incidents and people', async () => {
  const root = await tempDir();

  it('removes them with their links, logs what they were, and keeps the items', async () => {
    const { vault, keep } = await vaultWith(root);
    const person = vault.createPerson({
      name: 'Jo Bloggs',
      role: 'harasser',
      identifiers: [{ kind: 'email', value: 'jo@example.com' }],
    });
    const incident = vault.createIncident(
      { occurredAt: '2026-03-09', place: 'car park', summary: 'shouted at me' },
      { itemIds: [keep], personIds: [person.id] },
    );
    vault.linkItemPerson(keep, person.id);

    await expect(async () => vault.removeIncident(incident.id, '')).rejects.toMatchObject({
      code: 'USAGE',
    });
    const r = vault.removeIncident(incident.id, 'recorded twice');
    expect(r).toMatchObject({ kind: 'incident', name: 'the incident on 9 Mar 2026 (car park)' });
    expect(vault.cases.incidents()).toEqual([]);
    expect(vault.itemDetail(keep).incidentIds).toEqual([]);
    expect(vault.cases.person(person.id).incidentIds).toEqual([]);
    expect(vault.log().at(-1)).toMatchObject({
      action: 'delete',
      subjects: [incident.id],
      details: {
        what: 'incident removed',
        reason: 'recorded twice',
        incident: { summary: 'shouted at me', place: 'car park' },
        unlinked: { items: [keep], people: [person.id] },
      },
    });
    expect(() => vault.removeIncident(incident.id, 'again')).toThrow(/was removed on/);

    vault.removePerson(person.id, 'wrong person');
    expect(vault.cases.people()).toEqual([]);
    expect(vault.itemDetail(keep).personIds).toEqual([]);
    expect(vault.list().map((i) => i.id)).toContain(keep);
    // The identifier is free again.
    expect(vault.cases.personByIdentifier('email', 'jo@example.com')).toBeNull();
    expect(vault.log().at(-1)!.details).toMatchObject({
      what: 'person removed',
      person: { name: 'Jo Bloggs', identifiers: [{ kind: 'email', value: 'jo@example.com' }] },
    });
    const report = await vault.check();
    expect(report.problems).toEqual([]);
    await vault.lock();
  });
});

describe('renaming an item', async () => {
  const root = await tempDir();

  it('keeps the original name, logs the change, and check and export follow it', async () => {
    const { dir, vault, keep } = await vaultWith(root);
    const renamed = vault.renameItem(keep.slice(0, 6), '  Threat from Jo, 9 March.txt ');
    expect(renamed).toMatchObject({
      name: 'Threat from Jo, 9 March.txt',
      originalName: 'threat.txt',
    });
    expect(vault.log().at(-1)).toMatchObject({
      action: 'edit-metadata',
      subjects: [keep],
      details: { what: 'item renamed', before: 'threat.txt', after: 'Threat from Jo, 9 March.txt' },
    });
    // Renamed again: the original name stays the imported one.
    expect(vault.renameItem(keep, 'threat-jo.txt')).toMatchObject({
      name: 'threat-jo.txt',
      originalName: 'threat.txt',
    });
    const search = (text: string) =>
      vault.items.query({ text, sort: 'name', order: 'asc', offset: 0, limit: 10 }).total;
    expect(search('jo')).toBe(1);
    expect(search('threat')).toBe(1);
    expect((await vault.check()).problems).toEqual([]);

    const out = join(root, `out-rename-${n}`);
    await mkdir(out);
    const result = await vault.export({ out, format: 'dir', selection: { itemIds: [keep] } });
    expect(result.exhibits[0]!.bagPath).toBe('data/evidence/EX-001_threat.txt');
    const [exhibit] = JSON.parse(
      await readFile(join(result.path, 'data/metadata/items.json'), 'utf8'),
    ) as { originalName: string; name: string }[];
    expect(exhibit).toMatchObject({ originalName: 'threat.txt', name: 'threat-jo.txt' });
    expect((await verifyBundle(result.path)).ok).toBe(true);

    // A row whose original name was rewritten outside Dossier is caught.
    const keys = vault.revealKeys();
    await vault.lock();
    const db = openRawDb(dir, keys.sqlcipherKey);
    db.prepare("UPDATE items SET original_name = 'harmless.txt' WHERE id = ?").run(keep);
    db.close();
    const v = await Vault.unlock(dir, PASSPHRASE);
    const report = await v.check();
    expect(report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/its original name is "harmless.txt", .* records "threat.txt"/),
    ]);
    await v.lock();
  });

  it('refuses hostile names in plain words and changes nothing', async () => {
    const { vault, keep } = await vaultWith(root);
    const before = vault.log().length;
    for (const [name, why] of [
      ['', /empty/],
      ['   ', /empty/],
      ['..', /"\." or "\.\."/],
      ['a/b.txt', /cannot contain \//],
      ['a\\b.txt', /cannot contain \//],
      ['evil\u202Etxt.exe', /direction overrides/],
      ['two\nlines', /line breaks/],
      ['bell\u0007', /control characters/],
      ['é'.repeat(128), /too long/],
    ] as const) {
      expect(() => vault.renameItem(keep, name), JSON.stringify(name)).toThrow(why);
    }
    expect(vault.renameItem(keep, 'é'.repeat(127)).name).toBe('é'.repeat(127));
    expect(vault.log().length).toBe(before + 1);
    await vault.lock();
  });
});

describe('removal during an export', async () => {
  const root = await tempDir();

  it('is refused until the export has finished', async () => {
    const { vault, junk } = await vaultWith(root);
    const out = join(root, 'out-busy');
    await mkdir(out);
    const exporting = vault.export({ out, format: 'dir', selection: { all: true } });
    await expect(vault.removeItem(junk, 'mistake')).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/An export is being written/),
    });
    await exporting;
    await vault.removeItem(junk, 'mistake');
    expect(vault.list().map((i) => i.id)).not.toContain(junk);
    await vault.lock();
  });
});
