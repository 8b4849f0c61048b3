// Reading an item already in the vault as a conversation (docs/conversations.md, "Reading an
// item already in the vault"). An item is stored plain the way it honestly happens: a reader
// that fails on the file at import (a reader bug, since fixed: the test unregisters it), or a
// format no shipped reader knows (the fake chat format, read once its reader is registered).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { isDossierError, Vault } from '../../main/core';
import { registerReaderForTests } from '../../main/core/conversations/readers';
import type { ConversationReader } from '../../main/core/conversations/types';
import { emailBytes, buildMbox } from '../support/conversations/mbox';
import { buildChat, IOS_UK, zipOf } from '../support/conversations/whatsapp';
import { fakeChat, fakeChatReader } from '../support/fake-chat';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';
import { canMountTmpfs, fillDisk } from '../support/tmpfs';
import { newVault, PASSPHRASE, sha256 } from '../support/vault';
import { blobFiles, killWhenPrinted } from '../support/crash';

const run = promisify(execFile);
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;
const CHILD = fileURLToPath(new URL('../support/read-as-conversation-child.ts', import.meta.url));

/** A reader with a bug: claims every file of `format` and fails on it, as a reader once did. */
function brokenReader(format: ConversationReader['format'], suffix: string): ConversationReader {
  return {
    format,
    detect: (_head, name) => name.endsWith(suffix),
    open: () => Promise.reject(new Error('a bug in this reader')),
  };
}

const unregister: (() => void)[] = [];
afterEach(() => {
  for (const u of unregister.splice(0)) u();
});

/** Adds a file while `reader` (a broken one) claims it: it is stored plain, with a warning. */
async function addPlain(
  v: Vault,
  dir: string,
  name: string,
  bytes: Uint8Array,
  reader: ConversationReader | null,
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const off = reader ? registerReaderForTests(reader) : () => undefined;
  try {
    const r = await v.add([path]);
    const added = r.results[0]!;
    if (added.status !== 'added') throw new Error(`not added: ${JSON.stringify(added)}`);
    return added.id;
  } finally {
    off();
  }
}

const photo = Buffer.from('a photo of the car outside, as bytes');
async function whatsAppZip(order: 'proven' | 'ambiguous'): Promise<Buffer> {
  // 13 February proves day first; 3 and 4 February read both ways.
  const day = order === 'proven' ? 13 : 3;
  const chat = buildChat(IOS_UK, [
    { at: [2024, 2, day, 9, 15, 0], sender: 'Jane', text: 'hello' },
    { at: [2024, 2, day, 9, 16, 0], sender: 'Mark', text: 'you will\nregret this' },
    {
      at: [2024, 2, 4, 22, 1, 0],
      sender: 'Mark',
      text: '\u200e<attached: 00000001-PHOTO-2024-02-04-22-01-00.jpg>',
    },
  ]);
  return zipOf([
    { name: '_chat.txt', data: chat.bytes },
    { name: '00000001-PHOTO-2024-02-04-22-01-00.jpg', data: photo },
  ]);
}

const rowOf = (v: Vault, id: string) =>
  db(v)
    .prepare(
      'SELECT kind, sha256, blob_id, size, mime, name, metadata_errors FROM items WHERE id = ?',
    )
    .get(id) as Record<string, unknown>;
const count = (v: Vault, sql: string, ...args: unknown[]): number =>
  db(v)
    .prepare(sql)
    .pluck()
    .get(...args) as number;

describe('reading an item already in the vault as a conversation', () => {
  it('a WhatsApp zip stored plain: messages, its photo as an item, kind conversation, one derive entry; the original unchanged', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const zip = await whatsAppZip('proven');
      const id = await addPlain(
        v,
        dir,
        'WhatsApp Chat - Mark.zip',
        zip,
        brokenReader('whatsapp', '.zip'),
      );
      const before = rowOf(v, id);
      expect(before.kind).toBe('other');
      expect(String(before.metadata_errors)).toMatch(/its messages could not be read/);
      expect(v.conversations.has(id)).toBe(false);
      expect(await v.readableAsConversation(id)).toBe('whatsapp');
      const logBefore = v.log().length;

      const summary = await v.readAsConversation(id.slice(0, 8));
      expect(summary).toMatchObject({ format: 'whatsapp', messageCount: 3, dateOrder: 'dmy' });

      const after = rowOf(v, id);
      expect(after).toMatchObject({
        kind: 'conversation',
        sha256: sha256(zip),
        blob_id: before.blob_id,
        size: before.size,
        mime: before.mime,
        name: before.name,
      });
      // The reader's old failure no longer holds; it is said in the log, not on the item.
      expect(JSON.parse(String(after.metadata_errors))).toEqual([]);
      expect(v.conversationMessages(id, 0, 10).map((m) => [m.sender, m.text])).toEqual([
        ['Jane', 'hello'],
        ['Mark', 'you will\nregret this'],
        ['Mark', '\u200e<attached: 00000001-PHOTO-2024-02-04-22-01-00.jpg>'],
      ]);
      const media = db(v)
        .prepare("SELECT id, sha256 FROM items WHERE parent_id = ? AND derive_op = 'media'")
        .all(id) as { id: string; sha256: string }[];
      expect(media.map((m) => m.sha256)).toEqual([sha256(photo)]);
      expect(v.conversationMessages(id, 2, 1)[0]!.attachments[0]!.itemId).toBe(media[0]!.id);

      // The derived item's ingest entry, then one derive entry; nothing else.
      const added = v.log().slice(logBefore);
      expect(added.map((e) => [e.action, e.subjects])).toEqual([
        ['ingest', [media[0]!.id]],
        ['derive', [id]],
      ]);
      expect(added[1]!.details).toMatchObject({
        what: 'item read as a conversation',
        kindBefore: 'other',
        format: 'whatsapp',
        reader: expect.stringMatching(/whatsapp/),
        messages: 3,
        dateOrder: 'dmy',
        dateOrderSource: 'proven',
        timeZoneSource: 'computer',
        media: 1,
        derivedItems: [media[0]!.id],
        warningsCleared: [expect.stringMatching(/its messages could not be read/)],
      });
      expect(v.verifyLog().ok).toBe(true);
      expect((await v.check()).problems).toEqual([]);
      // Searched message by message, as at import.
      expect(v.searchConversation(id, 'regret', 0, 10).total).toBe(1);
      expect(await v.readableAsConversation(id)).toBeNull();
    } finally {
      await v.lock();
    }
  });

  it('gives what an import of the same file gives: the same summary, messages and derived items', async () => {
    const dir = await tempDir('read-as-');
    const zip = await whatsAppZip('proven');
    const { vault: imported } = await newVault(join(dir, 'a'));
    const { vault: read } = await newVault(join(dir, 'b'));
    try {
      const a = await addPlain(imported, dir, 'WhatsApp Chat - Mark.zip', zip, null);
      const b = await addPlain(
        read,
        dir,
        'WhatsApp Chat - Mark.zip',
        zip,
        brokenReader('whatsapp', '.zip'),
      );
      await read.readAsConversation(b);
      // Everything but the item's own id and the time it was read.
      const summary = (v: Vault, id: string) => ({
        ...v.conversation(id),
        itemId: 'item',
        readAt: 'then',
      });
      expect(summary(read, b)).toEqual(summary(imported, a));
      const messages = (v: Vault, id: string) =>
        v
          .conversationMessages(id, 0, 100)
          .map(({ id: _m, conversationId: _c, attachments, ...m }) => ({
            ...m,
            attachments: attachments.map((x) => ({
              ...x,
              itemId: x.itemId === null ? null : 'item',
            })),
          }));
      expect(messages(read, b)).toEqual(messages(imported, a));
      const derived = (v: Vault, id: string) =>
        db(v)
          .prepare(
            'SELECT name, sha256, size, mime, kind, derive_op, derive_reason FROM items WHERE parent_id = ? ORDER BY sha256',
          )
          .all(id);
      expect(derived(read, b)).toEqual(derived(imported, a));
      expect(rowOf(read, b).kind).toBe(rowOf(imported, a).kind);
    } finally {
      await imported.lock();
      await read.lock();
    }
  });

  it('an mbox stored plain: each email a message, its attachment an item', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const pdf = Buffer.from('%PDF-1.4 not really a pdf');
      const mbox = buildMbox([
        emailBytes({
          from: 'Mark <mark@example.com>',
          subject: 'You again',
          date: 'Tue, 05 Mar 2024 21:14:00 -0500',
          text: 'I know where you work.',
        }),
        emailBytes({
          from: 'Mark <mark@example.com>',
          subject: 'Look',
          date: 'Wed, 06 Mar 2024 08:00:00 -0500',
          text: 'See this.',
          attachments: [{ name: 'photo.pdf', mime: 'application/pdf', bytes: pdf }],
        }),
      ]).bytes;
      const id = await addPlain(v, dir, 'Threats.mbox', mbox, brokenReader('mbox', '.mbox'));
      expect(rowOf(v, id).kind).not.toBe('conversation');
      expect(await v.readableAsConversation(id)).toBe('mbox');

      const summary = await v.readAsConversation(id);
      expect(summary).toMatchObject({ format: 'mbox', messageCount: 2 });
      expect(v.conversationMessages(id, 0, 10).map((m) => m.senderId)).toEqual([
        'mark@example.com',
        'mark@example.com',
      ]);
      const attachments = db(v)
        .prepare("SELECT sha256 FROM items WHERE parent_id = ? AND derive_op = 'attachment'")
        .pluck()
        .all(id);
      expect(attachments).toEqual([sha256(pdf)]);
      const entry = v.log().at(-1)!;
      expect(entry.details).toMatchObject({
        what: 'item read as a conversation',
        format: 'mbox',
        messages: 2,
        attachments: 1,
      });
      expect(v.verifyLog().ok).toBe(true);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  });

  it('asks for the date order when the dates do not prove it (NEEDS_CHOICE), then reads with the choice', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const id = await addPlain(
        v,
        dir,
        'WhatsApp Chat - Mark.zip',
        await whatsAppZip('ambiguous'),
        brokenReader('whatsapp', '.zip'),
      );
      const logBefore = v.log().length;
      const blobsBefore = count(v, 'SELECT count(*) FROM blobs');
      const err = await v.readAsConversation(id).catch((e: unknown) => e);
      expect(isDossierError(err, 'NEEDS_CHOICE'), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/--date-order dmy.*--date-order mdy/s);
      expect((err as Error).message).toMatch(/For example "03\/02\/2024, 09:15:00" on line 1/);
      // Nothing changed.
      expect(rowOf(v, id).kind).toBe('other');
      expect(v.log()).toHaveLength(logBefore);
      expect(count(v, 'SELECT count(*) FROM blobs')).toBe(blobsBefore);
      expect(count(v, "SELECT count(*) FROM settings WHERE key LIKE 'pending-blobs:%'")).toBe(0);

      const summary = await v.readAsConversation(id, {
        dateOrder: 'mdy',
        timeZone: 'America/New_York',
      });
      expect(summary).toMatchObject({ dateOrder: 'mdy', timeZone: 'America/New_York' });
      // 03/02/2024 month first is 2 March, in New York's winter offset.
      expect(v.conversationMessages(id, 0, 1)[0]!.time).toBe('2024-03-02T09:15:00-05:00');
      expect(v.log().at(-1)!.details).toMatchObject({
        what: 'item read as a conversation',
        dateOrder: 'mdy',
        dateOrderSource: 'given',
        timeZone: 'America/New_York',
        timeZoneSource: 'given',
      });
    } finally {
      await v.lock();
    }
  });

  it('refuses, in words, an unknown id, a removed item, a conversation already, a file no reader knows, a reader that fails, a bad zone', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const code = async (p: Promise<unknown>): Promise<[string, string]> => {
        const e = (await p.then(
          () => null,
          (x: unknown) => x,
        )) as { code?: string; message?: string } | null;
        return [e?.code ?? 'no error', e?.message ?? ''];
      };
      expect((await code(v.readAsConversation('0123456789abcdef')))[0]).toBe('NOT_FOUND');

      const plain = await addPlain(v, dir, 'notes.txt', Buffer.from('just some notes\n'), null);
      expect(await v.readableAsConversation(plain)).toBeNull();
      const [c1, m1] = await code(v.readAsConversation(plain));
      expect(c1).toBe('USAGE');
      expect(m1).toMatch(/"notes.txt" is not a format Dossier reads as a conversation/);
      expect(m1).toMatch(/mbox.*WhatsApp.*Telegram.*Instagram or Facebook/);

      const zipId = await addPlain(
        v,
        dir,
        'WhatsApp Chat - Mark.zip',
        await whatsAppZip('proven'),
        brokenReader('whatsapp', '.zip'),
      );
      expect((await code(v.readAsConversation(zipId, { timeZone: 'Mars/Olympus' })))[1]).toMatch(
        /not a time zone Dossier knows/,
      );
      // The reader is still broken: refused, and the item is as it was.
      const off = registerReaderForTests(brokenReader('whatsapp', '.zip'));
      const before = rowOf(v, zipId);
      const logBefore = v.log().length;
      const [c2, m2] = await code(v.readAsConversation(zipId));
      off();
      expect(c2).toBe('CORRUPT');
      expect(m2).toMatch(/looks like a WhatsApp export, but its messages could not be read/);
      expect(m2).toMatch(/a bug in this reader.*The item is unchanged/);
      expect(rowOf(v, zipId)).toEqual(before);
      expect(v.log()).toHaveLength(logBefore);
      expect(count(v, 'SELECT count(*) FROM messages')).toBe(0);

      await v.readAsConversation(zipId);
      const [c3, m3] = await code(v.readAsConversation(zipId));
      expect(c3).toBe('USAGE');
      expect(m3).toMatch(/is already read as a conversation/);

      await v.removeItem(plain, 'added by mistake');
      const [c4, m4] = await code(v.readAsConversation(plain));
      expect(c4).toBe('NOT_FOUND');
      expect(m4).toMatch(/removed/);
      expect(v.verifyLog().ok).toBe(true);
    } finally {
      await v.lock();
    }
  });

  it('is refused while an export is being written, and reads once it has finished', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const id = await addPlain(
        v,
        dir,
        'WhatsApp Chat - Mark.zip',
        await whatsAppZip('proven'),
        brokenReader('whatsapp', '.zip'),
      );
      const out = join(dir, 'out');
      await mkdir(out);
      const exporting = v.export({ out, format: 'dir', selection: { all: true } });
      await expect(v.readAsConversation(id)).rejects.toMatchObject({
        code: 'USAGE',
        message: expect.stringMatching(/An export is being written/),
      });
      await exporting;
      expect(v.conversations.has(id)).toBe(false);
      await v.readAsConversation(id);
      expect(v.conversations.has(id)).toBe(true);
    } finally {
      await v.lock();
    }
  });

  it('two reads at once: one saves, the other is refused, nothing is left half-written', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const id = await addPlain(
        v,
        dir,
        'WhatsApp Chat - Mark.zip',
        await whatsAppZip('proven'),
        brokenReader('whatsapp', '.zip'),
      );
      const results = await Promise.allSettled([
        v.readAsConversation(id),
        v.readAsConversation(id),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(count(v, 'SELECT count(*) FROM messages')).toBe(3);
      expect(count(v, "SELECT count(*) FROM items WHERE derive_op = 'media'")).toBe(1);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  });
});

/** Runs the child until it says READING, then kill -9. */
function killWhileReading(dir: string, id: string, stopAt: number): Promise<void> {
  return killWhenPrinted(CHILD, [dir, id, String(stopAt)], 'READING').then(() => undefined);
}

describe('reading an item as a conversation, killed part-way (kill -9)', () => {
  it('leaves the item as it was, the files it wrote removed at unlock, and the vault sound', async () => {
    const root = await tempDir('read-as-kill-');
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const media = () => randomBytes(64 * 1024).toString('base64');
    // No shipped reader knows the fake format: it is stored plain.
    const id = await addPlain(
      vault,
      root,
      'chat.txt',
      fakeChat([
        `#media a.jpg ${media()}`,
        `#media b.jpg ${media()}`,
        '2024-03-01T21:14:00Z|Alex|one [att:a.jpg]',
        '2024-03-01T21:15:00Z|Alex|two [att:b.jpg]',
        '2024-03-01T21:16:00Z|Alex|three',
      ]),
      null,
    );
    const before = rowOf(vault, id);
    const logLength = vault.log().length;
    const files = await blobFiles(dir);
    await vault.lock();

    await killWhileReading(dir, id, 2);
    const written = (await blobFiles(dir)).filter((n) => !files.includes(n));
    expect(written.length).toBeGreaterThanOrEqual(2);

    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(rowOf(v, id)).toEqual(before);
      expect(v.conversations.has(id)).toBe(false);
      expect(count(v, 'SELECT count(*) FROM messages')).toBe(0);
      expect(await blobFiles(dir)).toEqual(files);
      expect(await v.quarantined()).toEqual([]);
      // Only the vault's own entries: the unsaved files removed (and logged), no item changed.
      const since = v.log().slice(logLength);
      expect(
        since.filter((e) => e.action !== 'lock' && e.action !== 'unlock').map((e) => e.action),
      ).toEqual(['repair', 'repair']);
      const removed = since.flatMap(
        (e) => (e.details as { removedUnsavedImport?: string[] }).removedUnsavedImport ?? [],
      );
      expect(
        removed
          .map((b) =>
            b
              .split('/')
              .pop()!
              .replace(/\.age$/, ''),
          )
          .sort(),
      ).toEqual(written.filter((n) => n.endsWith('.age')).map((n) => n.replace(/\.age$/, '')));
      expect((await v.check()).problems).toEqual([]);
      expect(v.verifyLog().ok).toBe(true);

      // Read again, with its reader, it is saved whole.
      unregister.push(registerReaderForTests(fakeChatReader()));
      await v.readAsConversation(id);
      expect(count(v, 'SELECT count(*) FROM messages')).toBe(3);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  }, 60_000);
});

describe('the app’s side: items.get, items.chatChoice {id}, items.readAsConversation', () => {
  it('says which items can be read, asks the date order from the stored file, then reads it', async () => {
    const { service, call } = await newService();
    try {
      const dir = await tempDir('read-as-api-');
      const path = join(dir, 'WhatsApp Chat - Mark.zip');
      await writeFile(path, await whatsAppZip('ambiguous'));
      const off = registerReaderForTests(brokenReader('whatsapp', '.zip'));
      const report = await ok<{ results: { id: string }[] }>(call('items.add', { paths: [path] }));
      off();
      const id = report.results[0]!.id;
      const notes = join(dir, 'notes.txt');
      await writeFile(notes, 'just notes\n');
      const plain = (await ok<{ results: { id: string }[] }>(call('items.add', { paths: [notes] })))
        .results[0]!.id;

      expect(await ok(call('items.get', { id }))).toMatchObject({
        readableAsConversation: 'whatsapp',
      });
      expect((await failure(call('conversation.get', { id }))).code).toBe('NOT_FOUND');
      expect(await ok(call('items.get', { id: plain }))).toMatchObject({
        readableAsConversation: null,
      });
      expect(await ok(call('items.chatChoice', { id }))).toMatchObject({
        needed: true,
        proven: null,
        examples: [
          { line: 1, written: '03/02/2024, 09:15:00', dmy: '2024-02-03', mdy: '2024-03-02' },
          {},
          {},
        ],
      });
      expect(await ok(call('items.chatChoice', { id: plain }))).toMatchObject({ needed: false });

      const refused = await failure(call('items.readAsConversation', { id }));
      expect(refused.code).toBe('NEEDS_CHOICE');
      expect((await failure(call('items.readAsConversation', { id, dateOrder: 'ymd' }))).code).toBe(
        'USAGE',
      );
      const summary = await ok(
        call('items.readAsConversation', { id, dateOrder: 'dmy', timeZone: 'Europe/London' }),
      );
      expect(summary).toMatchObject({ itemId: id, messageCount: 3, dateOrder: 'dmy' });
      expect(await ok(call('items.get', { id }))).toMatchObject({ readableAsConversation: null });
      expect(await ok(call('conversation.get', { id }))).toEqual(summary);
      expect((await failure(call('items.readAsConversation', { id: plain }))).message).toMatch(
        /not a format Dossier reads as a conversation/,
      );
    } finally {
      await service.lock();
    }
  });
});

describe('reading an item as a conversation: damage and a full disk', () => {
  it('an item whose encrypted file is missing still opens (not offered); reading it is refused, the item unchanged', async () => {
    const dir = await tempDir('read-as-');
    const { vault: v } = await newVault(join(dir, 'v'));
    try {
      const id = await addPlain(
        v,
        dir,
        'WhatsApp Chat - Mark.zip',
        await whatsAppZip('proven'),
        brokenReader('whatsapp', '.zip'),
      );
      const before = rowOf(v, id);
      await rm(v.blobs.path(String(before.blob_id)));
      expect(await v.readableAsConversation(id)).toBeNull();
      expect(v.itemDetail(id).id).toBe(id);
      const err = await v.readAsConversation(id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(rowOf(v, id)).toEqual(before);
      expect(count(v, 'SELECT count(*) FROM messages')).toBe(0);
      expect(count(v, "SELECT count(*) FROM settings WHERE key LIKE 'pending-blobs:%'")).toBe(0);
    } finally {
      await v.lock();
    }
  });
});

const mountable = await canMountTmpfs();
describe.skipIf(!mountable)('reading an item on a full disk (needs root for tmpfs)', () => {
  it('stops with NO_SPACE, the item as it was, nothing half-written; read again once there is room', async () => {
    const root = await tempDir('read-as-full-');
    const disk = join(root, 'small-disk');
    await mkdir(disk);
    await run('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', disk]);
    try {
      const dir = join(disk, 'vault');
      const { vault } = await newVault(dir);
      const media = () => randomBytes(400 * 1024).toString('base64');
      const id = await addPlain(
        vault,
        root,
        'chat.txt',
        fakeChat([
          `#media a.jpg ${media()}`,
          `#media b.jpg ${media()}`,
          `#media c.jpg ${media()}`,
          '2024-03-01T21:14:00Z|Alex|one [att:a.jpg] [att:b.jpg] [att:c.jpg]',
        ]),
        null,
      );
      const before = rowOf(vault, id);
      const logLength = vault.log().length;
      const files = await blobFiles(dir);
      // Room for the database's small writes, not for the photos.
      const filler = join(disk, 'filler');
      await fillDisk(filler);
      await truncate(filler, (await stat(filler)).size - 300 * 1024);

      unregister.push(registerReaderForTests(fakeChatReader()));
      const err = await vault.readAsConversation(id).catch((e: unknown) => e);
      expect(isDossierError(err, 'NO_SPACE'), String(err)).toBe(true);
      expect(rowOf(vault, id)).toEqual(before);
      expect(vault.log()).toHaveLength(logLength);
      expect(await blobFiles(dir)).toEqual(files);
      expect(count(vault, 'SELECT count(*) FROM messages')).toBe(0);

      await rm(filler);
      await vault.lock();
      const v = await Vault.unlock(dir, PASSPHRASE);
      try {
        expect(await v.quarantined()).toEqual([]);
        expect((await v.check()).problems).toEqual([]);
        await v.readAsConversation(id);
        expect(count(v, "SELECT count(*) FROM items WHERE derive_op = 'media'")).toBe(3);
        expect((await v.check()).problems).toEqual([]);
      } finally {
        await v.lock();
      }
    } finally {
      await run('umount', ['-l', disk]).catch(() => undefined);
    }
  }, 60_000);
});
