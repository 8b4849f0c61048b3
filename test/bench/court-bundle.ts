// Issue 11, the court bundle: export of the 1,000 bench screenshots against Debian's img2pdf
// making one PDF of the same PNGs in the same run: ratio ≤ 2.0 (goal ≤ 1.2). Peak RSS of the
// export grows by less than 64 MiB between 100 and 1,000 exhibits. Prints bundle.pdf's pages
// and size (data/report/bundle.pdf; "bundle.pdf absent" while the export does not make it yet).
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  CONFIG,
  MiB,
  benchOnly,
  dossier,
  initCheapVault,
  initVault,
  list,
  log,
  median,
  mib,
  parseJsonLines,
  run,
  secs,
  skipped,
  syncDisks,
  verdict,
  warm,
  type Bench,
  type Check,
  type Context,
} from './lib';
import { DISTINCT_PICTURES, HEIGHT, WIDTH, makeScreenshots, withTextChunk } from './screenshots';

const TARGET_RATIO = 2.0;
const GOAL_RATIO = 1.2;
const TARGET_RSS = 64 * MiB;
const POLL_MS = 10;
const BUNDLE_PDF = 'data/report/bundle.pdf';
const NAME = 'court-bundle';

/** The smaller export of the memory check: a tenth of the screenshots (100 at the default). */
function smallCount(count: number): number {
  return Math.max(1, Math.round(count / 10));
}

/** `img2pdf --version`, or null when it is not installed. */
async function img2pdfVersion(): Promise<string | null> {
  try {
    const res = await run('img2pdf', ['--version'], { check: false });
    return res.code === 0 ? (res.stdout + res.stderr).trim() : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A PDF's page count (pdfinfo) and size; pages is null when pdfinfo is missing or fails. */
export async function pdfFacts(path: string): Promise<{ pages: number | null; bytes: number }> {
  const bytes = (await stat(path)).size;
  try {
    const res = await run('pdfinfo', [path], { check: false });
    const m = /^Pages:\s+(\d+)$/m.exec(res.stdout);
    return { pages: res.code === 0 && m ? Number(m[1]) : null, bytes };
  } catch {
    return { pages: null, bytes };
  }
}

function describePdf(f: { pages: number | null; bytes: number }): string {
  return `${f.pages === null ? 'page count unknown (pdfinfo missing or failed)' : `${f.pages} pages`}, ${mib(f.bytes)}`;
}

/**
 * The same screenshots without the alpha channel (the pixels are opaque, so nothing changes),
 * each with the same tEXt chunk as its RGBA twin. img2pdf copies such a PNG's compressed data
 * into the PDF as it is, while for RGBA it decodes the picture and compresses it again as colour
 * plus a soft mask: the two bounds of embedding a screenshot, printed for information.
 */
async function rgbTwins(ctx: Context, paths: readonly string[]): Promise<string[]> {
  return ctx.once(`screenshots-rgb:${paths.length}`, async () => {
    const t0 = performance.now();
    const dir = await ctx.mkdir('screenshots-rgb');
    const pictures: Buffer[] = [];
    for (const p of paths.slice(0, DISTINCT_PICTURES)) {
      const png = await readFile(p);
      const image = sharp(png);
      const [meta, stats] = await Promise.all([image.metadata(), image.stats()]);
      if (meta.channels !== 4 || !stats.isOpaque) {
        throw new Error(`${p} is not an opaque RGBA screenshot (${meta.channels} channels)`);
      }
      pictures.push(await sharp(png).removeAlpha().png().toBuffer());
    }
    const out: string[] = [];
    for (const [i, p] of paths.entries()) {
      const twin = join(dir, p.slice(p.lastIndexOf('/') + 1));
      await writeFile(
        twin,
        withTextChunk(pictures[i % pictures.length]!, `Comment\0Screenshot ${i}`),
      );
      out.push(twin);
    }
    log(
      `  (checked that the ${pictures.length} distinct pictures are RGBA with every pixel opaque, ` +
        `and wrote RGB twins of all ${paths.length} in ${secs(performance.now() - t0)})`,
    );
    return out;
  });
}

/** A vault holding `paths`, added by `dossier add`; every one must be added cleanly. */
async function vaultOf(
  ctx: Context,
  label: string,
  paths: readonly string[],
  kdf: 'default' | 'cheap',
): Promise<string> {
  const vault = ctx.vaultPath(label);
  await (kdf === 'default' ? initVault(vault) : initCheapVault(vault));
  const t0 = performance.now();
  const res = await dossier(vault, ['add', ...paths, '--json']);
  const added = parseJsonLines(res.stdout).filter((x) => x.status === 'added').length;
  if (added !== paths.length) {
    throw new Error(`dossier add: ${added} of ${paths.length} added: ${res.stdout.slice(0, 500)}`);
  }
  log(`  (vault ${label}: added ${paths.length} screenshots in ${secs(performance.now() - t0)})`);
  return vault;
}

/** Every file under a folder, so its blobs can be read once into the page cache. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

interface Exported {
  ms: number;
  peakRss?: number;
  path: string;
  exhibits: number;
}

async function exportAll(vault: string, out: string, pollRssMs?: number): Promise<Exported> {
  const res = await dossier(vault, ['export', '--out', out, '--all', '--format', 'dir', '--json'], {
    ...(pollRssMs ? { pollRssMs } : {}),
  });
  const result = JSON.parse(res.stdout) as { path: string; exhibits: unknown[] };
  return {
    ms: res.ms,
    ...(res.peakRss !== undefined ? { peakRss: res.peakRss } : {}),
    path: result.path,
    exhibits: result.exhibits.length,
  };
}

/** bundle.pdf's page count and size, or null when this build's export does not make it. */
export async function bundlePdf(
  bundle: string,
): Promise<{ pages: number | null; bytes: number } | null> {
  const path = join(bundle, BUNDLE_PDF);
  const there = await stat(path).then(
    () => true,
    () => false,
  );
  return there ? pdfFacts(path) : null;
}

/**
 * Memory: the same export of a tenth and of all the screenshots, on vaults with a 1 MiB
 * Argon2id cost so that unlocking does not set the peak. Prints the rounds; returns the check.
 */
async function memoryRounds(
  ctx: Context,
  paths: readonly string[],
  outRoot: string,
): Promise<Check> {
  const count = paths.length;
  const small = smallCount(count);
  const smallVault = await vaultOf(ctx, 'court-bundle-rss-small', paths.slice(0, small), 'cheap');
  const largeVault = await vaultOf(ctx, 'court-bundle-rss-large', paths, 'cheap');
  const smallPeaks: number[] = [];
  const largePeaks: number[] = [];
  for (let r = 1; r <= CONFIG.reps; r++) {
    for (const [v, peaks, n] of [
      [smallVault, smallPeaks, small],
      [largeVault, largePeaks, count],
    ] as const) {
      const res = await exportAll(v, join(outRoot, `rss-${n}-${r}`), POLL_MS);
      if (res.exhibits !== n) throw new Error(`dossier export wrote ${res.exhibits}, not ${n}`);
      peaks.push(res.peakRss!);
      await ctx.remove(res.path);
    }
    log(
      `  round ${r}: peak RSS ${mib(smallPeaks.at(-1)!)} for ${small} exhibits, ` +
        `${mib(largePeaks.at(-1)!)} for ${count}`,
    );
  }
  await ctx.remove(smallVault);
  await ctx.remove(largeVault);

  const mSmall = median(smallPeaks);
  const mLarge = median(largePeaks);
  const diff = mLarge - mSmall;
  log(
    `  peak RSS, export of ${small} exhibits`.padEnd(37) +
      `${mib(mSmall)}  ${list(smallPeaks, mib)}`,
  );
  log(
    `  peak RSS, export of ${count} exhibits`.padEnd(37) +
      `${mib(mLarge)}  ${list(largePeaks, mib)}`,
  );
  return verdict(
    NAME,
    `peak RSS(${count} exhibits) − peak RSS(${small})`,
    `${mib(mLarge)} − ${mib(mSmall)} = ${mib(diff)}`,
    `< ${mib(TARGET_RSS)}`,
    diff < TARGET_RSS,
  );
}

export const courtBundle: Bench = {
  name: NAME,
  title: 'Export of 1,000 screenshots with the court bundle vs img2pdf; peak RSS 100 vs 1,000',
  async run(ctx) {
    const count = CONFIG.screenshots;
    const version = await img2pdfVersion();
    if (version === null) {
      log('  img2pdf is not installed (Debian: apt install img2pdf), so there is no baseline.');
      return [
        skipped(NAME, 'export / img2pdf', 'img2pdf is not installed', `≤ ${TARGET_RATIO}`),
        skipped(NAME, 'peak RSS growth', 'not run without img2pdf', `< ${mib(TARGET_RSS)}`),
      ];
    }
    const only = benchOnly();
    const paths = await makeScreenshots(ctx, count);
    const outRoot = await ctx.mkdir('court-bundle');
    if (only === 'memory') {
      log('  DOSSIER_BENCH_ONLY=memory: the timed rounds against img2pdf are left out.');
      const rss = await memoryRounds(ctx, paths, outRoot);
      return [
        skipped(NAME, 'export / img2pdf', 'DOSSIER_BENCH_ONLY=memory', `≤ ${TARGET_RATIO}`),
        rss,
      ];
    }
    const rgb = await rgbTwins(ctx, paths);

    // Time: a vault from `dossier init` (default Argon2id), as a person's export runs.
    const vault = await vaultOf(ctx, 'court-bundle', paths, 'default');
    const blobs = await filesUnder(vault);
    const i2p: number[] = [];
    const i2pRgb: number[] = [];
    const exp: number[] = [];
    let i2pPdf: { pages: number | null; bytes: number } | null = null;
    let i2pRgbPdf: { pages: number | null; bytes: number } | null = null;
    let bundle: { pages: number | null; bytes: number } | null = null;
    let reportBytes = 0;
    for (let r = 1; r <= CONFIG.reps; r++) {
      const pdf = join(outRoot, `img2pdf-${r}.pdf`);
      await syncDisks();
      await warm(paths);
      i2p.push((await run('img2pdf', [...paths, '-o', pdf])).ms);
      i2pPdf ??= await pdfFacts(pdf);
      await ctx.remove(pdf);

      await syncDisks();
      await warm(rgb);
      i2pRgb.push((await run('img2pdf', [...rgb, '-o', pdf])).ms);
      i2pRgbPdf ??= await pdfFacts(pdf);
      await ctx.remove(pdf);

      await syncDisks();
      await warm(blobs);
      const res = await exportAll(vault, join(outRoot, `round-${r}`));
      if (res.exhibits !== count) {
        throw new Error(`dossier export wrote ${res.exhibits} exhibits, not ${count}`);
      }
      exp.push(res.ms);
      if (r === 1) {
        bundle = await bundlePdf(res.path);
        reportBytes = (await stat(join(res.path, 'data/report/report.pdf'))).size;
      }
      await ctx.remove(res.path);
      log(
        `  round ${r}: img2pdf ${secs(i2p.at(-1)!)} (RGB twins ${secs(i2pRgb.at(-1)!)}), ` +
          `dossier export ${secs(exp.at(-1)!)}  (ratio ${(exp.at(-1)! / i2p.at(-1)!).toFixed(2)})`,
      );
    }
    await ctx.remove(vault);

    const mI2p = median(i2p);
    const mRgb = median(i2pRgb);
    const mExp = median(exp);
    const ratio = mExp / mI2p;
    const what = bundle
      ? 'with bundle.pdf'
      : 'today’s export: bundle.pdf absent, so the court bundle is not in this figure';
    log(
      `  ${count} PNGs, ${WIDTH}×${HEIGHT}, 8-bit RGBA with opaque alpha (as phones save ` +
        `screenshots); page cache warm; medians of ${CONFIG.reps} runs; ${version}`,
    );
    log(
      `  img2pdf PNGs -o PDF                ${secs(mI2p)}  ${list(i2p, secs)}  ` +
        `(${(mI2p / count).toFixed(1)} ms/image; decodes each and stores colour + soft mask)`,
    );
    log(
      `  img2pdf, RGB twins (information)   ${secs(mRgb)}  ${list(i2pRgb, secs)}  ` +
        `(${(mRgb / count).toFixed(1)} ms/image; copies the PNG data as it is)`,
    );
    log(
      `  dossier export --format dir        ${secs(mExp)}  ${list(exp, secs)}  ` +
        `(${(mExp / count).toFixed(1)} ms/exhibit, incl. unlock; ${what})`,
    );
    log(
      `  goal ≤ ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'not met'} (ratio ${ratio.toFixed(2)}); ` +
        `against the RGB twins, for information: ${(mExp / mRgb).toFixed(2)}`,
    );
    log(`  img2pdf's PDF                      ${i2pPdf ? describePdf(i2pPdf) : '-'}`);
    log(`  img2pdf's PDF of the RGB twins     ${i2pRgbPdf ? describePdf(i2pRgbPdf) : '-'}`);
    log(`  report.pdf                         ${mib(reportBytes)}`);
    log(`  ${BUNDLE_PDF}             ${bundle ? describePdf(bundle) : 'bundle.pdf absent'}`);
    const checks: Check[] = [
      verdict(
        NAME,
        `dossier export (${bundle ? 'with bundle.pdf' : 'bundle.pdf absent'}) / img2pdf`,
        `${secs(mExp)} / ${secs(mI2p)} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET_RATIO}`,
        ratio <= TARGET_RATIO,
      ),
      await memoryRounds(ctx, paths, outRoot),
    ];
    return checks;
  },
};
