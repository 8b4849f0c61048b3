import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { instantIn, knownTimeZone } from '../../../shared/course-of-conduct';
import { parseTime } from '../../../shared/recorded-time';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { ftsMatch } from '../items/repository';
import {
  SNIPPET_CLOSE,
  SNIPPET_OPEN,
  snippetSegments,
  type SnippetSegment,
} from '../items/snippets';
import { senderKey } from '../../../shared/identifiers';
import type {
  ConversationFormat,
  ConversationProblem,
  DateOrder,
  MessageKind,
  TimeSource,
} from './types';

/**
 * Conversations as stored (docs/conversations.md, schema 10): a summary, messages a page at
 * a time by their index, a date's place, search within one conversation, and the notes,
 * tags, incidents and person of a message. SQL stays in this file.
 */

export interface Participant {
  sender: string;
  senderId: string | null;
  messages: number;
  /** The person whose identifier this sender is, when one is recorded. */
  personId: string | null;
}

export interface ConversationView {
  itemId: string;
  format: ConversationFormat;
  reader: string;
  /** Inside an archive or folder: the file the messages' offsets count into. */
  chatFile: string | null;
  title: string;
  messageCount: number;
  participants: Participant[];
  /** UTC, the earliest and latest message time; null when no message has one. */
  firstTime: string | null;
  lastTime: string | null;
  dateOrder: DateOrder | null;
  /** The zone wall-clock times were placed in, and how it was chosen. */
  timeZone: string | null;
  /**
   * How the times were arrived at: the first message's with a time, else 'none'; null for a
   * conversation without messages.
   */
  timeSource: TimeSource | null;
  problems: ConversationProblem[];
  readAt: string;
}

export interface MessageAttachmentView {
  name: string;
  omitted: boolean;
  /** The item made from the file, when the export had it. */
  itemId: string | null;
}

export interface MessageView {
  id: string;
  conversationId: string;
  index: number;
  kind: MessageKind;
  sender: string;
  senderId: string | null;
  /** The person this sender is an identifier of; null when not marked. */
  personId: string | null;
  time: string | null;
  timeSource: TimeSource;
  /** The text, cut after PAGE_TEXT_CHARS in a page (textLength says how long it is). */
  text: string;
  /** The whole text's length in UTF-16 code units (characters for most scripts). */
  textLength: number;
  edited: boolean;
  offset: number;
  length: number;
  sha256: string;
  line: number | null;
  lineEnd: number | null;
  attachments: MessageAttachmentView[];
  externalId: string | null;
  replyTo: string | null;
  details: Record<string, unknown>;
  tags: string[];
  noteCount: number;
  incidentIds: string[];
}

export interface MessageNote {
  id: string;
  messageId: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface MessageDetail extends MessageView {
  notes: MessageNote[];
}

export type SnippetPart = SnippetSegment;

export interface MessageHit {
  id: string;
  index: number;
  snippet: SnippetPart[];
}

/** What a custody entry says of a message: enough to find it and check it was not changed. */
export interface MessageRef {
  id: string;
  item: string;
  index: number;
  sha256: string;
}

/** Pages are at most this many messages (the contract holds callers to it too). */
export const MAX_PAGE = 1000;

/**
 * Each conversation (`item`) with the rows (`n`) of its first and last messages, and whether
 * its messages are one unbroken run of rows between them (`run`, 1 or 0). They are inserted in
 * one transaction, in order, so they are when last − first = count − 1 (docs/vault-format.md,
 * "messages"): a search can then ask the index by that range of rowids instead of joining
 * every match to its message.
 */
export const CONVERSATION_ROWS = `SELECT item, first, last, coalesce(last - first = count - 1, 0) AS run
  FROM (SELECT c.item_id AS item, c.message_count AS count,
      (SELECT n FROM messages WHERE item_id = c.item_id AND idx = 0) AS first,
      (SELECT n FROM messages WHERE item_id = c.item_id AND idx = c.message_count - 1) AS last
    FROM conversations c)`;

/**
 * A page's messages carry at most this much of their text (a hostile export can hold a
 * thousand messages of a million characters each); `messages.get` gives the whole text.
 */
export const PAGE_TEXT_CHARS = 20_000;

interface MessageRow {
  n: number;
  id: string;
  item_id: string;
  idx: number;
  kind: MessageKind;
  sender: string;
  sender_id: string | null;
  sender_key: string | null;
  person_id: string | null;
  time: string | null;
  time_source: TimeSource;
  text: string;
  edited: 0 | 1;
  byte_offset: number;
  byte_length: number;
  sha256: string;
  line: number | null;
  line_end: number | null;
  external_id: string | null;
  reply_to: string | null;
  details: string;
  attachments: string;
  tag_names: string;
  note_count: number;
  incident_ids: string;
}

// The person whose identifier is the sender_key ('<kind>:<value>'), by the (kind, value) index.
const PERSON_OF_SENDER = `(SELECT pi.person_id FROM person_identifiers pi
  WHERE pi.kind = substr(m.sender_key, 1, instr(m.sender_key, ':') - 1)
    AND pi.value = substr(m.sender_key, instr(m.sender_key, ':') + 1))`;

const MESSAGE_COLUMNS = `m.n, m.id, m.item_id, m.idx, m.kind, m.sender, m.sender_id, m.sender_key,
  ${PERSON_OF_SENDER} AS person_id, m.time, m.time_source, m.text, m.edited, m.byte_offset,
  m.byte_length, m.sha256, m.line, m.line_end, m.external_id, m.reply_to, m.details, m.attachments,
  (SELECT json_group_array(name) FROM (SELECT t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id
     WHERE mt.message_id = m.id ORDER BY t.name COLLATE NOCASE)) AS tag_names,
  (SELECT count(*) FROM message_notes mn WHERE mn.message_id = m.id) AS note_count,
  (SELECT json_group_array(incident_id) FROM (SELECT incident_id FROM incident_messages im
     WHERE im.message_id = m.id ORDER BY incident_id)) AS incident_ids`;

export class ConversationRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** Whether the item was read as a conversation. */
  has(itemId: string): boolean {
    return this.stmt('SELECT 1 FROM conversations WHERE item_id = ?').get(itemId) !== undefined;
  }

  /** The conversation's summary; NOT_FOUND in words when the item is not one. */
  get(itemId: string): ConversationView {
    const r = this.stmt('SELECT * FROM conversations WHERE item_id = ?').get(itemId) as
      | {
          item_id: string;
          format: ConversationFormat;
          reader: string;
          chat_file: string | null;
          title: string;
          message_count: number;
          participants: string;
          first_time: string | null;
          last_time: string | null;
          date_order: DateOrder | null;
          time_zone: string | null;
          problems: string;
          read_at: string;
        }
      | undefined;
    if (!r) {
      throw new DossierError(
        'NOT_FOUND',
        'That item was not read as a conversation (it is not a chat export or mailbox Dossier reads), so it has no messages.',
      );
    }
    // The first message with a time says how times were read (a WhatsApp export's are all
    // placed alike); stops there instead of reading the whole conversation.
    const source = (this.stmt(
      `SELECT time_source FROM messages WHERE item_id = ? AND time_source <> 'none'
       ORDER BY idx LIMIT 1`,
    )
      .pluck()
      .get(r.item_id) ?? (r.message_count > 0 ? 'none' : null)) as TimeSource | null;
    const participants = parseJson<{ sender: string; senderId: string | null; messages: number }[]>(
      r.participants,
      [],
    );
    const person = this.stmt(
      'SELECT person_id FROM person_identifiers WHERE kind = ? AND value = ?',
    ).pluck();
    const personOf = (senderId: string | null): string | null => {
      const key = senderKey(r.format, senderId);
      if (key === null) return null;
      const at = key.indexOf(':');
      return (person.get(key.slice(0, at), key.slice(at + 1)) as string | undefined) ?? null;
    };
    return {
      itemId: r.item_id,
      format: r.format,
      reader: r.reader,
      chatFile: r.chat_file,
      title: r.title,
      messageCount: r.message_count,
      participants: (Array.isArray(participants) ? participants : []).map((p) => {
        const senderId = typeof p?.senderId === 'string' ? p.senderId : null;
        return {
          sender: typeof p?.sender === 'string' ? p.sender : '',
          senderId,
          messages: Number(p?.messages) || 0,
          personId: personOf(senderId),
        };
      }),
      firstTime: r.first_time,
      lastTime: r.last_time,
      dateOrder: r.date_order,
      timeZone: r.time_zone,
      timeSource: source,
      problems: problemsOf(r.problems),
      readAt: r.read_at,
    };
  }

  /** Messages `from` an index, in order: the virtualised list's page. */
  page(itemId: string, from: number, limit: number): MessageView[] {
    this.requireConversation(itemId);
    const n = Math.min(Math.max(limit, 0), MAX_PAGE);
    const rows = this.stmt(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.item_id = ? AND m.idx >= ?
       ORDER BY m.idx LIMIT ?`,
    ).all(itemId, Math.max(from, 0), n) as MessageRow[];
    return rows.map((r) => messageView(r, true));
  }

  /**
   * Messages in order whose time is within [from, to]; a bare date covers its whole day in the
   * conversation's time zone. For the CLI, which streams them: one page of `limit` after `after`.
   */
  range(
    itemId: string,
    bounds: { from?: string; to?: string },
    after: number,
    limit: number,
  ): MessageView[] {
    const c = this.get(itemId);
    const zone = knownTimeZone(c.timeZone ?? 'UTC');
    const from = bounds.from === undefined ? null : dateBound(bounds.from, 'from', zone);
    const to = bounds.to === undefined ? null : dateBound(bounds.to, 'to', zone);
    if (from !== null && to !== null && from >= to) {
      throw new DossierError(
        'USAGE',
        `The start date (${bounds.from}) is after the end date (${bounds.to}). Swap them, or change one.`,
      );
    }
    const where: string[] = ['m.item_id = ?', 'm.idx > ?'];
    const params: unknown[] = [itemId, after];
    if (from !== null) {
      where.push('m.time_utc >= ?');
      params.push(from);
    }
    if (to !== null) {
      where.push('m.time_utc < ?');
      params.push(to);
    }
    const rows = this.stmt(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE ${where.join(' AND ')}
       ORDER BY m.idx LIMIT ?`,
    ).all(...params, Math.min(limit, MAX_PAGE)) as MessageRow[];
    return rows.map((r) => messageView(r));
  }

  /**
   * The index of the earliest message at or after a date (a bare date: that day's start in
   * the conversation's time zone); null when every message is earlier or has no time.
   */
  indexAt(itemId: string, date: string): number | null {
    const c = this.get(itemId);
    const at = dateBound(date, 'from', knownTimeZone(c.timeZone ?? 'UTC'));
    const r = this.stmt(
      `SELECT idx FROM messages WHERE item_id = ? AND time_utc >= ?
       ORDER BY time_utc, idx LIMIT 1`,
    )
      .pluck()
      .get(itemId, at) as number | undefined;
    return r ?? null;
  }

  /**
   * Messages of one conversation where every search word occurs (in the text or the sender),
   * in conversation order, with where they matched as plain segments.
   */
  search(
    itemId: string,
    typed: string,
    offset: number,
    limit: number,
  ): { total: number; hits: MessageHit[] } {
    this.requireConversation(itemId);
    const match = ftsMatch(typed);
    if (match === null) return { total: 0, hits: [] };
    const rows = this.rowRange(itemId);
    let total: number;
    let found: { n: number; id: string; idx: number }[];
    if (rows) {
      // Only the index is read for the count and the order; messages only for the page shown.
      // Joining every match to its message read a page of messages each: 1.2 s for a word in
      // each of 100,000 messages, against milliseconds.
      const inRange = `FROM message_search WHERE message_search MATCH ? AND rowid BETWEEN ? AND ?`;
      total = (
        this.stmt(`SELECT count(*) AS n ${inRange}`).get(match, rows.first, rows.last) as {
          n: number;
        }
      ).n;
      const ns = this.stmt(`SELECT rowid ${inRange} ORDER BY rowid LIMIT ? OFFSET ?`)
        .pluck()
        .all(match, rows.first, rows.last, Math.min(limit, MAX_PAGE), offset) as number[];
      found = this.stmt(
        `SELECT n, id, idx FROM messages WHERE n IN (SELECT value FROM json_each(?)) ORDER BY idx`,
      ).all(JSON.stringify(ns)) as typeof found;
    } else {
      const matching = `SELECT m.n, m.id, m.idx FROM message_search s JOIN messages m ON m.n = s.rowid
        WHERE message_search MATCH ? AND m.item_id = ?`;
      total = (
        this.stmt(`SELECT count(*) AS n FROM (${matching})`).get(match, itemId) as { n: number }
      ).n;
      found = this.stmt(`${matching} ORDER BY m.idx LIMIT ? OFFSET ?`).all(
        match,
        itemId,
        Math.min(limit, MAX_PAGE),
        offset,
      ) as typeof found;
    }
    const snippets = this.snippets(
      match,
      found.map((f) => f.n),
    );
    return {
      total,
      hits: found.map((f) => ({
        id: f.id,
        index: f.idx,
        snippet: snippetSegments(snippets.get(f.n) ?? ''),
      })),
    };
  }

  /**
   * The rows (`n`) a conversation's messages hold, when they are one unbroken run in message
   * order: its messages are inserted in one transaction, in order (insertConversation), so
   * message i is row first + i (docs/vault-format.md, "messages"). Null if the rows say
   * otherwise; the caller then joins on item_id instead.
   */
  private rowRange(itemId: string): { first: number; last: number } | null {
    const r = this.stmt(`SELECT first, last, run FROM (${CONVERSATION_ROWS}) WHERE item = ?`).get(
      itemId,
    ) as { first: number; last: number; run: 0 | 1 } | undefined;
    return r?.run ? { first: r.first, last: r.last } : null;
  }

  /** FTS5 snippets for these message rows (one pass over the matches). */
  snippets(match: string, ns: readonly number[]): Map<number, string> {
    if (ns.length === 0) return new Map();
    const rows = this.stmt(
      `SELECT rowid AS r, snippet(message_search, -1, ?, ?, '…', 16) AS s FROM message_search
       WHERE message_search MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
    ).all(SNIPPET_OPEN, SNIPPET_CLOSE, match, JSON.stringify(ns)) as { r: number; s: string }[];
    return new Map(rows.map((r) => [r.r, r.s]));
  }

  /**
   * For the library: of these conversation items, the first message (in order) where every
   * search word occurs, with its snippet.
   */
  firstHits(itemIds: readonly string[], typed: string): Map<string, MessageHit> {
    const match = ftsMatch(typed);
    const out = new Map<string, MessageHit>();
    if (match === null || itemIds.length === 0) return out;
    // By each conversation's run of rows where it is one (the first match in rowid order is
    // the first in message order), else by joining its matches to its messages.
    const firsts = this.stmt(
      `SELECT CASE WHEN r.run
          THEN (SELECT rowid FROM message_search WHERE message_search MATCH ?
                  AND rowid BETWEEN r.first AND r.last ORDER BY rowid LIMIT 1)
          ELSE (SELECT m.n FROM message_search s JOIN messages m ON m.n = s.rowid
                  WHERE message_search MATCH ? AND m.item_id = r.item ORDER BY m.idx LIMIT 1) END
        FROM (${CONVERSATION_ROWS}) r WHERE r.item IN (SELECT value FROM json_each(?))`,
    )
      .pluck()
      .all(match, match, JSON.stringify(itemIds)) as (number | null)[];
    const rows = this.stmt(
      'SELECT n, id, idx, item_id FROM messages WHERE n IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(firsts.filter((n) => n !== null))) as {
      n: number;
      id: string;
      idx: number;
      item_id: string;
    }[];
    const snippets = this.snippets(
      match,
      rows.map((r) => r.n),
    );
    for (const r of rows) {
      out.set(r.item_id, {
        id: r.id,
        index: r.idx,
        snippet: snippetSegments(snippets.get(r.n) ?? ''),
      });
    }
    return out;
  }

  /** These messages as a page gives them (text cut), in the order given. */
  views(ids: readonly string[]): MessageView[] {
    const rows = this.stmt(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as MessageRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [messageView(r, true)] : [];
    });
  }

  /** One message with its notes; NOT_FOUND in words when it is not in the vault. */
  message(id: string): MessageDetail {
    const r = this.stmt(`SELECT ${MESSAGE_COLUMNS} FROM messages m WHERE m.id = ?`).get(id) as
      MessageRow | undefined;
    if (!r) throw notFound();
    return { ...messageView(r), notes: this.notesOf(r.id) };
  }

  /** The messages, in the order given; NOT_FOUND if any is missing. */
  refs(ids: readonly string[]): (MessageRef & { senderKey: string | null; sender: string })[] {
    const rows = this.stmt(
      `SELECT id, item_id AS item, idx AS "index", sha256, sender_key AS senderKey, sender
       FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as (MessageRef & { senderKey: string | null; sender: string })[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return [...new Set(ids)].map((id) => {
      const r = byId.get(id);
      if (!r) throw notFound();
      return r;
    });
  }

  notesOf(messageId: string): MessageNote[] {
    return this.stmt(
      `SELECT id, message_id AS messageId, body, created_at AS createdAt, updated_at AS updatedAt
       FROM message_notes WHERE message_id = ? ORDER BY created_at, id`,
    ).all(messageId) as MessageNote[];
  }

  note(noteId: string): MessageNote {
    const r = this.stmt(
      `SELECT id, message_id AS messageId, body, created_at AS createdAt, updated_at AS updatedAt
       FROM message_notes WHERE id = ?`,
    ).get(noteId) as MessageNote | undefined;
    if (!r) {
      throw new DossierError(
        'NOT_FOUND',
        'That note on a message is not in this vault (it may have been removed). Reload and try again.',
      );
    }
    return r;
  }

  addNote(messageId: string, noteId: string, body: string, at: string): void {
    this.stmt(
      'INSERT INTO message_notes (id, message_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ).run(noteId, messageId, body, at, at);
  }

  updateNote(noteId: string, body: string, at: string): void {
    this.stmt('UPDATE message_notes SET body = ?, updated_at = ? WHERE id = ?').run(
      body,
      at,
      noteId,
    );
  }

  /** Adds a tag (created as needed, case-insensitive); true when it was not there. */
  addTag(messageId: string, tag: string): boolean {
    this.stmt('INSERT OR IGNORE INTO tags (name) VALUES (?)').run(tag);
    const id = this.stmt('SELECT id FROM tags WHERE name = ?').pluck().get(tag) as number;
    return (
      this.stmt('INSERT OR IGNORE INTO message_tags (message_id, tag_id) VALUES (?, ?)').run(
        messageId,
        id,
      ).changes > 0
    );
  }

  /** Removes a tag (case-insensitive); true when it was there. */
  removeTag(messageId: string, tag: string): boolean {
    return (
      this.stmt(
        'DELETE FROM message_tags WHERE message_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)',
      ).run(messageId, tag).changes > 0
    );
  }

  /** How many messages have this sender key. */
  countBySender(senderKey: string): number {
    return this.stmt('SELECT count(*) FROM messages WHERE sender_key = ?')
      .pluck()
      .get(senderKey) as number;
  }

  /**
   * Removes everything derived from a conversation item (its messages, their search rows,
   * notes, tags and incident links, and the conversation row), before the item itself is
   * removed. Returns the incidents that lost a message.
   */
  removeDerived(itemId: string): { incidents: string[]; messages: number } {
    if (!this.has(itemId)) return { incidents: [], messages: 0 };
    const incidents = this.stmt(
      `SELECT DISTINCT im.incident_id FROM incident_messages im JOIN messages m ON m.id = im.message_id
       WHERE m.item_id = ? ORDER BY 1`,
    )
      .pluck()
      .all(itemId) as string[];
    const inItem = 'SELECT id FROM messages WHERE item_id = ?';
    this.stmt(`DELETE FROM incident_messages WHERE message_id IN (${inItem})`).run(itemId);
    this.stmt(`DELETE FROM message_tags WHERE message_id IN (${inItem})`).run(itemId);
    this.stmt(`DELETE FROM message_notes WHERE message_id IN (${inItem})`).run(itemId);
    this.stmt(
      'DELETE FROM message_search WHERE rowid IN (SELECT n FROM messages WHERE item_id = ?)',
    ).run(itemId);
    const messages = this.stmt('DELETE FROM messages WHERE item_id = ?').run(itemId).changes;
    this.stmt('DELETE FROM conversations WHERE item_id = ?').run(itemId);
    return { incidents, messages };
  }

  private requireConversation(itemId: string): void {
    if (!this.has(itemId)) this.get(itemId);
  }
}

/** At most PAGE_TEXT_CHARS of a text, never splitting a surrogate pair. */
function cut(text: string): string {
  if (text.length <= PAGE_TEXT_CHARS) return text;
  const end = /[\ud800-\udbff]/.test(text[PAGE_TEXT_CHARS - 1]!)
    ? PAGE_TEXT_CHARS - 1
    : PAGE_TEXT_CHARS;
  return text.slice(0, end);
}

function notFound(): DossierError {
  return new DossierError(
    'NOT_FOUND',
    'That message is not in this vault (its conversation may have been removed). Reload and try again.',
  );
}

/** The stored problems, each as {line, offset, message} whatever the JSON holds. */
function problemsOf(text: string): ConversationProblem[] {
  const list = parseJson<unknown>(text, []);
  if (!Array.isArray(list)) return [];
  const num = (v: unknown): number | null =>
    typeof v === 'number' && Number.isFinite(v) ? v : null;
  return list.map((p: Partial<Record<keyof ConversationProblem, unknown>> | null) => ({
    line: num(p?.line),
    offset: num(p?.offset),
    message: typeof p?.message === 'string' ? p.message : 'a problem this version cannot describe',
  }));
}

function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

function objectOf(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function messageView(r: MessageRow, cutText = false): MessageView {
  return {
    id: r.id,
    conversationId: r.item_id,
    index: r.idx,
    kind: r.kind,
    sender: r.sender,
    senderId: r.sender_id,
    personId: r.person_id,
    time: r.time,
    timeSource: r.time_source,
    text: cutText ? cut(r.text) : r.text,
    textLength: r.text.length,
    edited: r.edited === 1,
    offset: r.byte_offset,
    length: r.byte_length,
    sha256: r.sha256,
    line: r.line,
    lineEnd: r.line_end,
    attachments: arrayOf(parseJson<unknown>(r.attachments, [])).map((x) => {
      const a = objectOf(x);
      return {
        name: typeof a.name === 'string' ? a.name : '',
        omitted: a.omitted === true,
        itemId: typeof a.itemId === 'string' ? a.itemId : null,
      };
    }),
    externalId: r.external_id,
    replyTo: r.reply_to,
    details: objectOf(parseJson<unknown>(r.details, {})),
    tags: parseJson<string[]>(r.tag_names, []),
    noteCount: r.note_count,
    incidentIds: parseJson<string[]>(r.incident_ids, []),
  };
}

/**
 * A date or time a person typed, as the UTC form time_utc is stored in. A time without a
 * zone, or a bare date, is read in `zone` (the conversation's); `to` with a bare date is the
 * start of the next day (the whole day counts).
 */
export function dateBound(typed: string, which: 'from' | 'to', zone: string): string {
  const t = parseTime(typed);
  if (t === null) {
    throw new DossierError(
      'USAGE',
      `"${typed.slice(0, 64)}" is not a date. Use a form like 2024-03-09, 2024-03-09T21:30 or 2024-03-09T21:30:00Z for the "${which}" date.`,
    );
  }
  // `to` is exclusive: the next day after a bare date, the next millisecond after a time.
  const past = which === 'from' ? 0 : t.kind === 'date' ? 86_400_000 : 1;
  return new Date(instantIn({ ...t, ms: t.ms + past }, zone)).toISOString();
}
