import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../../main/core';
import { makeScreenshotPng } from '../../fixtures/evidence';
import { openDatabase } from '../../../main/core/db/database';
import { assertBuilt, dossier, spawnDossier } from '../../support/cli';
import { tempDir } from '../../support/tmp';
import { newVault, PASSPHRASE, sha256 } from '../../support/vault';

/** Every encrypted file in the vault folder, wherever it is (blobs/ or quarantine/). */
async function ageFiles(dir: string): Promise<string[]> {
  const all = await readdir(dir, { recursive: true });
  return all.filter((f) => f.endsWith('.age')).sort();
}

async function vaultWithEvidence(root: string, files = 6): Promise<string> {
  const dir = join(root, `vault-${randomBytes(4).toString('hex')}`);
  const src = join(root, `src-${randomBytes(4).toString('hex')}`);
  await mkdir(src);
  for (let i = 0; i < files; i++) await writeFile(join(src, `e${i}.bin`), randomBytes(5000 + i));
  const { vault } = await newVault(dir);
  await vault.add([src]);
  await vault.lock();
  return dir;
}

describe('a missing, empty or foreign database never costs an encrypted original', () => {
  let root: string;
  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
  });

  it('an empty dossier.db is refused with exit 4, and every blob stays', async () => {
    const dir = await vaultWithEvidence(root);
    const before = await ageFiles(dir);
    expect(before).toHaveLength(6);
    await writeFile(join(dir, 'dossier.db'), '');
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    for (const cmd of [['ls'], ['check']]) {
      const r = await dossier(cmd, env);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/dossier\.db.*empty/);
      expect(r.stderr).toMatch(/backup/);
      expect(r.stderr).not.toMatch(/report it|internal/i);
    }
    expect(await ageFiles(dir)).toEqual(before);
    expect((await stat(join(dir, 'dossier.db'))).size).toBe(0);
  });

  it('a deleted dossier.db is refused with exit 4, is not re-created, and every blob stays', async () => {
    const dir = await vaultWithEvidence(root);
    const before = await ageFiles(dir);
    await rm(join(dir, 'dossier.db'));
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const r = await dossier(['ls'], env);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/dossier\.db.*missing/);
    expect(existsSync(join(dir, 'dossier.db'))).toBe(false);
    expect(await ageFiles(dir)).toEqual(before);
    await expect(Vault.unlock(dir, PASSPHRASE)).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(await ageFiles(dir)).toEqual(before);
  });

  it('a database with the right key but no `create` entry (a fresh one) is refused', async () => {
    const dir = await vaultWithEvidence(root);
    const v = await Vault.unlock(dir, PASSPHRASE);
    const key = v.revealKeys().sqlcipherKey;
    await v.lock();
    const before = await ageFiles(dir);
    await rm(join(dir, 'dossier.db'));
    // What Dossier itself used to make in its place: a new, empty database under the vault key.
    const raw = Buffer.from(key.slice(2, -1), 'hex');
    openDatabase(join(dir, 'dossier.db'), raw, { create: true }).close();
    const r = await dossier(['ls'], { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/custody log.*create|not this vault's/i);
    expect(await ageFiles(dir)).toEqual(before);
  });

  it('kill -9 after "added", then the WAL lost: the blob is quarantined, listed and restored', async () => {
    const dir = await vaultWithEvidence(root, 2);
    const src = join(root, 'wal-src');
    await mkdir(src);
    const evidence = randomBytes(40_000);
    await writeFile(join(src, 'a-small.bin'), evidence);
    // A big file keeps the process busy after the small one is reported, so the kill lands
    // before the lock folds the WAL into dossier.db.
    await writeFile(join(src, 'z-big.bin'), randomBytes(96 * 1024 * 1024));
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const child = spawnDossier(['add', src, '--json'], env);
    const added = await new Promise<{ id: string; sha256: string }>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const line = buf.split('\n').find((l) => l.includes('"added"'));
        if (line) {
          child.kill('SIGKILL');
          resolve(JSON.parse(line) as { id: string; sha256: string });
        }
      });
      child.on('close', () => reject(new Error(`add ended without reporting an item: ${buf}`)));
    });
    await new Promise((r) => child.on('close', r));
    expect(added.sha256).toBe(sha256(evidence));
    expect(existsSync(join(dir, 'dossier.db-wal'))).toBe(true);
    // A backup or sync tool that copies only dossier.db.
    await rm(join(dir, 'dossier.db-wal'));
    await rm(join(dir, 'dossier.db-shm'), { force: true });
    const before = (await ageFiles(dir)).filter((f) => f.startsWith('blobs/'));

    const ls = await dossier(['ls', '--json'], env);
    expect(ls.code, ls.stderr).toBe(0);
    expect((JSON.parse(ls.out) as { id: string }[]).map((i) => i.id)).not.toContain(added.id);
    expect(ls.stderr).toMatch(/quarantine/);
    // Nothing was deleted: every encrypted file is still in the vault folder, moved or not.
    const after = await ageFiles(dir);
    const name = (p: string): string => p.split('/').slice(-2).join('/');
    expect(after.map(name).sort()).toEqual(before.map(name).sort());
    const quarantined = after.filter((f) => f.startsWith('quarantine/'));
    expect(quarantined.length).toBeGreaterThanOrEqual(1);

    const check = await dossier(['check'], env);
    expect(check.code).toBe(4);
    for (const q of quarantined) expect(check.out).toContain(q);
    expect(check.out).toMatch(/Nothing was deleted/);

    const list = await dossier(['quarantine', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.out) as { path: string }[]).map((q) => q.path).sort()).toEqual(
      quarantined,
    );

    const restore = await dossier(['quarantine', 'restore', '--all', '--json'], env);
    expect(restore.code, restore.stderr).toBe(0);
    const v = await Vault.unlock(dir, PASSPHRASE);
    const back = v.list().find((i) => v.item(i.id).sha256 === sha256(evidence));
    expect(back).toBeDefined();
    const detail = v.item(back!.id);
    expect(detail.notes.map((n) => n.body).join(' ')).toMatch(/quarantine/);
    const ingest = v.log().find((e) => e.action === 'ingest' && e.subjects.includes(back!.id));
    expect(ingest?.details.sha256).toBe(sha256(evidence));
    expect(String(ingest?.details.note)).toMatch(/quarantine/);
    const chunks: Buffer[] = [];
    for await (const c of v.verifiedContent(back!.id)) chunks.push(c);
    expect(Buffer.concat(chunks).equals(evidence)).toBe(true);
    await v.lock();
    expect((await ageFiles(dir)).filter((f) => f.startsWith('quarantine/'))).toEqual([]);
    const clean = await dossier(['check'], env);
    expect(clean.code, clean.out).toBe(0);
  }, 120_000);

  it('a quarantined file that does not decrypt with this vault key stays where it is, and is named', async () => {
    const dir = await vaultWithEvidence(root, 1);
    const other = await vaultWithEvidence(root, 1);
    const foreign = (await ageFiles(other))[0]!;
    const target = join(dir, 'blobs', foreign.split('/').slice(-2).join('/'));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, await readFile(join(other, foreign)));
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const r = await dossier(['quarantine', 'restore', '--all'], env);
    expect(r.code).toBe(4);
    const rel = `quarantine/${foreign.split('/').slice(-2).join('/')}`;
    expect(r.out + r.stderr).toContain(rel);
    expect(r.out + r.stderr).toMatch(/does not decrypt with this vault's key/);
    expect(existsSync(join(dir, rel))).toBe(true);
  });

  it('a database replaced by an older copy: check says so plainly, and restore brings back items, not previews', async () => {
    const dir = await vaultWithEvidence(root, 2);
    await copyFile(join(dir, 'dossier.db'), join(root, 'older-dossier.db'));
    const png = await makeScreenshotPng(390, 844, 7);
    const later = join(root, 'later');
    await mkdir(later);
    await writeFile(join(later, 'threat.png'), png);
    await writeFile(join(later, 'note.txt'), 'said on the phone');
    const v = await Vault.unlock(dir, PASSPHRASE);
    await v.add([later]);
    expect(v.item(v.list().find((i) => i.name === 'threat.png')!.id).thumbnailBlobId).toBeTruthy();
    await v.lock();
    const before = await ageFiles(dir);
    expect(before).toHaveLength(5); // 2 + 2 originals + 1 preview
    await copyFile(join(root, 'older-dossier.db'), join(dir, 'dossier.db'));

    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const check = await dossier(['check'], env);
    expect(check.code).toBe(4);
    expect(check.out).toMatch(
      /The database lists 2 items \(2 encrypted files with their previews\) but the vault holds 5 encrypted files: 3 belong to no item/,
    );
    expect(check.out).toMatch(/Nothing was deleted/);
    expect((await ageFiles(dir)).map((f) => f.split('/').pop()).sort()).toEqual(
      before.map((f) => f.split('/').pop()).sort(),
    );

    const restore = await dossier(['quarantine', 'restore', '--all', '--json'], env);
    expect(restore.code, restore.stderr).toBe(0);
    const results = JSON.parse(restore.out) as { status: string }[];
    expect(results.map((r) => r.status).sort()).toEqual(['preview', 'restored', 'restored']);
    const after = await Vault.unlock(dir, PASSPHRASE);
    const shas = after.list().map((i) => after.item(i.id).sha256);
    expect(shas).toContain(sha256(png));
    expect(shas).toContain(sha256(Buffer.from('said on the phone')));
    expect(after.list()).toHaveLength(4);
    // Every encrypted file is an item again; what stays is that the log is the older copy's,
    // which dossier.json's record of the last signed checkpoint keeps saying.
    const report = await after.check();
    expect(report.problems.map((p) => p.kind)).toEqual(['custody']);
    expect(report.problems[0]!.message).toMatch(/dossier\.json/);
    await after.lock();
  });

  it('quarantine is undone when the newer database is put back: its blobs return and every item opens', async () => {
    const dir = await vaultWithEvidence(root, 1);
    await copyFile(join(dir, 'dossier.db'), join(root, 'old.db'));
    const v = await Vault.unlock(dir, PASSPHRASE);
    await writeFile(join(root, 'late.txt'), 'added after the backup');
    await v.add([join(root, 'late.txt')]);
    await v.lock();
    await copyFile(join(dir, 'dossier.db'), join(root, 'new.db'));
    await copyFile(join(root, 'old.db'), join(dir, 'dossier.db'));
    const old = await Vault.unlock(dir, PASSPHRASE);
    expect(await old.quarantined()).toHaveLength(1);
    await old.lock();
    await copyFile(join(root, 'new.db'), join(dir, 'dossier.db'));
    const back = await Vault.unlock(dir, PASSPHRASE);
    expect(back.notices.join(' ')).toMatch(/put back/);
    expect(await back.quarantined()).toEqual([]);
    expect((await back.check()).ok).toBe(true);
    expect(back.list().map((i) => i.name)).toContain('late.txt');
    await back.lock();
  });
});
