// The integrity check run while an import or a removal is under way: the files half-written
// by the import are not "files no item refers to", the file a removal deletes while the check
// reads is not "damaged", and the check logs no failure that is not one.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AddReport, Vault } from '../../main/core';
import type { Db } from '../../main/core/db/database';
import { buildMbox, emailBytes } from '../support/conversations/mbox';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const dbOf = (vault: Vault): Db => (vault as unknown as { db: Db }).db;

/** A mailbox whose 300 messages each carry an attachment: many files written before the save. */
function mailbox(): Uint8Array {
  const messages = Array.from({ length: 300 }, (_, i) =>
    emailBytes({
      from: `sender${i % 7}@example.org`,
      subject: `Message ${i}`,
      date: 'Tue, 05 Mar 2024 21:14:00 -0500',
      text: `message ${i} `.repeat(200),
      attachments: [
        { name: `photo-${i}.bin`, mime: 'application/octet-stream', bytes: randomBytes(4096) },
      ],
    }),
  );
  return buildMbox(messages).bytes;
}

async function until(test: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * A new vault with a mailbox import under way: it has recorded the files it is writing, some
 * are on disk, none is saved yet.
 */
async function importUnderWay(): Promise<{ vault: Vault; importing: Promise<AddReport> }> {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'v'));
  const path = join(root, 'All mail.mbox');
  await writeFile(path, mailbox());
  const importing = vault.add([path]);
  const pending = dbOf(vault).prepare("SELECT 1 FROM settings WHERE key LIKE 'pending-blobs:%'");
  await until(() => pending.get() !== undefined, 'the import to start writing');
  return { vault, importing };
}

describe('the check while files are being written', () => {
  it('waits for an import half-written and reports no file of it as belonging to no item', async () => {
    const { vault, importing } = await importUnderWay();
    const report = await vault.check();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // The check waited for the import: its item and every attachment are in the picture.
    const added = await importing;
    expect(added.results[0]).toMatchObject({ status: 'added' });
    expect(report.items).toBe(301);
    const logged = vault.log().filter((e) => e.action === 'verify');
    expect(logged.at(-1)!.details).toMatchObject({ ok: true, problems: [] });
    await vault.lock();
  });

  it('says in words that the vault was locked while it waited for an import', async () => {
    const { vault, importing } = await importUnderWay();
    // Locked under it, the import ends too (reported failed, as before).
    const ended = importing.then(
      () => undefined,
      () => undefined,
    );
    const checking = vault.check();
    await vault.lock();
    await expect(checking).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/^The vault was locked before its check finished/),
    });
    await ended;
  });

  it('lets an import start while it reads, and does not call a file removed meanwhile damaged', async () => {
    const root = await tempDir();
    const { vault } = await newVault(join(root, 'v'));
    const files = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const p = join(root, `file-${i}.bin`);
        await writeFile(p, randomBytes(256 * 1024));
        return p;
      }),
    );
    const first = await vault.add(files);
    const ids = first.results.flatMap((r) => (r.status === 'added' ? [r.id] : []));
    expect(ids).toHaveLength(40);
    const later = join(root, 'later.bin');
    await writeFile(later, randomBytes(64 * 1024));
    let started: Promise<unknown> | null = null;
    const report = await vault.check({
      onProgress: (p) => {
        // Once the check has its picture and is reading: an import and a removal meanwhile.
        if (p.blobsDone === 1 && !started) {
          started = Promise.all([vault.add([later]), vault.removeItem(ids.at(-1)!, 'a duplicate')]);
        }
      },
    });
    await started;
    expect(started).not.toBeNull();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // The next check sees the vault as it is now.
    const again = await vault.check();
    expect(again.ok).toBe(true);
    expect(again.items).toBe(40);
    await vault.lock();
  });
});
