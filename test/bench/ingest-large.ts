// 1. Ingest of a 1 GiB file through the CLI, against `sha256sum FILE` plus
//    `age -r RECIPIENT -o /dev/null FILE` on the same file in the same run: ratio ≤ 0.6.
import {
  CONFIG,
  dossier,
  initVault,
  list,
  log,
  median,
  mib,
  parseJsonLines,
  rate,
  run,
  secs,
  syncDisks,
  verdict,
  warm,
  type Bench,
} from './lib';

const TARGET = 0.6;

export const ingestLarge: Bench = {
  name: 'ingest-large',
  title: 'Ingest of one large file (CLI) vs sha256sum + age',
  async run(ctx) {
    const bytes = CONFIG.largeBytes;
    const file = await ctx.randomFile(bytes);
    const recipient = await ctx.ageRecipient();
    const sha: number[] = [];
    const age: number[] = [];
    const add: number[] = [];
    const ls: number[] = [];

    for (let r = 1; r <= CONFIG.reps; r++) {
      // Baseline: the same file, cache warm, nothing else writing back.
      await syncDisks();
      await warm([file]);
      sha.push((await run('sha256sum', [file], { discardStdout: true })).ms);
      await syncDisks();
      await warm([file]);
      age.push((await run('age', ['-r', recipient, '-o', '/dev/null', file])).ms);

      // Measured: a fresh vault (made before the timer), the whole `dossier add` process.
      const vault = ctx.vaultPath('large');
      await initVault(vault);
      await syncDisks();
      await warm([file]);
      const res = await dossier(vault, ['add', file, '--json']);
      const [result] = parseJsonLines(res.stdout);
      if (result?.status !== 'added' || result.size !== bytes) {
        throw new Error(`dossier add did not add the file: ${res.stdout.slice(0, 500)}`);
      }
      add.push(res.ms);
      // The fixed cost every CLI command pays: process start, Argon2id unlock, lock.
      ls.push((await dossier(vault, ['ls', '--json'], { discardStdout: true })).ms);
      await ctx.remove(vault);

      log(
        `  round ${r}: sha256sum ${secs(sha.at(-1)!)}, age ${secs(age.at(-1)!)}, ` +
          `dossier add ${secs(add.at(-1)!)}, dossier ls ${secs(ls.at(-1)!)}  ` +
          `(ratio ${(add.at(-1)! / (sha.at(-1)! + age.at(-1)!)).toFixed(2)})`,
      );
    }

    const mSha = median(sha);
    const mAge = median(age);
    const mAdd = median(add);
    const mLs = median(ls);
    const baseline = mSha + mAge;
    const ratio = mAdd / baseline;
    log(`  file: ${mib(bytes)} of random data, page cache warm; medians of ${CONFIG.reps} runs`);
    log(`  sha256sum FILE                 ${secs(mSha)}  ${list(sha, secs)}  ${rate(bytes, mSha)}`);
    log(`  age -r R -o /dev/null FILE     ${secs(mAge)}  ${list(age, secs)}  ${rate(bytes, mAge)}`);
    log(`  baseline (sum of the medians)  ${secs(baseline)}`);
    log(`  dossier add FILE --json        ${secs(mAdd)}  ${list(add, secs)}  ${rate(bytes, mAdd)}`);
    log(
      `  dossier ls --json (same vault) ${secs(mLs)}  ${list(ls, secs)}  (start + unlock + lock)`,
    );
    log(
      `  dossier add minus that fixed cost: ${secs(mAdd - mLs)} (${rate(bytes, mAdd - mLs)}), ` +
        `ratio ${((mAdd - mLs) / baseline).toFixed(2)} (for information; the target counts it all)`,
    );
    return [
      verdict(
        this.name,
        'dossier add / (sha256sum + age)',
        `${secs(mAdd)} / ${secs(baseline)} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET}`,
        ratio <= TARGET,
      ),
    ];
  },
};
