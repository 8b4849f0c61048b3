import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { isDossierError, type Vault } from '../../main/core';
import { registerReaderForTests } from '../../main/core/conversations/readers';
import { fakeChat, fakeChatReader, fakeZip, type FakeHooks } from '../support/fake-chat';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';
import { blobFiles } from '../support/crash';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

// One reader for the whole file; each test sets the hooks it needs.
let hooks: FakeHooks = {};
const unregister = registerReaderForTests(
  fakeChatReader({ beforeMessage: (i) => hooks.beforeMessage?.(i) }),
);
afterAll(unregister);

const PHOTO = Buffer.from('not really a photo, but bytes of one');
const NOTES = Buffer.from('notes attached to a message\n');

/** Every file under blobs/ (by name), and whether any temp file is left. */
function referencedBlobs(v: Vault): string[] {
  return (db(v).prepare('SELECT id FROM blobs').pluck().all() as string[])
    .map((id) => `${id}.age`)
    .sort();
}

const rowCounts = (v: Vault): unknown[] =>
  ['items', 'conversations', 'messages', 'message_search', 'blobs'].map((t) =>
    db(v).prepare(`SELECT count(*) FROM ${t}`).pluck().get(),
  );

async function nothingHalfImported(v: Vault, dir: string, before: unknown[]): Promise<void> {
  expect(rowCounts(v)).toEqual(before);
  expect(await blobFiles(dir)).toEqual(referencedBlobs(v));
  expect(
    db(v).prepare("SELECT count(*) FROM settings WHERE key LIKE 'pending-blobs:%'").pluck().get(),
  ).toBe(0);
}

describe('importing a conversation export', async () => {
  const root = await tempDir();
  const dir = join(root, 'vault');
  const { vault } = await newVault(dir);

  const lines = [
    `#media photo.jpg ${PHOTO.toString('base64')}`,
    '2024-03-01T21:14:00+00:00|Alex|Hello there',
    '2024-03-01T21:15:00+00:00|Sam|Ça va? 😀 look [att:photo.jpg]',
    `2024-03-02T08:00:00+01:00|Alex|the same photo again [att:photo.jpg] [file:notes.txt:${NOTES.toString('base64')}]`,
  ];
  const file = fakeChat(lines);
  const path = join(root, 'chat.txt');
  await writeFile(path, file);

  it('stores the export as one item, its messages with their exact bytes, and the files as derived items', async () => {
    hooks = {};
    const r = await vault.add([path], { timeZone: 'Europe/London' });
    expect(r.added).toBe(1);
    const result = r.results[0]!;
    if (result.status !== 'added') throw new Error('not added');
    const id = result.id;
    expect(result.sha256).toBe(sha(file));
    expect(db(vault).prepare('SELECT kind FROM items WHERE id = ?').pluck().get(id)).toBe(
      'conversation',
    );

    const conv = db(vault)
      .prepare('SELECT * FROM conversations WHERE item_id = ?')
      .get(id) as Record<string, unknown>;
    expect(conv).toMatchObject({
      format: 'whatsapp',
      reader: 'fake-chat 1',
      message_count: 3,
      time_zone: 'Europe/London',
      first_time: '2024-03-01T21:14:00.000Z',
      last_time: '2024-03-02T07:00:00.000Z',
    });
    expect(JSON.parse(conv.participants as string)).toEqual([
      { sender: 'Alex', senderId: 'Alex', messages: 2 },
      { sender: 'Sam', senderId: 'Sam', messages: 1 },
    ]);

    const rows = db(vault)
      .prepare('SELECT * FROM messages WHERE item_id = ? ORDER BY idx')
      .all(id) as Record<string, unknown>[];
    expect(rows.map((m) => m.text)).toEqual([
      'Hello there',
      'Ça va? 😀 look',
      'the same photo again',
    ]);
    for (const [i, m] of rows.entries()) {
      const span = file.subarray(
        m.byte_offset as number,
        (m.byte_offset as number) + (m.byte_length as number),
      );
      // Cutting the original at the message's offset gives its line, and the hash is of those bytes.
      expect(span.toString('utf8')).toBe(lines[i + 1]);
      expect(m.sha256).toBe(sha(span));
      expect(m.line).toBe(i + 3);
    }
    expect(rows.map((m) => m.sender_key)).toEqual([
      'whatsapp:alex',
      'whatsapp:sam',
      'whatsapp:alex',
    ]);
    expect(rows[2]!.time_utc).toBe('2024-03-02T07:00:00.000Z');

    // The photo is one item (named by two messages), the attached file another.
    const derived = db(vault)
      .prepare(
        'SELECT id, sha256, parent_id, derive_op, derive_reason FROM items WHERE parent_id = ? ORDER BY derive_op',
      )
      .all(id) as Record<string, string>[];
    expect(derived).toHaveLength(2);
    const [attachment, media] = derived;
    expect(attachment).toMatchObject({ sha256: sha(NOTES), derive_op: 'attachment' });
    expect(attachment!.derive_reason).toMatch(/message 3/);
    expect(media).toMatchObject({ sha256: sha(PHOTO), derive_op: 'media' });
    expect(media!.derive_reason).toMatch(/message 2 \(line 4\)/);
    const att = rows.map((m) => JSON.parse(m.attachments as string) as { itemId: string }[]);
    expect(att[1]).toEqual([{ name: 'photo.jpg', omitted: false, itemId: media!.id }]);
    expect(att[2]!.map((a) => a.itemId)).toEqual([media!.id, attachment!.id]);

    // Full-text rows are the messages' own rows.
    const hits = db(vault)
      .prepare("SELECT rowid FROM message_search WHERE message_search MATCH 'photo'")
      .pluck()
      .all();
    expect(hits).toEqual([rows[2]!.n]);

    // Custody: the export's ingest, each derived item's ingest naming its parent, the derive entry.
    const log = vault.log();
    const ingestOf = (x: string) => log.find((e) => e.action === 'ingest' && e.subjects[0] === x)!;
    expect(ingestOf(media!.id!).details).toMatchObject({
      parent: id,
      derivedAs: 'media',
      sha256: sha(PHOTO),
    });
    expect(ingestOf(attachment!.id!).details).toMatchObject({
      parent: id,
      derivedAs: 'attachment',
    });
    const derive = log.find((e) => e.action === 'derive' && e.subjects[0] === id)!;
    expect(derive.details).toMatchObject({
      what: 'conversation read',
      reader: 'fake-chat 1',
      chatFile: null,
      messages: 3,
      problems: 0,
      dateOrder: null,
      timeZone: 'Europe/London',
      timeZoneSource: 'given',
    });
    expect(ingestOf(id).seq).toBeLessThan(derive.seq);
    expect((await vault.check()).problems).toEqual([]);
    expect(await blobFiles(dir)).toEqual(referencedBlobs(vault));
    // The library counts it, and filters on it, as a conversation.
    expect(vault.items.facets().kinds).toContainEqual({ kind: 'conversation', count: 1 });
    const page = vault.items.query({
      sort: 'sourceTime',
      order: 'asc',
      kinds: ['conversation'],
      offset: 0,
      limit: 10,
    });
    expect(page.rows.map((row) => row.id)).toEqual([id]);
  });

  it('in a zip, offsets count into the chat file inside it, and its other files become items', async () => {
    const chatLines = [
      '2024-07-01T09:00:00Z|Sam|in a zip [att:IMG-0001.jpg]',
      '2024-07-01T09:01:00Z|Alex|ok',
    ];
    const chat = fakeChat(chatLines);
    const photo = Buffer.from('a photo inside the zip');
    const zipPath = join(root, 'export.fakezip');
    await writeFile(
      zipPath,
      await fakeZip(chat, {
        'IMG-0001.jpg': photo,
        'STK-unnamed.webp': Buffer.from('a sticker no message names'),
      }),
    );
    const r = (await vault.add([zipPath])).results[0]!;
    if (r.status !== 'added') throw new Error('not added');
    expect(
      db(vault).prepare('SELECT chat_file FROM conversations WHERE item_id = ?').pluck().get(r.id),
    ).toBe('chat.txt');
    const rows = db(vault)
      .prepare(
        'SELECT byte_offset, byte_length, sha256 FROM messages WHERE item_id = ? ORDER BY idx',
      )
      .all(r.id) as { byte_offset: number; byte_length: number; sha256: string }[];
    for (const [i, m] of rows.entries()) {
      const span = chat.subarray(m.byte_offset, m.byte_offset + m.byte_length);
      expect(span.toString()).toBe(chatLines[i]);
      expect(m.sha256).toBe(sha(span));
    }
    const derived = db(vault)
      .prepare('SELECT name, sha256, derive_reason FROM items WHERE parent_id = ? ORDER BY name')
      .all(r.id) as Record<string, string>[];
    expect(derived.map((d) => [d.name, d.derive_reason])).toEqual([
      ['IMG-0001.jpg', 'attached to message 1 (line 2)'],
      ['STK-unnamed.webp', 'a file in the export that no message names'],
    ]);
    expect(derived[0]!.sha256).toBe(sha(photo));
  });

  it('read as a stream, spans are hashed from the stored blob, past one decrypted window', async () => {
    const many = Array.from(
      { length: 40_000 },
      (_, i) => `2024-08-01T10:00:00Z|P${i % 5}|message ${i} ${'é'.repeat(i % 200)}`,
    );
    const bytes = fakeChat(many);
    expect(bytes.length).toBeGreaterThan(5 * 1024 * 1024);
    const p = join(root, 'big.fakestream');
    await writeFile(p, bytes);
    const r = (await vault.add([p])).results[0]!;
    if (r.status !== 'added') throw new Error('not added');
    const rows = db(vault)
      .prepare(
        'SELECT idx, byte_offset, byte_length, sha256, text FROM messages WHERE item_id = ? ORDER BY idx',
      )
      .all(r.id) as {
      idx: number;
      byte_offset: number;
      byte_length: number;
      sha256: string;
      text: string;
    }[];
    expect(rows).toHaveLength(many.length);
    // One comparison for all (an expect per row costs more than the import).
    const wrong = rows.filter((m) => {
      const span = bytes.subarray(m.byte_offset, m.byte_offset + m.byte_length);
      return m.sha256 !== sha(span) || span.toString() !== many[m.idx];
    });
    expect(wrong).toEqual([]);
  });

  it('the same export again is a duplicate: nothing read or stored twice', async () => {
    const before = db(vault).prepare('SELECT count(*) FROM messages').pluck().get();
    const r = await vault.add([path]);
    expect(r.duplicates).toBe(1);
    expect(db(vault).prepare('SELECT count(*) FROM messages').pluck().get()).toBe(before);
  });

  it('media identical to an item already in the vault is linked to it, not stored again', async () => {
    const photoPath = join(root, 'holiday.jpg');
    const other = Buffer.from('a photo sent in the chat that the person had already added');
    await writeFile(photoPath, other);
    const first = (await vault.add([photoPath])).results[0]!;
    const chat = join(root, 'chat2.txt');
    await writeFile(
      chat,
      fakeChat([
        `#media IMG-1.jpg ${other.toString('base64')}`,
        '2024-04-01T10:00:00Z|Sam|again [att:IMG-1.jpg]',
      ]),
    );
    const r = (await vault.add([chat])).results[0]!;
    if (r.status !== 'added' || first.status !== 'added') throw new Error('not added');
    const att = JSON.parse(
      db(vault)
        .prepare('SELECT attachments FROM messages WHERE item_id = ?')
        .pluck()
        .get(r.id) as string,
    ) as { itemId: string }[];
    expect(att[0]!.itemId).toBe(first.id);
    expect(
      db(vault).prepare('SELECT count(*) FROM items WHERE sha256 = ?').pluck().get(sha(other)),
    ).toBe(1);
    const derive = vault.log().find((e) => e.action === 'derive' && e.subjects[0] === r.id)!;
    expect(derive.details).toMatchObject({ derivedItems: [], linkedItems: [first.id] });
    expect(await blobFiles(dir)).toEqual(referencedBlobs(vault));
  });

  it('an export that needs a choice stores nothing until it is given (NEEDS_CHOICE)', async () => {
    const chat = join(root, 'ambiguous.txt');
    await writeFile(
      chat,
      fakeChat([
        `#media p.jpg ${Buffer.from('ambiguous media').toString('base64')}`,
        '!choice',
        '2024-05-01T10:00:00Z|A|hi [att:p.jpg]',
      ]),
    );
    const itemsBefore = rowCounts(vault);
    const r = await vault.add([chat]);
    expect(r.results[0]).toMatchObject({ status: 'failed', code: 'NEEDS_CHOICE' });
    expect(r.results[0]!.status === 'failed' && r.results[0]!.error).toMatch(/--date-order/);
    await nothingHalfImported(vault, dir, itemsBefore);

    const again = await vault.add([chat], { dateOrder: 'dmy' });
    expect(again.added).toBe(1);
    const id = again.results[0]!.status === 'added' ? again.results[0]!.id : '';
    const derive = vault.log().find((e) => e.action === 'derive' && e.subjects[0] === id)!;
    expect(derive.details).toMatchObject({
      dateOrder: 'dmy',
      dateOrderSource: 'given',
      timeZoneSource: 'computer',
    });
    expect(
      db(vault).prepare('SELECT date_order FROM conversations WHERE item_id = ?').pluck().get(id),
    ).toBe('dmy');
    // No zone given: this computer's, and the entry says it was assumed.
    expect(
      db(vault).prepare('SELECT time_zone FROM conversations WHERE item_id = ?').pluck().get(id),
    ).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('a reader that crashes leaves the original stored as a plain item, with the problem said', async () => {
    const chat = join(root, 'crashes.txt');
    const bytes = fakeChat([
      `#media c.jpg ${Buffer.from('media written before the crash').toString('base64')}`,
      '2024-05-01T10:00:00Z|A|first [att:c.jpg]',
      '!crash',
      '2024-05-01T10:01:00Z|A|never read',
    ]);
    await writeFile(chat, bytes);
    const r = (await vault.add([chat])).results[0]!;
    if (r.status !== 'added') throw new Error(`not added: ${JSON.stringify(r)}`);
    expect(r.sha256).toBe(sha(bytes));
    expect(r.warnings.join(' ')).toMatch(
      /WhatsApp export, but its messages could not be read \(fake reader: a bug at line 4\)/,
    );
    const item = vault.item(r.id);
    expect(item.metadataErrors.join(' ')).toMatch(/stored as a plain file/);
    expect(db(vault).prepare('SELECT kind FROM items WHERE id = ?').pluck().get(r.id)).not.toBe(
      'conversation',
    );
    expect(
      db(vault).prepare('SELECT count(*) FROM conversations WHERE item_id = ?').pluck().get(r.id),
    ).toBe(0);
    expect(
      db(vault).prepare('SELECT count(*) FROM items WHERE parent_id = ?').pluck().get(r.id),
    ).toBe(0);
    // The media written before the crash is gone with the rest of the reading.
    expect(await blobFiles(dir)).toEqual(referencedBlobs(vault));
    expect((await vault.check()).problems).toEqual([]);
  });

  it('a reader that points a message outside the file is at fault: the original is kept as a plain item', async () => {
    const chat = join(root, 'badspan.txt');
    await writeFile(
      chat,
      fakeChat(['2024-05-01T10:00:00Z|A|fine', '!badspan', '2024-05-01T10:01:00Z|A|lies']),
    );
    const r = (await vault.add([chat])).results[0]!;
    if (r.status !== 'added') throw new Error('not added');
    expect(r.warnings.join(' ')).toMatch(/message 2 points outside the chat file/);
    expect(
      db(vault).prepare('SELECT count(*) FROM messages WHERE item_id = ?').pluck().get(r.id),
    ).toBe(0);
  });

  it('a message of a kind no reader may give is the reader’s fault too, never a failed save', async () => {
    const chat = join(root, 'badkind.txt');
    await writeFile(chat, fakeChat(['!badkind', '2024-05-01T10:01:00Z|A|odd']));
    const r = (await vault.add([chat])).results[0]!;
    if (r.status !== 'added') throw new Error(`not added: ${JSON.stringify(r)}`);
    expect(r.warnings.join(' ')).toMatch(/message 1 has an unknown kind/);
    expect(await blobFiles(dir)).toEqual(referencedBlobs(vault));
  });

  it('a cancel while messages are read leaves nothing of the import', async () => {
    const chat = join(root, 'cancelled.txt');
    await writeFile(
      chat,
      fakeChat([
        `#media x.jpg ${Buffer.from('cancelled media').toString('base64')}`,
        '2024-05-01T10:00:00Z|A|one [att:x.jpg]',
        '2024-05-01T10:01:00Z|A|two',
        '2024-05-01T10:02:00Z|A|three',
      ]),
    );
    const itemsBefore = rowCounts(vault);
    const controller = new AbortController();
    hooks = { beforeMessage: (i) => (i === 2 ? controller.abort() : undefined) };
    const err = await vault.add([chat], { signal: controller.signal }).catch((e: unknown) => e);
    hooks = {};
    expect(isDossierError(err, 'USAGE')).toBe(true);
    expect((err as Error).message).toMatch(/cancelled/);
    await nothingHalfImported(vault, dir, itemsBefore);
  });

  it('a time zone or date order that cannot be used is refused before anything is read', async () => {
    const before = rowCounts(vault);
    for (const opts of [
      { timeZone: 'Mars/Olympus_Mons' },
      { timeZone: '\u001b[2J' },
      { dateOrder: 'ymd' },
    ]) {
      const err = await vault.add([path], opts as never).catch((e: unknown) => e);
      expect(isDossierError(err, 'USAGE'), String(err)).toBe(true);
      expect((err as Error).message).not.toContain('\u001b');
    }
    expect(rowCounts(vault)).toEqual(before);
  });

  it('bytes given directly (addData) are read as a conversation too', async () => {
    const data = fakeChat(['2024-06-01T10:00:00Z|B|dropped in']);
    const r = await vault.addData({ name: 'dropped.txt', data });
    if (r.status !== 'added') throw new Error('not added');
    expect(
      db(vault).prepare('SELECT text FROM messages WHERE item_id = ?').pluck().all(r.id),
    ).toEqual(['dropped in']);
  });

  it('removing a conversation removes what was read from it, and names the incidents its messages were in', async () => {
    const data = fakeChat(['2024-06-02T10:00:00Z|B|to be removed', '2024-06-02T10:01:00Z|B|also']);
    const r = await vault.addData({ name: 'removed.txt', data });
    if (r.status !== 'added') throw new Error('not added');
    const incident = vault.createIncident({ occurredAt: '2024-06-02T10:00', summary: 'messages' });
    const message = db(vault)
      .prepare('SELECT id FROM messages WHERE item_id = ? AND idx = 0')
      .pluck()
      .get(r.id);
    db(vault)
      .prepare('INSERT INTO incident_messages (incident_id, message_id) VALUES (?, ?)')
      .run(incident.id, message);
    const removed = await vault.removeItem(r.id, 'imported by mistake');
    expect(removed.id).toBe(r.id);
    for (const table of ['conversations', 'messages']) {
      expect(
        db(vault).prepare(`SELECT count(*) FROM ${table} WHERE item_id = ?`).pluck().get(r.id),
      ).toBe(0);
    }
    expect(
      db(vault)
        .prepare('SELECT count(*) FROM incident_messages WHERE message_id = ?')
        .pluck()
        .get(message),
    ).toBe(0);
    expect(
      db(vault)
        .prepare("SELECT count(*) FROM message_search WHERE message_search MATCH 'removed'")
        .pluck()
        .get(),
    ).toBe(0);
    const entry = vault.log().find((e) => e.action === 'delete' && e.subjects[0] === r.id)!;
    expect(entry.details).toMatchObject({ unlinked: { incidents: [incident.id] } });
    expect((await vault.check()).problems).toEqual([]);
  });
});
