// Issue 11, part 1: a real export writes data/report/bundle.pdf beside report.pdf, listed
// and signed like every payload file, and warns (still writing it) when it passes the 350
// pages family courts accept. The first export reads the exhibits' content with the real
// readers (main/core/export/bundle/); the long one is hand-made through
// ExportOptions.bundleContent, to reach 350 pages quickly.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExhibitContent } from '../../main/core/export/bundle/exhibit-content';
import type { BundleContent } from '../../main/core/export/pdf/bundle';
import { verifyBundle } from '../../main/core/export/verify-bundle';
import { makeScreenshotPng } from '../fixtures/evidence';
import { pictureContent } from '../support/bundle-content';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, sha256 } from '../support/vault';

const noTools = missingTools(['pdftotext', 'pdfinfo', 'qpdf', 'mutool']);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const EML = [
  'From: Anon <anon@example.net>',
  'To: me@example.org',
  'Subject: you know what you did',
  'Date: Sat, 9 Mar 2024 23:11:58 +0000',
  'Message-ID: <x1@example.net>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'I will be waiting by the blue door.',
  '',
].join('\r\n');

describe(skipTitle('the court bundle in a real export', noTools), async () => {
  const root = await tempDir();
  const src = join(root, 'src');
  await mkdir(src);
  const png = await makeScreenshotPng(1170, 2532, 3);
  await writeFile(join(src, 'screenshot.png'), png);
  await writeFile(join(src, 'message.eml'), EML);
  await writeFile(join(src, 'diary.txt'), 'Tuesday: the car was outside again.\n');
  const { vault } = await newVault(join(root, 'vault'));
  await vault.add([src]);
  const byName = new Map(vault.list().map((i) => [i.name, i]));
  const shot = byName.get('screenshot.png')!;
  vault.addRegion(shot.id, { x: 0.1, y: 0.2, w: 0.5, h: 0.05 }, 'The line that threatens me');
  vault.addNote(shot.id, 'Sent at 3am on the Tuesday');

  /** What the readers would make of the three files. */
  const content =
    (textLines: number): BundleContent =>
    async (e, { pixels }): Promise<ExhibitContent> => {
      if (e.originalName === 'screenshot.png') return pictureContent(png, e.regions, pixels);
      if (e.originalName === 'message.eml')
        return {
          kind: 'email',
          headers: [
            { name: 'From', value: 'Anon <anon@example.net>' },
            { name: 'To', value: 'me@example.org' },
            { name: 'Cc', value: '' },
            { name: 'Date', value: 'Sat, 9 Mar 2024 23:11:58 +0000' },
            { name: 'Subject', value: 'you know what you did' },
            { name: 'Message-ID', value: '<x1@example.net>' },
          ],
          body: 'I will be waiting by the blue door.',
          bodyFrom: 'text',
          attachments: [],
          rawHeaders: EML.split('\r\n\r\n')[0]!.replace(/\r\n/g, '\n'),
          problems: [],
        };
      return {
        kind: 'text',
        text: Array.from({ length: textLines }, (_, i) => `diary line ${i + 1}`).join('\n'),
        encoding: 'UTF-8',
        truncated: false,
      };
    };

  it.skipIf(noTools !== null)(
    'writes bundle.pdf beside report.pdf, hashed and signed, with every exhibit readable',
    async () => {
      const out = join(root, 'out');
      await mkdir(out);
      // Counted first, writing nothing (the wizard and the CLI warn with this before exporting).
      const logBefore = vault.log().length;
      const counted = await vault.bundlePages({
        selection: { all: true },
        exhibitPrefix: 'JD',
        caseName: 'Jane Doe',
        exporter: 'Jane Doe',
      });
      expect(vault.log()).toHaveLength(logBefore);
      expect(await readdir(out)).toEqual([]);
      const result = await vault.export({
        out,
        format: 'dir',
        selection: { all: true },
        exhibitPrefix: 'JD',
        caseName: 'Jane Doe',
        exporter: 'Jane Doe',
      });
      const pdf = join(result.path, 'data/report/bundle.pdf');
      const manifest = await readFile(join(result.path, 'manifest-sha256.txt'), 'utf8');
      expect(manifest).toContain(`${sha256(await readFile(pdf))}  data/report/bundle.pdf`);
      expect((await verifyBundle(result.path)).ok).toBe(true);
      run('qpdf', ['--check', pdf]);
      expect(Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [pdf]))![1])).toBe(result.bundlePages);
      expect(counted).toBe(result.bundlePages);
      expect(result.warnings.join(' ')).not.toContain('350');

      // No wasted paper: the short email (with its header appendix) and the one-line text
      // file each take one page, and the screenshot's mark is listed under the picture.
      const pages = run('pdftotext', ['-layout', pdf, '-']).split('\f').slice(0, -1);
      const pageOf = (re: RegExp): number => pages.findIndex((t) => re.test(t)) + 1;
      const label = (name: string): string =>
        result.exhibits.find((e) => e.bagPath.endsWith(name))!.number;
      const [mail, diary, shot] = [
        label('message.eml'),
        label('diary.txt'),
        label('screenshot.png'),
      ];
      const cover = (l: string): number =>
        pageOf(new RegExp(`^\\s*EXHIBIT\\s*\\n\\s*${l}\\s*$`, 'm'));
      expect(pageOf(/I will be waiting by the blue door/)).toBe(cover(mail));
      expect(pageOf(new RegExp(`Appendix to ${mail}: full headers`))).toBe(cover(mail));
      expect(pageOf(/the car was outside again/)).toBe(cover(diary));
      const picture = pageOf(new RegExp(`${shot} · picture · rows`));
      expect(picture).toBe(cover(shot) + 1);
      expect(pageOf(/The line that threatens me\n/)).toBe(picture);
      expect(pages[picture - 1]).toContain(`Region marks on ${shot}`);

      const outline = run('mutool', ['show', pdf, 'outline']);
      const text = run('pdftotext', [pdf, '-']).replace(/\s+/g, ' ');
      for (const e of result.exhibits) {
        expect(outline).toContain(`${e.number} —`);
        expect(text).toContain(e.sha256);
      }
      expect(text).toContain('you know what you did');
      expect(text).toContain('I will be waiting by the blue door.');
      expect(text).toContain('The line that threatens me');
      expect(text).toContain('Sent at 3am on the Tuesday');
      expect(text).toContain('Tuesday: the car was outside again.');
      expect(text).toContain('Message-ID <x1@example.net>');
      // The custody log in words, about the exhibit, on its cover sheet.
      expect(text).toMatch(
        /Custody log Entry \d+, [\d-]+ [\d:]+Z: “screenshot\.png” was added to the vault/,
      );
      expect(text).toContain(
        'An area of a picture was marked, with the comment “The line that threatens me”',
      );
    },
  );

  it.skipIf(noTools !== null)(
    'warns, with the page count, when the bundle passes 350 pages, and still writes it',
    async () => {
      const out = join(root, 'long');
      await mkdir(out);
      const counted = await vault.bundlePages({
        selection: { all: true },
        exhibitPrefix: 'JD',
        bundleContent: content(40_000),
      });
      expect(counted).toBeGreaterThan(350);
      const result = await vault.export({
        out,
        format: 'dir',
        selection: { all: true },
        exhibitPrefix: 'JD',
        bundleContent: content(40_000), // a long diary: about 400 pages of text
      });
      expect(result.bundlePages).toBeGreaterThan(350);
      const pdf = join(result.path, 'data/report/bundle.pdf');
      expect(Number(/^Pages:\s+(\d+)$/m.exec(run('pdfinfo', [pdf]))![1])).toBe(result.bundlePages);
      expect(counted).toBe(result.bundlePages);
      const warning = result.warnings.find((w) => w.includes('350'));
      expect(warning).toContain(`has ${result.bundlePages.toLocaleString('en-GB')} pages`);
      expect(warning).toContain('Practice Direction 27A');
      expect((await verifyBundle(result.path)).ok).toBe(true);
    },
    120_000,
  );

  it('refuses to draw an exhibit whose blob changed after it was hashed for the bundle', async () => {
    const out = join(root, 'swapped');
    await mkdir(out);
    const items = vault.list();
    const victim = items.find((i) => i.name === 'diary.txt')!;
    const other = items.find((i) => i.name === 'message.eml')!;
    const blobs = (vault as unknown as { blobs: { path(id: string): string } }).blobs;
    const detail = (id: string): { blobId: string } =>
      (vault as unknown as { items: { get(id: string): { blobId: string } } }).items.get(id);
    const victimPath = blobs.path(detail(victim.id).blobId);
    const saved = await readFile(victimPath);
    let swapped = false;
    try {
      // Once every original is copied and hashed, the diary's blob becomes the email's: a
      // valid blob of this vault, so only the hash check can tell.
      await expect(
        vault.export({
          out,
          format: 'dir',
          selection: { all: true },
          onProgress: (p) => {
            if (p.itemsDone === p.itemsTotal && !swapped) {
              swapped = true;
              copyFileSync(blobs.path(detail(other.id).blobId), victimPath);
            }
          },
        }),
      ).rejects.toThrow(/changed in the vault while it was being exported/);
      expect(swapped).toBe(true);
      expect(await readdir(out)).toEqual([]);
    } finally {
      await writeFile(victimPath, saved);
    }
  });
});
