// `dossier redact` and `dossier strip-location` as a person runs them (issue 15): the copy is
// a new item with its own hash, burned in and with no metadata; the original reads back
// byte-identical; check and the log verify; bad boxes, reasons and items write nothing.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { exiftool, makeExifJpeg, makePlainJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

const noExiftool = missingTools(['exiftool']);
const title = skipTitle('dossier redact and strip-location', noExiftool);
if (noExiftool) console.warn(title);

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(noExiftool !== null)(title, () => {
  let root: string;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  const files: Record<string, Buffer> = {};

  const items = async (): Promise<{ id: string; name: string }[]> =>
    JSON.parse((await dossier(['ls', '--json'], env)).out) as { id: string; name: string }[];

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    env = { DOSSIER_VAULT: join(root, 'vault'), DOSSIER_PASSPHRASE: PASSPHRASE };
    // A vault with a cheap key derivation: every command below unlocks it.
    await (await newVault(join(root, 'vault'))).vault.lock();
    const shot = join(root, 'reply.png');
    writeFileSync(shot, await makeScreenshotPng(390, 844));
    const photo = join(root, 'car.jpg');
    writeFileSync(photo, await makePlainJpeg());
    await makeExifJpeg(photo);
    await exiftool(['-overwrite_original', '-Comment=MARKER-ONLY-IN-ORIGINAL', photo]);
    const bare = join(root, 'note-free.png');
    writeFileSync(
      bare,
      await sharp({ create: { width: 9, height: 9, channels: 3, background: '#0a0' } })
        .png()
        .toBuffer(),
    );
    const note = join(root, 'note.txt');
    writeFileSync(note, 'just text');
    for (const p of [shot, photo, note, bare]) files[p.split('/').pop()!] = readFileSync(p);
    expect((await dossier(['add', shot, photo, note, bare], env)).code).toBe(0);
    for (const i of await items()) ids[i.name] = i.id;
  });

  it('redact: a new PNG item, black inside each box, nothing of the original’s metadata, logged', async () => {
    const r = await dossier(
      [
        'redact',
        ids['reply.png']!,
        '--box',
        '0.1,0.05,0.5,0.1:address',
        '--box',
        '0.2,0.5,0.3,0.2:other:her workplace',
        '--json',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const made = JSON.parse(r.out) as { id: string; parentId: string; sha256: string };
    expect(made.parentId).toBe(ids['reply.png']);
    const copy = (await dossier(['cat', made.id], env)).stdout;
    expect(sha256(copy)).toBe(made.sha256);
    const { data, info } = await sharp(copy).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number): number[] => [
      ...data.subarray(
        (y * info.width + x) * info.channels,
        (y * info.width + x + 1) * info.channels,
      ),
    ];
    expect(at(Math.round(0.3 * info.width), Math.round(0.1 * info.height)).slice(0, 3)).toEqual([
      0, 0, 0,
    ]);
    expect(at(Math.round(0.35 * info.width), Math.round(0.6 * info.height)).slice(0, 3)).toEqual([
      0, 0, 0,
    ]);
    const orig = await sharp(files['reply.png']!).raw().toBuffer();
    const o = (orig.length / (info.width * info.height)) | 0;
    expect([...orig.subarray(0, o)]).toEqual(at(0, 0).slice(0, o));

    // The original reads back byte-identical; the vault checks; the log says what was done.
    expect(
      (await dossier(['cat', ids['reply.png']!], env)).stdout.equals(files['reply.png']!),
    ).toBe(true);
    expect((await dossier(['check'], env)).code).toBe(0);
    expect((await dossier(['log', '--verify'], env)).code).toBe(0);
    const log = JSON.parse((await dossier(['log', '--json'], env)).out) as {
      action: string;
      subjects: string[];
      details: {
        what?: string;
        original?: { sha256: string };
        copy?: { sha256: string };
        boxes?: unknown[];
      };
    }[];
    const derive = log.find((e) => e.details.what === 'redacted copy made')!;
    expect(derive.subjects).toEqual([ids['reply.png'], made.id]);
    expect(derive.details.original!.sha256).toBe(sha256(files['reply.png']!));
    expect(derive.details.copy!.sha256).toBe(made.sha256);
    expect(derive.details.boxes).toEqual([
      { x: 100000, y: 50000, w: 500000, h: 100000, reason: 'address', otherReason: null },
      { x: 200000, y: 500000, w: 300000, h: 200000, reason: 'other', otherReason: 'her workplace' },
    ]);
    const shown = JSON.parse((await dossier(['show', made.id, '--json'], env)).out) as {
      name: string;
      derivedFrom: { parentId: string; operation: string } | null;
    };
    expect(shown.name).toBe('reply (redacted).png');
    expect(shown.derivedFrom).toMatchObject({ parentId: ids['reply.png'], operation: 'redact' });

    // The same boxes again: the same bytes, so no second item.
    const before = (await items()).length;
    const again = await dossier(
      [
        'redact',
        ids['reply.png']!,
        '--box',
        '0.1,0.05,0.5,0.1:address',
        '--box',
        '0.2,0.5,0.3,0.2:other:her workplace',
      ],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('The same copy was made before');
    expect((await items()).length).toBe(before);
  });

  it('redact a JPEG with GPS: the copy has no GPS, no comment, no EXIF', async () => {
    const r = await dossier(
      ['redact', ids['car.jpg']!, '--box', '0,0,0.5,0.5:children', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const copy = (await dossier(['cat', (JSON.parse(r.out) as { id: string }).id], env)).stdout;
    const path = join(root, 'copy.png');
    writeFileSync(path, copy);
    expect(await exiftool(['-a', '-G1', '-s', path])).not.toMatch(
      /GPS|IFD0|ExifIFD|Comment|XMP|Make/,
    );
    expect(copy.includes('MARKER-ONLY-IN-ORIGINAL')).toBe(false);
  });

  it('strip-location: a JPEG copy without GPS or comment, image data unchanged', async () => {
    const r = await dossier(['strip-location', ids['car.jpg']!, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const made = JSON.parse(r.out) as { id: string; parentId: string; sha256: string };
    const copy = (await dossier(['cat', made.id], env)).stdout;
    const path = join(root, 'stripped.jpg');
    writeFileSync(path, copy);
    const tags = await exiftool(['-a', '-G1', '-s', path]);
    expect(tags).not.toMatch(/GPS|Comment|Make|Model|DateTimeOriginal/);
    expect(tags).toMatch(/\[IFD0\]\s+Orientation/);
    expect(copy.includes('MARKER-ONLY-IN-ORIGINAL')).toBe(false);
    expect(
      (await sharp(copy).raw().toBuffer()).equals(await sharp(files['car.jpg']!).raw().toBuffer()),
    ).toBe(true);
    const shown = JSON.parse((await dossier(['show', made.id, '--json'], env)).out) as {
      name: string;
    };
    expect(shown.name).toBe('car (without location).jpg');
  });

  it('refuses, writing nothing: a box outside, no size, an unknown reason, other without words, a non-picture', async () => {
    const before = (await items()).length;
    const logBefore = (JSON.parse((await dossier(['log', '--json'], env)).out) as unknown[]).length;
    const cases: [string[], RegExp][] = [
      [['redact', ids['reply.png']!, '--box', '0.8,0,0.5,0.1:address'], /goes past the right edge/],
      [
        ['redact', ids['reply.png']!, '--box', '0,1.2,0.1,0.1:address'],
        /starts outside the picture/,
      ],
      [['redact', ids['reply.png']!, '--box', '0,0,0,0.1:address'], /has no size/],
      [
        ['redact', ids['reply.png']!, '--box', '0,0,0.1,0.1:secret'],
        /"secret" is not a reason Dossier knows/,
      ],
      [
        ['redact', ids['reply.png']!, '--box', '0,0,0.1,0.1:other'],
        /say the other reason in words/,
      ],
      [['redact', ids['reply.png']!, '--box', '0,0,0.1,0.1'], /it has no reason/],
      [['redact', ids['reply.png']!], /at least one --box/],
      [
        ['redact', ids['note.txt']!, '--box', '0,0,0.1,0.1:address'],
        /not a picture: only a picture can be redacted/,
      ],
      [['strip-location', ids['note.txt']!], /not a picture/],
      [
        ['redact', ids['reply.png']!, '--box', '0,0,0.1,0.1:other:\u001b[31mred'],
        /control character/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await dossier(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect((await items()).length).toBe(before);
    // Each refused command unlocked and locked the vault (or not even that), nothing else.
    const log = JSON.parse((await dossier(['log', '--json'], env)).out) as { action: string }[];
    expect([...new Set(log.slice(logBefore).map((e) => e.action))].sort()).toEqual([
      'lock',
      'unlock',
    ]);
  });
  it('strip-location on a picture with nothing to take out says so and makes nothing', async () => {
    const before = (await items()).length;
    const r = await dossier(['strip-location', ids['note-free.png']!], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no location or other details to take out');
    expect((await items()).length).toBe(before);
  });

  it('a copy can be removed; its original cannot while a copy is there; the vault still checks', async () => {
    const r = await dossier(['strip-location', ids['car.jpg']!, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const copy = (JSON.parse(r.out) as { id: string }).id;
    const rm = await dossier(['rm', copy, '--reason', 'made by mistake', '--yes'], env);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await dossier(['check'], env)).code).toBe(0);
    const again = JSON.parse(
      (await dossier(['strip-location', ids['car.jpg']!, '--json'], env)).out,
    ) as { id: string };
    expect(again.id).not.toBe(copy);
    // The original cannot go while a copy made from it is there: nothing is lost by it.
    const refused = await dossier(['rm', ids['car.jpg']!, '--reason', 'withheld', '--yes'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cannot be removed while');
    expect(refused.stderr).toContain(again.id);
    expect((await dossier(['check'], env)).code).toBe(0);
    expect((await dossier(['log', '--verify'], env)).code).toBe(0);
  });
});
