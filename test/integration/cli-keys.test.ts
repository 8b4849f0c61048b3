import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';

const PASS = 'a long and unusual passphrase';
const NEXT = 'kettle bridge lantern orchard';

describe('dossier init, passwd and recovery: weak passphrases and the current secret', () => {
  let root: string;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
  });

  it('init refuses a weak passphrase with the reason and an example, and creates nothing', async () => {
    for (const weak of ['password', 'Summer2024!']) {
      const dir = join(root, `weak-${weak.length}`);
      const r = await dossier(['init', dir], { DOSSIER_PASSPHRASE: weak });
      expect(r.code, weak).toBe(2);
      expect(r.stderr).toMatch(/too easy to guess/);
      expect(r.stderr).toMatch(/four or more unrelated words, for example/);
      expect(existsSync(join(dir, 'dossier.json'))).toBe(false);
    }
  });

  it('accepts one only with the words "I understand" typed out', async () => {
    const dir = join(root, 'fixture');
    const sloppy = await dossier(['init', dir, '--accept-weak-passphrase', 'yes'], {
      DOSSIER_PASSPHRASE: 'password',
    });
    expect(sloppy.code).toBe(2);
    expect(sloppy.stderr).toMatch(/"I understand", typed out/);
    const r = await dossier(['init', dir, '--accept-weak-passphrase', 'I understand', '--json'], {
      DOSSIER_PASSPHRASE: 'password',
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'dossier.json'))).toBe(true);
  });

  it('passwd refuses a weak new passphrase and keeps the old one', async () => {
    const vault = join(root, 'passwd');
    expect((await dossier(['init', vault], { DOSSIER_PASSPHRASE: PASS })).code).toBe(0);
    const env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASS };
    const r = await dossier(['passwd'], { ...env, DOSSIER_NEW_PASSPHRASE: 'letmein2026' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too easy to guess/);
    expect((await dossier(['ls'], env)).code).toBe(0);
  });

  it('recovery --new replaces the code: the old one stops working, the new one works', async () => {
    const vault = join(root, 'recovery');
    const init = await dossier(['init', vault, '--json'], { DOSSIER_PASSPHRASE: PASS });
    const old = (JSON.parse(init.out) as { recoveryCode: string }).recoveryCode;
    const env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASS };

    const bare = await dossier(['recovery'], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--new/);
    const wrong = await dossier(['recovery', '--new'], { ...env, DOSSIER_PASSPHRASE: 'nope nope' });
    expect(wrong.code).toBe(3);

    const made = await dossier(['recovery', '--new', '--json'], env);
    expect(made.code).toBe(0);
    const fresh = (JSON.parse(made.out) as { recoveryCode: string }).recoveryCode;
    expect(fresh).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    expect(fresh).not.toBe(old);

    const byOld = await dossier(['--recovery', 'ls'], {
      DOSSIER_VAULT: vault,
      DOSSIER_RECOVERY_CODE: old,
    });
    expect(byOld.code).toBe(3);
    const byNew = { DOSSIER_VAULT: vault, DOSSIER_RECOVERY_CODE: fresh };
    expect((await dossier(['--recovery', 'ls'], byNew)).code).toBe(0);

    // A forgotten passphrase: the recovery code is the current secret passwd checks.
    await writeFile(join(root, 'next.txt'), `${NEXT}\n`);
    const passwd = await dossier(
      ['--recovery', 'passwd', '--new-passphrase-file', join(root, 'next.txt')],
      byNew,
    );
    expect(passwd.code).toBe(0);
    expect((await dossier(['ls'], { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: NEXT })).code).toBe(
      0,
    );

    const log = await dossier(['log', '--json'], {
      DOSSIER_VAULT: vault,
      DOSSIER_PASSPHRASE: NEXT,
    });
    const changes = (JSON.parse(log.out) as { action: string; details: { slot?: string } }[])
      .filter((e) => e.action === 'key-change')
      .map((e) => e.details.slot);
    expect(changes).toEqual(['recovery', 'passphrase']);
    expect(log.out).not.toContain(fresh);
  });
});
