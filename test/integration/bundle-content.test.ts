// The court bundle's exhibit pages made from a real vault's originals through the blob store:
// each kind of evidence read as the bundle will show it, hostile files named, and the page
// count made first (pixels: false) the same as the pages made after (issue 11, part 1).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../main/core';
import type { ExhibitContent } from '../../main/core/export/bundle/exhibit-content';
import {
  exhibitContentReader,
  type ExhibitContentFn,
} from '../../main/core/export/bundle/read-content';
import type { Exhibit } from '../../main/core/export/model';
import {
  makeEvidenceFixtures,
  makeScreenshotPng,
  type EvidenceFixtures,
} from '../fixtures/evidence';
import { previewOf, testExhibit } from '../support/exhibit';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const BOX = { width: 483, height: 690 };

describe('exhibit content from a vault', () => {
  let vault: Vault;
  let fixtures: EvidenceFixtures;
  let tall: string;
  let content: ExhibitContentFn;
  const exhibits = new Map<string, Exhibit>();

  /** The exhibit the export model would make of an item (the fields the readers use). */
  async function exhibitOf(itemId: string): Promise<Exhibit> {
    const item = vault.itemDetail(itemId);
    let preview: Exhibit['preview'] = null;
    if (item.thumbnailBlobId) {
      const reader = await vault.blobs.open(item.thumbnailBlobId);
      preview = previewOf(await reader.read(0, reader.size));
      await reader.close();
    }
    return testExhibit({
      itemId,
      name: item.name,
      sha256: item.sha256,
      size: item.size,
      mime: item.mime,
      width: item.width,
      height: item.height,
      preview,
      regions: item.regions.map((r, i) => ({
        number: i + 1,
        x: Math.round(r.x * 1e6),
        y: Math.round(r.y * 1e6),
        w: Math.round(r.w * 1e6),
        h: Math.round(r.h * 1e6),
        comment: r.comment,
        createdAt: r.createdAt,
      })),
    });
  }

  beforeAll(async () => {
    const root = await tempDir();
    fixtures = await makeEvidenceFixtures(join(root, 'files'));
    tall = join(root, 'files', 'long-chat.png');
    await writeFile(tall, await makeScreenshotPng(1170, 6000, 3));
    // Windows Notepad's "Unicode" (UTF-16LE): the type sniffer calls it MP3 (FF FE).
    await writeFile(
      join(root, 'files', 'notepad.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('He said: “tonight”\r\n', 'utf16le')]),
    );
    ({ vault } = await newVault(join(root, 'vault')));
    const paths = [
      fixtures.screenshotPng,
      tall,
      fixtures.eml,
      fixtures.text,
      fixtures.html,
      fixtures.pdf,
      fixtures.bombPng,
      fixtures.truncatedPng,
      fixtures.corruptIdatPng,
      fixtures.randomBytes,
      fixtures.empty,
      join(root, 'files', 'notepad.txt'),
      ...(fixtures.exifJpeg ? [fixtures.exifJpeg] : []),
    ];
    await vault.add(paths);
    const byName = new Map(vault.list().map((i) => [i.name, i.id]));
    vault.addRegion(
      byName.get('long-chat.png')!,
      { x: 0.05, y: 0.5, w: 0.6, h: 0.05 },
      'the threat',
    );
    for (const [name, id] of byName) exhibits.set(name, await exhibitOf(id));
    content = exhibitContentReader(vault.blobs, (id) => vault.item(id).blobId, BOX);
  });

  afterAll(async () => {
    await vault?.lock();
  });

  async function both(name: string): Promise<[ExhibitContent, ExhibitContent]> {
    const ex = exhibits.get(name);
    if (!ex) throw new Error(`no item named ${name}`);
    return [await content(ex, { pixels: false }), await content(ex, { pixels: true })];
  }

  it('shows a phone screenshot whole on one page, opaque, at its own pixels', async () => {
    const [, c] = await both('screenshot.png');
    if (c.kind !== 'image') throw new Error(`not an image: ${JSON.stringify(c)}`);
    expect(c.slices).toHaveLength(1);
    const meta = await sharp(c.slices[0]!.image!).metadata();
    expect(meta).toMatchObject({ width: 1170, height: 2532, hasAlpha: false });
    expect(c.slices[0]!.drawHeight).toBeCloseTo(BOX.height, 6);
  });

  it('cuts a long capture into pages, with its region mark on the page it is on', async () => {
    const [counted, c] = await both('long-chat.png');
    if (c.kind !== 'image' || counted.kind !== 'image') throw new Error('not an image');
    expect(c.slices.length).toBe(counted.slices.length);
    expect(c.slices.length).toBeGreaterThan(2);
    const marked = c.slices.filter((s) => s.regions.some((r) => r.number === 1));
    expect(marked.length).toBeGreaterThan(0);
    for (const s of marked) expect(s.top <= 3300 && s.top + s.rows >= 3000).toBe(true);
    for (const s of c.slices) {
      const meta = await sharp(s.image!).metadata();
      expect(meta).toMatchObject({ format: 'png', width: 1170, height: s.rows });
    }
  });

  it('reads an email as text with its headers', async () => {
    const [, c] = await both('message.eml');
    expect(c).toMatchObject({ kind: 'email', body: 'I will be waiting.\n', bodyFrom: 'text' });
    if (c.kind !== 'email') return;
    expect(c.headers.find((h) => h.name === 'Subject')!.value).toBe('you know what you did');
    expect(c.rawHeaders).toMatch(/^Received: from mail\.example\.net .* by mx\.example\.org;/m);
  });

  it('reads a text file and a saved web page as text', async () => {
    expect((await both('note.txt'))[1]).toEqual({
      kind: 'text',
      text: 'Met with PC Jones at 14:00.\nRef: 4471/24\nCafé – naïve “quotes”\n',
      encoding: 'UTF-8',
      truncated: false,
    });
    expect((await both('page.html'))[1]).toMatchObject({ kind: 'text', text: 'Saved post' });
    expect(exhibits.get('notepad.txt')!.mime).toBe('audio/mpeg');
    expect((await both('notepad.txt'))[1]).toMatchObject({
      kind: 'text',
      text: 'He said: “tonight”\n',
      encoding: 'UTF-16LE (byte order mark)',
    });
  });

  it('names what it cannot show, hostile pictures included, in plain words', async () => {
    const reasons: Record<string, RegExp> = {
      'letter.pdf': /^a PDF document: open the original$/,
      'bomb.png': /says it is 100000 × 100000 pixels/,
      'truncated.png': /could not open when it was stored/,
      'corrupt-idat.png': /could not open when it was stored/,
      'random.bin': /cannot show/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      for (const c of await both(name)) {
        expect(c.kind, name).toBe('other');
        if (c.kind === 'other') expect(c.reason, name).toMatch(reason);
      }
    }
  });

  it('turns a photo upright per its EXIF orientation', async (ctx) => {
    if (!fixtures.exifJpeg) return ctx.skip(fixtures.skipped.join('; '));
    const [, c] = await both('photo.jpg');
    if (c.kind !== 'image') throw new Error('not an image');
    // Stored 640×480 with orientation 6: upright it is 480 wide, 640 tall.
    expect([c.width, c.height]).toEqual([480, 640]);
    const meta = await sharp(c.slices[0]!.image!).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 480, height: 640 });
    expect(meta.exif).toBeUndefined();
  });

  it('gives the same kind and pages when counting as when drawing, for every exhibit', async () => {
    for (const name of exhibits.keys()) {
      const [counted, drawn] = await both(name);
      expect(counted.kind, name).toBe(drawn.kind);
      if (counted.kind === 'image' && drawn.kind === 'image') {
        expect(
          counted.slices.map((s) => [s.top, s.rows, s.drawHeight]),
          name,
        ).toEqual(drawn.slices.map((s) => [s.top, s.rows, s.drawHeight]));
        expect(
          drawn.slices.every((s) => s.image !== null),
          name,
        ).toBe(true);
      }
    }
  });
});
