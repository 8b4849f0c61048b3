import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isDossierError, Vault, type AddReport } from '../../main/core';
import { assertBuilt, dossier, spawnDossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';
import { canMountTmpfs } from '../support/tmpfs';

const run = promisify(execFile);

/** Resolves with the ids reported on stdout once `when` says so, after SIGKILL. */
function killDuring(child: ChildProcess, when: (lines: string[]) => boolean): Promise<string[]> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    let buf = '';
    let killed = false;
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts.filter(Boolean));
      if (!killed && when(lines)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('close', () => {
      const ids = lines
        .map((l) => JSON.parse(l) as { status: string; id: string | null })
        .filter((r) => r.status === 'added')
        .map((r) => r.id!);
      resolve(ids);
    });
  });
}

describe('crash safety', () => {
  it('kill -9 at several moments of a large add leaves a sound vault holding every reported item', async () => {
    assertBuilt();
    const root = await tempDir();
    const src = join(root, 'src');
    await mkdir(src);
    for (let i = 0; i < 24; i++)
      await writeFile(
        join(src, `f${String(i).padStart(2, '0')}.bin`),
        randomBytes(3 * 1024 * 1024),
      );
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };

    const reported = new Set<string>();
    for (const after of [1, 4, 9]) {
      const child = spawnDossier(['add', src, '--json'], env);
      const ids = await killDuring(child, (lines) => lines.length >= after);
      ids.forEach((id) => reported.add(id));
      const v = await Vault.unlock(dir, PASSPHRASE);
      const present = new Set(v.list().map((i) => i.id));
      for (const id of reported) expect(present.has(id)).toBe(true);
      // Blobs written but not yet committed when the process died are kept in quarantine/,
      // never deleted; the vault is otherwise sound, and each of them restores.
      const report = await v.check();
      expect(
        report.problems.filter((p) => p.kind !== 'quarantined' && p.kind !== 'blob-count'),
      ).toEqual([]);
      const restored = await v.restoreQuarantined('all');
      expect(restored.filter((r) => r.status === 'left')).toEqual([]);
      expect((await v.check()).problems).toEqual([]);
      await v.lock();
    }
    // Killed while a blob is still being written (a temp file exists): nothing half-saved survives.
    const big = join(root, 'big.bin');
    await writeFile(big, randomBytes(64 * 1024 * 1024));
    const child = spawnDossier(['add', big, '--json'], env);
    await new Promise<void>((resolve) => {
      const poll = setInterval(async () => {
        const temps = (await readdir(join(dir, 'blobs'), { recursive: true })).filter((n) =>
          n.endsWith('.tmp'),
        );
        if (temps.length > 0) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => child.on('close', r));
    const v = await Vault.unlock(dir, PASSPHRASE);
    expect(v.log().some((e) => e.action === 'repair')).toBe(true);
    expect((await v.check()).ok).toBe(true);
    expect(v.list().some((i) => i.name === 'big.bin')).toBe(false);
    await v.lock();
  });
});

describe('full disk', async () => {
  const mountable = await canMountTmpfs();
  it.skipIf(!mountable)(
    'a full disk gives a clear error, saves nothing half-written, and the vault stays sound (needs root to mount a small tmpfs)',
    async () => {
      const root = await tempDir();
      const disk = join(root, 'small-disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', disk]);
      try {
        const dir = join(disk, 'vault');
        const { vault } = await newVault(dir);
        await writeFile(join(root, 'fits.txt'), 'small evidence');
        await vault.add([join(root, 'fits.txt')]);
        await writeFile(join(root, 'too-big.bin'), randomBytes(8 * 1024 * 1024));
        await writeFile(join(root, 'after.txt'), 'never reached');
        const err = await vault
          .add([join(root, 'too-big.bin'), join(root, 'after.txt')])
          .catch((e: unknown) => e);
        expect(isDossierError(err, 'NO_SPACE')).toBe(true);
        expect((err as Error).message).toMatch(/disk is full/);
        // Whatever was reported as added is in the vault; nothing else is.
        const { results } = (err as { report: AddReport }).report;
        expect(results.find((r) => r.name === 'too-big.bin')).toMatchObject({
          status: 'failed',
          code: 'NO_SPACE',
        });
        const added = results.filter((r) => r.status === 'added').map((r) => r.name);
        expect(
          vault
            .list()
            .map((i) => i.name)
            .sort(),
        ).toEqual(['fits.txt', ...added].sort());
        const temps = (await readdir(join(dir, 'blobs'), { recursive: true })).filter((n) =>
          n.endsWith('.tmp'),
        );
        expect(temps).toEqual([]);
        await vault.lock();

        assertBuilt();
        const cli = await dossier(['add', join(root, 'too-big.bin')], {
          DOSSIER_VAULT: dir,
          DOSSIER_PASSPHRASE: PASSPHRASE,
        });
        expect(cli.code, cli.stderr).toBe(5);
        expect(cli.stderr + cli.out).toMatch(/disk is full/);

        const v = await Vault.unlock(dir, PASSPHRASE);
        expect((await v.check()).ok).toBe(true);
        expect(v.list().map((i) => i.name)).not.toContain('too-big.bin');
        await v.lock();
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    },
  );
});
