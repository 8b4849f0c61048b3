// 4. "Print the unlock time": Vault.unlock in-process with the default Argon2id cost
//    (first call, then the median of 5), target < 2 s; and `dossier ls` on an empty vault.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  PASSPHRASE,
  dossier,
  initVault,
  list,
  loadCore,
  log,
  median,
  run,
  secs,
  verdict,
  type Bench,
} from './lib';

const TARGET_MS = 2000;
const WARM_RUNS = 5;
const CLI_RUNS = 5;

export const unlock: Bench = {
  name: 'unlock',
  title: 'Unlock time (default Argon2id) and the CLI fixed cost',
  async run(ctx) {
    const vault = ctx.vaultPath('unlock');
    await initVault(vault);
    const header = JSON.parse(await readFile(join(vault, 'dossier.json'), 'utf8')) as {
      slots: { type: string; kdf: Record<string, unknown> }[];
    };
    const kdf = header.slots.find((s) => s.type === 'passphrase')?.kdf;

    // Loaded here, not at the top, so the first unlock below is the first of this process.
    const t0 = performance.now();
    const { Vault, DEFAULT_ARGON2 } = await loadCore();
    const importMs = performance.now() - t0;
    if (
      kdf?.memoryKiB !== DEFAULT_ARGON2.memoryKiB ||
      kdf.iterations !== DEFAULT_ARGON2.iterations
    ) {
      throw new Error(
        `the vault was not made with the default Argon2id cost: ${JSON.stringify(kdf)}`,
      );
    }

    const unlockOnce = async (): Promise<{ unlock: number; lock: number }> => {
      const a = performance.now();
      const v = await Vault.unlock(vault, PASSPHRASE, { actor: 'bench' });
      const b = performance.now();
      await v.lock();
      return { unlock: b - a, lock: performance.now() - b };
    };
    const cold = await unlockOnce();
    const warmRuns: number[] = [];
    const locks: number[] = [cold.lock];
    for (let i = 0; i < WARM_RUNS; i++) {
      const t = await unlockOnce();
      warmRuns.push(t.unlock);
      locks.push(t.lock);
    }

    const ls: number[] = [];
    const version: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      ls.push((await dossier(vault, ['ls', '--json'])).ms);
      version.push((await dossier(vault, ['--version'])).ms);
      bare.push((await run(process.execPath, ['-e', ''])).ms);
    }
    await ctx.remove(vault);

    const mWarm = median(warmRuns);
    const a = kdf as { memoryKiB: number; iterations: number; parallelism: number };
    log(
      `  Argon2id m = ${a.memoryKiB / 1024} MiB, t = ${a.iterations}, p = ${a.parallelism} ` +
        `(the defaults); vault made by \`dossier init\``,
    );
    log(`  import main/core (tsx)           ${secs(importMs)}`);
    log(`  Vault.unlock, first (cold)       ${secs(cold.unlock)}`);
    log(`  Vault.unlock, median of ${WARM_RUNS}       ${secs(mWarm)}  ${list(warmRuns, secs)}`);
    log(`  vault.lock, median of ${locks.length}         ${secs(median(locks))}`);
    log(
      `  dossier ls --json, empty vault   ${secs(median(ls))}  ${list(ls, secs)}  ` +
        `(median of ${CLI_RUNS}: process start + unlock + lock)`,
    );
    log(
      `  dossier --version                ${secs(median(version))}  ${list(version, secs)}  ` +
        `(process start + loading the CLI, no unlock)`,
    );
    log(`  node -e '' (bare Node start)     ${secs(median(bare))}  ${list(bare, secs)}`);
    const worst = Math.max(cold.unlock, mWarm);
    return [
      verdict(
        this.name,
        'Vault.unlock (first; median of the next 5)',
        `${secs(cold.unlock)}; ${secs(mWarm)}`,
        `< ${secs(TARGET_MS)} both`,
        worst < TARGET_MS,
      ),
    ];
  },
};
