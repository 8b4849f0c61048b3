import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { assertBuilt, CLI, dossier, type CliResult } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

/** A lock left by a previous Dossier version: JSON naming a process that is gone. */
const staleLock = (): string => JSON.stringify({ pid: 2 ** 22 + 4321, host: hostname() });

/** unlock/lock entries of the custody log never overlap: each unlock is closed by a lock first. */
function overlappingSessions(actions: string[]): string[] {
  const problems: string[] = [];
  let open = false;
  actions.forEach((a, i) => {
    if (a === 'unlock' || a === 'create') {
      if (open) problems.push(`entry ${i + 1}: ${a} while another session was still open`);
      open = true;
    } else if (a === 'lock') open = false;
  });
  return problems;
}

describe('two processes and one vault', () => {
  it(
    'with a stale lock file, two concurrent adds never both hold the vault (30 rounds)',
    { timeout: 300_000 },
    async () => {
      assertBuilt();
      const root = await tempDir();
      const dir = join(root, 'vault');
      const { vault } = await newVault(dir);
      await vault.lock();
      const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
      let refused = 0;
      for (let round = 0; round < 30; round++) {
        // Big enough that the first add still holds the vault when the second tries.
        const a = join(root, `a-${round}.bin`);
        const b = join(root, `b-${round}.bin`);
        await writeFile(a, randomBytes(3 * 1024 * 1024));
        await writeFile(b, randomBytes(3 * 1024 * 1024));
        await writeFile(join(dir, 'dossier.lock'), staleLock());
        const results: CliResult[] = await Promise.all([
          dossier(['add', a], env),
          dossier(['add', b], env),
        ]);
        for (const r of results) {
          expect([0, 6], r.stderr).toContain(r.code);
          if (r.code === 6) {
            refused++;
            expect(r.stderr).toMatch(/open in another Dossier window or command/);
            expect(r.stderr).not.toMatch(/ at .*\.(js|ts):\d+/);
          }
        }
        expect(results.some((r) => r.code === 0)).toBe(true);
      }
      // The adds overlapped in most rounds (each holds the vault for a while), so the lock was contested.
      expect(refused).toBeGreaterThan(10);
      const v = await Vault.unlock(dir, PASSPHRASE);
      try {
        const actions = v.log().map((e) => e.action);
        expect(overlappingSessions(actions)).toEqual([]);
        expect((await v.check()).ok).toBe(true);
      } finally {
        await v.lock();
      }
    },
  );

  it('a holder killed with SIGKILL and not yet reaped does not block the next opener', async () => {
    assertBuilt();
    if (process.platform !== 'linux') return; // the zombie state is read from /proc
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    const big = join(root, 'big.bin');
    await writeFile(big, randomBytes(48 * 1024 * 1024));
    // `sh` starts the holder in the background, then becomes `sleep`, which never reaps it:
    // once killed, the holder stays a zombie whose pid still "exists".
    const shell = spawn(
      'sh',
      [
        '-c',
        `"${process.execPath}" "${CLI}" add "${big}" >/dev/null 2>&1 & echo $!; exec sleep 60`,
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: '/tmp',
          DOSSIER_VAULT: dir,
          DOSSIER_PASSPHRASE: PASSPHRASE,
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      const pid = await new Promise<number>((resolve) =>
        shell.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))),
      );
      // Holding the vault: it is writing the blob.
      for (;;) {
        const names = await readdir(join(dir, 'blobs'), { recursive: true }).catch(() => []);
        if (names.some((n) => n.endsWith('.tmp'))) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      process.kill(pid, 'SIGKILL');
      for (;;) {
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
        if (/\) Z /.test(stat)) break; // a zombie: dead, not reaped
        await new Promise((r) => setTimeout(r, 5));
      }
      const started = Date.now();
      const ls = await dossier(['ls'], { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE });
      expect(ls.code, ls.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      const check = await dossier(['check'], {
        DOSSIER_VAULT: dir,
        DOSSIER_PASSPHRASE: PASSPHRASE,
      });
      expect(check.code, check.stderr).toBe(0);
    } finally {
      shell.kill('SIGKILL');
    }
  });
});
