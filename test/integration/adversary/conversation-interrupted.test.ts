import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { isDossierError, Vault } from '../../../main/core';
import { registerReaderForTests } from '../../../main/core/conversations/readers';
import { fakeChat, fakeChatReader } from '../../support/fake-chat';
import { tempDir } from '../../support/tmp';
import { canMountTmpfs } from '../../support/tmpfs';
import { newVault, PASSPHRASE } from '../../support/vault';
import { blobFiles, killWhenPrinted } from '../../support/crash';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../../support/conversation-import-child.ts', import.meta.url));
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

const referenced = (v: Vault): string[] =>
  (db(v).prepare('SELECT id FROM blobs').pluck().all() as string[]).map((id) => `${id}.age`).sort();

/** Runs the child until it says READING, then kill -9. */
function killWhileReading(dir: string, file: string, stopAt: number): Promise<string> {
  return killWhenPrinted(CHILD, [dir, file, String(stopAt)], 'READING');
}

describe('a conversation import killed part-way (kill -9)', () => {
  it('leaves a vault that opens clean: nothing imported, nothing quarantined, the files it wrote deleted and logged', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await writeFile(join(root, 'kept.txt'), 'evidence already in the vault');
    await vault.add([join(root, 'kept.txt')]);
    await vault.lock();
    const media = (label: string) => randomBytes(64 * 1024).toString('base64') + label;
    const chat = join(root, 'chat.txt');
    await writeFile(
      chat,
      fakeChat([
        `#media a.jpg ${media('')}`,
        `#media b.jpg ${media('')}`,
        '2024-03-01T21:14:00Z|Alex|one [att:a.jpg]',
        '2024-03-01T21:15:00Z|Alex|two [att:b.jpg]',
        '2024-03-01T21:16:00Z|Alex|three',
      ]),
    );
    // Killed after the original and both media files were written, before the save.
    await killWhileReading(dir, chat, 2);
    const before = await blobFiles(dir);
    expect(before.filter((n) => n.endsWith('.age')).length).toBeGreaterThanOrEqual(4);

    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(v.notices.join(' ')).toMatch(/interrupted before it was saved/);
      expect(v.list().map((i) => i.name)).toEqual(['kept.txt']);
      expect(await v.quarantined()).toEqual([]);
      expect(await blobFiles(dir)).toEqual(referenced(v));
      expect(
        db(v)
          .prepare("SELECT count(*) FROM settings WHERE key LIKE 'pending-blobs:%'")
          .pluck()
          .get(),
      ).toBe(0);
      const repair = v.log().find((e) => e.action === 'repair')!;
      expect(
        (repair.details as { removedUnsavedImport: string[] }).removedUnsavedImport,
      ).toHaveLength(3);
      expect((await v.check()).problems).toEqual([]);

      // Added again, it is read and saved whole.
      registerReaderForTests(fakeChatReader());
      const r = await v.add([chat]);
      expect(r.added).toBe(1);
      expect(db(v).prepare('SELECT count(*) FROM messages').pluck().get()).toBe(3);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  }, 60_000);
});

describe('a forged pending record (written with the database key alone)', () => {
  it('protects nothing: the file it names is quarantined, never deleted', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    // Evidence whose row was dropped, and a record claiming it was an unsaved import's.
    const blob = await vault.blobs.putBuffer(Buffer.from('evidence whose row was dropped'));
    for (const [key, mac] of [
      ['pending-blobs:forged-1', '00'.repeat(32)],
      ['pending-blobs:forged-2', null],
    ] as const) {
      db(vault)
        .prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
        .run(key, JSON.stringify({ ids: [blob], mac }));
    }
    await vault.lock();
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect((await v.quarantined()).map((q) => q.path)).toEqual([
        `quarantine/${blob.slice(0, 2)}/${blob}.age`,
      ]);
      expect(v.log().some((e) => 'removedUnsavedImport' in (e.details as object))).toBe(false);
    } finally {
      await v.lock();
    }
  });
});

const mountable = await canMountTmpfs();
describe.skipIf(!mountable)(
  'a full disk while a conversation is read (needs root for tmpfs)',
  () => {
    const unregister = registerReaderForTests(fakeChatReader());
    afterAll(unregister);
    it('stops with NO_SPACE, leaves nothing of the import, and the vault stays sound', async () => {
      const root = await tempDir();
      const disk = join(root, 'small-disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]);
      try {
        const dir = join(disk, 'vault');
        const { vault } = await newVault(dir);
        const chat = join(root, 'chat.txt');
        const media = () => randomBytes(700 * 1024).toString('base64');
        await writeFile(
          chat,
          fakeChat([
            `#media a.jpg ${media()}`,
            `#media b.jpg ${media()}`,
            `#media c.jpg ${media()}`,
            '2024-03-01T21:14:00Z|Alex|one [att:a.jpg] [att:b.jpg] [att:c.jpg]',
          ]),
        );
        const err = await vault.add([chat]).catch((e: unknown) => e);
        expect(isDossierError(err, 'NO_SPACE'), String(err)).toBe(true);
        expect((err as Error).message).toMatch(/disk is full/);
        expect(vault.list()).toEqual([]);
        expect(await blobFiles(dir)).toEqual(referenced(vault));
        await vault.lock();
        await run('mount', ['-o', 'remount,size=64m', disk]);
        const v = await Vault.unlock(dir, PASSPHRASE);
        expect(await v.quarantined()).toEqual([]);
        expect((await v.check()).problems).toEqual([]);
        expect(v.list()).toEqual([]);
        await v.lock();
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    }, 60_000);
  },
);
