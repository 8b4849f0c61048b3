// Each shipped reader, through the real import: the export is stored unchanged, read as a
// conversation, and every stored message's span hashes to the bytes it names in the original.
import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Vault } from '../../main/core';
import { emailBytes, generatedMbox } from '../support/conversations/mbox';
import { instagramThread } from '../support/conversations/meta';
import { telegramSingleChat } from '../support/conversations/telegram';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

interface Row {
  idx: number;
  byte_offset: number;
  byte_length: number;
  sha256: string;
  sender_key: string | null;
  attachments: string;
}

/** Imports one file and returns its item id, conversation row and messages. */
async function importOne(v: Vault, dir: string, name: string, bytes: Uint8Array) {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const report = await v.add([path]);
  const r = report.results[0]!;
  expect(r.status, JSON.stringify(r)).toBe('added');
  const id = (r as { id: string }).id;
  const conv = db(v).prepare('SELECT * FROM conversations WHERE item_id = ?').get(id) as
    | { format: string; message_count: number; chat_file: string | null; problems: string }
    | undefined;
  const rows = db(v)
    .prepare(
      'SELECT idx, byte_offset, byte_length, sha256, sender_key, attachments FROM messages WHERE item_id = ? ORDER BY idx',
    )
    .all(id) as Row[];
  return { id, conv, rows, warnings: (r as { warnings: string[] }).warnings };
}

function expectSpans(rows: Row[], original: Uint8Array): void {
  for (const m of rows) {
    const cut = original.subarray(m.byte_offset, m.byte_offset + m.byte_length);
    expect(sha(cut), `message ${m.idx}`).toBe(m.sha256);
  }
}

describe('the shipped readers through the import', () => {
  it('a mailbox: every message, its span, its sender key, and its attachment as an item', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const box = generatedMbox(12, { attachmentBytes: 300, attachEvery: 5 });
    const { id, conv, rows, warnings } = await importOne(v, dir, 'Takeout.mbox', box.bytes);
    expect(warnings).toEqual([]);
    expect(conv).toMatchObject({ format: 'mbox', message_count: 12, chat_file: null });
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => [r.byte_offset, r.byte_length])).toEqual(
      box.spans.map((s) => [s.offset, s.length]),
    );
    expectSpans(rows, box.bytes);
    expect(rows[1]!.sender_key).toBe('email:sender1@example.net');
    // Messages 0, 5 and 10 carry a file: each became an item derived from the mailbox.
    const derived = db(v)
      .prepare("SELECT id FROM items WHERE parent_id = ? AND derive_op = 'attachment'")
      .pluck()
      .all(id) as string[];
    expect(derived).toHaveLength(3);
    const linked = rows.flatMap((r) =>
      (JSON.parse(r.attachments) as { itemId: string | null }[]).map((a) => a.itemId),
    );
    expect(linked.filter(Boolean).sort()).toEqual([...derived].sort());
    await v.lock();
  });

  it("a Takeout mailbox's Gmail labels become its messages' tags (not the read-state flags)", async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const box = generatedMbox(6, { labels: true });
    const { id } = await importOne(v, dir, 'All mail.mbox', box.bytes);
    const tagged = db(v)
      .prepare(
        `SELECT m.idx, t.name FROM message_tags mt JOIN messages m ON m.id = mt.message_id
           JOIN tags t ON t.id = mt.tag_id WHERE m.item_id = ? ORDER BY m.idx, t.name`,
      )
      .all(id) as { idx: number; name: string }[];
    const of = (i: number) => tagged.filter((r) => r.idx === i).map((r) => r.name);
    expect(of(0)).toEqual(['Category Personal', 'Inbox', 'Threats, kept']);
    expect(of(1)).toEqual(['Category Personal', 'Inbox']); // 'Opened' is no tag
    const derive = v.log().find((e) => e.details.what === 'conversation read')!;
    expect(derive.details.labelTags).toEqual(['Inbox', 'Category Personal', 'Threats, kept']);
    expect(v.verifyLog().ok).toBe(true);
    await v.lock();
  });

  it('a single email with an attachment stays an email item, its attachment an item', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const eml = emailBytes({
      from: 'Mark <mark@example.com>',
      subject: 'Look',
      date: 'Sat, 3 Feb 2024 10:00:00 EST',
      messageId: '<x@example.com>',
      text: 'See attached.',
      attachments: [{ name: 'threat.txt', mime: 'text/plain', bytes: Buffer.from('I know.\n') }],
    });
    const { id, conv } = await importOne(v, dir, 'threat.eml', eml);
    expect(conv).toBeUndefined();
    const detail = v.itemDetail(id);
    expect(detail.sourceTimes.email).toBe('2024-02-03T10:00:00-05:00');
    const child = db(v)
      .prepare("SELECT name, sha256 FROM items WHERE parent_id = ? AND derive_op = 'attachment'")
      .get(id) as { name: string; sha256: string };
    expect(child).toEqual({ name: 'threat.txt', sha256: sha(Buffer.from('I know.\n')) });
    await v.lock();
  });

  it('a WhatsApp zip: spans count into the chat text inside it, the photo is an item', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const chat = buildChat(IOS_UK, [
      { at: [2024, 2, 13, 9, 15, 0], sender: 'Jane', text: 'hello' },
      { at: [2024, 2, 13, 9, 16, 0], sender: 'Mark', text: 'you will\nregret this' },
      {
        at: [2024, 2, 14, 22, 1, 0],
        sender: 'Mark',
        text: '\u200e<attached: 00000001-PHOTO-2024-02-14-22-01-00.jpg>',
      },
    ]);
    const photo = Buffer.from('a photo, as bytes');
    const zip = await zipOf([
      { name: '_chat.txt', data: chat.bytes },
      { name: '00000001-PHOTO-2024-02-14-22-01-00.jpg', data: photo },
    ]);
    const { id, conv, rows } = await importOne(v, dir, 'WhatsApp Chat - Mark.zip', zip);
    expect(conv).toMatchObject({ format: 'whatsapp', message_count: 3, chat_file: '_chat.txt' });
    expectSpans(rows, chat.bytes);
    expect(rows.map((r) => r.sender_key)).toEqual([
      'whatsapp:jane',
      'whatsapp:mark',
      'whatsapp:mark',
    ]);
    const media = db(v)
      .prepare("SELECT id, sha256 FROM items WHERE parent_id = ? AND derive_op = 'media'")
      .all(id) as { id: string; sha256: string }[];
    expect(media).toEqual([{ id: expect.any(String), sha256: sha(photo) }]);
    expect(JSON.parse(rows[2]!.attachments)).toEqual([
      expect.objectContaining({ itemId: media[0]!.id }),
    ]);
    // The stored original is the zip itself, byte for byte.
    const stored: Buffer[] = [];
    for await (const chunk of v.verifiedContent(id)) stored.push(chunk);
    expect(sha(Buffer.concat(stored))).toBe(sha(zip));
    await v.lock();
  });

  it('a WhatsApp number wrapped in direction marks is one sender key, so marking it names every message', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    // WhatsApp writes an unsaved number between U+202A and U+202C, spaced as the phone shows it.
    const chat = buildChat(IOS_UK, [
      { at: [2024, 2, 13, 9, 15, 0], sender: '\u202a+44 7700 900123\u202c', text: 'hello' },
      { at: [2024, 2, 13, 9, 16, 0], sender: '\u202a+44 7700 900123\u202c', text: 'again' },
      { at: [2024, 2, 13, 9, 17, 0], sender: 'Jane', text: 'who is this' },
    ]);
    const { rows } = await importOne(v, dir, 'WhatsApp Chat with +44 7700 900123.txt', chat.bytes);
    expect(rows.map((r) => r.sender_key)).toEqual([
      'whatsapp:+447700900123',
      'whatsapp:+447700900123',
      'whatsapp:jane',
    ]);
    const person = v.createPerson({ name: 'Unknown number', role: 'harasser' }).id;
    const first = db(v).prepare('SELECT id FROM messages WHERE idx = 0').pluck().get() as string;
    expect(v.markSender(first, person).messages).toBe(2);
    await v.lock();
  });

  it('a chat text changed inside its zip (checksum wrong) is still read, and the conversation says so', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const chat = buildChat(IOS_UK, [
      { at: [2024, 2, 13, 9, 15, 0], sender: 'Mark', text: 'hello there' },
    ]);
    const zip = await zipOf([{ name: '_chat.txt', data: chat.bytes, store: true }]);
    const at = zip.indexOf(Buffer.from('hello there'));
    zip[at] = 'j'.charCodeAt(0);
    const { conv, rows } = await importOne(v, dir, 'WhatsApp Chat - Mark.zip', zip);
    expect(conv).toMatchObject({ format: 'whatsapp', message_count: 1 });
    expect(conv!.problems).toContain('does not match the checksum');
    const changed = Buffer.from(chat.bytes);
    changed[changed.indexOf(Buffer.from('hello there'))] = 'j'.charCodeAt(0);
    expectSpans(rows, changed);
    await v.lock();
  });

  it('a Telegram result.json and an Instagram message_1.json', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const tg = telegramSingleChat();
    const t = await importOne(v, dir, 'result.json', tg.bytes);
    expect(t.conv).toMatchObject({ format: 'telegram', message_count: tg.expected.length });
    expectSpans(t.rows, tg.bytes);
    expect(t.rows.some((r) => r.sender_key === 'telegram:user111')).toBe(true);

    const ig = instagramThread()[0]!;
    const i = await importOne(v, dir, ig.name.split('/').pop()!, ig.bytes);
    expect(i.conv).toMatchObject({ format: 'instagram', message_count: ig.rows.length });
    expectSpans(i.rows, ig.bytes);
    await v.lock();
  });

  it('a Telegram result.json imported alone takes the photos beside it, and nothing outside its folder', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const exportDir = join(dir, 'ChatExport_2024-04-02');
    await mkdir(join(exportDir, 'photos'), { recursive: true });
    const photo = Buffer.from('the photo of her car');
    await writeFile(join(exportDir, 'photos', 'photo_1.jpg'), photo);
    await writeFile(join(dir, 'secret.txt'), 'not part of the export');
    await symlink(join(dir, 'secret.txt'), join(exportDir, 'photos', 'link.jpg'));
    const msg = (id: number, photoPath: string) => ({
      id,
      type: 'message',
      date: '2024-04-02T09:00:00',
      date_unixtime: String(1712044800 + id),
      from: 'Alex',
      from_id: 'user111',
      photo: photoPath,
      text: `photo ${id}`,
    });
    const json = JSON.stringify({
      name: 'Alex',
      type: 'personal_chat',
      id: 111,
      messages: [
        msg(1, 'photos/photo_1.jpg'),
        msg(2, '../secret.txt'),
        msg(3, 'photos/link.jpg'),
        msg(4, 'photos/missing.jpg'),
      ],
    });
    const path = join(exportDir, 'result.json');
    await writeFile(path, json);
    const r = (await v.add([path])).results[0] as { status: string; id: string };
    expect(r.status).toBe('added');
    const media = db(v)
      .prepare("SELECT sha256 FROM items WHERE parent_id = ? AND derive_op = 'media'")
      .pluck()
      .all(r.id);
    expect(media).toEqual([sha(photo)]);
    expect(v.list()).toHaveLength(2);
    const problems = JSON.parse(
      db(v)
        .prepare('SELECT problems FROM conversations WHERE item_id = ?')
        .pluck()
        .get(r.id) as string,
    ) as { message: string }[];
    const words = problems.map((p) => p.message).join('\n');
    expect(words).toContain('point outside the export folder ("../secret.txt")');
    expect(words).toContain(
      'links or folders, not plain files inside the export folder ("photos/link.jpg")',
    );
    expect(words).toContain('not found in the folder beside the export ("photos/missing.jpg")');
    await v.lock();
  });

  it('a damaged photo inside a WhatsApp zip is a problem on the conversation; the zip and the rest are kept', async () => {
    const dir = await tempDir('conv-formats-');
    const { vault: v } = await newVault(join(dir, 'v'));
    const chat = buildChat(IOS_UK, [
      {
        at: [2024, 2, 13, 9, 15, 0],
        sender: 'Mark',
        text: '\u200e<attached: 00000001-PHOTO-a.jpg>',
      },
      {
        at: [2024, 2, 13, 9, 16, 0],
        sender: 'Mark',
        text: '\u200e<attached: 00000002-PHOTO-b.jpg>',
      },
    ]);
    const damaged = Buffer.from('DAMAGED-PHOTO-BYTES-0123456789');
    const good = Buffer.from('a good photo');
    const zip = await zipOf([
      { name: '_chat.txt', data: chat.bytes },
      { name: '00000001-PHOTO-a.jpg', data: damaged, store: true },
      { name: '00000002-PHOTO-b.jpg', data: good },
    ]);
    const at = zip.indexOf(damaged);
    expect(at).toBeGreaterThan(0);
    zip[at + 3] = zip[at + 3]! ^ 0xff; // its CRC-32 no longer matches
    const { id, conv, rows } = await importOne(v, dir, 'WhatsApp Chat - Mark.zip', zip);
    expect(conv).toMatchObject({ format: 'whatsapp', message_count: 2 });
    expect(conv!.problems).toContain('could not be read');
    expect(conv!.problems).toContain('00000001-PHOTO-a.jpg');
    const attached = rows.map(
      (r) => (JSON.parse(r.attachments) as { itemId: string | null }[])[0]!.itemId,
    );
    expect(attached[0]).toBeNull();
    expect(db(v).prepare('SELECT sha256 FROM items WHERE id = ?').pluck().get(attached[1])).toBe(
      sha(good),
    );
    expect(db(v).prepare('SELECT count(*) FROM items WHERE parent_id = ?').pluck().get(id)).toBe(1);
    await v.lock();
  });
});
