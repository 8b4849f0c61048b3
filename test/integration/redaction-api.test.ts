// items.makeRedactedCopy and items.makeCopyWithoutLocation as the app calls them (issue 15):
// boxes in fractions like region marks, each with a reason; the copy is a new item the item
// view can describe (what it covers, of which original) and list on the original; a bad box,
// reason or item is refused in words and nothing is written.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exiftool, makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';
import { missingTools } from '../support/tools';

interface Made {
  id: string;
  parentId: string;
  sha256: string;
  name: string;
  alreadyMade: boolean;
}
interface Detail {
  id: string;
  sha256: string;
  name: string;
  derivedFrom: { parentId: string; operation: string } | null;
  copyOf?: {
    kind: string;
    originalId: string;
    originalName: string | null;
    originalSha256: string | null;
    areas: {
      x: number;
      y: number;
      w: number;
      h: number;
      reason: string;
      otherReason: string | null;
    }[];
    removed: string[];
    lossless: boolean;
  } | null;
  copies?: { id: string; name: string; kind: string }[];
}

const noExiftool = missingTools(['exiftool']);

describe('items.makeRedactedCopy and items.makeCopyWithoutLocation', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const ids: Record<string, string> = {};
  // Everything the vault holds on disk, listed, to prove a refusal wrote nothing.
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((p) => !/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(p))
      .sort();
  const state = () => ({
    items: vault.list().length,
    log: vault.log().length,
    files: files(service.vaultDir),
  });

  beforeAll(async () => {
    const root = await tempDir();
    const shot = join(root, 'reply.png');
    writeFileSync(shot, await makeScreenshotPng(390, 844));
    const photo = join(root, 'doorstep.jpg');
    await makeExifJpeg(photo);
    const note = join(root, 'note.txt');
    writeFileSync(note, 'just text');
    const added = await vault.add([shot, photo, note]);
    for (const r of added.results) if (r.status === 'added') ids[r.name] = r.id;
    expect(Object.keys(ids).sort()).toEqual(['doorstep.jpg', 'note.txt', 'reply.png']);
  });

  it('makes a redacted copy from fractions with reasons; the item view says what it is', async () => {
    const logBefore = vault.log().length;
    const events: string[] = [];
    const unsubscribe = service.onEvent((e) => events.push(e));
    const made = await ok<Made>(
      call('items.makeRedactedCopy', {
        id: ids['reply.png'],
        boxes: [
          { x: 0.1, y: 0.05, w: 0.5, h: 0.1, reason: 'address', otherReason: null },
          { x: 0.7, y: 0.8, w: 0.3, h: 0.2, reason: 'children' },
          { x: 0.2, y: 0.5, w: 0.3, h: 0.2, reason: 'other', otherReason: 'her workplace' },
        ],
      }),
    );
    const previewAtOnce = vault.items.get(made.id).thumbnailBlobId;
    const told = events.length; // the call's own vaultChanged is in
    expect(made).toMatchObject({
      parentId: ids['reply.png'],
      name: 'reply (redacted).png',
      alreadyMade: false,
    });
    const derive = vault
      .log()
      .slice(logBefore)
      .find((e) => e.action === 'derive')!;
    // Stored in whole millionths; the box touching the right and bottom edges is kept whole.
    expect((derive.details as { boxes: unknown }).boxes).toEqual([
      { x: 100000, y: 50000, w: 500000, h: 100000, reason: 'address', otherReason: null },
      { x: 700000, y: 800000, w: 300000, h: 200000, reason: 'children', otherReason: null },
      { x: 200000, y: 500000, w: 300000, h: 200000, reason: 'other', otherReason: 'her workplace' },
    ]);

    // The copy's pixels: black in the box at the bottom right corner.
    const chunks: Buffer[] = [];
    for await (const c of vault.verifiedContent(made.id)) chunks.push(c);
    const { data, info } = await sharp(Buffer.concat(chunks))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [
      ...data.subarray(
        (y * info.width + x) * info.channels,
        (y * info.width + x) * info.channels + 3,
      ),
    ];
    expect(px(info.width - 1, info.height - 1)).toEqual([0, 0, 0]);

    // Its preview comes after it, in the background; the app is told, and refreshes its tile.
    expect(previewAtOnce).toBeNull();
    await vault.whenCopyPreviewsMade();
    expect(vault.items.get(made.id).thumbnailBlobId).not.toBeNull();
    expect(events.slice(told)).toContain('vaultChanged');
    unsubscribe();

    const copy = await ok<Detail>(call('items.get', { id: made.id }));
    expect(copy.derivedFrom).toMatchObject({ parentId: ids['reply.png'], operation: 'redact' });
    expect(copy.copyOf).toMatchObject({
      kind: 'redacted',
      originalId: ids['reply.png'],
      originalName: 'reply.png',
      lossless: false,
      removed: [],
    });
    expect(copy.copyOf!.originalSha256).toBe(vault.items.get(ids['reply.png']!).sha256);
    expect(copy.copyOf!.areas.map((a) => [a.x, a.w, a.reason, a.otherReason])).toEqual([
      [0.1, 0.5, 'address', null],
      [0.7, 0.3, 'children', null],
      [0.2, 0.3, 'other', 'her workplace'],
    ]);
    expect(copy.copies).toEqual([]);
    const original = await ok<Detail>(call('items.get', { id: ids['reply.png'] }));
    expect(original.copyOf).toBeNull();
    expect(original.copies).toEqual([
      expect.objectContaining({ id: made.id, name: 'reply (redacted).png', kind: 'redacted' }),
    ]);

    // The same boxes again: the same copy, nothing new stored or logged.
    const before = state();
    const again = await ok<Made>(
      call('items.makeRedactedCopy', {
        id: ids['reply.png'],
        boxes: [
          { x: 0.1, y: 0.05, w: 0.5, h: 0.1, reason: 'address' },
          { x: 0.7, y: 0.8, w: 0.3, h: 0.2, reason: 'children' },
          { x: 0.2, y: 0.5, w: 0.3, h: 0.2, reason: 'other', otherReason: 'her workplace' },
        ],
      }),
    );
    expect(again).toMatchObject({ id: made.id, alreadyMade: true });
    expect(state().items).toBe(before.items);
    expect(state().log).toBe(before.log);
  });

  it('refuses a non-picture, a box outside, an unknown reason, "other" without words: nothing written', async () => {
    // The copy made above gets its preview in the background: written before the count.
    await vault.whenCopyPreviewsMade();
    const before = state();
    expect(before.files.some((f) => f.includes('blobs'))).toBe(true);
    const box = { x: 0.1, y: 0.1, w: 0.2, h: 0.2, reason: 'address' };
    const refusals: Array<[unknown, RegExp]> = [
      [
        { id: ids['note.txt'], boxes: [box] },
        /"note\.txt" is text\/plain, not a picture: only a picture can be redacted/,
      ],
      [
        { id: ids['reply.png'], boxes: [{ ...box, x: 0.9, w: 0.2 }] },
        /boxes\.0\.w is too wide: the box goes past the right edge of the picture/,
      ],
      [
        { id: ids['reply.png'], boxes: [box, { ...box, y: 0.85, h: 0.2 }] },
        /boxes\.1\.h is too tall: the box goes past the bottom edge/,
      ],
      [
        { id: ids['reply.png'], boxes: [{ ...box, x: -0.1 }] },
        /boxes\.0\.x must be between 0 and 1/,
      ],
      [
        { id: ids['reply.png'], boxes: [{ ...box, reason: 'grudge' }] },
        /boxes\.0\.reason is not a reason Dossier knows: the reasons are address, third-party, children, irrelevant, privileged, other/,
      ],
      [
        { id: ids['reply.png'], boxes: [{ ...box, reason: 'other' }] },
        /Box 1 is covered for another reason: say which, in words/,
      ],
      [
        { id: ids['reply.png'], boxes: [box, { ...box, reason: 'other', otherReason: '   ' }] },
        /Box 2 is covered for another reason: say which, in words/,
      ],
      [
        { id: ids['reply.png'], boxes: [{ ...box, otherReason: 'why not' }] },
        /words of its own are only for "other"/,
      ],
      [
        { id: ids['reply.png'], boxes: [{ ...box, reason: 'other', otherReason: 'a\u001b[2Jb' }] },
        /Box 1's reason holds a control character/,
      ],
      [{ id: ids['reply.png'], boxes: [] }, /boxes is empty: draw at least one box to cover/],
    ];
    for (const [args, message] of refusals) {
      const e = await failure(call('items.makeRedactedCopy', args));
      expect(e.code, JSON.stringify(args)).toBe('USAGE');
      expect(e.message).toMatch(message);
    }
    expect(
      (await failure(call('items.makeCopyWithoutLocation', { id: ids['note.txt'] }))).message,
    ).toMatch(/not a picture: only a picture can be copied without its location/);
    expect(state()).toEqual(before);
  });

  it.skipIf(noExiftool !== null)(
    'makes a copy without location of a GPS photo: no GPS in it, the original listed as kept',
    async () => {
      const made = await ok<Made>(
        call('items.makeCopyWithoutLocation', { id: ids['doorstep.jpg'] }),
      );
      expect(made).toMatchObject({
        parentId: ids['doorstep.jpg'],
        name: 'doorstep (without location).jpg',
        alreadyMade: false,
      });
      const copy = await ok<Detail>(call('items.get', { id: made.id }));
      expect(copy.copyOf).toMatchObject({
        kind: 'without-location',
        originalId: ids['doorstep.jpg'],
        lossless: true,
        areas: [],
      });
      expect(copy.copyOf!.removed.length).toBeGreaterThan(0);
      const chunks: Buffer[] = [];
      for await (const c of vault.verifiedContent(made.id)) chunks.push(c);
      const path = join(await tempDir(), 'copy.jpg');
      writeFileSync(path, Buffer.concat(chunks));
      expect(await exiftool(['-a', '-G1', '-s', path])).not.toMatch(/GPS/);
      const original = await ok<Detail>(call('items.get', { id: ids['doorstep.jpg'] }));
      expect(original.copies).toEqual([
        expect.objectContaining({ id: made.id, kind: 'without-location' }),
      ]);
    },
  );
});
