import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import { EMAIL_ATTACHMENTS_JOB } from '../../main/core/ingest/email-attachments';
import { newId } from '../../main/core/ids';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';
import { blobFiles } from '../support/crash';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

const PDF = Buffer.from('%PDF-1.4\n% a letter from the council\n%%EOF\n');
const PHOTO = Buffer.from('bytes of a photo of the damaged car');

/** An email with two attachments, and optionally a damaged part (a multipart with no boundary). */
function email(subject: string, opts: { damaged?: boolean; photo?: Buffer } = {}): Buffer {
  const b64 = (b: Buffer) => b.toString('base64').replace(/(.{76})/g, '$1\r\n');
  return Buffer.from(
    [
      'From: Anon <anon@example.net>',
      'To: office@example.org',
      `Subject: ${subject}`,
      'Date: Tue, 3 Mar 2026 21:14:00 +0100',
      'Message-ID: <1@example.net>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="XX"',
      '',
      '--XX',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See attached.',
      '--XX',
      'Content-Type: application/pdf; name="letter.pdf"',
      'Content-Disposition: attachment; filename="letter.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      b64(PDF),
      '--XX',
      'Content-Type: image/jpeg; name="car.jpg"',
      'Content-Disposition: attachment; filename="car.jpg"',
      'Content-Transfer-Encoding: base64',
      '',
      b64(opts.photo ?? PHOTO),
      ...(opts.damaged
        ? ['--XX', 'Content-Type: multipart/alternative', '', 'no boundary here']
        : []),
      '--XX--',
      '',
    ].join('\r\n'),
  );
}

function children(v: Vault, parent: string): Record<string, string>[] {
  return db(v)
    .prepare(
      'SELECT id, name, sha256, derive_op, derive_reason FROM items WHERE parent_id = ? ORDER BY name',
    )
    .all(parent) as Record<string, string>[];
}

const referenced = (v: Vault): string[] =>
  (db(v).prepare('SELECT id FROM blobs').pluck().all() as string[]).map((id) => `${id}.age`).sort();

describe("an email's attachments become items at import", async () => {
  const root = await tempDir();
  const dir = join(root, 'vault');
  const { vault } = await newVault(dir);

  it('each attachment is an item derived from the email, with its own SHA-256 and custody entry', async () => {
    const path = join(root, 'threat.eml');
    await writeFile(path, email('threat'));
    const r = (await vault.add([path])).results[0]!;
    if (r.status !== 'added') throw new Error('not added');
    const kids = children(vault, r.id);
    expect(kids.map((k) => [k.name, k.sha256, k.derive_op])).toEqual([
      ['car.jpg', sha(PHOTO), 'attachment'],
      ['letter.pdf', sha(PDF), 'attachment'],
    ]);
    expect(kids[1]!.derive_reason).toMatch(/attachment 1 \(“letter.pdf”\) of the email/);
    const log = vault.log();
    for (const k of kids) {
      const entry = log.find((e) => e.action === 'ingest' && e.subjects[0] === k.id)!;
      expect(entry.details).toMatchObject({
        parent: r.id,
        derivedAs: 'attachment',
        sha256: k.sha256,
      });
    }
    expect(log.find((e) => e.action === 'derive' && e.subjects[0] === r.id)!.details).toMatchObject(
      {
        what: 'email attachments stored',
        by: 'import',
        derivedItems: expect.arrayContaining(kids.map((k) => k.id)),
      },
    );
    // Searchable by what they are, as items of their own.
    expect(vault.items.search('letter')).toContain(kids[1]!.id);
    expect((await vault.check()).problems).toEqual([]);
  });

  it('a hostile attachment name is stored cleaned (no control or direction characters, no folders)', async () => {
    const path = join(root, 'hostile.eml');
    // RFC 2047, as a mail program would write a name that is not ASCII.
    const given = '../../x\u001b[31m\u202egpj.exe';
    const encoded = `=?UTF-8?B?${Buffer.from(given).toString('base64')}?=`;
    const hostile = email('hostile', { photo: Buffer.from('photo with a hostile name') })
      .toString('latin1')
      .replaceAll('"car.jpg"', `"${encoded}"`);
    await writeFile(path, Buffer.from(hostile, 'latin1'));
    const r = (await vault.add([path])).results[0]!;
    if (r.status !== 'added') throw new Error('not added');
    const kid = children(vault, r.id).find(
      (k) => k.sha256 === sha(Buffer.from('photo with a hostile name')),
    )!;
    expect(kid.name).toBe('x[31mgpj.exe');
    expect([...kid.derive_reason!].some((c) => c < ' ' || c === '\u202e')).toBe(false);
    const entry = vault.log().find((e) => e.action === 'ingest' && e.subjects[0] === kid.id)!;
    expect((entry.details as { givenName: string }).givenName).toContain('\u202e');
  });

  it('a damaged part is reported on the email; the email and the readable attachments are kept', async () => {
    const path = join(root, 'damaged.eml');
    const bytes = email('damaged', { damaged: true, photo: Buffer.from('another photo') });
    await writeFile(path, bytes);
    const r = (await vault.add([path])).results[0]!;
    if (r.status !== 'added') throw new Error('not added');
    expect(r.sha256).toBe(sha(bytes));
    expect(vault.item(r.id).metadataErrors.join(' ')).toMatch(/damaged/);
    // The PDF is the same bytes as the first email's: linked to that item, not stored twice.
    const kids = children(vault, r.id);
    expect(kids.map((k) => k.name)).toEqual(['car.jpg']);
    expect(
      db(vault).prepare('SELECT count(*) FROM items WHERE sha256 = ?').pluck().get(sha(PDF)),
    ).toBe(1);
    const derive = vault.log().find((e) => e.action === 'derive' && e.subjects[0] === r.id)!;
    expect((derive.details as { linkedItems: string[] }).linkedItems).toHaveLength(1);
    expect(await blobFiles(dir)).toEqual(referenced(vault));
  });
});

describe('emails imported before attachments became items get them once, at unlock', () => {
  /** A vault as older versions left it: emails stored, no attachment items, no job record. */
  async function oldVault(): Promise<{ dir: string; emails: string[] }> {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const emails: string[] = [];
    for (const [i, bytes] of [
      email('first', { photo: Buffer.from('photo one') }),
      email('second', { photo: Buffer.from('photo two') }),
    ].entries()) {
      const blob = await vault.blobs.putBuffer(bytes);
      const id = newId();
      const now = new Date().toISOString();
      vault.batch(() => {
        vault.items.insertBlob(blob, 'original', bytes.length, sha(bytes));
        vault.items.insert({
          id,
          blobId: blob,
          sha256: sha(bytes),
          size: bytes.length,
          mime: 'message/rfc822',
          name: `old-${i}.eml`,
          sourcePath: null,
          ingestedAt: now,
          ingestedOffsetMinutes: 0,
          sourceMtime: null,
          sourceExifTime: null,
          width: null,
          height: null,
          thumbBlobId: null,
          metadata: {},
          metadataErrors: [],
          sensitive: [],
        });
        vault.custody.append('ingest', [id], {
          name: `old-${i}.eml`,
          sha256: sha(bytes),
          size: bytes.length,
          mime: 'message/rfc822',
          source: null,
          sourceMtime: null,
          blob,
          tags: [],
        });
      });
      emails.push(id);
    }
    db(vault).prepare('DELETE FROM settings WHERE key = ?').run(EMAIL_ATTACHMENTS_JOB);
    await vault.lock();
    return { dir, emails: emails.sort() };
  }

  it('runs once, is logged, and a second unlock adds nothing', async () => {
    const { dir, emails } = await oldVault();
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      // In id order: the second email's PDF is the same bytes as the first's, so it is linked.
      expect(children(v, emails[0]!).map((k) => k.name)).toEqual(['car.jpg', 'letter.pdf']);
      expect(children(v, emails[1]!).map((k) => k.name)).toEqual(['car.jpg']);
      // The PDF is the same in both: one item, linked from the second email.
      expect(
        db(v).prepare('SELECT count(*) FROM items WHERE sha256 = ?').pluck().get(sha(PDF)),
      ).toBe(1);
      const what = v
        .log()
        .filter((e) => e.action === 'derive')
        .map((e) => (e.details as { what: string }).what);
      expect(what).toEqual([
        'email attachments job started',
        'email attachments stored',
        'email attachments stored',
        'email attachments job finished',
      ]);
      expect(v.notices.join(' ')).toMatch(/attachments of 2 email\(s\) imported earlier/);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
    const again = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(again.log().filter((e) => e.action === 'derive')).toHaveLength(4);
      expect(again.list()).toHaveLength(2 + 3);
    } finally {
      await again.lock();
    }
  });

  it('killed part-way, it resumes after the last email saved and stores nothing twice', async () => {
    const { dir, emails } = await oldVault();
    // As a job killed after saving the first email leaves it: that email's attachments, and
    // the progress record naming it.
    {
      const v = await Vault.unlock(dir, PASSPHRASE);
      const first = emails[0]!;
      const kids = children(v, first).map((k) => k.id);
      expect(kids).toHaveLength(2);
      // Roll back to "running, first email done": the second's attachments are not there yet.
      const second = children(v, emails[1]!);
      expect(second).toHaveLength(1); // car.jpg; the PDF was linked to the first's
      db(v).exec('PRAGMA foreign_keys = OFF');
      for (const k of second) {
        const blob = db(v).prepare('SELECT blob_id FROM items WHERE id = ?').pluck().get(k.id);
        db(v).prepare('DELETE FROM item_sources WHERE item_id = ?').run(k.id);
        db(v).prepare('DELETE FROM item_search WHERE item_id = ?').run(k.id);
        db(v).prepare('DELETE FROM items WHERE id = ?').run(k.id);
        db(v).prepare('DELETE FROM blobs WHERE id = ?').run(blob);
      }
      db(v).exec('PRAGMA foreign_keys = ON');
      db(v)
        .prepare('UPDATE settings SET value = ? WHERE key = ?')
        .run(JSON.stringify({ state: 'running', after: first }), EMAIL_ATTACHMENTS_JOB);
      await v.lock();
    }
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      // The first email is not read again; the second gets its attachment once.
      expect(children(v, emails[0]!)).toHaveLength(2);
      expect(children(v, emails[1]!).map((k) => k.name)).toEqual(['car.jpg']);
      const stored = v
        .log()
        .filter(
          (e) =>
            e.action === 'derive' &&
            (e.details as { what: string }).what === 'email attachments stored',
        );
      expect(stored.map((e) => e.subjects[0])).toEqual([emails[0], emails[1], emails[1]]);
      expect(
        JSON.parse(
          db(v)
            .prepare('SELECT value FROM settings WHERE key = ?')
            .pluck()
            .get(EMAIL_ATTACHMENTS_JOB) as string,
        ),
      ).toMatchObject({ state: 'done' });
    } finally {
      await v.lock();
    }
  });
});
