/**
 * The court-bundle benchmark's own logic (the benchmark itself is `npm run bench -- court-bundle`):
 * it is listed, it reads bundle.pdf's pages and size or says it is absent, and without img2pdf it
 * skips with missed targets, never with a pass.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePdf, courtBundle } from '../../bench/court-bundle';
import { Context } from '../../bench/lib';
import { missingTools, skipTitle } from '../../support/tools';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const noPdfinfo = missingTools(['pdftotext']); // pdfinfo comes with pdftotext (poppler-utils)

/** A valid two-page PDF, written by hand (offsets computed). */
function twoPagePdf(): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dossier-court-bench-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the court-bundle benchmark', () => {
  it('is one of the benchmarks `npm run bench` knows', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/bench/run.ts'), '--help'],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/^ {2}court-bundle +Export of 1,000 screenshots/m);
  });

  it('says bundle.pdf is absent when the export did not make it', async () => {
    const bundle = join(dir, 'without');
    await mkdir(join(bundle, 'data/report'), { recursive: true });
    await writeFile(join(bundle, 'data/report/report.pdf'), twoPagePdf());
    expect(await bundlePdf(bundle)).toBeNull();
  });

  it.skipIf(noPdfinfo)(
    skipTitle('reads bundle.pdf’s page count and size when it is there', noPdfinfo),
    async () => {
      const bundle = join(dir, 'with');
      await mkdir(join(bundle, 'data/report'), { recursive: true });
      const pdf = twoPagePdf();
      await writeFile(join(bundle, 'data/report/bundle.pdf'), pdf);
      expect(await bundlePdf(bundle)).toEqual({ pages: 2, bytes: pdf.length });
    },
  );

  it('without img2pdf, skips: both targets missed, none passed, nothing made', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'empty-path'); // no img2pdf there
    try {
      const root = join(dir, 'ctx');
      await mkdir(root);
      const checks = await courtBundle.run(new Context(root));
      expect(checks.map((c) => [c.pass, c.skipped])).toEqual([
        [false, true],
        [false, true],
      ]);
      expect(checks[0]!.measured).toBe('img2pdf is not installed');
      expect(await readdir(root)).toEqual([]);
    } finally {
      process.env.PATH = path;
    }
  });
});
