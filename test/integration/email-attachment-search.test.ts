// An email's attachments are part of what it says: their names, and the words of text ones,
// find the email in the library search, and each attachment is an item found too (issue 12).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LibraryQuery } from '../../main/core/items/library';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const EMAIL = [
  'From: Anon <anon@example.net>',
  'To: office@example.org',
  'Subject: see attached',
  'Date: Tue, 3 Mar 2026 21:14:00 +0100',
  'Content-Type: multipart/mixed; boundary=b',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Nothing in the body.',
  '--b',
  'Content-Type: application/pdf',
  "Content-Disposition: attachment; filename*0*=utf-8''surveillance%20log%20of;",
  ' filename*1*=%20your%20house.pdf',
  'Content-Transfer-Encoding: base64',
  '',
  b64('%PDF-1.4 not really'),
  '--b',
  'Content-Type: text/plain; charset=utf-8; name=note.txt',
  'Content-Disposition: attachment; filename=note.txt',
  'Content-Transfer-Encoding: base64',
  '',
  b64('I know which school the children attend.'),
  '--b',
  'Content-Type: image/png; name=photo.png',
  'Content-Disposition: attachment; filename=photo.png',
  'Content-Transfer-Encoding: base64',
  '',
  b64('binary words that are no text'),
  '--b--',
  '',
].join('\r\n');

describe("an email's attachments are searchable", async () => {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'vault'));
  const path = join(root, 'threat.eml');
  await writeFile(path, EMAIL);
  expect((await vault.add([path])).added).toBe(1);
  const id = vault.list().find((i) => i.name === 'threat.eml')!.id;
  // Each attachment is also an item of its own, found by its own name and words.
  const item = (name: string) => vault.list().find((i) => i.name === name)!.id;
  const base: LibraryQuery = { sort: 'sourceTime', order: 'desc', offset: 0, limit: 50 };
  const found = (text: string) =>
    vault.items
      .query({ ...base, text })
      .rows.map((r) => r.id)
      .sort();
  const both = (name: string) => [id, item(name)].sort();

  it('by an attachment name, a continued RFC 2231 name included', () => {
    expect(found('surveillance log')).toEqual(both('surveillance log of your house.pdf'));
    expect(found('your house')).toEqual(both('surveillance log of your house.pdf'));
    expect(found('note.txt')).toEqual(both('note.txt'));
  });

  it('by the words of a text attachment, not by the bytes of others', () => {
    expect(found('children attend')).toEqual(both('note.txt'));
    // The email is not found by them; the attachment item, read from its bytes (which are
    // text, whatever its name says), is.
    expect(found('binary words')).toEqual([item('photo.png')]);
  });
});
