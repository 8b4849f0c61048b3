import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, dossier, spawnDossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE } from '../../support/vault';

/**
 * `dossier ls | head -1`: the reader stops early and closes the pipe. That is the
 * reader's choice, not a failure: no stack trace, exit 0, and the vault locked as always
 * (a `lock` entry with its signed checkpoint, the lock released for the next command).
 */

interface Broken {
  code: number | null;
  stderr: string;
  /** Bytes read before the pipe was closed. */
  read: number;
}

/**
 * Runs the CLI with stdout on a pipe, reads `readFirst` bytes (0: none at all), then
 * closes the reading end, as `head` does.
 */
function readThenClose(
  args: string[],
  env: Record<string, string>,
  readFirst: number,
): Promise<Broken> {
  return new Promise((resolve, reject) => {
    const child = spawnDossier(args, env);
    child.stdin!.end();
    let stderr = '';
    let read = 0;
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    if (readFirst === 0) child.stdout!.destroy();
    else
      child.stdout!.on('data', (c: Buffer) => {
        read += c.length;
        if (read >= readFirst) child.stdout!.destroy();
      });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, read }));
  });
}

function expectQuiet(r: Broken): void {
  expect(r.stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
  expect(r.stderr).not.toMatch(/did not expect/);
  expect(r.code).toBe(0);
}

describe('a reader that stops early (broken pipe)', () => {
  let root: string;
  let vault: string;
  let env: Record<string, string>;
  let bigId: string;
  let bundle: string;
  let intact: string;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    vault = join(root, 'vault');
    const { vault: v, recoveryCode } = await newVault(vault);
    await writeFile(join(root, 'recovery.txt'), recoveryCode);
    // Far more output than a pipe holds (64 KiB), so the pipe breaks mid-output.
    const src = join(root, 'src');
    await mkdir(src);
    for (let i = 0; i < 300; i++)
      await writeFile(
        join(src, `${String(i).padStart(3, '0')}-${'n'.repeat(180)}.txt`),
        `item ${i}`,
      );
    const tags = Array.from({ length: 4 }, (_, i) => `${i}-${'t'.repeat(150)}`);
    await v.add([src], { tags });
    await writeFile(join(root, 'big.bin'), randomBytes(4 * 1024 * 1024));
    const big = (await v.add([join(root, 'big.bin')])).results[0]!;
    if (big.status !== 'added') throw new Error(`big.bin was not added: ${big.status}`);
    bigId = big.id;
    const exported = await v.export({
      out: join(root, 'out'),
      format: 'dir',
      selection: { all: true },
    });
    bundle = exported.path;
    intact = (
      await v.export({ out: join(root, 'intact'), format: 'dir', selection: { itemIds: [bigId] } })
    ).path;
    await v.lock();
    // Every exhibit altered: verify then has a PROBLEM line for each.
    const evidence = join(bundle, 'data', 'evidence');
    for (const f of await readdir(evidence)) await appendFile(join(evidence, f), 'x');
    env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASSPHRASE };
  }, 300_000);

  /** The vault after the broken pipe: every unlock has its lock, the chain and checkpoints verify. */
  async function expectLockedProperly(): Promise<void> {
    const log = await dossier(['log', '--verify', '--json'], env);
    expect(log.code).toBe(0);
    const { entries, verification } = JSON.parse(log.out) as {
      entries: { action: string }[];
      verification: { ok: boolean };
    };
    expect(verification.ok).toBe(true);
    // Every session that opened the vault locked it before the next one began; only the
    // run reading this log is still open.
    let open = false;
    for (const e of entries) {
      if (e.action === 'create' || e.action === 'unlock') {
        expect(open).toBe(false);
        open = true;
      } else if (e.action === 'lock') open = false;
    }
    expect(open).toBe(true);
    expect(entries.at(-2)?.action).toBe('lock');
  }

  it.each([
    ['ls', ['ls']],
    ['ls --json', ['ls', '--json']],
    ['log', ['log']],
  ])('%s | head: exit 0, no stack trace, vault locked', async (_label, args) => {
    const r = await readThenClose(args, env, 1);
    expect(r.read).toBeGreaterThan(0);
    expectQuiet(r);
    await expectLockedProperly();
  });

  it('cat | head -c: exit 0, no stack trace, vault locked', async () => {
    const r = await readThenClose(['cat', bigId], env, 1);
    expect(r.read).toBeLessThan(4 * 1024 * 1024);
    expectQuiet(r);
    await expectLockedProperly();
  });

  it('--recovery ls | head: exit 0, vault locked', async () => {
    const args = ['--recovery', '--passphrase-file', join(root, 'recovery.txt'), 'ls'];
    const r = await readThenClose(args, { DOSSIER_VAULT: vault }, 1);
    expect(r.read).toBeGreaterThan(0);
    expectQuiet(r);
    await expectLockedProperly();
  });

  it('output closed before anything is written: still exit 0, vault locked', async () => {
    for (const args of [['ls'], ['log'], ['cat', bigId]]) {
      const r = await readThenClose(args, env, 0);
      expectQuiet(r);
      await expectLockedProperly();
    }
  });

  it('verify | head: exit 4 kept (the bundle is altered), no stack trace', async () => {
    const r = await readThenClose(['verify', bundle], {}, 1);
    expect(r.read).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    // The verdict does not depend on whether anyone read it to the end.
    expect(r.code).toBe(4);
    const closed = await readThenClose(['verify', bundle], {}, 0);
    expect(closed.stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(closed.code).toBe(4);
    const ok = await readThenClose(['verify', intact], {}, 0);
    expectQuiet(ok);
  });

  // Not a reader leaving: output lost to a full disk (`dossier ls > file`) must not pass as success.
  it.skipIf(!existsSync('/dev/full'))('output to a full disk: exit 5, said plainly', async () => {
    for (const args of [['ls'], ['cat', bigId]]) {
      const full = await open('/dev/full', 'w');
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
          stdio: ['ignore', full.fd, 'pipe'],
        });
        let stderr = '';
        child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      await full.close();
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/could not be written.*disk.* full/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      await expectLockedProperly();
    }
  });
});
