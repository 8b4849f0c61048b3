// Issue 15's `redact`: 100 of the screenshots redacted with 3 boxes each through the vault
// (Vault.makeRedactedCopy in-process: read and check the original, cover the boxes, write the
// PNG, examine and store it as a derived item with its custody entries), against sharp covering
// the same boxes and writing PNGs, in the same run: ratio ≤ 1.3.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RedactionBox } from '../../shared/redaction';
import {
  CONFIG,
  PASSPHRASE,
  initCheapVault,
  list,
  loadCore,
  log,
  median,
  secs,
  syncDisks,
  verdict,
  warm,
  type Bench,
} from './lib';
import { HEIGHT, WIDTH, makeScreenshots } from './screenshots';

const TARGET = 1.3;
const PICTURES = 100;
const SCALE = 1_000_000;

/** Three boxes per picture, different for each (so no two copies are the same file). */
function boxesFor(i: number): RedactionBox[] {
  const at = (n: number): number => ((i * 7919 + n * 104_729) % 500) * 1000;
  return [
    { x: at(1), y: at(2), w: 300_000, h: 40_000, reason: 'address', otherReason: null },
    {
      x: at(3),
      y: at(4) + 300_000,
      w: 200_000,
      h: 60_000,
      reason: 'third-party',
      otherReason: null,
    },
    { x: at(5), y: at(6) + 400_000, w: 450_000, h: 30_000, reason: 'children', otherReason: null },
  ];
}

/** A box in whole pixels, rounded outwards as the vault's redaction rounds it. */
function pixels(b: RedactionBox, width: number, height: number) {
  const left = Math.floor((b.x * width) / SCALE);
  const top = Math.floor((b.y * height) / SCALE);
  const right = Math.min(width, Math.ceil(((b.x + b.w) * width) / SCALE));
  const bottom = Math.min(height, Math.ceil(((b.y + b.h) * height) / SCALE));
  return { left, top, width: right - left, height: bottom - top };
}

/** sharp alone: decode, composite three opaque black rectangles, write a PNG (level 6). */
async function sharpRedactions(paths: readonly string[], out: string): Promise<number> {
  const t0 = performance.now();
  for (const [i, p] of paths.entries()) {
    const bytes = await readFile(p);
    const overlays = boxesFor(i).map((b) => {
      const r = pixels(b, WIDTH, HEIGHT);
      return {
        input: {
          create: {
            width: r.width,
            height: r.height,
            channels: 4 as const,
            background: '#000000ff',
          },
        },
        left: r.left,
        top: r.top,
      };
    });
    const png = await sharp(bytes)
      .rotate()
      .composite(overlays)
      .png({ compressionLevel: 6 })
      .toBuffer();
    await writeFile(join(out, `${i}.png`), png);
  }
  return performance.now() - t0;
}

export const redact: Bench = {
  name: 'redact',
  title: '100 screenshots redacted with 3 boxes each (in the vault) vs sharp compositing them',
  async run(ctx) {
    const all = await makeScreenshots(ctx, CONFIG.screenshots);
    const paths = all.slice(0, Math.min(PICTURES, all.length));
    const { Vault } = await loadCore();
    const base: number[] = [];
    const vaultMs: number[] = [];
    // The previews made in the background after each copy is saved: the time they still
    // needed once the last copy was saved (printed, not in the target: the copies are usable).
    const previewMs: number[] = [];
    for (let r = 1; r <= CONFIG.reps; r++) {
      const out = await ctx.mkdir(`redact-sharp-${r}`);
      await syncDisks();
      await warm(paths);
      base.push(await sharpRedactions(paths, out));
      await ctx.remove(out);

      // The originals are added first (not timed): redacting is what is measured.
      const dir = ctx.vaultPath('redact');
      await initCheapVault(dir);
      const vault = await Vault.unlock(dir, PASSPHRASE, { actor: 'bench' });
      try {
        const added = await vault.add(paths);
        const ids = added.results.flatMap((x) => (x.status === 'added' ? [x.id] : []));
        if (ids.length !== paths.length)
          throw new Error(`${ids.length} of ${paths.length} screenshots added`);
        await syncDisks();
        const t0 = performance.now();
        for (const [i, id] of ids.entries()) {
          const made = await vault.makeRedactedCopy(id, boxesFor(i));
          if (made.alreadyMade) throw new Error(`copy ${i} was made before`);
        }
        vaultMs.push(performance.now() - t0);
        const t1 = performance.now();
        await vault.whenCopyPreviewsMade();
        previewMs.push(performance.now() - t1);
        const previews = vault.items
          .query({ sort: 'ingestedAt', order: 'asc', offset: 0, limit: 1000 })
          .rows.filter((x) => x.hasThumbnail).length;
        if (previews !== 2 * ids.length)
          throw new Error(`${previews} previews, not ${2 * ids.length}`);
      } finally {
        await vault.lock();
      }
      await ctx.remove(dir);
      log(
        `  round ${r}: sharp ${secs(base.at(-1)!)}, vault ${secs(vaultMs.at(-1)!)}  ` +
          `(ratio ${(vaultMs.at(-1)! / base.at(-1)!).toFixed(2)}); ` +
          `previews done ${secs(previewMs.at(-1)!)} later`,
      );
    }
    const mBase = median(base);
    const mVault = median(vaultMs);
    const ratio = mVault / mBase;
    log(`  ${paths.length} PNGs, ${WIDTH}×${HEIGHT}, 3 boxes each; medians of ${CONFIG.reps} runs`);
    log(`  sharp composite + PNG write      ${secs(mBase)}  ${list(base, secs)}`);
    log(
      `  Vault.makeRedactedCopy           ${secs(mVault)}  ${list(vaultMs, secs)}  ` +
        `(${(mVault / paths.length).toFixed(1)} ms/copy)`,
    );
    log(
      `  previews still to make after that  ${secs(median(previewMs))}  ${list(previewMs, secs)}`,
    );
    return [
      verdict(
        this.name,
        'makeRedactedCopy / sharp composite',
        `${secs(mVault)} / ${secs(mBase)} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET}`,
        ratio <= TARGET,
      ),
    ];
  },
};
