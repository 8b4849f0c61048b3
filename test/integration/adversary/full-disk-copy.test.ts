// A full disk while a redacted copy is made (needs root for a small tmpfs): the copy is
// refused in plain words (NO_SPACE), nothing of it is left (no item, no redactions row, no
// file), the original reads back byte-identical, and once there is room `check` passes and the
// copy is made. Tried with the disk 100% full and with room for the database but not the copy.
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { isDossierError, Vault } from '../../../main/core';
import { makeScreenshotPng } from '../../fixtures/evidence';
import { tempDir } from '../../support/tmp';
import { canMountTmpfs, fillDisk } from '../../support/tmpfs';
import { newVault, PASSPHRASE, sha256 } from '../../support/vault';
import { blobFiles } from '../../support/crash';

const run = promisify(execFile);
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;
const BOXES = [
  { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address' as const, otherReason: null },
];

const mountable = await canMountTmpfs();
if (!mountable) console.warn('full-disk-copy: SKIPPED — mounting a small tmpfs needs root.');

describe.skipIf(!mountable)('a full disk while a redacted copy is made (needs root)', () => {
  for (const leave of [0, 48 * 1024]) {
    it(`with ${leave === 0 ? 'the disk 100% full' : `${leave / 1024} KiB left`}: NO_SPACE, nothing of the copy, a sound vault`, async () => {
      const disk = await tempDir();
      await run('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk]);
      try {
        const dir = join(disk, 'vault');
        // Noise makes a PNG that compresses little: its copy needs real room.
        const png = await makeScreenshotPng(800, 1600, 7);
        await writeFile(join(disk, 'reply.png'), png);
        const { vault } = await newVault(dir);
        await vault.add([join(disk, 'reply.png')]);
        const original = vault.list()[0]!;
        const filesBefore = await blobFiles(dir);
        const filler = join(disk, 'filler');
        await fillDisk(filler);
        if (leave) {
          const { stdout } = await run('stat', ['-c', '%s', filler]);
          await run('truncate', ['-s', String(Number(stdout) - leave), filler]);
        }
        let error: unknown = null;
        try {
          await vault.makeRedactedCopy(original.id, BOXES);
        } catch (e) {
          error = e;
        }
        expect(isDossierError(error, 'NO_SPACE'), String(error)).toBe(true);
        expect((error as Error).message).toMatch(/disk|space|full/i);
        expect(vault.list().map((i) => i.id)).toEqual([original.id]);
        expect(db(vault).prepare('SELECT count(*) FROM redactions').pluck().get()).toBe(0);

        await rm(filler);
        expect(await blobFiles(dir)).toEqual(filesBefore);
        expect((await vault.check()).problems).toEqual([]);
        const parts: Buffer[] = [];
        for await (const chunk of vault.verifiedContent(original.id)) parts.push(chunk);
        expect(sha256(Buffer.concat(parts))).toBe(sha256(png));
        const made = await vault.makeRedactedCopy(original.id, BOXES);
        expect(made.alreadyMade).toBe(false);
        await vault.lock();

        const v = await Vault.unlock(dir, PASSPHRASE);
        try {
          expect(v.list()).toHaveLength(2);
          expect((await v.check()).problems).toEqual([]);
        } finally {
          await v.lock();
        }
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    }, 60_000);
  }
});
