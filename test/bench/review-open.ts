// Issue 14, a bundle opened for review: `dossier review ls` on a bundle of the 1,000 bench
// screenshots (verify everything: every SHA-256 and SHA-512, the signature, the custody chain,
// the records; then the library read from the bundle) against `sha256sum -c manifest-sha256.txt`
// plus `sha512sum -c manifest-sha512.txt` in the same run: ratio ≤ 1.2. Memory: the peak RSS of
// opening a 1 GiB .zip.age (`dossier review open`), target < 256 MiB, and how much it grows
// between a 64 MiB and a 1 GiB .zip.age (the bundle is read range by range, never whole).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CONFIG,
  MiB,
  dossier,
  dossierCommand,
  initCheapVault,
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
import { makeScreenshots } from './screenshots';

const TARGET_RATIO = 1.2;
const TARGET_PEAK = 256 * MiB;
const TARGET_GROWTH = 64 * MiB;
const POLL_MS = 10;
const NAME = 'review-open';
/** The passphrase of the encrypted bundles (age's scrypt, work factor 2^18, as exports use). */
const BUNDLE_PASSPHRASE = 'review-open bench passphrase';

/** A vault (1 MiB Argon2id: unlocking is not what is measured) holding `paths`. */
async function vaultOf(ctx: Context, label: string, paths: readonly string[]): Promise<string> {
  const vault = ctx.vaultPath(label);
  await initCheapVault(vault);
  const res = await dossier(vault, ['add', ...paths, '--json']);
  const added = parseJsonLines(res.stdout).filter((x) => x.status === 'added').length;
  if (added !== paths.length) throw new Error(`dossier add: ${added} of ${paths.length} added`);
  return vault;
}

async function exportBundle(vault: string, out: string, encrypt: boolean): Promise<string> {
  const res = await dossier(
    vault,
    [
      'export',
      '--out',
      out,
      '--all',
      '--format',
      encrypt ? 'zip' : 'dir',
      ...(encrypt ? ['--encrypt'] : []),
      '--json',
    ],
    { env: { DOSSIER_EXPORT_PASSPHRASE: BUNDLE_PASSPHRASE } },
  );
  return (JSON.parse(res.stdout) as { path: string }).path;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** `dossier review …` (no vault), with the bundle passphrase in the environment. */
function review(args: string[], pollRssMs?: number) {
  const c = dossierCommand('', []);
  return run(c.cmd, [c.args[0]!, 'review', ...args], {
    env: { ...c.env, DOSSIER_EXPORT_PASSPHRASE: BUNDLE_PASSPHRASE },
    discardStdout: true,
    ...(pollRssMs ? { pollRssMs } : {}),
  });
}

export const reviewOpen: Bench = {
  name: NAME,
  title:
    'Open a bundle of 1,000 screenshots for review vs sha256sum -c + sha512sum -c; peak RSS opening a 1 GiB .zip.age',
  async run(ctx) {
    const outRoot = await ctx.mkdir('review-open');
    const paths = await makeScreenshots(ctx, CONFIG.screenshots);
    const t0 = performance.now();
    const vault = await vaultOf(ctx, 'review-open', paths);
    const bundle = await exportBundle(vault, join(outRoot, 'screenshots'), false);
    await ctx.remove(vault);
    const files = await filesUnder(bundle);
    log(
      `  (bundle of ${paths.length} screenshots, ${files.length} files, made in ${secs(performance.now() - t0)})`,
    );

    const s256: number[] = [];
    const s512: number[] = [];
    const opened: number[] = [];
    const sh = (cmd: string) =>
      run('sh', ['-c', `cd "$1" && ${cmd}`, 'sh', bundle], { discardStdout: true });
    for (let r = 1; r <= CONFIG.reps; r++) {
      await syncDisks();
      await warm(files);
      s256.push((await sh('sha256sum -c --quiet manifest-sha256.txt')).ms);
      s512.push((await sh('sha512sum -c --quiet manifest-sha512.txt')).ms);
      await syncDisks();
      await warm(files);
      opened.push((await review(['ls', bundle, '--json'])).ms);
      const base = s256.at(-1)! + s512.at(-1)!;
      log(
        `  round ${r}: sha256sum -c ${secs(s256.at(-1)!)}, sha512sum -c ${secs(s512.at(-1)!)}, ` +
          `dossier review ls ${secs(opened.at(-1)!)}  (ratio ${(opened.at(-1)! / base).toFixed(2)})`,
      );
    }
    const baseline = median(s256) + median(s512);
    const mOpen = median(opened);
    const ratio = mOpen / baseline;
    log(`  sha256sum -c manifest-sha256.txt  ${secs(median(s256))}  ${list(s256, secs)}`);
    log(`  sha512sum -c manifest-sha512.txt  ${secs(median(s512))}  ${list(s512, secs)}`);
    log(`  baseline (sum of the medians)     ${secs(baseline)}`);
    log(
      `  dossier review ls BUNDLE --json   ${secs(mOpen)}  ${list(opened, secs)} (incl. Node start, verify, library)`,
    );
    await ctx.remove(bundle);

    // Memory: opening a .zip.age of 64 MiB and of 1 GiB (one random file each).
    const peaks: Record<'small' | 'large', number[]> = { small: [], large: [] };
    const encrypted: Record<'small' | 'large', string> = { small: '', large: '' };
    for (const [key, bytes] of [
      ['small', CONFIG.smallBytes],
      ['large', CONFIG.largeBytes],
    ] as const) {
      const v = await vaultOf(ctx, `review-open-${key}`, [await ctx.randomFile(bytes)]);
      encrypted[key] = await exportBundle(v, join(outRoot, `${key}.zip.age`), true);
      await ctx.remove(v);
    }
    for (let r = 1; r <= CONFIG.reps; r++) {
      for (const key of ['small', 'large'] as const) {
        const res = await review(['open', encrypted[key], '--json'], POLL_MS);
        peaks[key].push(res.peakRss!);
      }
      log(
        `  round ${r}: peak RSS opening the ${mib(CONFIG.smallBytes)} .zip.age ${mib(peaks.small.at(-1)!)}, ` +
          `the ${mib(CONFIG.largeBytes)} one ${mib(peaks.large.at(-1)!)}`,
      );
    }
    const peak = median(peaks.large);
    const growth = peak - median(peaks.small);
    log(
      `  (age's scrypt at work factor 2^18, as exports use, has a 256 MiB table; opening keeps ` +
        `a quarter of it, 64 MiB, while the passphrase is checked: the absolute peak includes it)`,
    );
    return [
      verdict(
        NAME,
        'dossier review ls / (sha256sum -c + sha512sum -c)',
        `${secs(mOpen)} / ${secs(baseline)} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET_RATIO}`,
        ratio <= TARGET_RATIO,
      ),
      verdict(
        NAME,
        `peak RSS, review open of a ${mib(CONFIG.largeBytes)} .zip.age`,
        mib(peak),
        `< ${mib(TARGET_PEAK)}`,
        peak < TARGET_PEAK,
      ),
      verdict(
        NAME,
        `peak RSS(${mib(CONFIG.largeBytes)}) − peak RSS(${mib(CONFIG.smallBytes)}) .zip.age`,
        mib(growth),
        `< ${mib(TARGET_GROWTH)}`,
        growth < TARGET_GROWTH,
      ),
    ];
  },
};
