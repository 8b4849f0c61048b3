import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { Vault, type RevealedKeys } from '../../../main/core';
import { encrypt, X25519Recipient } from '../../../main/core/age';
import { evidenceResponse } from '../../../main/core/serve/evidence-response';
import { assertBuilt, dossier } from '../../support/cli';
import { openRawDb } from '../../support/custody-tamper';
import { tempDir } from '../../support/tmp';
import { haveTool } from '../../support/tools';
import { newVault, PASSPHRASE, sha256 } from '../../support/vault';

const run = promisify(execFile);

/**
 * Issue 9, item 6 (the vault side): with the keys from `keys --reveal` (not the passphrase)
 * someone replaces an item's content, name and times: the row's sha256, size, name and
 * times are rewritten and a forged file is encrypted to the vault's own recipient. The
 * custody log still holds the item's ingest entry, which they cannot rewrite unnoticed.
 */
const ORIGINAL = Buffer.from('The message received on 9 March: "I know where you live."\n');
const FORGED = Buffer.from('Nothing threatening was ever said.\n');

let root: string;
let n = 0;

async function vaultWithItem(): Promise<{
  dir: string;
  id: string;
  otherId: string;
  blob: string;
  keys: RevealedKeys;
}> {
  const dir = join(root, `vault-${++n}`);
  const src = join(root, `src-${n}`);
  await mkdir(src);
  await writeFile(join(src, 'message.txt'), ORIGINAL);
  await utimes(
    join(src, 'message.txt'),
    new Date('2026-03-09T21:30:00Z'),
    new Date('2026-03-09T21:30:00Z'),
  );
  await writeFile(join(src, 'other.txt'), `another item ${n}\n`);
  const { vault } = await newVault(dir);
  await vault.add([join(src, 'message.txt'), join(src, 'other.txt')]);
  const item = vault.list().find((i) => i.name === 'message.txt')!;
  const other = vault.list().find((i) => i.name === 'other.txt')!;
  const keys = vault.revealKeys();
  await vault.lock();
  return { dir, id: item.id, otherId: other.id, blob: item.blob, keys };
}

/** The forgery: new bytes under the vault's recipient, and the row made to agree with them. */
async function forge(v: {
  dir: string;
  id: string;
  blob: string;
  keys: RevealedKeys;
}): Promise<void> {
  const target = join(v.dir, v.blob);
  if (haveTool('age', 'the forgery made with Debian age (made with our encoder instead)')) {
    const plain = join(root, `forged-${n}.txt`);
    await writeFile(plain, FORGED);
    await run('age', ['-r', v.keys.ageRecipient, '-o', target, plain]);
  } else {
    await writeFile(target, encrypt(FORGED, [X25519Recipient.parse(v.keys.ageRecipient)]));
  }
  const db = openRawDb(v.dir, v.keys.sqlcipherKey);
  const row = db.prepare('SELECT blob_id FROM items WHERE id = ?').get(v.id) as { blob_id: string };
  db.prepare(
    `UPDATE items SET sha256 = ?, size = ?, name = ?, source_mtime = ?, ingested_at = ?, source_path = ?
      WHERE id = ?`,
  ).run(
    sha256(FORGED),
    FORGED.length,
    'harmless.txt',
    '2026-03-01T08:00:00.000Z',
    '2026-03-01T08:05:00.000Z',
    '/home/someone/harmless.txt',
    v.id,
  );
  db.prepare('UPDATE blobs SET sha256 = ?, size = ? WHERE id = ?').run(
    sha256(FORGED),
    FORGED.length,
    row.blob_id,
  );
  db.close();
}

describe('adversary: an item swapped inside the vault with the revealed keys', () => {
  beforeAll(async () => {
    assertBuilt();
    root = await tempDir('dossier-swapped-');
  });

  it('check names the item and every field that differs from its ingest entry', async () => {
    const v = await vaultWithItem();
    await forge(v);
    const vault = await Vault.unlock(v.dir, PASSPHRASE);
    try {
      // The forged blob does match the forged row: only the custody log can tell.
      const report = await vault.check();
      expect(report.ok).toBe(false);
      const mine = report.problems.filter((p) => p.itemId === v.id);
      const text = mine.map((p) => p.message).join('\n');
      for (const field of [
        'name',
        'SHA-256',
        'size',
        'last-modified time',
        'time it was added',
        'source path',
      ])
        expect(text).toContain(field);
      expect(text).toContain(sha256(ORIGINAL));
      expect(text).toContain(sha256(FORGED));
      expect(report.problems.filter((p) => p.itemId === v.otherId)).toEqual([]);
      // The log itself was not touched, so it still verifies; it is the item that lies.
      expect(vault.verifyLog().ok).toBe(true);
    } finally {
      await vault.lock();
    }
  });

  it('cat refuses the forgery instead of printing it', async () => {
    const v = await vaultWithItem();
    await forge(v);
    const vault = await Vault.unlock(v.dir, PASSPHRASE);
    try {
      const read = async (): Promise<Buffer> => {
        const parts: Buffer[] = [];
        for await (const c of vault.verifiedContent(v.id)) parts.push(c);
        return Buffer.concat(parts);
      };
      await expect(read()).rejects.toMatchObject({
        code: 'INTEGRITY',
        message: expect.stringMatching(/custody log/),
      });
      // Nor does the app's viewer get it.
      await expect(evidenceResponse(vault, v.id, 'original', null)).rejects.toMatchObject({
        code: 'INTEGRITY',
      });
      expect((await evidenceResponse(vault, v.otherId, 'original', null)).status).toBe(200);
      // The untouched item still reads.
      const other: Buffer[] = [];
      for await (const c of vault.verifiedContent(v.otherId)) other.push(c);
      expect(Buffer.concat(other).toString()).toMatch(/another item/);
    } finally {
      await vault.lock();
    }
    const env = { DOSSIER_VAULT: v.dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const cat = await dossier(['cat', v.id], env);
    expect(cat.code).toBe(4);
    expect(cat.stdout.includes(FORGED)).toBe(false);
    const check = await dossier(['check'], env);
    expect(check.code).toBe(4);
    expect(check.out).toMatch(/SHA-256/);
    expect(check.out).not.toMatch(/All good/);
  });

  it('export refuses the forgery: no bundle vouches for it, nothing is left behind', async () => {
    const v = await vaultWithItem();
    await forge(v);
    const out = join(root, `bundle-${n}`);
    const vault = await Vault.unlock(v.dir, PASSPHRASE);
    try {
      await expect(
        vault.export({ out, format: 'dir', selection: { all: true } }),
      ).rejects.toMatchObject({ code: 'INTEGRITY', message: expect.stringMatching(/custody log/) });
      // The untouched item alone still exports.
      const ok = await vault.export({
        out: `${out}-other`,
        format: 'dir',
        selection: { itemIds: [v.otherId] },
      });
      expect(ok.exhibits).toHaveLength(1);
    } finally {
      await vault.lock();
    }
    expect((await readdir(root)).filter((f) => f.startsWith(`bundle-${n}`))).toEqual([
      `bundle-${n}-other`,
    ]);
  });

  it('only the name changed in the row: check reports that one field', async () => {
    const v = await vaultWithItem();
    const db = openRawDb(v.dir, v.keys.sqlcipherKey);
    db.prepare('UPDATE items SET name = ? WHERE id = ?').run('renamed.txt', v.id);
    db.close();
    const vault = await Vault.unlock(v.dir, PASSPHRASE);
    try {
      const report = await vault.check();
      const mine = report.problems.filter((p) => p.itemId === v.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.message).toMatch(/name is "renamed\.txt", but .* records "message\.txt"/);
    } finally {
      await vault.lock();
    }
  });

  it('an item planted with no ingest entry is a problem', async () => {
    const v = await vaultWithItem();
    const db = openRawDb(v.dir, v.keys.sqlcipherKey);
    const planted = '01PLANTED0000000000000000';
    const blob = 'ff'.repeat(16);
    db.prepare(
      "INSERT INTO blobs (id, kind, size, sha256, created_at) VALUES (?, 'original', ?, ?, '2026-03-01T00:00:00Z')",
    ).run(blob, FORGED.length, sha256(FORGED));
    db.prepare(
      `INSERT INTO items (id, blob_id, sha256, size, mime, name, ingested_at, ingested_offset)
       VALUES (?, ?, ?, ?, 'text/plain', 'planted.txt', '2026-03-01T00:00:00.000Z', 0)`,
    ).run(planted, blob, sha256(FORGED), FORGED.length);
    db.close();
    const vault = await Vault.unlock(v.dir, PASSPHRASE);
    try {
      const report = await vault.check();
      const mine = report.problems.filter((p) => p.itemId === planted);
      expect(mine.map((p) => p.message).join('\n')).toMatch(/no ingest entry/);
    } finally {
      await vault.lock();
    }
  });

  it('a name cleaned when added (logged as edit-metadata) and ordinary use are not flagged', async () => {
    const dir = join(root, `vault-${++n}`);
    const { vault } = await newVault(dir);
    const r = await vault.addData({ name: 'evil\u202etxt.exe', data: Buffer.from('pasted\n') });
    expect(r.status).toBe('added');
    const report = await vault.check();
    expect(report.problems).toEqual([]);
    await vault.lock();
    // And after a lock and unlock, with the raw files untouched.
    const again = await Vault.unlock(dir, PASSPHRASE);
    expect((await again.check()).ok).toBe(true);
    await again.lock();
    expect((await readFile(join(dir, 'dossier.json'), 'utf8')).length).toBeGreaterThan(0);
  });
});
