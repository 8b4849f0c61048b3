// Issue 15: a photo whose place is in XMP only (no EXIF GPS: an edited photo, a drone's) is
// treated as located everywhere EXIF GPS is. The library flags it, an export stops for the
// location choice, a withheld export prints none of its place in any file Dossier writes
// (metadata, report, viewer), and its copy without location holds no XMP at all.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../main/cli/commands';
import { main } from '../../main/cli/main';
import { Vault } from '../../main/core/vault/vault';
import { exiftool, makePlainJpeg } from '../fixtures/evidence';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

const noTools = missingTools(['exiftool', 'pdftotext']);
const STREET = 'Xmpstreet Close';

describe(skipTitle('a photo located by its XMP alone', noTools), () => {
  const saved = process.env.DOSSIER_PASSPHRASE;
  let root: string;
  let vaultDir: string;
  let photoId: string;

  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const data: Uint8Array[] = [];
    const io: Io = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      data: async (c) => void data.push(Buffer.from(c)),
    };
    const code = await main([...args, '--vault', vaultDir], io);
    return { code, out: out.join('\n'), err: err.join('\n'), data: Buffer.concat(data) };
  };

  beforeAll(async () => {
    if (noTools) return;
    process.env.DOSSIER_PASSPHRASE = PASSPHRASE;
    root = await tempDir();
    const photo = join(root, 'edited.jpg');
    await writeFile(photo, await makePlainJpeg());
    await exiftool([
      '-q',
      '-overwrite_original',
      '-XMP-exif:GPSLatitude=53.8008 N',
      '-XMP-exif:GPSLongitude=1.5491 W',
      `-XMP-iptcCore:Location=${STREET}`,
      photo,
    ]);
    vaultDir = join(root, 'vault');
    const { vault } = await newVault(vaultDir);
    await vault.add([photo]);
    photoId = vault.items.list()[0]!.id;
    await vault.lock();
  }, 60_000);

  afterAll(() => {
    if (saved === undefined) delete process.env.DOSSIER_PASSPHRASE;
    else process.env.DOSSIER_PASSPHRASE = saved;
  });

  it.skipIf(noTools !== null)(
    'is flagged as located, and an export stops for the choice',
    async () => {
      const vault = await Vault.unlock(vaultDir, PASSPHRASE);
      try {
        const detail = vault.items.get(photoId);
        expect(detail.sensitive).toEqual(['gps']);
        expect(JSON.stringify(detail.metadata)).toContain(STREET);
      } finally {
        await vault.lock();
      }
      const out = join(root, 'refused');
      await mkdir(out);
      const r = await cli(['export', '--out', out, '--all']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('1 item records where it was taken');
      expect(await readdir(out)).toEqual([]);
    },
  );

  it.skipIf(noTools !== null)(
    'withheld, its place is in no file Dossier writes (only in the original, unchanged)',
    async () => {
      const out = join(root, 'withheld');
      await mkdir(out);
      const r = await cli(['export', '--out', out, '--all', '--withhold-location']);
      expect(r.code, r.err).toBe(0);
      const [bag] = await readdir(out);
      const hits: string[] = [];
      for (const e of await readdir(join(out, bag!), { withFileTypes: true, recursive: true })) {
        if (!e.isFile()) continue;
        const path = join(e.parentPath, e.name);
        const rel = relative(join(out, bag!), path);
        if (rel.startsWith('data/evidence/')) continue;
        let text = (await readFile(path)).toString('utf8');
        if (rel.endsWith('.pdf'))
          text = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' }).stdout;
        for (const needle of [STREET, '53,48', '1,32.9'])
          if (text.includes(needle)) hits.push(`${needle} in ${rel}`);
      }
      expect(hits).toEqual([]);
    },
  );

  it.skipIf(noTools !== null)('its copy without location holds no XMP and no GPS', async () => {
    const r = await cli(['strip-location', photoId, '--json']);
    expect(r.code, r.err).toBe(0);
    const copy = JSON.parse(r.out) as { id: string };
    const file = join(root, 'copy.jpg');
    await writeFile(file, (await cli(['cat', copy.id])).data);
    const vault = await Vault.unlock(vaultDir, PASSPHRASE);
    try {
      expect(vault.items.get(copy.id).sensitive).toEqual([]);
    } finally {
      await vault.lock();
    }
    const tags = await exiftool(['-j', '-G1', '-XMP:all', '-GPS:all', file]);
    expect(Object.keys((JSON.parse(tags) as object[])[0]!)).toEqual(['SourceFile']);
    expect((await readFile(file)).includes(STREET)).toBe(false);
  });
});
