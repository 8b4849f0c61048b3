// The export for disclosure (issue 15): each item with a redacted copy or a copy without
// location is represented by it, the original withheld and listed in the redaction schedule
// (report and redactions.csv); nothing of the original (its metadata, text read by machine,
// notes, tags, region comments, custody entries) is in any byte of the bundle; verify passes;
// the original stays byte-identical in the vault.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exiftool, makeExifJpeg, makeScreenshotPng } from '../fixtures/evidence';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';
import { onPty } from '../support/pty';
import { missingTools, skipTitle, toolPath } from '../support/tools';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const noTools = missingTools(['exiftool', 'pdftotext', 'unzip']);
// The age CLI reads a passphrase only from a terminal: python3 drives one.
const noAge = missingTools(['age', 'python3']);

// Each only in the original: its metadata, its text read by machine, the person's words on it.
const MARKERS = {
  jpegComment: 'MARKJPEGCOMMENT7731',
  pngText: 'MARKPNGTEXTCHUNK5512',
  ocr: 'MARKOCRWORDS9904',
  note: 'MARKNOTEONORIGINAL3318',
  tag: 'marktagonoriginal4410',
  region: 'MARKREGIONCOMMENT2207',
};

interface Result {
  path: string;
  exhibits: { number: string; itemId: string; sha256: string; bagPath: string }[];
  location: { items: number; choice: string | null };
  disclosure: { withheld: number } | null;
  warnings: string[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Every file (and PDF text) of a bundle folder holding `needle`, by path. */
async function holding(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const f of await filesUnder(dir)) {
    const bytes = await readFile(f);
    if (bytes.includes(Buffer.from(needle))) found.push(f);
    if (f.endsWith('.pdf')) {
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).stdout;
      if (text.includes(needle)) found.push(`${f} (text)`);
    }
  }
  return found;
}

describe.skipIf(noTools !== null)(skipTitle('the export for disclosure', noTools), async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const root = await tempDir();
  const ids: Record<string, string> = {};
  const originals: Record<string, Buffer> = {};
  let copies: { shot: string; photo: string; photoRedacted?: string };
  let incidentId: string;

  beforeAll(async () => {
    const src = join(root, 'src');
    await mkdir(src);
    const shot = join(src, 'reply.png');
    await writeFile(shot, await makeScreenshotPng(390, 844));
    await exiftool(['-q', '-overwrite_original', `-PNG:Comment=${MARKERS.pngText}`, shot]);
    const photo = join(src, 'doorstep.jpg');
    await makeExifJpeg(photo);
    await exiftool(['-q', '-overwrite_original', `-Comment=${MARKERS.jpegComment}`, photo]);
    const other = join(src, 'plain.txt');
    await writeFile(other, 'a message with nothing to cover');
    const added = await vault.add([shot, photo, other]);
    for (const r of added.results) if (r.status === 'added') ids[r.name] = r.id;
    for (const [name, p] of [
      ['reply.png', shot],
      ['doorstep.jpg', photo],
    ] as const)
      originals[name] = await readFile(p);
    expect((await readFile(shot)).includes(Buffer.from(MARKERS.pngText))).toBe(true);

    // The person's own words on the original.
    await ok(call('items.addNote', { id: ids['reply.png'], body: `note ${MARKERS.note}` }));
    await ok(call('items.setTags', { id: ids['reply.png'], tags: [MARKERS.tag] }));
    await ok(
      call('items.addRegion', {
        id: ids['reply.png'],
        x: 0.1,
        y: 0.1,
        w: 0.2,
        h: 0.2,
        comment: MARKERS.region,
      }),
    );
    // Text read by machine in the original (a stand-in engine: the words are the marker).
    const store = vault.ocr.store;
    for (let pic = store.next(); pic; pic = store.next(new Set([pic.itemId]))) {
      if (pic.itemId !== ids['reply.png']) continue;
      store.saveReading(
        pic,
        { engine: 'test-engine', version: '1', language: 'eng' },
        {
          text: `Home ${MARKERS.ocr}`,
          words: [
            { t: 'Home', x: 10, y: 10, w: 50, h: 20, c: 95 },
            { t: MARKERS.ocr, x: 70, y: 10, w: 200, h: 20, c: 95 },
          ],
          confidence: 95,
        },
        { width: 390, height: 844 },
        1,
      );
      break;
    }
    expect(vault.ocr.store.reading(ids['reply.png']!)?.text).toContain(MARKERS.ocr);

    const redacted = await ok<{ id: string }>(
      call('items.makeRedactedCopy', {
        id: ids['reply.png'],
        boxes: [
          { x: 0.1, y: 0.05, w: 0.5, h: 0.1, reason: 'address', otherReason: null },
          { x: 0.2, y: 0.5, w: 0.3, h: 0.2, reason: 'other', otherReason: 'her workplace' },
        ],
      }),
    );
    const stripped = await ok<{ id: string }>(
      call('items.makeCopyWithoutLocation', { id: ids['doorstep.jpg'] }),
    );
    copies = { shot: redacted.id, photo: stripped.id };
    const inc = await ok<{ id: string }>(
      call('incidents.create', {
        occurredAt: '2024-03-09T23:00:00Z',
        summary: 'He sent the reply',
        itemIds: [ids['reply.png']],
      }),
    );
    incidentId = inc.id;
  });

  const exportTo = async (name: string, args: Record<string, unknown>): Promise<Result> => {
    const out = join(root, name);
    await mkdir(out);
    return ok<Result>(call('export.create', { out: `${out}/`, format: 'dir', ...args }));
  };

  it('represents each item by its copy, withholds the original and schedules it; verify passes', async () => {
    const r = await exportTo('all', { selection: { all: true }, disclosure: true });
    expect(r.disclosure).toEqual({ withheld: 2 });
    // The copies, and the item with no copy; never an original with a copy.
    expect(r.exhibits.map((e) => e.itemId).sort()).toEqual(
      [copies.shot, copies.photo, ids['plain.txt']!].sort(),
    );
    // No location in the copies: nothing to choose, and nothing located.
    expect(r.location).toEqual({ items: 0, choice: 'withheld' });
    const csv = await readFile(join(r.path, 'data/metadata/redactions.csv'), 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'exhibit,file,copy_sha256,original_sha256,original_item_id,copy,area,reason,where,made_at,made_by,custody_entry',
    );
    const shot = r.exhibits.find((e) => e.itemId === copies.shot)!;
    const photo = r.exhibits.find((e) => e.itemId === copies.photo)!;
    expect(lines.slice(1)).toHaveLength(3);
    // One row per area (a copy without location: one saying what was taken out).
    const shotRows = lines.filter((l) => l.startsWith(`${shot.number},`));
    const photoRows = lines.filter((l) => l.startsWith(`${photo.number},`));
    expect(shotRows).toHaveLength(2);
    expect(photoRows).toHaveLength(1);
    expect(shotRows[0]).toContain(
      `${shot.number},${shot.bagPath},${shot.sha256},${sha256(originals['reply.png']!)},${ids['reply.png']},redacted copy,1,Personal address,"box 10% from the left, 5% from the top, 50% wide, 10% high",`,
    );
    expect(shotRows[1]).toContain(
      ',2,Other: her workplace,"box 20% from the left, 50% from the top',
    );
    expect(photoRows[0]).toContain(
      `${photo.number},${photo.bagPath},${photo.sha256},${sha256(originals['doorstep.jpg']!)},${ids['doorstep.jpg']},copy without location,,Location and device details removed,`,
    );
    // The incident on the original points at the copy.
    const incidents = await readFile(join(r.path, 'data/metadata/incidents.csv'), 'utf8');
    expect(incidents).toContain(incidentId);
    expect(incidents.split('\r\n')[1]).toContain(`,${shot.number},`);
    // The report's schedule.
    const report = spawnSync(
      'pdftotext',
      ['-enc', 'UTF-8', join(r.path, 'data/report/report.pdf'), '-'],
      {
        encoding: 'utf8',
      },
    ).stdout.replace(/\s+/g, ' ');
    expect(report).toContain('Redaction schedule');
    expect(report).toContain(sha256(originals['reply.png']!));
    expect(report).toContain('Other: her workplace');
    expect(report).toContain('not an original but a copy');
    expect(report).toContain('For disclosure Redacted copy: 2 areas covered');
    // The court bundle's cover sheet says it too.
    const bundle = spawnSync(
      'pdftotext',
      ['-enc', 'UTF-8', join(r.path, 'data/report/bundle.pdf'), '-'],
      { encoding: 'utf8' },
    ).stdout.replace(/\s+/g, ' ');
    expect(bundle).toContain('For disclosure Redacted copy: 2 areas covered');
    expect(bundle).toContain('section 7 of the report, and data/metadata/redactions.csv');

    // The viewer: the copies marked as such, and the schedule (its data, shown by the page).
    const viewer = await readFile(join(r.path, 'data/viewer/index.html'), 'utf8');
    expect(viewer).toContain(
      '"disclosed":"Redacted copy: 2 areas covered (Personal address; Other: her workplace)"',
    );
    expect(viewer).toContain(
      '"disclosed":"Copy without location: location and device details removed"',
    );
    expect(viewer).toContain(`"originalSha256":"${sha256(originals['reply.png']!)}"`);

    const verified = await ok<{ ok: boolean; problems: unknown[] }>(
      call('export.verify', { path: r.path }),
    );
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
    // The originals untouched in the vault, and the vault checks.
    for (const name of ['reply.png', 'doorstep.jpg'] as const) {
      const chunks: Buffer[] = [];
      for await (const c of vault.verifiedContent(ids[name]!)) chunks.push(c);
      expect(Buffer.concat(chunks).equals(originals[name]!)).toBe(true);
    }
    const check = await vault.check();
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
  });

  it('leaves no byte of the original in the bundle: metadata, text read by machine, notes, tags, region comments', async () => {
    const r = await exportTo('leak', { selection: { all: true }, disclosure: true });
    for (const m of Object.values(MARKERS)) expect(await holding(r.path, m), m).toEqual([]);
    // Nor where the photo was taken, in any form the viewer or metadata would print it.
    for (const where of ['51.5007', '0.1246', '51 deg', '"GPS']) {
      expect(await holding(r.path, where), where).toEqual([]);
    }
    // Its custody entries are withheld (the original's name is only in them).
    const custody = await readFile(join(r.path, 'data/metadata/custody.jsonl'), 'utf8');
    expect(custody).not.toContain('"name":"reply.png"');
    expect(custody).not.toContain('"name":"doorstep.jpg"');
    // A normal export of the same items does hold them: the markers can be found.
    const normal = await exportTo('normal', {
      selection: { itemIds: [ids['reply.png'], ids['doorstep.jpg']] },
      location: 'included',
    });
    expect(normal.disclosure).toBeNull();
    for (const m of Object.values(MARKERS))
      expect((await holding(normal.path, m)).length, m).toBeGreaterThan(0);
    expect((await holding(normal.path, '"GPS')).length).toBeGreaterThan(0);
  });

  it('as a zip: no marker in the zip file nor in what it unzips to', async () => {
    const out = join(root, 'zip');
    await mkdir(out);
    const r = await ok<Result>(
      call('export.create', {
        out: `${out}/`,
        format: 'zip',
        selection: { all: true },
        disclosure: true,
      }),
    );
    const zip = await readFile(r.path);
    for (const m of Object.values(MARKERS)) expect(zip.includes(Buffer.from(m)), m).toBe(false);
    const unzipped = join(root, 'unzipped');
    await mkdir(unzipped);
    expect(spawnSync('unzip', ['-q', r.path, '-d', unzipped]).status).toBe(0);
    for (const m of Object.values(MARKERS)) expect(await holding(unzipped, m), m).toEqual([]);
    // The count of files proves the unzipped bundle was searched, not an empty folder.
    expect((await filesUnder(unzipped)).length).toBeGreaterThan(10);
  });

  it.skipIf(noAge !== null)(
    'as a .zip.age: decrypted with the age CLI, no marker in it',
    async () => {
      const out = join(root, 'zip-age');
      await mkdir(out);
      const passphrase = 'a long zip passphrase';
      const r = await ok<Result>(
        call('export.create', {
          out: `${out}/`,
          format: 'zip',
          encryptPassphrase: passphrase,
          selection: { all: true },
          disclosure: true,
        }),
      );
      expect(r.path.endsWith('.zip.age')).toBe(true);
      const zip = join(root, 'decrypted.zip');
      const age = onPty(passphrase, [toolPath('age')!, '-d', '-o', zip, r.path]);
      expect(age.status, age.output).toBe(0);
      const bytes = await readFile(zip);
      for (const m of Object.values(MARKERS)) expect(bytes.includes(Buffer.from(m)), m).toBe(false);
      const unzipped = join(root, 'unzipped-age');
      await mkdir(unzipped);
      expect(spawnSync('unzip', ['-q', zip, '-d', unzipped]).status).toBe(0);
      expect((await filesUnder(unzipped)).length).toBeGreaterThan(10);
      for (const m of Object.values(MARKERS)) expect(await holding(unzipped, m), m).toEqual([]);
    },
  );

  it('refuses a schedule that no longer says what the custody log recorded, writing nothing', async () => {
    const db = (
      vault as unknown as {
        db: {
          prepare(s: string): { run(...a: unknown[]): unknown; get(...a: unknown[]): unknown };
        };
      }
    ).db;
    const { areas } = db
      .prepare('SELECT areas FROM redactions WHERE item_id = ?')
      .get(copies.shot) as {
      areas: string;
    };
    const log = vault.log().length;
    const tamper = async (value: string): Promise<void> => {
      db.prepare('UPDATE redactions SET areas = ? WHERE item_id = ?').run(value, copies.shot);
      const out = join(root, `tampered-${log}-${value.length}`);
      await mkdir(out);
      const e = await failure(
        call('export.create', {
          out: `${out}/`,
          format: 'dir',
          selection: { all: true },
          disclosure: true,
        }),
      );
      expect(e.code).toBe('INTEGRITY');
      expect(e.message).toMatch(/reply \(redacted\)\.png|damaged/);
      expect(await readdir(out)).toEqual([]);
    };
    try {
      // A reason changed behind Dossier's back ("address" to "privileged").
      await tamper(areas.replace('"address"', '"privileged"'));
      // A box taken away.
      await tamper(JSON.stringify((JSON.parse(areas) as unknown[]).slice(0, 1)));
      // Not JSON at all.
      await tamper('{');
    } finally {
      db.prepare('UPDATE redactions SET areas = ? WHERE item_id = ?').run(areas, copies.shot);
    }
    expect(vault.log()).toHaveLength(log);
  });

  it('uses a copy chosen in the selection, and the newest redacted copy before a copy without location', async () => {
    // A copy without location of the screenshot too: the redacted copy is still the one used.
    const bare = await ok<{ id: string }>(
      call('items.makeCopyWithoutLocation', { id: ids['reply.png'] }),
    );
    const all = await exportTo('prefer', { selection: { all: true }, disclosure: true });
    expect(all.exhibits.map((e) => e.itemId)).toContain(copies.shot);
    expect(all.exhibits.map((e) => e.itemId)).not.toContain(bare.id);
    // Chosen by itself: the copy without location of the photo, for the original.
    const chosen = await exportTo('chosen', {
      selection: { itemIds: [copies.photo] },
      disclosure: true,
    });
    expect(chosen.exhibits.map((e) => e.itemId)).toEqual([copies.photo]);
    expect(chosen.disclosure).toEqual({ withheld: 1 });
    // Nothing to withhold: said, and the bundle is as a normal one with an empty schedule.
    const none = await exportTo('none', {
      selection: { itemIds: [ids['plain.txt']] },
      disclosure: true,
    });
    expect(none.disclosure).toEqual({ withheld: 0 });
    expect(none.warnings.join(' ')).toMatch(/no exported item has a redacted copy/);
    // The original with GPS and no copy chosen otherwise is represented by its copy, so the
    // wizard is told which located originals go out as copies.
    const located = await ok<{ items: unknown[]; withheldByCopies: { itemId: string }[] }>(
      call('export.located', { selection: { all: true }, disclosure: true }),
    );
    expect(located.items).toEqual([]);
    expect(located.withheldByCopies.map((x) => x.itemId)).toEqual([copies.photo]);
  });
});
