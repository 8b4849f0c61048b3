// message_search reads each message's words from messages (external content, migration 12):
// a vault from before keeps every message searchable after the migration, the index matches
// the rows (FTS5's own integrity-check), and removing a conversation leaves it matching.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../main/core';
import type { Db } from '../../main/core/db/database';
import { MIGRATIONS } from '../../main/core/db/migrations';
import { rewindSchema } from '../support/schema-rewind';
import { addTestConversation } from '../support/conversations/rows';
import { openVaultDbFile } from '../support/custody-tamper';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

const dbOf = (vault: Vault): Db => (vault as unknown as { db: Db }).db;

/** Throws (SQLITE_CORRUPT_VTAB) when the index and the messages' words differ. */
function checkIndex(db: Db): void {
  db.prepare(
    "INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 1)",
  ).run();
}

const MESSAGES = [
  { sender: 'Alex', time: '2024-03-01T21:00:00+00:00', text: 'I know which school they go to' },
  { sender: 'Alex', time: '2024-03-01T21:05:00+00:00', text: 'answer me or else' },
  { sender: 'Sam', time: '2024-03-02T08:00:00+00:00', text: 'please stop messaging me' },
];

describe('the message search index', () => {
  it('finds every message after migrating a vault whose index held its own copy of the words', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    const chat = await addTestConversation(vault, { messages: MESSAGES, textSearchable: false });
    const key = vault.revealKeys().sqlcipherKey;
    await vault.lock();

    // The vault as the version before made it: message_search with its own content.
    const raw = openVaultDbFile(dir, key);
    raw.exec(`
      DROP TABLE message_search;
      CREATE VIRTUAL TABLE message_search USING fts5(
        sender, text, tokenize = 'unicode61 remove_diacritics 2'
      );
      INSERT INTO message_search (rowid, sender, text) SELECT n, sender, text FROM messages;
    `);
    // Schema 11, as before the index changed (later steps' tables go too, to be made again).
    rewindSchema(raw, 11);
    raw.close();

    const again = await Vault.unlock(dir, PASSPHRASE);
    const db = dbOf(again);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // No second copy of the words is kept.
    expect(
      db
        .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'message_search_content'")
        .get(),
    ).toEqual({ n: 0 });
    checkIndex(db);
    const found = again.searchConversation(chat.itemId, 'school');
    expect(found.total).toBe(1);
    expect(found.hits[0]).toMatchObject({ index: 0 });
    expect(again.searchConversation(chat.itemId, 'messaging').hits.map((h) => h.index)).toEqual([
      2,
    ]);
    await again.lock();
  });

  it('still matches the messages after a conversation is removed, and finds nothing of it', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    const gone = await addTestConversation(vault, { messages: MESSAGES, textSearchable: false });
    const kept = await addTestConversation(vault, {
      messages: [{ sender: 'Jo', time: null, text: 'the school gate at three' }],
      textSearchable: false,
    });
    await vault.removeItem(gone.itemId, 'imported twice');
    const db = dbOf(vault);
    checkIndex(db);
    const hits = db
      .prepare(
        "SELECT m.item_id AS item FROM message_search s JOIN messages m ON m.n = s.rowid WHERE message_search MATCH 'school'",
      )
      .all();
    expect(hits).toEqual([{ item: kept.itemId }]);
    await vault.lock();
  });

  it('searches a conversation from the index alone, as a join on its messages would', async () => {
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    const words = ['school', 'gate', 'answer', 'stop', 'know'];
    const messages = (who: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        sender: who,
        time: null,
        text: `${words[i % 5]} ${words[(i * 3) % 5]} ${i}`,
      }));
    const a = await addTestConversation(vault, {
      messages: messages('Alex', 60),
      textSearchable: false,
    });
    const b = await addTestConversation(vault, {
      messages: messages('Sam', 45),
      textSearchable: false,
    });
    const db = dbOf(vault);
    /** What the search must give: every match joined to its message, in message order. */
    const byJoin = (itemId: string, word: string) =>
      db
        .prepare(
          `SELECT m.idx FROM message_search s JOIN messages m ON m.n = s.rowid
             WHERE message_search MATCH ? AND m.item_id = ? ORDER BY m.idx`,
        )
        .pluck()
        .all(`"${word}"`, itemId) as number[];
    const expectSame = () => {
      for (const itemId of [a.itemId, b.itemId]) {
        for (const word of [...words, 'Alex', 'Sam', 'nowhere']) {
          const all = byJoin(itemId, word);
          const found = vault.searchConversation(itemId, word, 0, 1000);
          expect(found.total).toBe(all.length);
          expect(found.hits.map((h) => h.index)).toEqual(all);
          // A page further on.
          const page = vault.searchConversation(itemId, word, 5, 7);
          expect(page.hits.map((h) => h.index)).toEqual(all.slice(5, 12));
          expect(page.total).toBe(all.length);
          // The library finds the conversation by the word, opened at its first match.
          const listed = vault.items
            .query({ sort: 'ingestedAt', order: 'asc', offset: 0, limit: 10, text: word })
            .rows.find((r) => r.id === itemId);
          if (all.length === 0) expect(listed).toBeUndefined();
          else expect(listed?.message?.index).toBe(all[0]);
        }
      }
    };
    expectSame();
    // Rows that are not one unbroken run (a gap, the other conversation's rows inside it):
    // the search joins on the messages instead, with the same answers.
    db.prepare('UPDATE messages SET n = n + 10000 WHERE item_id = ? AND idx >= 30').run(a.itemId);
    db.prepare('UPDATE messages SET n = n + 20000 WHERE item_id = ? AND idx < 10').run(b.itemId);
    db.prepare("INSERT INTO message_search (message_search) VALUES ('rebuild')").run();
    checkIndex(db);
    expectSame();
    await vault.lock();
  });

  it('writes in larger runs (schema 16), in a new vault and one migrated from before', async () => {
    const settings = (db: Db) =>
      db.prepare("SELECT k, v FROM message_search_config WHERE k != 'version' ORDER BY k").all();
    const larger = [
      { k: 'automerge', v: 16 },
      { k: 'hashsize', v: 8 * 1024 * 1024 },
    ];
    const dir = join(await tempDir(), 'v');
    const { vault } = await newVault(dir);
    expect(settings(dbOf(vault))).toEqual(larger);
    const chat = await addTestConversation(vault, { messages: MESSAGES, textSearchable: false });
    const key = vault.revealKeys().sqlcipherKey;
    await vault.lock();

    const raw = openVaultDbFile(dir, key);
    // FTS5's defaults, as a vault from before had them.
    raw.exec(`
      INSERT INTO message_search (message_search, rank) VALUES ('automerge', 4);
      INSERT INTO message_search (message_search, rank) VALUES ('hashsize', 1048576);
    `);
    rewindSchema(raw, 15);
    expect(settings(raw)).toEqual([
      { k: 'automerge', v: 4 },
      { k: 'hashsize', v: 1048576 },
    ]);
    raw.close();

    const again = await Vault.unlock(dir, PASSPHRASE);
    const db = dbOf(again);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(settings(db)).toEqual(larger);
    checkIndex(db);
    expect(again.searchConversation(chat.itemId, 'school').hits.map((h) => h.index)).toEqual([0]);
    await again.lock();
  });
});
