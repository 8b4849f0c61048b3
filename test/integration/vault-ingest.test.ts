import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDossierError, Vault, verifyChain } from '../../main/core';
import { makeScreenshotPng, HOSTILE_NAME } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { anyFileContains, newVault, PASSPHRASE, sha256 } from '../support/vault';

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

describe('ingest', () => {
  it('stores a file encrypted, byte-identical, with its SHA-256 and no plaintext on disk', async () => {
    const root = await tempDir();
    const marker = `MARKER-${randomBytes(8).toString('hex')}`;
    const body = Buffer.from(`${marker}\nYou will regret this.\n`.repeat(5000));
    const file = join(root, 'threat.txt');
    await writeFile(file, body);
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const report = await vault.add([file], { tags: ['email', 'July'], note: `first ${marker}` });
    expect(report.added).toBe(1);
    const [item] = vault.list();
    expect(item).toMatchObject({
      sha256: sha256(body),
      size: body.length,
      name: 'threat.txt',
      mime: 'text/plain',
    });
    expect(item!.tags).toEqual(['email', 'July']);
    expect(item!.blob).toMatch(/^blobs\/[0-9a-z]{2}\/[0-9a-z]{26}\.age$/);
    const blobBytes = await readFile(join(dir, item!.blob));
    expect(blobBytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(await collect(vault.verifiedContent(item!.id))).toEqual(body);
    const detail = vault.item(item!.id.slice(0, 6));
    expect(detail.sourceTimes.mtime).toMatch(/Z$/);
    expect(detail.ingestedAt).toMatch(/Z$/);
    expect(vault.items.search(marker.toLowerCase())).toEqual([item!.id]);
    await vault.lock();
    expect(await anyFileContains(dir, Buffer.from(marker))).toBeNull();
  });

  it('counts files added with a warning (a truncated PNG, an empty file) and flags their rows', async () => {
    const root = await tempDir();
    const src = join(root, 'from-phone');
    await mkdir(src);
    const png = await makeScreenshotPng(390, 844, 1);
    await writeFile(join(src, 'good.png'), png);
    await writeFile(join(src, 'broken.png'), png.subarray(0, Math.floor(png.length / 2)));
    await writeFile(join(src, 'empty.txt'), '');
    const { vault } = await newVault(join(root, 'vault'));
    const report = await vault.add([src]);
    expect(report).toMatchObject({ added: 3, withWarnings: 2, failed: 0, skipped: 0 });
    const rows = vault.items.query({ sort: 'name', order: 'asc', offset: 0, limit: 10 }).rows;
    expect(rows.map((r) => [r.name, r.warnings > 0])).toEqual([
      ['broken.png', true],
      ['empty.txt', true],
      ['good.png', false],
    ]);
  });

  it('imports a folder recursively, with previews for images, and finds notes by full-text search', async () => {
    const root = await tempDir();
    const src = join(root, 'evidence');
    await mkdir(join(src, 'march', 'week 2'), { recursive: true });
    await writeFile(join(src, 'march', 'shot1.png'), await makeScreenshotPng(390, 844, 1));
    await writeFile(
      join(src, 'march', 'week 2', 'shot2.png'),
      await makeScreenshotPng(390, 844, 2),
    );
    await writeFile(join(src, 'notes.txt'), 'called me twice');
    await writeFile(join(src, '.DS_Store'), 'junk');
    const { vault } = await newVault(join(root, 'vault'));
    const report = await vault.add([src], { note: 'harassment from the same account' });
    expect(report).toMatchObject({ added: 3, duplicates: 0, failed: 0, skipped: 1 });
    const items = vault.list();
    const png = vault.item(items.find((i) => i.name === 'shot1.png')!.id);
    expect(png).toMatchObject({ mime: 'image/png', width: 390, height: 844 });
    expect(png.thumbnail).toMatch(/\.age$/);
    const thumbReader = await vault.blobs.open(png.thumbnailBlobId!);
    const thumb = await collect(thumbReader.stream());
    await thumbReader.close();
    expect(thumb.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(vault.items.search('harassment ACCOUNT')).toHaveLength(3);
    expect(vault.items.search('shot2')).toEqual([items.find((i) => i.name === 'shot2.png')!.id]);
    await vault.lock();
  });

  it('links a duplicate to the existing item, logs it, and stores it once', async () => {
    const root = await tempDir();
    const a = join(root, 'a.bin');
    const b = join(root, 'copy of a.bin');
    const bytes = randomBytes(200_000);
    await writeFile(a, bytes);
    await writeFile(b, bytes);
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.add([a]);
    const second = await vault.add([b], { tags: ['later'] });
    expect(second.results[0]).toMatchObject({
      status: 'duplicate',
      duplicate: true,
      existingName: 'a.bin',
    });
    expect(vault.list()).toHaveLength(1);
    const item = vault.item(vault.list()[0]!.id);
    expect(item.sources.map((s) => s.name)).toEqual(['a.bin', 'copy of a.bin']);
    expect(item.tags).toEqual(['later']);
    expect(vault.log().filter((e) => e.action === 'duplicate')).toHaveLength(1);
    expect((await vault.blobs.scan()).blobs).toHaveLength(1);
    // Two copies in the same import race each other; still one item.
    const c = join(root, 'c');
    await mkdir(c);
    const fresh = randomBytes(300_000);
    await writeFile(join(c, 'x1'), fresh);
    await writeFile(join(c, 'x2'), fresh);
    const both = await vault.add([c], { concurrency: 2 });
    expect(both).toMatchObject({ added: 1, duplicates: 1 });
    expect((await vault.blobs.scan()).blobs).toHaveLength(2);
    expect((await vault.check()).ok).toBe(true);
    await vault.lock();
  });

  it('keeps going past bad input: missing paths, empty files, damaged images, hostile names', async () => {
    const root = await tempDir();
    const src = join(root, 'in');
    await mkdir(src);
    const png = await makeScreenshotPng(390, 844);
    await writeFile(join(src, 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
    await writeFile(join(src, 'empty.txt'), '');
    const hostile = HOSTILE_NAME.replace(/\//g, '_');
    await writeFile(join(src, hostile), 'hostile');
    await writeFile(join(src, 'fine.txt'), 'fine');
    const { vault } = await newVault(join(root, 'vault'));
    const report = await vault.add([join(root, 'missing.jpg'), src]);
    expect(report).toMatchObject({ added: 4, failed: 1 });
    const failed = report.results.find((r) => r.status === 'failed')!;
    expect(failed).toMatchObject({ path: join(root, 'missing.jpg') });
    expect(failed.status === 'failed' && failed.error).toMatch(/does not exist/);
    const byName = new Map(vault.list().map((i) => [i.name, vault.item(i.id)]));
    expect(byName.get('truncated.png')!.metadataErrors.join(' ')).toMatch(/truncated|damaged/i);
    expect(byName.get('truncated.png')!.mime).toBe('image/png');
    expect(byName.get('empty.txt')!).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
    expect(byName.get('empty.txt')!.metadataErrors).toContain('The file is empty (0 bytes).');
    expect(byName.get(hostile)!.name).toBe(hostile);
    expect(byName.get(hostile)!.blob).toMatch(/^blobs\/[0-9a-z]{2}\/[0-9a-z]{26}\.age$/);
    expect((await vault.check()).ok).toBe(true);
    await vault.lock();
  });

  it('records every state change in a hash chain that names the first broken link', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    for (let i = 0; i < 3; i++) {
      await writeFile(join(root, `f${i}.txt`), `file ${i}`);
      await vault.add([join(root, `f${i}.txt`)]);
    }
    expect(vault.log().map((e) => e.action)).toEqual(['create', 'ingest', 'ingest', 'ingest']);
    expect(vault.verifyLog()).toMatchObject({ ok: true, entries: 4, firstBroken: null });
    const entries = vault.log();
    const edited = entries.map((e) =>
      e.seq === 3 ? { ...e, details: { ...e.details, name: 'other.txt' } } : e,
    );
    expect(verifyChain(edited).firstBroken).toMatchObject({ seq: 3 });
    const dropped = entries.filter((e) => e.seq !== 2);
    expect(verifyChain(dropped).firstBroken).toMatchObject({ seq: 3 });
    await vault.lock();
    // The database refuses edits to the log outright.
    const v = await Vault.unlock(dir, PASSPHRASE);
    const db = (v as unknown as { db: { prepare(s: string): { run(): unknown } } }).db;
    expect(() => db.prepare("UPDATE custody_log SET actor = 'x' WHERE seq = 2").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM custody_log WHERE seq = 2').run()).toThrow(/append-only/);
    await v.lock();
  });

  it('reads a byte range of a blob without decrypting the whole file', async () => {
    const root = await tempDir();
    // Over 4 MiB, so the SHA-256 is computed on the hash worker.
    const bytes = randomBytes(80 * 65536 + 123);
    await writeFile(join(root, 'video.bin'), bytes);
    const { vault } = await newVault(join(root, 'vault'));
    await vault.add([join(root, 'video.bin')]);
    const item = vault.item(vault.list()[0]!.id);
    expect(item.sha256).toBe(sha256(bytes));
    const reader = await vault.blobs.open(item.blobId);
    expect(reader.size).toBe(bytes.length);
    expect(await reader.read(3 * 65536 - 10, 3 * 65536 + 10)).toEqual(
      bytes.subarray(3 * 65536 - 10, 3 * 65536 + 10),
    );
    expect(await reader.read(bytes.length - 5, bytes.length)).toEqual(bytes.subarray(-5));
    await reader.close();
    await vault.lock();
  });

  it('hashes many big files in one import on the worker without running out of buffers', async () => {
    const root = await tempDir();
    const src = join(root, 'big');
    await mkdir(src);
    const files = Array.from({ length: 11 }, () => randomBytes(4 * 1024 * 1024 + 1234));
    for (const [i, b] of files.entries()) await writeFile(join(src, `f${i}.bin`), b);
    const { vault } = await newVault(join(root, 'vault'));
    const report = await vault.add([src]);
    expect(report.added).toBe(11);
    expect(
      vault
        .list()
        .map((i) => i.sha256)
        .sort(),
    ).toEqual(files.map(sha256).sort());
    expect((await vault.check()).ok).toBe(true);
    await vault.lock();
  });

  it('refuses to hand out a blob with one flipped byte, and check names the item', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    await writeFile(join(root, 'a.txt'), 'a'.repeat(100_000));
    await writeFile(join(root, 'b.txt'), 'b'.repeat(100));
    const { vault } = await newVault(dir);
    await vault.add([join(root, 'a.txt'), join(root, 'b.txt')]);
    const victim = vault.list().find((i) => i.name === 'a.txt')!;
    await vault.lock();
    const path = join(dir, victim.blob);
    const bytes = await readFile(path);
    bytes[bytes.length - 5000]! ^= 0x01;
    await writeFile(path, bytes);
    const v = await Vault.unlock(dir, PASSPHRASE);
    const err = await collect(v.verifiedContent(victim.id)).catch((e: unknown) => e);
    expect(isDossierError(err, 'INTEGRITY')).toBe(true);
    expect((err as Error).message).toContain('a.txt');
    const report = await v.check();
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({
      kind: 'blob-damaged',
      itemId: victim.id,
      itemName: 'a.txt',
    });
    await v.lock();
  });

  it('after an interrupted import, the next unlock removes temp files and quarantines unreferenced blobs, and logs it', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'keep.txt'), 'keep');
    await vault.add([join(root, 'keep.txt')]);
    // What a kill between the blob rename and the database commit leaves behind:
    const orphan = await vault.blobs.create();
    await orphan.write(Buffer.from('never committed'));
    await orphan.commit();
    // ...and a kill while a blob was being written (a temp file named as the design names it):
    const unfinished = await vault.blobs.create();
    const tempName = `${vault.blobs.relativePath(unfinished.id)}.tmp`;
    await writeFile(join(dir, tempName), 'half written');
    // A .tmp the design never writes is not Dossier's to remove.
    const foreignTemp = `${vault.blobs.relativePath(orphan.id).replace(orphan.id, 'notes')}.tmp`;
    await writeFile(join(dir, foreignTemp), 'someone else');
    expect((await vault.check()).problems.map((p) => p.kind).sort()).toEqual([
      'blob-count',
      'orphan-blob',
      'stray-file',
      'temp-file',
    ]);
    await vault.lock();
    const v = await Vault.unlock(dir, PASSPHRASE);
    const repair = v.log().find((e) => e.action === 'repair')!;
    expect(repair.details.quarantined).toEqual([v.blobs.relativePath(orphan.id)]);
    expect(repair.details.removedTempFiles).toEqual([tempName]);
    expect(v.notices.join(' ')).toMatch(/quarantine/);
    const moved = `quarantine/${orphan.id.slice(0, 2)}/${orphan.id}.age`;
    expect(existsSync(join(dir, moved))).toBe(true);
    expect(existsSync(join(dir, tempName))).toBe(false);
    expect(existsSync(join(dir, foreignTemp))).toBe(true);
    const report = await v.check();
    expect(report.problems.map((p) => [p.kind, p.blob]).sort()).toEqual(
      [
        ['blob-count', undefined],
        ['quarantined', moved],
        ['stray-file', foreignTemp],
      ].sort(),
    );
    const restored = await v.restoreQuarantined('all');
    expect(restored).toMatchObject([{ path: moved, status: 'restored' }]);
    const back = v.list().find((i) => i.name !== 'keep.txt')!;
    expect(back.name).toMatch(new RegExp(`^restored-${orphan.id}(\\.txt)?$`));
    expect(v.item(back.id).sha256).toBe(sha256(Buffer.from('never committed')));
    expect(existsSync(join(dir, moved))).toBe(false);
    await v.lock();
  });
});
