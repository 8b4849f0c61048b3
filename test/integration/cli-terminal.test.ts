import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, CLI } from '../support/cli';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

const noScript = missingTools(['script']);

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`) and answers each prompt
 * when it appears, as a person at a terminal would. Returns everything the terminal showed.
 */
function onTerminal(
  args: string[],
  answers: [RegExp, string][],
  env: Record<string, string>,
): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve) => {
    const cmd = [process.execPath, CLI, ...args]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        TERM: 'xterm',
        ...env,
      },
    });
    let screen = '';
    const pending = [...answers];
    child.stdout.on('data', (c: Buffer) => {
      screen += c.toString();
      const next = pending[0];
      if (next && next[0].test(screen)) {
        pending.shift();
        // Typed slowly enough that each answer lands after its prompt switched echo off.
        setTimeout(() => child.stdin.write(`${next[1]}\r`), 50);
      }
    });
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe.skipIf(noScript !== null)(skipTitle('on a terminal (util-linux script)', noScript), () => {
  it('init asks for the passphrase twice without echoing it', async () => {
    assertBuilt();
    const dir = join(await tempDir(), 'vault');
    const secret = 'my very quiet orchard words';
    const r = await onTerminal(
      ['init', dir],
      [
        [/Choose a passphrase/, secret],
        [/again to confirm/, secret],
      ],
      {},
    );
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(/recovery code/);
    expect(r.screen).not.toContain(secret);
  });

  it('add prompts for the passphrase and draws a progress bar', async () => {
    assertBuilt();
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    await writeFile(join(root, 'big.bin'), randomBytes(48 * 1024 * 1024));
    const r = await onTerminal(
      ['--vault', dir, 'add', join(root, 'big.bin')],
      [[/Passphrase for/, PASSPHRASE]],
      {},
    );
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain(PASSPHRASE);
    expect(r.screen).toMatch(/\[#+\.*\] 0\/1 files/);
    expect(r.screen).toMatch(/added +[0-9a-z]{26}/);
  });

  it('passwd asks again for a passphrase that came from the environment, and checks it', async () => {
    assertBuilt();
    const dir = join(await tempDir(), 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    // Someone at a terminal where DOSSIER_PASSPHRASE is set does not know the passphrase.
    const env = {
      DOSSIER_PASSPHRASE: PASSPHRASE,
      DOSSIER_NEW_PASSPHRASE: 'kettle bridge lantern orchard',
    };
    const stranger = await onTerminal(
      ['--vault', dir, 'passwd'],
      [[/current passphrase to confirm/, 'i do not know it']],
      env,
    );
    expect(stranger.code).toBe(3);
    expect(stranger.screen).toMatch(/not this vault's current passphrase/);
    const owner = await onTerminal(
      ['--vault', dir, 'passwd'],
      [[/current passphrase to confirm/, PASSPHRASE]],
      env,
    );
    expect(owner.code).toBe(0);
    expect(owner.screen).not.toContain(PASSPHRASE);
  });

  it('export --encrypt asks for the zip passphrase twice, without echo, then the vault passphrase', async () => {
    assertBuilt();
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'a.txt'), 'evidence');
    await vault.add([join(root, 'a.txt')]);
    await vault.lock();
    const zipSecret = 'told by phone, never emailed';
    const r = await onTerminal(
      ['--vault', dir, 'export', '--out', root, '--all', '--encrypt'],
      [
        [/Passphrase for the encrypted zip \(not your vault passphrase\)/, zipSecret],
        [/again to confirm/, zipSecret],
        [/Passphrase for \//, PASSPHRASE],
      ],
      {},
    );
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).not.toContain(zipSecret);
    expect(r.screen).not.toContain(PASSPHRASE);
    expect(r.screen).toMatch(/Exported 1 exhibit\(s\) to .*\.zip\.age/);
    expect(r.screen).toMatch(/Court bundle: +data\/report\/bundle\.pdf \(\d+ pages\)/);
  });

  it('a wrong passphrase at the prompt exits 3', async () => {
    assertBuilt();
    const dir = join(await tempDir(), 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    const r = await onTerminal(['--vault', dir, 'ls'], [[/Passphrase for/, 'nope nope nope']], {});
    expect(r.code).toBe(3);
    expect(r.screen).toMatch(/not right/);
  });
});
