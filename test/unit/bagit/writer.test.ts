/**
 * BagWriter into a folder: the bag is RFC 8493 1.0, and the ordinary tools a solicitor
 * has (sha256sum, sha512sum) check it in place.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderSink } from '../../../main/core/bagit/sink';
import { openBagSource, verifyBag } from '../../../main/core/bagit/verify';
import { BagWriter } from '../../../main/core/bagit/writer';
import { tempDir } from '../../support/tmp';
import { skipTitle } from '../../support/tools';
import { EVIDENCE, KEY_FILE, noShaSums, sampleFolderBag, writeSampleBag } from './helpers';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('BagWriter (folder)', async () => {
  const dir = await tempDir('bagit-writer-');
  const bag = await sampleFolderBag(dir);
  const text = (rel: string): Promise<string> => readFile(join(bag, rel), 'utf8');

  it('writes the declaration and bag-info with computed Payload-Oxum and Bagging-Date', async () => {
    expect(await text('bagit.txt')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const info = await text('bag-info.txt');
    expect(info).toBe(
      [
        'Source-Organization: Dossier test',
        'Contact-Name: A. Person',
        'External-Description: Two exhibits',
        '  and a second line',
        'Bagging-Date: 2024-05-06',
        `Payload-Oxum: ${22 + 3000 + 20}.3`,
        '',
      ].join('\n'),
    );
  });

  it('writes manifests as "<hex>  <path>", sorted, with SHA-256 and SHA-512', async () => {
    const m256 = await text('manifest-sha256.txt');
    const lines = m256.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(66))).toEqual([
      'data/evidence/JD-1_a.png',
      'data/evidence/JD-2_recording.m4a',
      'data/metadata/items.json',
    ]);
    expect(lines[0]).toBe(`${sha256(await readFile(join(bag, EVIDENCE)))}  ${EVIDENCE}`);
    expect((await text('manifest-sha512.txt')).split('\n')[0]).toMatch(/^[0-9a-f]{128} {2}data\//);
  });

  it('lists the tag files, not the unlisted ones, in tagmanifest-sha256.txt', async () => {
    const listed = (await text('tagmanifest-sha256.txt'))
      .trimEnd()
      .split('\n')
      .map((l) => l.slice(66));
    expect(listed).toEqual([
      'bag-info.txt',
      'bagit.txt',
      'manifest-sha256.txt',
      'manifest-sha512.txt',
      KEY_FILE,
    ]);
  });

  it.skipIf(noShaSums !== null)(
    skipTitle('passes sha256sum -c and sha512sum -c in the bag root', noShaSums),
    () => {
      for (const [tool, file] of [
        ['sha256sum', 'manifest-sha256.txt'],
        ['sha512sum', 'manifest-sha512.txt'],
        ['sha256sum', 'tagmanifest-sha256.txt'],
      ] as const) {
        const out = execFileSync(tool, ['-c', '--strict', file], { cwd: bag, encoding: 'utf8' });
        expect(out).not.toMatch(/FAILED/);
        expect(out).toMatch(/: OK$/m);
      }
    },
  );

  it('is valid to our verifier, with the reported counts', async () => {
    const src = await openBagSource(bag);
    const r = await verifyBag(src);
    await src.close();
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({
      valid: true,
      version: '1.0',
      payloadFiles: 3,
      payloadBytes: 3042,
      algorithms: ['sha256', 'sha512'],
    });
  });

  it('returns the tag manifest bytes and their SHA-256 from finish()', async () => {
    const d2 = await tempDir('bagit-writer2-');
    const res = await writeSampleBag(await folderSink(join(d2, 'b')));
    const onDisk = await readFile(join(res.finalPath, 'tagmanifest-sha256.txt'));
    expect(res.tagManifest.equals(onDisk)).toBe(true);
    expect(res.tagManifestSha256).toBe(sha256(onDisk));
    expect(res.payloadOxum).toBe('3042.3');
  });

  it('percent-encodes CR, LF and % in manifest paths (RFC 8493 §2.1.3) and reads them back', async () => {
    const d = await tempDir('bagit-pct-');
    const sink = await folderSink(join(d, 'b'));
    const w = new BagWriter(sink, { bagInfo: [] });
    await w.addPayload('data/100%.txt', Buffer.from('a'));
    await w.addPayload('data/two\nlines\r.txt', Buffer.from('b'));
    await w.finish();
    const path = await sink.commit();
    const m = await readFile(join(path, 'manifest-sha256.txt'), 'utf8');
    expect(m).toContain('  data/100%25.txt\n');
    expect(m).toContain('  data/two%0Alines%0D.txt\n');
    const src = await openBagSource(path);
    expect((await verifyBag(src)).problems).toEqual([]);
    await src.close();
  });

  it('refuses computed labels, unsafe paths, reserved tag names, and writes after finish()', async () => {
    const d = await tempDir('bagit-refuse-');
    expect(() => new BagWriter({} as never, { bagInfo: [['Payload-Oxum', '1.1']] })).toThrow(
      /computed/,
    );
    expect(() => new BagWriter({} as never, { bagInfo: [['Bad: label', 'x']] })).toThrow(/label/);
    const sink = await folderSink(join(d, 'b'));
    const w = new BagWriter(sink, { bagInfo: [] });
    await expect(w.addPayload('data/../x', Buffer.from('a'))).rejects.toThrow(/unsafe/);
    await expect(w.addPayload('/etc/x', Buffer.from('a'))).rejects.toThrow(/unsafe/);
    await expect(w.addPayload('tags.txt', Buffer.from('a'))).rejects.toThrow(/data\//);
    await expect(w.addTagFile('data/x', Buffer.from('a'))).rejects.toThrow(/outside data/);
    await expect(w.addTagFile('manifest-md5.txt', Buffer.from('a'))).rejects.toThrow(/itself/);
    await w.addPayload('data/a.txt', Buffer.from('a'));
    await expect(w.addPayload('data/A.TXT', Buffer.from('a'))).rejects.toThrow(
      /same name on Windows or macOS/,
    );
    await w.addPayload('data/Evidence/x', Buffer.from('x'));
    await expect(w.addPayload('data/evidence/y', Buffer.from('y'))).rejects.toThrow(/clashes/);
    await expect(w.addPayload('data/a.txt/z', Buffer.from('z'))).rejects.toThrow(/clashes/);
    await w.finish();
    await expect(w.addPayload('data/b.txt', Buffer.from('b'))).rejects.toThrow(/finished/);
    await expect(w.addTagFile('x.txt', Buffer.from('b'))).rejects.toThrow(/finished/);
    await w.addUnlistedTagFile('VERIFY.txt', Buffer.from('ok'));
    await sink.abort();
  });
});
