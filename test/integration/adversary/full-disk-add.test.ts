import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { assertBuilt, spawnDossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';
import { canMountTmpfs } from '../../support/tmpfs';

const run = promisify(execFile);

/** Runs the CLI; a process still alive after `limitMs` is killed and reported as hung. */
function dossierWithin(
  args: string[],
  env: Record<string, string>,
  limitMs: number,
): Promise<{ code: number | null; out: string; stderr: string; hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawnDossier(args, env);
    let out = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, stderr, hung });
    });
    child.stdin!.end();
  });
}

const mountable = await canMountTmpfs();
if (!mountable)
  console.warn(
    'full-disk-add: SKIPPED — mounting a small tmpfs needs root (run the tests as root to try a full disk).',
  );

describe.skipIf(!mountable)('a full disk during a multi-file add (needs root for tmpfs)', () => {
  for (const shape of [
    { files: 6, mib: 8 },
    { files: 20, mib: 3 },
  ]) {
    it(`${shape.files} files of ${shape.mib} MB on a 30 MB disk: exit 5, "disk full" naming the vault's file, no hang, a sound vault`, async () => {
      assertBuilt();
      const root = await tempDir();
      const src = join(root, 'src');
      await mkdir(src);
      for (let i = 0; i < shape.files; i++)
        await writeFile(
          join(src, `f${String(i).padStart(2, '0')}.bin`),
          randomBytes(shape.mib << 20),
        );
      const disk = join(root, 'small-disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=30m', 'tmpfs', disk]);
      try {
        const dir = join(disk, 'vault');
        const { vault } = await newVault(dir);
        await vault.lock();
        const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };

        const r = await dossierWithin(['add', src, '--json'], env, 45_000);
        expect(r.hung, 'the CLI did not exit (workers left running?)').toBe(false);
        expect(r.code, r.stderr).toBe(5);
        expect(r.stderr).toMatch(/disk is full/);
        // It names the file being written in the vault (a blob or the database), not the
        // source being read.
        expect(r.stderr).toMatch(/disk is full while writing (\S+)/);
        const written = /disk is full while writing (\S+?)\.?(\s|$)/.exec(r.stderr)![1]!;
        expect(written.startsWith(`${dir}/`), written).toBe(true);
        expect(r.stderr).not.toContain(src);
        expect(r.stderr).not.toMatch(/Cannot read properties|Unhandled|\n\s+at |did not expect/);
        const lines = r.out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { status: string; id: string | null; name: string });
        // Every file is accounted for once, in the order of the plan.
        expect(lines.map((l) => l.name)).toEqual(
          Array.from({ length: shape.files }, (_, i) => `f${String(i).padStart(2, '0')}.bin`),
        );
        const added = lines.filter((l) => l.status === 'added').map((l) => l.id!);
        expect(added.length).toBeLessThan(shape.files);

        // Free space, then the vault is sound and holds every item reported added.
        await run('mount', ['-o', 'remount,size=300m', disk]);
        const v = await Vault.unlock(dir, PASSPHRASE);
        const present = new Set(v.list().map((i) => i.id));
        for (const id of added) expect(present.has(id)).toBe(true);
        expect(present.size).toBe(added.length);
        const report = await v.check();
        expect(report.problems).toEqual([]);
        await v.lock();
        const temps = (await readdir(join(dir, 'blobs'), { recursive: true })).filter((n) =>
          n.endsWith('.tmp'),
        );
        expect(temps).toEqual([]);
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    });
  }
});
