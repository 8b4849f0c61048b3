import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeScreenshotPng } from '../fixtures/evidence';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { snapshot } from '../support/vault';

const PASS = 'a long and unusual passphrase';
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('dossier CLI', () => {
  let root: string;
  let vault: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    vault = join(root, 'vault');
    env = { DOSSIER_VAULT: vault, DOSSIER_PASSPHRASE: PASS };
  });

  it('prints help and exits 2 on usage errors', async () => {
    const help = await dossier(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Exit codes/);
    expect((await dossier([])).code).toBe(2);
    const unknown = await dossier(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    expect((await dossier(['ls', '--tag', 'x'], env)).code).toBe(2);
    expect((await dossier(['ls', '--bogus'], env)).code).toBe(2);
  });

  it('says what to do when there is no passphrase and no terminal', async () => {
    const r = await dossier(['ls'], { DOSSIER_VAULT: vault });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DOSSIER_PASSPHRASE|--passphrase-file/);
  });

  it('init creates a vault and prints the recovery code once', async () => {
    const r = await dossier(['init', vault, '--json'], { DOSSIER_PASSPHRASE: PASS });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { vault: string; recoveryCode: string; fingerprint: string };
    expect(out.recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    expect(out.vault).toBe(vault);
    const again = await dossier(['init', vault], { DOSSIER_PASSPHRASE: PASS });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already a vault/);
    // The code never reaches the disk in any form we could find.
    const files = await snapshot(vault);
    for (const f of Object.keys(files)) {
      expect((await readFile(join(vault, f))).includes(Buffer.from(out.recoveryCode))).toBe(false);
    }
    await writeFile(join(root, 'recovery.txt'), `${out.recoveryCode}\n`);
  });

  it('add, ls, show and cat round-trip the original bytes', async () => {
    const src = join(root, 'src');
    await mkdir(join(src, 'sub'), { recursive: true });
    const png = await makeScreenshotPng(390, 844, 3);
    await writeFile(join(src, 'sub', 'screenshot.png'), png);
    await writeFile(join(src, 'email.txt'), 'From: x@example.com\nSubject: you\n\nwatch out');
    const add = await dossier(
      ['add', src, '--tag', 'July', '--tag', 'email', '--note', 'sent at night', '--json'],
      env,
    );
    expect(add.code).toBe(0);
    const lines = add.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const l of lines)
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['id', 'sha256', 'name', 'duplicate']));
    const pngLine = lines.find((l) => l.name === 'screenshot.png')!;
    expect(pngLine).toMatchObject({ sha256: sha(png), duplicate: false });

    const dup = await dossier(['add', join(src, 'sub', 'screenshot.png'), '--json'], env);
    expect(JSON.parse(dup.out)).toMatchObject({ id: pngLine.id, duplicate: true });

    const ls = await dossier(['ls', '--json'], env);
    expect(ls.code).toBe(0);
    const items = JSON.parse(ls.out) as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    for (const i of items) {
      expect(Object.keys(i)).toEqual(
        expect.arrayContaining([
          'id',
          'sha256',
          'size',
          'name',
          'mime',
          'ingestedAt',
          'tags',
          'blob',
        ]),
      );
      expect(i.tags).toEqual(['email', 'July']);
      expect(i.blob).toMatch(/^blobs\/.+\.age$/);
    }
    const show = await dossier(['show', String(pngLine.id).slice(0, 8), '--json'], env);
    expect(JSON.parse(show.out)).toMatchObject({
      id: pngLine.id,
      width: 390,
      height: 844,
      mime: 'image/png',
    });
    const human = await dossier(['show', String(pngLine.id)], env);
    expect(human.out).toMatch(/SHA-256 +[0-9a-f]{64}/);
    expect(human.out).toMatch(/Note +sent at night/);

    const cat = await dossier(['cat', String(pngLine.id)], env);
    expect(cat.code).toBe(0);
    expect(cat.stdout.equals(png)).toBe(true);
    const missing = await dossier(['show', 'zzzzzzzz'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no item with id zzzzzzzz/);
  });

  it('refuses a wrong passphrase with exit 3 and writes nothing', async () => {
    const before = await snapshot(vault);
    const r = await dossier(['ls'], { ...env, DOSSIER_PASSPHRASE: 'wrong passphrase' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/passphrase is not right/);
    expect(await snapshot(vault)).toEqual(before);
  });

  it('reads the passphrase from --passphrase-file and unlocks with --recovery', async () => {
    await writeFile(join(root, 'pass.txt'), `${PASS}\n`);
    expect(
      (await dossier(['ls', '--passphrase-file', join(root, 'pass.txt')], { DOSSIER_VAULT: vault }))
        .code,
    ).toBe(0);
    const r = await dossier(['ls', '--recovery', '--passphrase-file', join(root, 'recovery.txt')], {
      DOSSIER_VAULT: vault,
    });
    expect(r.code).toBe(0);
  });

  it('reports a missing path with exit 5 but still adds the rest', async () => {
    await writeFile(join(root, 'ok.txt'), 'still added');
    const r = await dossier(['add', join(root, 'nope.jpg'), join(root, 'ok.txt')], env);
    expect(r.code).toBe(5);
    expect(r.out).toMatch(/FAILED .*nope\.jpg: .*does not exist/);
    expect(r.out).toMatch(/added .*ok\.txt/);
  });

  it('counts files added with a warning in the summary', async () => {
    const png = await makeScreenshotPng(200, 300, 42);
    await writeFile(join(root, 'cut-off.png'), png.subarray(0, png.length >> 1));
    const r = await dossier(['add', join(root, 'cut-off.png')], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^1 added \(1 with warnings\), 0 already in the vault, 0 failed\.$/m);
  });

  it('shows hostile file names escaped, and keeps them exact in JSON', async () => {
    const name = 'invoice\u202Etxt.exe\u0007';
    await writeFile(join(root, name), 'hostile');
    const r = await dossier(['add', join(root, name)], env);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('\u202E');
    expect(r.out).toContain('\\u202e');
    const ls = await dossier(['ls'], env);
    expect(ls.out).not.toContain('\u0007');
    expect(ls.out).not.toContain('\u202E');
    const json = JSON.parse((await dossier(['ls', '--json'], env)).out) as { name: string }[];
    expect(json.map((i) => i.name)).toContain(name);
  });

  it('log --verify checks the chain; check passes on a healthy vault', async () => {
    const log = await dossier(['log', '--verify', '--json'], env);
    expect(log.code).toBe(0);
    const parsed = JSON.parse(log.out) as {
      entries: { action: string }[];
      verification: { ok: boolean };
    };
    expect(parsed.verification.ok).toBe(true);
    expect(parsed.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['create', 'unlock', 'ingest', 'duplicate', 'lock']),
    );
    const check = await dossier(['check'], env);
    expect(check.code).toBe(0);
    expect(check.out).toMatch(/All good/);
  });

  it('names a damaged blob in check (exit 4) and cat refuses it (exit 4, nothing written)', async () => {
    const items = JSON.parse((await dossier(['ls', '--json'], env)).out) as {
      id: string;
      name: string;
      blob: string;
    }[];
    const victim = items.find((i) => i.name === 'screenshot.png')!;
    const path = join(vault, victim.blob);
    const original = await readFile(path);
    const bytes = Buffer.from(original);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    await writeFile(path, bytes);
    const check = await dossier(['check'], env);
    expect(check.code).toBe(4);
    expect(check.out).toContain(victim.id);
    expect(check.out).toContain('screenshot.png');
    const cat = await dossier(['cat', victim.id], env);
    expect(cat.code).toBe(4);
    expect(cat.stdout.length).toBe(0);
    expect(cat.stderr).toMatch(/damaged or was altered/);
    await writeFile(path, original);
    expect((await dossier(['check'], env)).code).toBe(0);
  });

  it('passwd changes the passphrase; the old one stops working', async () => {
    await writeFile(join(root, 'new.txt'), 'the second passphrase\n');
    const r = await dossier(['passwd', '--new-passphrase-file', join(root, 'new.txt')], env);
    expect(r.code).toBe(0);
    expect((await dossier(['ls'], env)).code).toBe(3);
    env = { ...env, DOSSIER_PASSPHRASE: 'the second passphrase' };
    expect((await dossier(['ls'], env)).code).toBe(0);
  });

  it('keys needs --reveal, and --reveal prints keys in the documented forms', async () => {
    expect((await dossier(['keys'], env)).code).toBe(2);
    const r = await dossier(['keys', '--reveal', '--json'], env);
    expect(r.code).toBe(0);
    const keys = JSON.parse(r.out) as Record<string, string>;
    expect(keys.sqlcipherKey).toMatch(/^x'[0-9a-f]{64}'$/);
    expect(keys.ageIdentity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(keys.signingPublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});
