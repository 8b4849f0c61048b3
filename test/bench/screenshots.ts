// 3. 1,000 phone-sized PNG screenshots (about 1170×2532) added as a folder, against sharp making
//    the same thumbnails plus sha256sum in the same run: ratio ≤ 1.5.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import {
  DECODE_TIMEOUT_SECONDS,
  MAX_INPUT_PIXELS,
  THUMBNAIL_MAX_PX,
  THUMBNAIL_QUALITY,
} from '../../main/core/evidence/thumbnail';
import { makeScreenshotPng } from '../fixtures/evidence';
import {
  CONFIG,
  dossier,
  initVault,
  list,
  log,
  median,
  mib,
  parseJsonLines,
  run,
  secs,
  syncDisks,
  verdict,
  warm,
  type Bench,
  type Context,
} from './lib';

const TARGET = 1.5;
export const WIDTH = 1170;
export const HEIGHT = 2532;
/**
 * makeScreenshotPng's pixels depend on the seed only through seed % 6 and seed % 60, so seeds
 * 0..59 give every picture it can draw; each file then gets its own tEXt chunk, so all the
 * files are distinct (distinct SHA-256, no duplicate detection) at the cost of 60 renders.
 */
export const DISTINCT_PICTURES = 60;

/** Adds a tEXt chunk right after IHDR (a valid PNG; the pixels are untouched). */
export function withTextChunk(png: Buffer, text: string): Buffer {
  const ihdrEnd = 8 + 8 + 13 + 4; // signature, IHDR length+type, IHDR data, CRC
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  const body = Buffer.concat([Buffer.from('tEXt', 'latin1'), Buffer.from(text, 'latin1')]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length - 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([png.subarray(0, ihdrEnd), len, body, crc, png.subarray(ihdrEnd)]);
}

/**
 * `count` distinct phone screenshots in <root>/screenshots, made once per run and shared by the
 * benchmarks that use them. They are what phones save: 8-bit RGBA PNGs whose alpha is opaque.
 */
export async function makeScreenshots(ctx: Context, count: number): Promise<string[]> {
  return ctx.once(`screenshots:${count}`, async () => {
    const t0 = performance.now();
    const dir = await ctx.mkdir('screenshots');
    const seeds = Array.from({ length: Math.min(count, DISTINCT_PICTURES) }, (_, i) => i);
    const pictures: Buffer[] = [];
    // Two at a time (two cores), in order.
    for (let i = 0; i < seeds.length; i += 2) {
      pictures.push(
        ...(await Promise.all(
          seeds.slice(i, i + 2).map((s) => makeScreenshotPng(WIDTH, HEIGHT, s)),
        )),
      );
    }
    const paths: string[] = [];
    const hashes = new Set<string>();
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const png = withTextChunk(pictures[i % pictures.length]!, `Comment\0Screenshot ${i}`);
      hashes.add(createHash('sha256').update(png).digest('hex'));
      const path = join(dir, `Screenshot ${String(i).padStart(4, '0')}.png`);
      await writeFile(path, png);
      paths.push(path);
      bytes += png.length;
    }
    if (hashes.size !== count) throw new Error('the screenshots are not all distinct');
    log(
      `  (made ${count} distinct ${WIDTH}×${HEIGHT} PNGs, ${mib(bytes)} in all, ` +
        `in ${secs(performance.now() - t0)})`,
    );
    return paths;
  });
}

/** What main/core/evidence/thumbnail.ts does for each image, with plain sharp, one at a time. */
export async function sharpThumbnails(paths: readonly string[]): Promise<number> {
  const t0 = performance.now();
  for (const p of paths) {
    const bytes = await readFile(p);
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    const { info } = await sharp(bytes, {
      limitInputPixels: MAX_INPUT_PIXELS,
      autoOrient: true,
      failOn: 'warning',
    })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .flatten(meta.hasAlpha ? { background: '#ffffff' } : false)
      .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: THUMBNAIL_QUALITY })
      .toBuffer({ resolveWithObject: true });
    if (Math.max(info.width, info.height) !== THUMBNAIL_MAX_PX) throw new Error('bad thumbnail');
  }
  return performance.now() - t0;
}

export const screenshots: Bench = {
  name: 'screenshots',
  title: 'A folder of phone screenshots (CLI) vs sharp thumbnails + sha256sum',
  async run(ctx) {
    const count = CONFIG.screenshots;
    const paths = await makeScreenshots(ctx, count);
    const dir = join(ctx.root, 'screenshots');
    const thumbs: number[] = [];
    const sha: number[] = [];
    const add: number[] = [];

    for (let r = 1; r <= CONFIG.reps; r++) {
      await syncDisks();
      await warm(paths);
      thumbs.push(await sharpThumbnails(paths));
      await syncDisks();
      await warm(paths);
      sha.push((await run('sha256sum', paths, { discardStdout: true })).ms);

      const vault = ctx.vaultPath('screenshots');
      await initVault(vault);
      await syncDisks();
      await warm(paths);
      const res = await dossier(vault, ['add', dir, '--json']);
      const results = parseJsonLines(res.stdout);
      const added = results.filter(
        (x) => x.status === 'added' && Array.isArray(x.warnings) && x.warnings.length === 0,
      );
      if (added.length !== count) {
        throw new Error(
          `dossier add: ${added.length} of ${count} added cleanly: ${res.stdout.slice(0, 500)}`,
        );
      }
      add.push(res.ms);
      // Every picture is queued for text recognition and none was read: the import never
      // waits for recognition (the app's queue starts once it returns; docs/ocr.md).
      const status = JSON.parse((await dossier(vault, ['ocr', '--status', '--json'])).stdout) as {
        queued: number;
        done: number;
      };
      if (status.queued !== count || status.done !== 0) {
        throw new Error(`after dossier add: ${status.queued} queued, ${status.done} read`);
      }
      await ctx.remove(vault);
      log(
        `  round ${r}: sharp ${secs(thumbs.at(-1)!)}, sha256sum ${secs(sha.at(-1)!)}, ` +
          `dossier add ${secs(add.at(-1)!)}  ` +
          `(ratio ${(add.at(-1)! / (thumbs.at(-1)! + sha.at(-1)!)).toFixed(2)})`,
      );
    }

    const mThumbs = median(thumbs);
    const mSha = median(sha);
    const mAdd = median(add);
    const baseline = mThumbs + mSha;
    const ratio = mAdd / baseline;
    log(`  ${count} PNGs, ${WIDTH}×${HEIGHT}, page cache warm; medians of ${CONFIG.reps} runs`);
    log(`  each import returned with all ${count} queued for text recognition and none read`);
    log(
      `  sharp thumbnails, sequential     ${secs(mThumbs)}  ${list(thumbs, secs)}  ` +
        `(${(mThumbs / count).toFixed(1)} ms/image)`,
    );
    log(`  sha256sum (all files, 1 call)    ${secs(mSha)}  ${list(sha, secs)}`);
    log(`  baseline (sum of the medians)    ${secs(baseline)}`);
    log(
      `  dossier add FOLDER --json        ${secs(mAdd)}  ${list(add, secs)}  ` +
        `(${(mAdd / count).toFixed(1)} ms/image)`,
    );
    return [
      verdict(
        this.name,
        'dossier add / (sharp thumbnails + sha256sum)',
        `${secs(mAdd)} / ${secs(baseline)} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET}`,
        ratio <= TARGET,
      ),
    ];
  },
};
