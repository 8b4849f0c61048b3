// An import writes a conversation's messages in batches while the export is still read
// (conversations/hidden-rows.ts): until the import is saved they must be seen by nothing, and
// an import that does not finish (kill -9, full disk, NEEDS_CHOICE, a cancel) must leave none.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { DossierError, isDossierError, Vault } from '../../../main/core';
import { registerReaderForTests } from '../../../main/core/conversations/readers';
import type { ConversationReader, ReadMessage } from '../../../main/core/conversations/types';
import { fakeChat, fakeChatReader, type FakeHooks } from '../../support/fake-chat';
import { blobFiles, killWhenPrinted } from '../../support/crash';
import { tempDir } from '../../support/tmp';
import { canMountTmpfs, fillDisk } from '../../support/tmpfs';
import { newVault, PASSPHRASE } from '../../support/vault';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../../support/conversation-import-child.ts', import.meta.url));
const db = (v: Vault): Database => (v as unknown as { db: Database }).db;

// One fake reader for the file (the last registered would win); each test sets its hooks.
let hooks: FakeHooks = {};
const unregister = registerReaderForTests(
  fakeChatReader({ beforeMessage: (i) => hooks.beforeMessage?.(i) }),
);
afterAll(unregister);

/** More messages than one batch (2,000), so at least one batch is committed mid-read. */
const MESSAGES = 2600;
const STOP_AT = 2300;
const WORD = 'quokkaflight';

function bigChat(word = WORD): Buffer {
  const lines = Array.from(
    { length: MESSAGES },
    (_, i) =>
      `2024-03-01T${String(10 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z|Alex|message ${i} says ${word}`,
  );
  return fakeChat(lines);
}

const rawCount = (v: Vault, table: string): number =>
  db(v).prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/** Rows of the search index that match the word, read from the index itself. */
const indexHits = (v: Vault, word: string): number =>
  db(v)
    .prepare('SELECT count(*) FROM message_search WHERE message_search MATCH ?')
    .pluck()
    .get(word) as number;

/** FTS5's own check: every index entry matches a message row, and the other way round. */
function searchIndexSound(v: Vault): void {
  expect(() =>
    db(v).prepare("INSERT INTO message_search (message_search) VALUES ('integrity-check')").run(),
  ).not.toThrow();
}

const referenced = (v: Vault): string[] =>
  (db(v).prepare('SELECT id FROM blobs').pluck().all() as string[]).map((id) => `${id}.age`).sort();

/** Nothing of an import that did not finish: rows, index entries, records, files. */
async function nothingLeft(v: Vault, dir: string, word = WORD): Promise<void> {
  expect(rawCount(v, 'messages')).toBe(0);
  expect(rawCount(v, 'message_tags')).toBe(0);
  expect(indexHits(v, word)).toBe(0);
  searchIndexSound(v);
  expect(
    db(v).prepare("SELECT count(*) FROM settings WHERE key LIKE 'pending-blobs:%'").pluck().get(),
  ).toBe(0);
  expect(await blobFiles(dir)).toEqual(referenced(v));
}

function libraryFinds(v: Vault, word: string): string[] {
  return v.items
    .query({ text: word, sort: 'relevance', order: 'desc', offset: 0, limit: 50 })
    .rows.map((r) => r.name);
}

describe('a conversation import killed after a batch of its messages was written (kill -9)', () => {
  it('leaves no message, no search entry and no record after unlock; the vault checks sound and the import can be redone', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    await vault.lock();
    const chat = join(root, 'chat.txt');
    await writeFile(chat, bigChat());

    const out = await killWhenPrinted(CHILD, [dir, chat, String(STOP_AT)], 'READING');
    // The child had written at least one batch before it was killed.
    const written = Number(/READING (\d+)/.exec(out)?.[1]);
    expect(written).toBeGreaterThanOrEqual(2000);

    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(v.notices.join(' ')).toMatch(/interrupted before it was saved/);
      expect(v.list()).toEqual([]);
      await nothingLeft(v, dir);
      expect((await v.check()).problems).toEqual([]);

      const r = await v.add([chat]);
      expect(r.added).toBe(1);
      expect(rawCount(v, 'messages')).toBe(MESSAGES);
      expect(indexHits(v, WORD)).toBe(MESSAGES);
      expect(libraryFinds(v, WORD)).toEqual(['chat.txt']);
      searchIndexSound(v);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  }, 120_000);
});

describe('an import in progress, paused after a batch was written', () => {
  it('is found by no search, changes no count, and the vault checks sound; once saved, all of it is there', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    // A conversation already in the vault, by the same sender, with the word.
    const first = join(root, 'earlier.txt');
    await writeFile(first, fakeChat([`2024-01-01T10:00:00Z|Alex|an earlier ${WORD}`]));
    const earlier = await vault.add([first]);
    const earlierId = earlier.results[0]!.status === 'added' ? earlier.results[0]!.id : '';
    const earlierMessage = vault.conversationMessages(earlierId, 0, 10)[0]!;
    const person = vault.createPerson({ name: 'Alex', role: 'harasser' });

    const before = {
      list: vault.list().map((i) => i.id),
      facets: vault.items.facets(),
      found: libraryFinds(vault, WORD),
      inConversation: vault.searchConversation(earlierId, WORD, 0, 50).total,
    };
    expect(before.found).toEqual(['earlier.txt']);

    let paused!: () => void;
    const reached = new Promise<void>((r) => (paused = r));
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    hooks = {
      beforeMessage: async (i) => {
        if (i !== STOP_AT) return;
        paused();
        await resumed;
      },
    };
    const chat = join(root, 'chat.txt');
    await writeFile(chat, bigChat());
    const adding = vault.add([chat]);
    await reached;
    try {
      // Batches are written...
      expect(rawCount(vault, 'messages')).toBeGreaterThanOrEqual(2001);
      expect(indexHits(vault, WORD)).toBeGreaterThanOrEqual(2001);
      // ...and seen by nothing.
      expect(vault.list().map((i) => i.id)).toEqual(before.list);
      expect(vault.items.facets()).toEqual(before.facets);
      expect(libraryFinds(vault, WORD)).toEqual(before.found);
      expect(vault.searchConversation(earlierId, WORD, 0, 50).total).toBe(before.inConversation);
      // Marking the sender counts only messages of saved conversations.
      expect(vault.markSender(earlierMessage.id, person.id).messages).toBe(1);
      // The import's original is on disk before it is saved (a check says so, as before);
      // its message rows, whose conversation row is not there yet, are no fault of the database.
      const during = (await vault.check()).problems;
      expect(during.filter((p) => p.kind === 'database')).toEqual([]);
    } finally {
      resume();
      hooks = {};
    }
    const r = await adding;
    expect(r.added).toBe(1);
    const id = r.results[0]!.status === 'added' ? r.results[0]!.id : '';
    expect(libraryFinds(vault, WORD).sort()).toEqual(['chat.txt', 'earlier.txt']);
    expect(vault.conversation(id).messageCount).toBe(MESSAGES);
    expect(vault.searchConversation(id, WORD, 0, 50).total).toBe(MESSAGES);
    searchIndexSound(vault);
    expect((await vault.check()).problems).toEqual([]);
    await vault.lock();
  }, 120_000);
});

/** A reader that reads `count` messages, then stops with what `fail` throws. */
function failingReader(count: number, fail: () => unknown): ConversationReader {
  const magic = 'FAILS LATE 1\n';
  return {
    format: 'whatsapp',
    detect: (head) => Buffer.from(head.subarray(0, magic.length)).toString() === magic,
    open(file) {
      async function* messages(): AsyncGenerator<ReadMessage> {
        for (let i = 0; i < count; i++) {
          yield {
            index: i,
            kind: 'message',
            sender: 'Alex',
            senderId: 'Alex',
            time: '2024-03-01T10:00:00Z',
            timeSource: 'export-local-confirmed',
            text: `late ${WORD} ${i}`,
            edited: false,
            offset: 0,
            length: magic.length,
            line: 1,
            lineEnd: 1,
            attachments: [],
            externalId: null,
            replyTo: null,
            details: { labels: ['Harassment'] },
          };
          await Promise.resolve();
        }
        throw fail();
      }
      return Promise.resolve({
        chatFile: null,
        messages: messages(),
        media: [],
        summary: () => ({
          format: 'whatsapp' as const,
          reader: 'fails-late 1',
          chatFile: null,
          title: file.name,
          messageCount: count,
          dateOrder: null,
          dateOrderSource: null,
          timeZone: 'UTC',
          timeZoneSource: 'given' as const,
          problems: [],
        }),
      });
    },
  } as ConversationReader;
}

describe('an import that stops after batches were written', () => {
  it('NEEDS_CHOICE, a cancel: nothing of it is left, at once', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const file = join(root, 'late.txt');
    await writeFile(file, 'FAILS LATE 1\nwhatever follows\n');

    // Rows written (hidden) when the reader stops: two batches by then.
    let writtenBefore = -1;
    let tagsBefore = -1;
    const unregister = registerReaderForTests(
      failingReader(4500, () => {
        writtenBefore = rawCount(vault, 'messages');
        tagsBefore = rawCount(vault, 'tags');
        return new DossierError('NEEDS_CHOICE', 'Give --date-order dmy or mdy (a test).');
      }),
    );
    try {
      const r = await vault.add([file]);
      expect(r.results[0]).toMatchObject({ status: 'failed', code: 'NEEDS_CHOICE' });
      expect(writtenBefore).toBe(4000);
      // Its label became a tag with the first batch; nothing else uses it, so it goes too.
      expect(tagsBefore).toBe(1);
      expect(vault.list()).toEqual([]);
      await nothingLeft(vault, dir);
      expect(rawCount(vault, 'tags')).toBe(0);
    } finally {
      unregister();
    }

    const controller = new AbortController();
    const unregister2 = registerReaderForTests(
      failingReader(4500, () => {
        writtenBefore = rawCount(vault, 'messages');
        controller.abort();
        return new Error('stopped');
      }),
    );
    try {
      const err = await vault.add([file], { signal: controller.signal }).catch((e: unknown) => e);
      expect(isDossierError(err, 'USAGE'), String(err)).toBe(true);
      expect((err as Error).message).toMatch(/cancelled/);
      expect(writtenBefore).toBe(4000);
      expect(vault.list()).toEqual([]);
      await nothingLeft(vault, dir);
      expect(rawCount(vault, 'tags')).toBe(0);
      expect((await vault.check()).problems).toEqual([]);
    } finally {
      unregister2();
    }
    await vault.lock();
  }, 120_000);
});

const mountable = await canMountTmpfs();
describe.skipIf(!mountable)('a full disk after a batch was written (needs root for tmpfs)', () => {
  it('stops with NO_SPACE and leaves nothing of the import; the vault opens sound once there is room', async () => {
    const root = await tempDir();
    const disk = join(root, 'small-disk');
    await mkdir(disk);
    await run('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk]);
    try {
      const dir = join(disk, 'vault');
      const { vault } = await newVault(dir);
      const chat = join(root, 'chat.txt');
      // Longer messages, so the second batch needs pages the full disk cannot give.
      const lines = Array.from(
        { length: 4500 },
        (_, i) => `2024-03-01T10:00:00Z|Alex|message ${i} ${WORD} ${'x'.repeat(600)}`,
      );
      await writeFile(chat, fakeChat(lines));
      const filler = join(disk, 'filler');
      let writtenBefore = -1;
      hooks = {
        beforeMessage: async (i) => {
          if (i !== STOP_AT) return;
          writtenBefore = rawCount(vault, 'messages');
          await fillDisk(filler);
        },
      };
      const r = await vault.add([chat]);
      hooks = {};
      expect(r.results[0]).toMatchObject({ status: 'failed', code: 'NO_SPACE' });
      expect(writtenBefore).toBe(2000);
      expect(vault.list()).toEqual([]);
      // Deleted at once where the disk lets SQLite write the deletion; else (a disk 100% full
      // cannot take even that) the pending record that names them is kept, for unlock.
      if (rawCount(vault, 'messages') > 0) {
        const records = db(vault)
          .prepare("SELECT value FROM settings WHERE key LIKE 'pending-blobs:%'")
          .pluck()
          .all() as string[];
        expect(records.filter((r) => 'rows' in (JSON.parse(r) as object))).toHaveLength(1);
      }
      await rm(filler);
      await vault.lock();
      const v = await Vault.unlock(dir, PASSPHRASE);
      try {
        expect(v.list()).toEqual([]);
        await nothingLeft(v, dir);
        expect(await v.quarantined()).toEqual([]);
        expect((await v.check()).problems).toEqual([]);
      } finally {
        await v.lock();
      }
    } finally {
      await run('umount', ['-l', disk]).catch(() => undefined);
    }
  }, 120_000);
});

describe('a pending record naming messages, forged with the database key alone', () => {
  it('gets nothing deleted: a saved conversation keeps its messages, and tags stay', async () => {
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const chat = join(root, 'chat.txt');
    await writeFile(chat, fakeChat([`2024-01-01T10:00:00Z|Alex|kept ${WORD}`]));
    const r = await vault.add([chat], { tags: ['Kept'] });
    const id = r.results[0]!.status === 'added' ? r.results[0]!.id : '';
    const tag = db(vault).prepare('SELECT id FROM tags').pluck().get() as number;
    for (const [key, mac] of [
      ['pending-blobs:forged-1', '00'.repeat(32)],
      ['pending-blobs:forged-2', null],
    ] as const) {
      db(vault)
        .prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
        .run(key, JSON.stringify({ ids: [], rows: { item: id, tags: [tag] }, mac }));
    }
    await vault.lock();
    const v = await Vault.unlock(dir, PASSPHRASE);
    try {
      expect(rawCount(v, 'messages')).toBe(1);
      expect(indexHits(v, WORD)).toBe(1);
      expect(rawCount(v, 'tags')).toBe(1);
      searchIndexSound(v);
      expect((await v.check()).problems).toEqual([]);
    } finally {
      await v.lock();
    }
  });
});
