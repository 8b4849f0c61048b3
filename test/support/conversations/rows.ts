import { createHash } from 'node:crypto';
import type { Vault } from '../../../main/core';
import type { Db } from '../../../main/core/db/database';
import { newId } from '../../../main/core/ids';
import type {
  ConversationFormat,
  ConversationProblem,
  DateOrder,
  MessageKind,
  TimeSource,
} from '../../../main/core/conversations/types';
import { senderKey } from '../../../shared/identifiers';

/**
 * Schema-10 rows for a conversation, exactly as the import writes them (docs/conversations.md):
 * until the import lands, tests of what reads and annotates conversations make them here.
 * The chat file is a made-up line format, `[time] sender: text`, one message per line (a text
 * with line breaks spans lines); each message's offset, length and SHA-256 are of its bytes
 * in that file, so cutting the stored original at them gives the message.
 */
export interface TestMessage {
  sender: string;
  /** Defaults to the sender; null for a message the platform wrote. */
  senderId?: string | null;
  /** ISO 8601 with an offset; null when the export gave none. */
  time?: string | null;
  timeSource?: TimeSource;
  text: string;
  kind?: MessageKind;
  edited?: boolean;
  attachments?: { name: string; omitted: boolean; itemId?: string | null }[];
  details?: Record<string, unknown>;
}

export interface TestConversation {
  itemId: string;
  format?: ConversationFormat;
  title?: string;
  chatFile?: string | null;
  dateOrder?: DateOrder | null;
  timeZone?: string | null;
  problems?: ConversationProblem[];
  messages: TestMessage[];
}

export interface InsertedMessage {
  id: string;
  n: number;
  index: number;
  offset: number;
  length: number;
  line: number;
  lineEnd: number;
}

function lineOf(m: TestMessage): string {
  return `[${m.time ?? '?'}] ${m.sender}: ${m.text}`;
}

/** The chat file's bytes for these messages (add them as the item before inserting rows). */
export function testChatBytes(messages: readonly TestMessage[]): Buffer {
  return Buffer.from(messages.map((m) => `${lineOf(m)}\n`).join(''), 'utf8');
}

/** Inserts the conversation's rows for an item already in the vault (its bytes: testChatBytes). */
export function insertTestConversation(db: Db, c: TestConversation): InsertedMessage[] {
  const format = c.format ?? 'whatsapp';
  const bytes = testChatBytes(c.messages);
  const participants = new Map<
    string,
    { sender: string; senderId: string | null; messages: number }
  >();
  let offset = 0;
  let line = 1;
  const rows = c.messages.map((m, index) => {
    const length = Buffer.byteLength(lineOf(m), 'utf8');
    const lines = lineOf(m).split('\n').length;
    const senderId = m.senderId === undefined ? m.sender : m.senderId;
    const time = m.time ?? null;
    const row = {
      m,
      index,
      senderId,
      time,
      timeUtc: time === null ? null : new Date(time).toISOString(),
      offset,
      length,
      sha256: createHash('sha256')
        .update(bytes.subarray(offset, offset + length))
        .digest('hex'),
      line,
      lineEnd: line + lines - 1,
    };
    const key = `${m.sender}\u0000${senderId}`;
    const p = participants.get(key) ?? { sender: m.sender, senderId, messages: 0 };
    p.messages++;
    participants.set(key, p);
    offset += length + 1;
    line += lines;
    return row;
  });
  const times = rows.flatMap((r) => (r.timeUtc ? [r.timeUtc] : [])).sort();
  const out: InsertedMessage[] = [];
  db.transaction(() => {
    db.prepare(
      `INSERT INTO conversations (item_id, format, reader, chat_file, title, message_count,
         participants, first_time, last_time, date_order, time_zone, problems, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.itemId,
      format,
      'test-rows 1',
      c.chatFile ?? null,
      c.title ?? 'Test chat',
      c.messages.length,
      JSON.stringify([...participants.values()]),
      times[0] ?? null,
      times[times.length - 1] ?? null,
      c.dateOrder ?? null,
      c.timeZone ?? null,
      JSON.stringify(c.problems ?? []),
      new Date().toISOString(),
    );
    const insertMessage = db.prepare(
      `INSERT INTO messages (id, item_id, idx, kind, sender, sender_id, sender_key, time, time_utc,
         time_source, text, edited, byte_offset, byte_length, sha256, line, line_end, external_id,
         reply_to, details, attachments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
    );
    const insertSearch = db.prepare(
      'INSERT INTO message_search (rowid, sender, text) VALUES (?, ?, ?)',
    );
    for (const r of rows) {
      const { m } = r;
      const id = newId();
      const result = insertMessage.run(
        id,
        c.itemId,
        r.index,
        m.kind ?? 'message',
        m.sender,
        r.senderId,
        senderKey(format, r.senderId),
        r.time,
        r.timeUtc,
        m.timeSource ?? (r.time === null ? 'none' : 'export-local-confirmed'),
        m.text,
        m.edited ? 1 : 0,
        r.offset,
        r.length,
        r.sha256,
        r.line,
        r.lineEnd,
        JSON.stringify(m.details ?? {}),
        JSON.stringify((m.attachments ?? []).map((a) => ({ ...a, itemId: a.itemId ?? null }))),
      );
      const n = Number(result.lastInsertRowid);
      insertSearch.run(n, m.sender, m.text);
      out.push({
        id,
        n,
        index: r.index,
        offset: r.offset,
        length: r.length,
        line: r.line,
        lineEnd: r.lineEnd,
      });
    }
  })();
  return out;
}

/**
 * Stores the chat file as an item (hashed and encrypted like any import) and inserts its
 * conversation's rows: the item's bytes are exactly what the spans count into.
 */
export async function addTestConversation(
  vault: Vault,
  c: Omit<TestConversation, 'itemId'> & {
    name?: string;
    /** False: the item's own text is not searchable (as a zip's bytes are not text). */
    textSearchable?: boolean;
  },
): Promise<{ itemId: string; messages: InsertedMessage[]; bytes: Buffer }> {
  const bytes = testChatBytes(c.messages);
  const added = await vault.addData({ name: c.name ?? `chat-${newId()}.txt`, data: bytes });
  if (added.status !== 'added') throw new Error(`the test chat was not added: ${added.status}`);
  const db = (vault as unknown as { db: Db }).db;
  if (c.textSearchable === false) {
    db.prepare('UPDATE items SET extracted_text = NULL WHERE id = ?').run(added.id);
    vault.items.refreshSearch(added.id);
  }
  return {
    itemId: added.id,
    messages: insertTestConversation(db, { ...c, itemId: added.id }),
    bytes,
  };
}
