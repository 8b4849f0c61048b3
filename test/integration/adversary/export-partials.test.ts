import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { assertBuilt, dossier, spawnDossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

const PARTIAL = /\.partial-[0-9a-f]{12}$/;

async function partials(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => PARTIAL.test(n));
}

/** Kills the export with SIGKILL once its unfinished bundle has some bytes on disk. */
async function killMidExport(
  child: ChildProcess,
  out: string,
  format: 'dir' | 'zip',
): Promise<string> {
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise((r) => child.on('close', r));
  const found = await new Promise<string | null>((resolve) => {
    const poll = setInterval(() => {
      void (async () => {
        for (const name of await partials(out)) {
          const p = join(out, name);
          const ready =
            format === 'dir'
              ? (await readdir(join(p, 'data', 'evidence')).catch(() => [])).length > 0
              : ((await stat(p).catch(() => null))?.size ?? 0) > 1024 * 1024;
          if (ready) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve(name);
            return;
          }
        }
      })();
    }, 3);
    void closed.then(() => {
      clearInterval(poll);
      resolve(null);
    });
  });
  await closed;
  if (!found) throw new Error(`the export finished before it could be killed: ${stderr}`);
  return found;
}

describe('an export killed half-way leaves no plaintext behind for long (issue 9, item 18)', async () => {
  const root = await tempDir();
  const src = join(root, 'src');
  await mkdir(src);
  // Enough bytes that the export takes a moment (the kill lands while it writes).
  for (let i = 0; i < 6; i++)
    await writeFile(join(src, `video-${i}.bin`), randomBytes(16 * 1024 * 1024));
  const dir = join(root, 'vault');
  const { vault } = await newVault(dir);
  await vault.add([src]);
  await vault.lock();
  const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };

  it('removes the unfinished folder bundle at the next unlock, says so, and logs it', async () => {
    assertBuilt();
    const out = join(root, 'out-dir');
    await mkdir(out);
    // Another program's (or another vault's) unfinished bundle: not ours to remove.
    const foreign = 'Evidence-20250101.partial-0123456789ab';
    await mkdir(join(out, foreign));
    const name = await killMidExport(
      spawnDossier(['export', '--out', out, '--all'], env),
      out,
      'dir',
    );
    expect(await partials(out)).toContain(name);

    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(await partials(out)).toEqual([foreign]);
      expect(v.notices.join('\n')).toContain(name);
      expect(v.notices.join('\n')).toMatch(/interrupted export/i);
      const repair = v
        .log()
        .filter((e) => e.action === 'repair')
        .at(-1)!;
      expect(JSON.stringify(repair.details)).toContain(name);
      expect(v.verifyLog().ok).toBe(true);
    } finally {
      await v.lock();
    }
    // Said once: the next unlock has nothing more to report.
    const again = await Vault.unlock(dir, PASSPHRASE);
    expect(again.notices.filter((n) => /interrupted export/i.test(n))).toEqual([]);
    await again.lock();
  });

  it('a killed zip export is removed when the CLI next runs, which says so', async () => {
    const out = join(root, 'out-zip');
    await mkdir(out);
    const name = await killMidExport(
      spawnDossier(['export', '--out', out, '--all', '--format', 'zip'], env),
      out,
      'zip',
    );
    expect(await partials(out)).toContain(name);
    const r = await dossier(['export', '--out', out, '--all', '--format', 'zip'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(name);
    expect(await partials(out)).toEqual([]);
    expect((await readdir(out)).filter((n) => n.endsWith('.zip'))).toHaveLength(1);
  });

  it('a partial on a folder that was away at unlock is removed by the next export there', async () => {
    const usb = join(root, 'usb');
    const out = join(usb, 'bundles');
    await mkdir(out, { recursive: true });
    const name = await killMidExport(
      spawnDossier(['export', '--out', out, '--all'], env),
      out,
      'dir',
    );
    await rename(usb, join(root, 'usb-unplugged'));
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(v.notices.join('\n')).toMatch(/could not be checked/);
      await rename(join(root, 'usb-unplugged'), usb);
      expect(await partials(out)).toEqual([name]);
      const result = await v.export({ out, format: 'dir', selection: { all: true } });
      expect(await partials(out)).toEqual([]);
      expect(result.warnings.join('\n')).toContain(name);
      expect(
        v.log().some((e) => e.action === 'repair' && JSON.stringify(e.details).includes(name)),
      ).toBe(true);
    } finally {
      await v.lock();
    }
  });

  it('never removes the unfinished bundle of an export still running', async () => {
    const out = join(root, 'out-busy');
    await mkdir(out);
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      const first = v.export({ out, format: 'zip', selection: { all: true } });
      while ((await partials(out)).length === 0) await new Promise((r) => setTimeout(r, 2));
      const second = await v.export({ out, format: 'dir', selection: { all: true } });
      expect(second.warnings).toEqual([]);
      const done = await first;
      expect((await stat(done.path)).isFile()).toBe(true);
      expect(await partials(out)).toEqual([]);
    } finally {
      await v.lock();
    }
  });
});
