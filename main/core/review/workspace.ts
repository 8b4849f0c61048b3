/**
 * A bundle opened for review, as the app's read API sees a vault: an in-memory SQLite
 * database with the vault's own schema (every migration run), filled from the bundle's
 * records, so the library, item, incident, people, conversation and custody queries the
 * client's app uses answer unchanged. The files themselves stay in the bundle and are read in
 * place through its BagSource (a .zip.age decrypted range by range in memory). Nothing is
 * written to disk, and nothing here can change: the database is private to this object and
 * the service refuses every method that changes (docs/architecture.md, "Review").
 */
import { createHash } from 'node:crypto';
import { senderKey } from '../../../shared/identifiers';
import type { BagSource } from '../bagit/verify';
import { CaseRepository } from '../cases/repository';
import {
  ConversationRepository,
  type ConversationView,
  type MessageDetail,
  type MessageHit,
  type MessageView,
} from '../conversations/repository';
import { CustodyLog, type CustodyEntry } from '../custody/log';
import { LABELLED_SUBJECTS, subjectLabels, type SubjectLabel } from '../custody/subjects';
import { openMemoryDatabase, type Db } from '../db/database';
import { DossierError } from '../errors';
import {
  MAX_BUFFERED_EMAIL_BYTES,
  MAX_BUFFERED_TEXT_BYTES,
  readEmail,
  readText,
  type TextFacts,
} from '../evidence/text';
import { isPreviewable, readImage } from '../evidence/thumbnail';
import { newId } from '../ids';
import { AnnotationRepository, regionView, type RegionView } from '../items/annotations';
import { Library } from '../items/library';
import type { ItemDetail, ItemSummary } from '../items/repository';
import { languageName } from '../ocr/engine';
import { DEFAULT_LANGUAGE } from '../ocr/mimes';
import { NO_READING, OcrStore, type OcrReadingView } from '../ocr/queue';
import type { OcrStatus } from '../ocr/runner';
import type { BundleRecords, ExhibitRecord } from './bundle-records';

/**
 * What a text file or an email says, for search and the email's headers, read as an import
 * reads it (evidence/text.ts); null for other files, or one that cannot be read.
 */
async function exhibitText(source: BagSource, e: ExhibitRecord): Promise<TextFacts | null> {
  const email = e.mime === 'message/rfc822';
  if (!email && e.mime !== 'text/plain') return null;
  const cap = email ? MAX_BUFFERED_EMAIL_BYTES : MAX_BUFFERED_TEXT_BYTES;
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of source.read(e.bagPath)) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= cap) break;
    }
  } catch {
    return null; // verify names a file that cannot be read
  }
  const bytes = Buffer.concat(parts).subarray(0, cap);
  const whole = n < cap;
  try {
    return email ? await readEmail(bytes, whole) : readText(bytes, whole);
  } catch {
    return null;
  }
}

/** A conversation's senders as the vault stores them; anything else in the record is dropped. */
function participantsOf(
  v: unknown,
): { sender: string; senderId: string | null; messages: number }[] {
  return (Array.isArray(v) ? v : []).flatMap((p: unknown) => {
    const o = p as { sender?: unknown; senderId?: unknown; messages?: unknown } | null;
    if (typeof o !== 'object' || o === null || typeof o.sender !== 'string') return [];
    const messages = typeof o.messages === 'number' && o.messages >= 0 ? Math.floor(o.messages) : 0;
    return [
      { sender: o.sender, senderId: typeof o.senderId === 'string' ? o.senderId : null, messages },
    ];
  });
}

const thumbId = (itemId: string): string => `preview-${itemId}`;
/** Pictures larger than this get no preview (the vault's own cap for reading one whole). */
const MAX_PREVIEW_SOURCE_BYTES = 64 * 1024 * 1024;
/** Previews kept in memory (about 40 KiB each), the least recently shown dropped first. */
const PREVIEW_CACHE = 400;

const FORMATS = new Set(['mbox', 'whatsapp', 'telegram', 'instagram', 'facebook']);
const MESSAGE_KINDS = new Set(['message', 'system', 'deleted', 'call']);
const IDENTIFIER_KINDS = new Set([
  'email',
  'handle',
  'phone',
  'whatsapp',
  'telegram',
  'instagram',
  'facebook',
]);
const READ_STATES: Record<string, 'done' | 'failed' | 'queued'> = {
  read: 'done',
  'could not be read': 'failed',
  'not read yet': 'queued',
};

export class ReviewWorkspace {
  readonly items: Library;
  readonly cases: CaseRepository;
  readonly annotations: AnnotationRepository;
  readonly conversations: ConversationRepository;
  private readonly custody: CustodyLog;
  private readonly ocr: OcrStore;
  private readonly byItem = new Map<string, ExhibitRecord>();
  private readonly byLabel = new Map<string, ExhibitRecord>();
  private closed = false;
  /** Files whose bytes failed verification: never served as the exhibit (set by the opener). */
  private untrusted = new Set<string>();
  private readonly previews = new Map<string, Promise<Buffer | null>>();
  private previewQueue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Db,
    private readonly source: BagSource,
    records: BundleRecords,
  ) {
    this.items = new Library(db);
    this.cases = new CaseRepository(db);
    this.annotations = new AnnotationRepository(db);
    this.conversations = new ConversationRepository(db);
    this.custody = new CustodyLog(db, 'review');
    this.ocr = new OcrStore(db, this.items, this.custody);
    for (const e of records.exhibits) {
      this.byItem.set(e.itemId, e);
      this.byLabel.set(e.label, e);
    }
  }

  /**
   * Loads the records into a new in-memory database, with the words of text files and emails
   * read from the bundle for search (as an import reads them). The source stays the caller's.
   */
  static async load(
    source: BagSource,
    records: BundleRecords,
    signal?: AbortSignal,
  ): Promise<ReviewWorkspace> {
    const texts = new Map<string, TextFacts>();
    for (const e of records.exhibits) {
      if (signal?.aborted) break;
      const found = await exhibitText(source, e);
      if (found) texts.set(e.itemId, found);
    }
    const db = openMemoryDatabase();
    try {
      const ws = new ReviewWorkspace(db, source, records);
      db.transaction(() => ws.fill(records, texts))();
      return ws;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private fill(r: BundleRecords, texts: Map<string, TextFacts>): void {
    const db = this.db;
    const exhibits = r.exhibits;
    for (const e of exhibits) {
      this.items.insertBlob(e.itemId, 'original', e.size, e.sha256);
      if (isPreviewable(e.mime)) this.items.insertBlob(thumbId(e.itemId), 'thumbnail', 0, '');
      this.items.insert({
        id: e.itemId,
        blobId: e.itemId,
        sha256: e.sha256,
        size: e.size,
        mime: e.mime,
        name: e.name,
        sourcePath: null,
        ingestedAt: e.ingestedAt,
        ingestedOffsetMinutes: e.ingestedOffsetMinutes,
        sourceMtime: e.sourceTimes.mtime,
        sourceExifTime: e.sourceTimes.exif,
        sourceEmailTime: e.sourceTimes.email,
        width: e.width,
        height: e.height,
        // Previews are made on demand, in memory, from the file in the bundle (thumbnail()).
        thumbBlobId: isPreviewable(e.mime) ? thumbId(e.itemId) : null,
        extractedText: e.conversation ? null : (texts.get(e.itemId)?.text ?? null),
        metadata: {
          image:
            e.width !== null && e.height !== null ? { width: e.width, height: e.height } : null,
          exif: e.exif,
          email: texts.get(e.itemId)?.email ?? null,
        },
        metadataErrors: e.metadataProblems,
        sensitive: e.sensitive,
      });
      if (e.originalName !== e.name)
        db.prepare('UPDATE items SET original_name = ? WHERE id = ?').run(e.originalName, e.itemId);
      this.items.addTags(e.itemId, e.tags);
      for (const n of e.notes) this.items.addNote(e.itemId, newId(), n.body, n.createdAt);
    }
    const bySha = new Map(exhibits.map((e) => [e.sha256, e.itemId]));
    const setParent = db.prepare(
      'UPDATE items SET parent_id = ?, derive_op = ?, derive_reason = ? WHERE id = ?',
    );
    for (const e of exhibits) {
      const d = e.derivedFrom;
      if (!d) continue;
      const parent =
        (d.number !== null ? this.byLabel.get(d.number)?.itemId : undefined) ?? bySha.get(d.sha256);
      if (parent !== undefined && parent !== e.itemId)
        setParent.run(parent, d.operation, d.reason, e.itemId);
    }

    // Machine readings of pictures: as the bundle gives them; a picture it does not list is none.
    const setReading = db.prepare(
      `UPDATE ocr SET state = ?, language = ?, engine = ?, engine_version = ?, text = ?, words = ?,
         width = ?, height = ?, word_count = ?, confidence = ?, finished_at = ?, reason = ?
       WHERE item_id = ?`,
    );
    for (const e of exhibits) {
      const reading = r.readings.get(e.itemId);
      if (!reading) {
        db.prepare('DELETE FROM ocr WHERE item_id = ?').run(e.itemId);
        continue;
      }
      const confidence =
        reading.meanConfidence === null
          ? null
          : Math.max(0, Math.min(100, Math.round(reading.meanConfidence)));
      const state = READ_STATES[reading.status] ?? 'queued';
      setReading.run(
        state,
        reading.language,
        reading.engine,
        reading.engineVersion,
        reading.text,
        JSON.stringify(reading.words),
        reading.width,
        reading.height,
        reading.words.length,
        confidence,
        reading.readAt,
        reading.reason,
        e.itemId,
      );
    }
    for (const e of exhibits) this.items.refreshSearch(e.itemId);

    // Regions, in the order the bundle numbers them; a box outside the picture is left out.
    const insertRegion = db.prepare(
      'INSERT INTO regions (id, item_id, x, y, w, h, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const a of r.annotations.values()) {
      if (!this.byItem.has(a.itemId)) continue;
      for (const g of [...a.regions].sort((x, y) => x.number - y.number)) {
        const whole = [g.x, g.y, g.w, g.h].every(Number.isInteger);
        if (!whole || g.x < 0 || g.y < 0 || g.w < 1 || g.h < 1) continue;
        if (g.x + g.w > 1_000_000 || g.y + g.h > 1_000_000) continue;
        insertRegion.run(newId(), a.itemId, g.x, g.y, g.w, g.h, g.comment, g.createdAt);
      }
    }

    const insertIncident = db.prepare(
      `INSERT OR IGNORE INTO incidents (id, occurred_at, occurred_until, place, summary, impact,
         witnesses, police_ref, platform_ref, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const i of r.incidents) {
      insertIncident.run(
        i.id,
        i.occurredAt,
        i.occurredUntil,
        i.place,
        i.summary,
        i.impact,
        i.witnesses,
        i.policeRef,
        i.platformRef,
        i.occurredAt,
        i.occurredAt,
      );
    }
    const incidentIds = new Set(r.incidents.map((i) => i.id));
    const insertPerson = db.prepare(
      'INSERT OR IGNORE INTO people (id, name, role, notes, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertIdentifier = db.prepare(
      'INSERT OR IGNORE INTO person_identifiers (person_id, kind, value) VALUES (?, ?, ?)',
    );
    for (const p of r.people) {
      insertPerson.run(p.id, p.name, p.role, p.notes, '');
      for (const id of p.identifiers)
        if (IDENTIFIER_KINDS.has(id.kind)) insertIdentifier.run(p.id, id.kind, id.value);
    }
    const personIds = new Set(r.people.map((p) => p.id));
    const personByName = new Map<string, string>();
    for (const p of r.people) if (!personByName.has(p.name)) personByName.set(p.name, p.id);

    const linkIncidentItem = db.prepare(
      'INSERT OR IGNORE INTO incident_items (incident_id, item_id) VALUES (?, ?)',
    );
    const linkIncidentPerson = db.prepare(
      'INSERT OR IGNORE INTO incident_people (incident_id, person_id) VALUES (?, ?)',
    );
    const linkItemPerson = db.prepare(
      "INSERT OR IGNORE INTO item_people (item_id, person_id, relation) VALUES (?, ?, 'about')",
    );
    for (const a of r.annotations.values()) {
      if (!this.byItem.has(a.itemId)) continue;
      for (const i of a.incidents) if (incidentIds.has(i)) linkIncidentItem.run(i, a.itemId);
      for (const p of a.people) if (personIds.has(p)) linkItemPerson.run(a.itemId, p);
    }
    for (const i of r.incidents) {
      // incidents.csv also lists the conversations its messages are in: annotations.json
      // gives the items themselves, so the CSV's labels are used only without it.
      for (const label of r.annotations.size === 0 ? i.exhibits : []) {
        const item = this.byLabel.get(label);
        if (item) linkIncidentItem.run(i.id, item.itemId);
      }
      for (const name of i.people) {
        const p = personByName.get(name) ?? (personIds.has(name) ? name : undefined);
        if (p) linkIncidentPerson.run(i.id, p);
      }
    }

    this.fillConversations(r, incidentIds);

    const insertEntry = db.prepare(
      `INSERT OR IGNORE INTO custody_log (seq, at, actor, action, subjects, details, prev, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of r.custody) {
      insertEntry.run(
        c.seq,
        c.at,
        c.actor,
        c.action,
        JSON.stringify(c.subjects),
        JSON.stringify(c.details),
        c.prev,
        c.hash,
      );
    }
  }

  /** Conversation exhibits and the transcript messages the bundle holds (not the whole chat). */
  private fillConversations(r: BundleRecords, incidentIds: Set<string>): void {
    const db = this.db;
    const insertConversation = db.prepare(
      `INSERT INTO conversations (item_id, format, reader, chat_file, title, message_count,
         participants, first_time, last_time, date_order, time_zone, problems, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)`,
    );
    const formats = new Map<string, string>();
    for (const e of r.exhibits) {
      const c = e.conversation;
      if (!c || typeof c.format !== 'string' || !FORMATS.has(c.format)) continue;
      const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
      const count = typeof c.messageCount === 'number' && c.messageCount >= 0 ? c.messageCount : 0;
      const order = c.dateOrder === 'dmy' || c.dateOrder === 'mdy' ? c.dateOrder : null;
      insertConversation.run(
        e.itemId,
        c.format,
        s(c.reader) ?? '',
        s(c.chatFile),
        s(c.title) ?? '',
        Math.floor(count),
        JSON.stringify(participantsOf(c.participants)),
        s(c.firstTime),
        s(c.lastTime),
        order,
        s(c.timeZone),
        e.ingestedAt,
      );
      formats.set(e.itemId, c.format);
    }
    // As an import does when it reads a file as a conversation (conversations/store.ts).
    const setKind = db.prepare("UPDATE items SET kind = 'conversation' WHERE id = ?");
    for (const id of formats.keys()) setKind.run(id);
    const insertMessage = db.prepare(
      `INSERT OR IGNORE INTO messages (id, item_id, idx, kind, sender, sender_id, sender_key, time,
         time_utc, time_source, text, byte_offset, byte_length, sha256, line, line_end)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const search = db.prepare('INSERT INTO message_search (rowid, sender, text) VALUES (?, ?, ?)');
    const linkIncident = db.prepare(
      'INSERT OR IGNORE INTO incident_messages (incident_id, message_id) VALUES (?, ?)',
    );
    const note = db.prepare(
      'INSERT INTO message_notes (id, message_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    const tag = db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)');
    const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck();
    const tagMessage = db.prepare(
      'INSERT OR IGNORE INTO message_tags (message_id, tag_id) VALUES (?, ?)',
    );
    for (const m of r.messages) {
      const format = formats.get(m.itemId);
      if (format === undefined || !Number.isInteger(m.index) || m.index < 0) continue;
      const t = m.time === null ? NaN : Date.parse(m.time);
      const res = insertMessage.run(
        m.messageId,
        m.itemId,
        m.index,
        MESSAGE_KINDS.has(m.kind) ? m.kind : 'message',
        m.sender,
        m.senderId,
        senderKey(format as Parameters<typeof senderKey>[0], m.senderId),
        m.time,
        Number.isNaN(t) ? null : new Date(t).toISOString(),
        m.timeSource,
        m.text,
        Math.max(0, Math.floor(m.offset)),
        Math.max(0, Math.floor(m.length)),
        m.sha256,
        m.line,
        m.lineEnd,
      );
      if (res.changes === 0) continue;
      search.run(res.lastInsertRowid, m.sender, m.text);
      for (const i of m.incidents) if (incidentIds.has(i)) linkIncident.run(i, m.messageId);
      for (const n of m.notes) note.run(newId(), m.messageId, n.body, n.createdAt, n.createdAt);
      for (const name of m.tags) {
        if (name.trim() === '') continue;
        tag.run(name);
        tagMessage.run(m.messageId, tagId.get(name));
      }
    }
  }

  private assertOpen(): void {
    if (this.closed)
      throw new DossierError('LOCKED', 'The bundle opened for review was closed. Open it again.');
  }

  /** An exhibit by its label ("JD3"), item id, or a unique prefix of its id. */
  exhibit(ref: string): ExhibitRecord {
    this.assertOpen();
    const byLabel = this.byLabel.get(ref) ?? this.byLabel.get(ref.toUpperCase());
    if (byLabel) return byLabel;
    let id: string;
    try {
      id = this.items.resolveId(ref);
    } catch (e) {
      if ((e as DossierError).code === 'NOT_FOUND' || (e as DossierError).code === 'USAGE') {
        throw new DossierError(
          'NOT_FOUND',
          `This bundle has no exhibit "${ref.slice(0, 80)}": give its label (such as ${[...this.byLabel.keys()][0] ?? 'EX1'}), its item id, or the start of its id.`,
        );
      }
      throw e;
    }
    return this.byItem.get(id)!;
  }

  /** The bundle's exhibits, in its order. */
  exhibits(): ExhibitRecord[] {
    return [...this.byItem.values()];
  }

  /** `blob`, which in a vault names the encrypted file, names the file in the bundle here. */
  private inBundle<T extends ItemSummary>(s: T): T {
    const e = this.byItem.get(s.id);
    return e ? { ...s, blob: e.bagPath } : s;
  }

  list(): ItemSummary[] {
    this.assertOpen();
    return this.items.list().map((s) => this.inBundle(s));
  }

  item(ref: string): ItemDetail {
    this.assertOpen();
    return this.inBundle(this.items.get(this.exhibit(ref).itemId));
  }

  itemDetail(
    id: string,
  ): ItemDetail & { regions: RegionView[]; incidentIds: string[]; personIds: string[] } {
    const item = this.item(id);
    return {
      ...item,
      regions: this.annotations.regionsOf(item.id).map(regionView),
      incidentIds: this.cases.incidentsOfItem(item.id).sort(),
      personIds: this.cases.peopleOfItem(item.id).sort(),
    };
  }

  conversation(id: string): ConversationView {
    return this.conversations.get(this.exhibit(id).itemId);
  }

  conversationMessages(id: string, from: number, limit: number): MessageView[] {
    return this.conversations.page(this.exhibit(id).itemId, from, limit);
  }

  searchConversation(
    id: string,
    text: string,
    offset = 0,
    limit = 200,
  ): { total: number; hits: MessageHit[] } {
    return this.conversations.search(this.exhibit(id).itemId, text, offset, limit);
  }

  conversationIndexAt(id: string, date: string): number | null {
    return this.conversations.indexAt(this.exhibit(id).itemId, date);
  }

  message(id: string): MessageDetail {
    this.assertOpen();
    return this.conversations.message(id);
  }

  textReading(id: string): OcrReadingView {
    const r = this.ocr.reading(this.exhibit(id).itemId);
    if (!r) return { ...NO_READING, reading: false };
    return { ...r, reading: false };
  }

  /**
   * ocr.languages while reviewing: the languages the bundle's pictures were read in (most
   * used first), named, so that the item view can say "read in English"; nothing is read here.
   */
  textRecognitionLanguages(): { language: string; installed: { code: string; name: string }[] } {
    this.assertOpen();
    const rows = this.db
      .prepare(
        `SELECT language FROM ocr WHERE language IS NOT NULL AND language <> ''
         GROUP BY language ORDER BY COUNT(*) DESC, language`,
      )
      .all() as { language: string }[];
    const codes = rows.map((r) => r.language);
    return {
      language: codes[0] ?? DEFAULT_LANGUAGE,
      installed: codes.map((code) => ({ code, name: languageName(code) })),
    };
  }

  /** Nothing is read by machine while reviewing: the bundle's readings are as exported. */
  textRecognitionStatus(): OcrStatus {
    this.assertOpen();
    return { ...this.ocr.counts(), running: null, secondsLeft: 0, paused: true };
  }

  logPage(opts: { offset: number; limit: number; order: 'asc' | 'desc' }): {
    total: number;
    entries: (CustodyEntry & { subjectLabels: SubjectLabel[] })[];
  } {
    this.assertOpen();
    const page = this.custody.page(opts);
    const labels = subjectLabels(
      this.db,
      page.entries.flatMap((e) => e.subjects.slice(0, LABELLED_SUBJECTS)),
    );
    return {
      total: page.total,
      entries: page.entries.map((e) => ({
        ...e,
        subjectLabels: e.subjects.slice(0, LABELLED_SUBJECTS).map((id) => labels.get(id)!),
      })),
    };
  }

  /**
   * An exhibit's bytes from the bundle, checked first against the SHA-256 and size items.json
   * gives (read twice: nothing is handed out before the whole file matched).
   */
  async *verifiedContent(ref: string): AsyncGenerator<Buffer> {
    const e = this.exhibit(ref);
    this.assertTrusted(e);
    await this.assertFileMatches(e);
    yield* this.source.read(e.bagPath);
  }

  /** Reads the whole file and checks it; returns it when it is small enough for a preview. */
  private async assertFileMatches(e: ExhibitRecord): Promise<Buffer> {
    const hash = createHash('sha256');
    let n = 0;
    const keep = e.size <= MAX_PREVIEW_SOURCE_BYTES;
    const parts: Buffer[] = [];
    try {
      for await (const chunk of this.source.read(e.bagPath)) {
        hash.update(chunk);
        n += chunk.length;
        if (keep && n <= MAX_PREVIEW_SOURCE_BYTES) parts.push(chunk);
      }
    } catch (err) {
      throw new DossierError(
        'INTEGRITY',
        `Exhibit ${e.label}'s file (${e.bagPath}) could not be read from the bundle: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (hash.digest('hex') !== e.sha256 || n !== e.size) {
      throw new DossierError(
        'INTEGRITY',
        `Exhibit ${e.label}'s file (${e.bagPath}) does not match the SHA-256 the bundle records for it: it was changed after export, so it was not written out.`,
      );
    }
    return Buffer.concat(parts);
  }

  /** A byte range [start, end) of an exhibit's file, for the item view (images, email text). */
  async *range(itemId: string, start: number, end: number): AsyncGenerator<Buffer> {
    const e = this.byItem.get(itemId);
    if (!e) throw new DossierError('NOT_FOUND', 'There is no such exhibit in this bundle.');
    this.assertTrusted(e);
    let at = 0;
    for await (const chunk of this.source.read(e.bagPath)) {
      this.assertOpen();
      const from = Math.max(start - at, 0);
      const to = Math.min(end - at, chunk.length);
      if (from < to) yield chunk.subarray(from, to);
      at += chunk.length;
      if (at >= end) break;
    }
  }

  /** Marks files that failed verification: their bytes are not handed out as the exhibit. */
  distrust(paths: Iterable<string>): void {
    this.untrusted = new Set(paths);
  }

  /** The exhibit with exactly this item id, or null. */
  byId(itemId: string): ExhibitRecord | null {
    this.assertOpen();
    return this.byItem.get(itemId) ?? null;
  }

  /** Refuses an exhibit whose file failed verification, in words. */
  assertTrusted(e: ExhibitRecord): void {
    if (this.untrusted.has(e.bagPath)) {
      throw new DossierError(
        'INTEGRITY',
        `Exhibit ${e.label}'s file (${e.bagPath}) failed verification: it is not the file that was exported, so it is not shown as the exhibit.`,
      );
    }
  }

  /**
   * A picture's JPEG preview, made in memory from its file in the bundle (as an import makes
   * one: upright, no metadata), or null when it cannot be made. Kept for the next library page.
   */
  thumbnail(itemId: string): Promise<Buffer | null> {
    const e = this.byId(itemId);
    if (!e || !isPreviewable(e.mime) || e.size > MAX_PREVIEW_SOURCE_BYTES) {
      return Promise.resolve(null);
    }
    this.assertTrusted(e);
    let made = this.previews.get(itemId);
    if (made) this.previews.delete(itemId);
    else {
      made = this.onePreviewAtATime(async () => {
        const bytes = await this.assertFileMatches(e);
        return (await readImage(bytes, e.mime)).thumbnail?.jpeg ?? null;
      });
      made.catch(() => this.previews.delete(itemId));
    }
    this.previews.set(itemId, made);
    while (this.previews.size > PREVIEW_CACHE)
      this.previews.delete(this.previews.keys().next().value!);
    return made;
  }

  /**
   * Previews are made one after another: a library page asks for all its tiles at once, and
   * each holds its whole picture (up to 64 MiB) while it is decoded.
   */
  private onePreviewAtATime<T>(make: () => Promise<T>): Promise<T> {
    const run = this.previewQueue.then(make, make);
    this.previewQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
