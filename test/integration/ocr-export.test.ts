// Issue 13, export: the text read in each picture goes into the bundle's metadata
// (data/metadata/recognised-text.json, machine-read, covered by the manifests) and the offline
// viewer, and becomes the invisible text layer of the picture's pages in bundle.pdf, so the
// words can be searched and selected while the page looks the same.
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportResult } from '../../main/core/export/export';
import { verifyBundle } from '../../main/core/export/verify-bundle';
import { SCREENSHOT_LINES, textPicture } from '../support/text-picture';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, sha256 } from '../support/vault';

const noTools = missingTools(['pdftotext', 'pdftoppm', 'qpdf', 'mutool']);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

interface RecognisedPicture {
  exhibit: string;
  file: string;
  sha256: string;
  machineRead: boolean;
  status: string;
  language: string;
  engine: string | null;
  engineVersion?: string;
  meanConfidence?: number;
  text: string | null;
  textSha256?: string;
  width?: number;
  height?: number;
  words: { t: string; x: number; y: number; w: number; h: number; c: number }[];
}

async function recognised(bundle: string): Promise<{
  about: string;
  machineRead: boolean;
  pictures: RecognisedPicture[];
}> {
  return JSON.parse(await readFile(join(bundle, 'data/metadata/recognised-text.json'), 'utf8')) as {
    about: string;
    machineRead: boolean;
    pictures: RecognisedPicture[];
  };
}

/** The pages of bundle.pdf as pdftotext reads them (text layers included). */
function pdfPages(pdf: string): string[] {
  return run('pdftotext', ['-layout', pdf, '-']).split('\f').slice(0, -1);
}

/** The picture area of page `page`, rendered to grey pixels (the page's furniture left out). */
function renderedPicture(pdf: string, page: number): Buffer {
  // A4 at 72 dpi: the picture is drawn between the margins, below its header line.
  const r = spawnSync(
    'pdftoppm',
    ['-f', `${page}`, '-l', `${page}`, '-r', '72', '-gray', '-x', '56', '-y', '78'].concat([
      '-W',
      '483',
      '-H',
      '690',
      pdf,
    ]),
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr.toString()}`);
  return r.stdout;
}

describe(skipTitle('recognised text in an export', noTools), async () => {
  const root = await tempDir();
  const src = join(root, 'src');
  await mkdir(src);
  await writeFile(join(src, 'threat.png'), await textPicture(SCREENSHOT_LINES));
  const { vault } = await newVault(join(root, 'vault'));
  await vault.add([join(src, 'threat.png')]);
  const threatId = vault.list()[0]!.id;

  const exportTo = async (name: string): Promise<ExportResult> => {
    const out = join(root, name);
    await mkdir(out);
    return vault.export({ out, format: 'dir', selection: { all: true }, exhibitPrefix: 'JD' });
  };

  // Before recognition: the picture is in the file as not read yet, and its pages have no text.
  const before = await exportTo('before');
  vault.startTextRecognition();
  await vault.ocr.whenIdle();
  // A second picture added after the queue ran: not read yet when the next bundle is made.
  await writeFile(
    join(src, 'later.png'),
    await textPicture(['Saturday at the gate of the park'], { height: 600 }),
  );
  await vault.add([join(src, 'later.png')]);
  const after = await exportTo('after');
  const label = (r: ExportResult, name: string): string =>
    r.exhibits.find((e) => e.bagPath.endsWith(name))!.number;

  it('puts each picture’s machine reading in recognised-text.json, as its custody entry records it', async () => {
    const file = await recognised(after.path);
    expect(file.machineRead).toBe(true);
    expect(file.about).toMatch(/read by machine/i);
    expect(file.pictures.map((p) => p.status)).toEqual(['read', 'not read yet']);
    const [threat, later] = file.pictures;
    expect(threat).toMatchObject({
      exhibit: label(after, 'threat.png'),
      machineRead: true,
      language: 'eng',
      engine: 'tesseract.js',
      width: 1170,
      height: 2532,
    });
    expect(threat!.file).toMatch(/^data\/evidence\/.*threat\.png$/);
    expect(threat!.sha256).toBe(sha256(await readFile(join(src, 'threat.png'))));
    expect(threat!.text).toMatch(/Hollybush Primary School/);
    expect(threat!.meanConfidence).toBeGreaterThan(80);
    const school = threat!.words.find((w) => w.t === 'Hollybush')!;
    expect(school.x).toBeGreaterThan(50);
    expect(school.y).toBeGreaterThan(950);
    expect(school.c).toBeGreaterThan(50);
    // The hash of the text is the one the custody entry recorded when it was read, in the
    // bundle's own custody.jsonl too.
    expect(threat!.textSha256).toBe(sha256(Buffer.from(threat!.text!, 'utf8')));
    const entry = vault.custody
      .entriesWith(['derive'])
      .find((e) => e.subjects[0] === threatId && e.details.what === 'text recognised')!;
    expect(entry.details.textSha256).toBe(threat!.textSha256);
    expect(entry.details.engineVersion).toBe(threat!.engineVersion);
    const custody = await readFile(join(after.path, 'data/metadata/custody.jsonl'), 'utf8');
    expect(custody).toContain(threat!.textSha256);

    expect(later).toMatchObject({
      exhibit: label(after, 'later.png'),
      status: 'not read yet',
      text: null,
      words: [],
    });
    const earlier = await recognised(before.path);
    expect(earlier.pictures).toHaveLength(1);
    expect(earlier.pictures[0]).toMatchObject({ status: 'not read yet', text: null });

    // A derived record: never in items.json, which lists the evidence.
    const items = await readFile(join(after.path, 'data/metadata/items.json'), 'utf8');
    expect(items).not.toContain('Hollybush');
  });

  it('covers the file with the manifests: verify passes, and a changed word is caught', async () => {
    const manifest = await readFile(join(after.path, 'manifest-sha256.txt'), 'utf8');
    const bytes = await readFile(join(after.path, 'data/metadata/recognised-text.json'));
    expect(manifest).toContain(`${sha256(bytes)}  data/metadata/recognised-text.json`);
    expect((await verifyBundle(after.path)).ok).toBe(true);

    const copy = join(root, 'tampered');
    await cp(after.path, copy, { recursive: true });
    await writeFile(
      join(copy, 'data/metadata/recognised-text.json'),
      bytes.toString('utf8').replace(/Hollybush/g, 'Hollyhock'),
    );
    const report = await verifyBundle(copy);
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report.problems)).toContain('data/metadata/recognised-text.json');
  });

  it('shows the text in the offline viewer, labelled as read by machine', async () => {
    const html = await readFile(join(after.path, 'data/viewer/index.html'), 'utf8');
    const island = /<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const data = JSON.parse(island) as {
      exhibits: { number: string; recognisedText: Record<string, unknown> | null }[];
    };
    const of = (n: string) => data.exhibits.find((e) => e.number === n)!.recognisedText!;
    expect(of(label(after, 'threat.png'))).toMatchObject({
      status: 'read',
      engine: expect.stringMatching(/^tesseract\.js 7\.\d+\.\d+ .*, English$/),
      text: expect.stringMatching(/Kestrel Lane/),
    });
    expect(of(label(after, 'later.png'))).toMatchObject({ status: 'not read yet', text: null });
    expect(html).toContain('Text read by machine');
  });

  it('gives each picture page an invisible text layer that finds the words on that page only', () => {
    const pdf = join(after.path, 'data/report/bundle.pdf');
    run('qpdf', ['--check', pdf]);
    const pages = pdfPages(pdf);
    const threat = label(after, 'threat.png');
    const picture = pages.findIndex((t) => t.includes(`${threat} · picture · rows`)) + 1;
    expect(picture).toBeGreaterThan(0);
    // MuPDF reads the same words from that page.
    expect(run('mutool', ['draw', '-F', 'txt', '-o', '-', pdf, `${picture}`])).toMatch(
      /Hollybush Primary School/,
    );
    for (const word of ['Hollybush', 'darkstar77', 'Kestrel', 'children']) {
      const on = pages.flatMap((t, i) => (t.includes(word) ? [i + 1] : []));
      expect(on, word).toEqual([picture]);
    }
    // Before recognition the same page had no words on it.
    const old = pdfPages(join(before.path, 'data/report/bundle.pdf'));
    expect(old.some((t) => t.includes('Hollybush'))).toBe(false);
    // The bundle says the searchable words were read by machine, only when there are some.
    const said = /a machine reading may contain mistakes/;
    expect(said.test(pages.join(' ').replace(/\s+/g, ' '))).toBe(true);
    expect(said.test(old.join(' ').replace(/\s+/g, ' '))).toBe(false);

    // The words are placed over their boxes: "Hollybush" is on the sixth line of text, right
    // of the first words, as in the picture.
    const bbox = run('pdftotext', ['-f', `${picture}`, '-l', `${picture}`, '-bbox', pdf, '-']);
    const at =
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Hollybush<\/word>/.exec(
        bbox,
      )!;
    const [xMin, yMin] = [Number(at[1]), Number(at[2])];
    const reading = vault.ocr.store.reading(threatId)!;
    const word = reading.words.find((w) => w.t === 'Hollybush')!;
    // The picture fills the page's height: 2532 rows over (841.89 − 56 − 70 − 22) points.
    const scale = (841.89 - 56 - 70 - 22) / 2532;
    const left = 56 + (483.28 - 1170 * scale) / 2;
    expect(Math.abs(xMin - (left + word.x * scale))).toBeLessThan(3);
    expect(Math.abs(yMin - (78 + word.y * scale))).toBeLessThan(6);
  });

  it('never exports stored text that differs from what its custody entry recorded', async () => {
    // Someone with the vault's keys rewrites the stored reading: the custody hash disagrees.
    const db = (
      vault as unknown as { db: { prepare(s: string): { run(...a: unknown[]): unknown } } }
    ).db;
    db.prepare('UPDATE ocr SET text = ? WHERE item_id = ?').run(
      SCREENSHOT_LINES.join('\n').replace('Hollybush', 'St Mary'),
      threatId,
    );
    const forged = await exportTo('forged');
    const [threat] = (await recognised(forged.path)).pictures;
    expect(threat).toMatchObject({
      status: 'could not be read',
      text: null,
      words: [],
      reason: expect.stringMatching(/no longer matches the SHA-256 its custody entry recorded/),
    });
    const pdf = join(forged.path, 'data/report/bundle.pdf');
    expect(pdfPages(pdf).some((t) => t.includes('St Mary') || t.includes('Hollybush'))).toBe(false);
    expect((await verifyBundle(forged.path)).ok).toBe(true);
  });

  it('writes the words in text render mode 3, and the rendered page is unchanged', async () => {
    const pdf = join(after.path, 'data/report/bundle.pdf');
    const qdf = join(root, 'qdf.pdf');
    run('qpdf', ['--qdf', '--object-streams=disable', pdf, qdf]);
    const raw = (await readFile(qdf)).toString('latin1');
    // Text render mode is graphics state: follow q/Q and Tr through the content streams and
    // note the mode of every text object. The picture's words are all invisible (3), one text
    // object each; everything else on the pages is ordinary text (mode 0).
    const modes: number[] = [];
    const stack: number[] = [];
    let mode = 0;
    for (const line of raw.split('\n')) {
      if (line === 'q') stack.push(mode);
      else if (line === 'Q') mode = stack.pop() ?? 0;
      else if (/^\d Tr$/.test(line)) mode = Number(line[0]);
      else if (line === 'BT') modes.push(mode);
    }
    const words = vault.ocr.store.reading(threatId)!.words.filter((w) => w.t.trim() !== '');
    expect(words.length).toBeGreaterThan(40);
    expect(modes.filter((m) => m === 3)).toHaveLength(words.length);
    expect(modes.filter((m) => m !== 0 && m !== 3)).toEqual([]);

    const threatBefore = label(before, 'threat.png');
    const threatAfter = label(after, 'threat.png');
    const pageIn = (file: string, l: string): number =>
      pdfPages(file).findIndex((t) => t.includes(`${l} · picture · rows`)) + 1;
    const beforePdf = join(before.path, 'data/report/bundle.pdf');
    const shown = renderedPicture(pdf, pageIn(pdf, threatAfter));
    // The crop holds the picture's dark text, not just white paper.
    expect(shown.filter((v) => v < 128).length).toBeGreaterThan(1000);
    expect(shown).toEqual(renderedPicture(beforePdf, pageIn(beforePdf, threatBefore)));
  });
});
