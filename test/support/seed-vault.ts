/**
 * Seeds a vault for browser tests and demos:
 *
 *   npx tsx test/support/seed-vault.ts <vaultDir> <passphrase> <n>
 *
 * Creates the vault (or unlocks it if it exists) and adds n seeded items (see seed.ts: rows
 * only, no blobs on disk). New vaults get the real Argon2id cost, unless
 * DOSSIER_TEST_FAST_KDF=1 asks for the cheap test cost (TEST_KDF). Prints one JSON line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_FILE, Vault } from '../../main/core';
import { seedItems } from './seed';
import { TEST_KDF } from './vault';

async function main(argv: string[]): Promise<number> {
  const [dir, passphrase, count] = argv;
  const n = Number(count);
  if (!dir || !passphrase || !Number.isInteger(n) || n < 0) {
    process.stderr.write('Usage: npx tsx test/support/seed-vault.ts <vaultDir> <passphrase> <n>\n');
    return 2;
  }
  const opts = {
    actor: 'seed',
    kdf: process.env.DOSSIER_TEST_FAST_KDF === '1' ? TEST_KDF : undefined,
  };
  const vault = existsSync(join(dir, HEADER_FILE))
    ? await Vault.unlock(dir, passphrase, opts)
    : (await Vault.create(dir, passphrase, opts)).vault;
  try {
    const t0 = performance.now();
    const seeded = seedItems(vault, n);
    process.stdout.write(
      `${JSON.stringify({
        vault: vault.dir,
        items: seeded.itemIds.length,
        people: seeded.personIds.length,
        incidents: seeded.incidentIds.length,
        ms: Math.round(performance.now() - t0),
      })}\n`,
    );
  } finally {
    await vault.lock();
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
});
