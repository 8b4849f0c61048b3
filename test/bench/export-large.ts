// Issue "export": export of 1 GiB of evidence as a folder, against `age -d` plus `sha256sum`
// plus `sha512sum` of the same content in the same run: ratio ≤ 0.8. Peak RSS grows by less
// than 64 MiB between a 64 MiB and a 1 GiB export.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CONFIG,
  MiB,
  dossier,
  initCheapVault,
  initVault,
  list,
  log,
  median,
  mib,
  rate,
  run,
  secs,
  syncDisks,
  verdict,
  warm,
  type Bench,
  type Context,
} from './lib';

const TARGET_RATIO = 0.8;
const TARGET_RSS = 64 * MiB;

/** A vault holding one file of `bytes` random bytes; returns it and the blob's path. */
async function vaultWith(
  ctx: Context,
  label: string,
  file: string,
  cheap: boolean,
): Promise<{ vault: string; blob: string; identity: string }> {
  const vault = ctx.vaultPath(label);
  await (cheap ? initCheapVault(vault) : initVault(vault));
  await dossier(vault, ['add', file, '--json'], { discardStdout: true });
  const items = JSON.parse((await dossier(vault, ['ls', '--json'])).stdout) as { blob: string }[];
  const keys = JSON.parse((await dossier(vault, ['keys', '--reveal', '--json'])).stdout) as {
    ageIdentity: string;
  };
  const identity = join(vault, '..', `${label}-identity.txt`);
  await writeFile(identity, `${keys.ageIdentity}\n`, { mode: 0o600 });
  return { vault, blob: join(vault, items[0]!.blob), identity };
}

export const exportLarge: Bench = {
  name: 'export-large',
  title: 'Export of 1 GiB as a folder vs age -d + sha256sum + sha512sum; peak RSS 64 MiB vs 1 GiB',
  async run(ctx) {
    const bytes = CONFIG.largeBytes;
    const file = await ctx.randomFile(bytes);
    const big = await vaultWith(ctx, 'export-large', file, false);
    const outRoot = await ctx.mkdir('exports');

    const dec: number[] = [];
    const s256: number[] = [];
    const s512: number[] = [];
    const exp: number[] = [];
    for (let r = 1; r <= CONFIG.reps; r++) {
      await syncDisks();
      await warm([big.blob, file]);
      dec.push((await run('age', ['-d', '-i', big.identity, '-o', '/dev/null', big.blob])).ms);
      s256.push((await run('sha256sum', [file], { discardStdout: true })).ms);
      s512.push((await run('sha512sum', [file], { discardStdout: true })).ms);
      await syncDisks();
      await warm([big.blob]);
      const out = join(outRoot, `round-${r}`);
      const res = await dossier(big.vault, [
        'export',
        '--out',
        out,
        '--all',
        '--format',
        'dir',
        '--json',
      ]);
      exp.push(res.ms);
      await ctx.remove(out);
      const base = dec.at(-1)! + s256.at(-1)! + s512.at(-1)!;
      log(
        `  round ${r}: age -d ${secs(dec.at(-1)!)}, sha256sum ${secs(s256.at(-1)!)}, sha512sum ${secs(s512.at(-1)!)}, ` +
          `dossier export ${secs(exp.at(-1)!)}  (ratio ${(exp.at(-1)! / base).toFixed(2)})`,
      );
    }
    const baseline = median(dec) + median(s256) + median(s512);
    const mExp = median(exp);
    const ratio = mExp / baseline;
    log(
      `  age -d BLOB -o /dev/null       ${secs(median(dec))}  ${list(dec, secs)}  ${rate(bytes, median(dec))}`,
    );
    log(
      `  sha256sum FILE                 ${secs(median(s256))}  ${list(s256, secs)}  ${rate(bytes, median(s256))}`,
    );
    log(
      `  sha512sum FILE                 ${secs(median(s512))}  ${list(s512, secs)}  ${rate(bytes, median(s512))}`,
    );
    log(`  baseline (sum of the medians)  ${secs(baseline)}`);
    log(
      `  dossier export --format dir    ${secs(mExp)}  ${list(exp, secs)}  ${rate(bytes, mExp)} (incl. unlock, report, viewer)`,
    );

    // Memory: the same export at 64 MiB and at 1 GiB, on vaults with a cheap KDF so the
    // Argon2id peak does not hide the export's own.
    const smallFile = await ctx.randomFile(CONFIG.smallBytes);
    const small = await vaultWith(ctx, 'export-rss-small', smallFile, true);
    const large = await vaultWith(ctx, 'export-rss-large', file, true);
    const peak = async (v: { vault: string }, tag: string): Promise<number> => {
      const out = join(outRoot, `rss-${tag}`);
      const res = await dossier(
        v.vault,
        ['export', '--out', out, '--all', '--format', 'dir', '--json'],
        { pollRssMs: 10 },
      );
      await ctx.remove(out);
      return res.peakRss!;
    };
    const smallPeaks: number[] = [];
    const largePeaks: number[] = [];
    for (let r = 1; r <= CONFIG.reps; r++) {
      smallPeaks.push(await peak(small, `s${r}`));
      largePeaks.push(await peak(large, `l${r}`));
    }
    const diff = median(largePeaks) - median(smallPeaks);
    log(
      `  peak RSS, export of ${mib(CONFIG.smallBytes)}  ${mib(median(smallPeaks))}  ${list(smallPeaks, mib)}`,
    );
    log(
      `  peak RSS, export of ${mib(bytes)}  ${mib(median(largePeaks))}  ${list(largePeaks, mib)}`,
    );
    return [
      verdict(
        this.name,
        'dossier export / (age -d + sha256sum + sha512sum)',
        `${secs(mExp)} / ${secs(baseline)} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET_RATIO}`,
        ratio <= TARGET_RATIO,
      ),
      verdict(
        this.name,
        `peak RSS(${mib(bytes)}) − peak RSS(${mib(CONFIG.smallBytes)})`,
        mib(diff),
        `< ${mib(TARGET_RSS)}`,
        diff < TARGET_RSS,
      ),
    ];
  },
};
