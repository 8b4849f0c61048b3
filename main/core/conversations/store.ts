// Storing what a conversation reader reads: the messages, and the files that came with them
// as items of their own (docs/conversations.md, "Import"). Ingest calls this; readers are pure.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { AgeFileReader } from '../age';
import type { BlobStore, BlobWriter } from '../blobs/store';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';
import { DossierError, isDossierError } from '../errors';
import type { EvidenceFacts } from '../evidence';
import { itemMetadata } from '../evidence/item-metadata';
import { idSequence, newId } from '../ids';
import type { ItemRepository } from '../items/repository';
import type { PendingBlobs, PendingMac } from '../ingest/pending-blobs';
import { openArchive } from './archive';
import type { RangeSource } from './byte-range-reader';
import type { ReadAsConversationDetails } from '../../../shared/custody-wording';
import { senderKey } from '../../../shared/identifiers';
import { folderLookup } from './export-folder';
import { StagedRows } from './staging';
import {
  CONVERSATION_LIMITS,
  MESSAGE_KINDS,
  TIME_SOURCES,
  type ConversationProblem,
  type ConversationReader,
  type ConversationSummary,
  type ExportFile,
  type MediaFile,
  type ReadMessage,
  type ReadOptions,
} from './types';

export interface StoreDeps {
  db: Db;
  items: ItemRepository;
  blobs: BlobStore;
  custody: CustodyLog;
  pendingMac?: PendingMac;
}

/** A reader failed in a way that is its own bug or limit: the original is kept as a plain file. */
export class ReaderFailed extends Error {}

/** The person's answers for an export that needs them (docs/conversations.md, WhatsApp). */
export interface ReadChoices {
  dateOrder?: ReadOptions['dateOrder'];
  timeZone?: string;
}

/** A time zone or date order that cannot be used is refused before anything is read. */
export function assertReadChoices(choices: ReadChoices): void {
  const { dateOrder, timeZone } = choices;
  if (dateOrder !== undefined && dateOrder !== 'dmy' && dateOrder !== 'mdy') {
    throw new DossierError('USAGE', 'The date order must be dmy (day first) or mdy (month first).');
  }
  if (timeZone === undefined) return;
  let known = true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    known = false;
  }
  if (!known || timeZone.trim() === '') {
    const shown = [...timeZone.slice(0, 64)].filter((c) => c >= ' ' && c !== '\u007f').join('');
    throw new DossierError(
      'USAGE',
      `"${shown}" is not a time zone Dossier knows. Give a name such as Europe/London or America/New_York.`,
    );
  }
}

/** What a reader is given from the person's choices; import and "read" alike. */
export function readOptionsFrom(choices: ReadChoices): ReadOptions {
  return {
    ...(choices.dateOrder ? { dateOrder: choices.dateOrder } : {}),
    ...(choices.timeZone ? { timeZone: choices.timeZone } : {}),
    defaultTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/** A conversation format in words, for a problem or an error said about an item. */
export const FORMAT_WORDS: Record<ConversationReader['format'], string> = {
  mbox: 'a mailbox (mbox)',
  whatsapp: 'a WhatsApp export',
  telegram: 'a Telegram export',
  instagram: 'an Instagram export',
  facebook: 'a Facebook export',
};

const PLAIN_FILE = 'It is stored as a plain file, unchanged.';

/** The warning an import puts on an export its reader failed on (the file is kept plain). */
export function readerFailedWarning(format: ConversationReader['format'], reason: string): string {
  return `This file looks like ${FORMAT_WORDS[format]}, but its messages could not be read (${reason}). ${PLAIN_FILE}`;
}

/** Whether an item's warning is readerFailedWarning's (settled once it is read after all). */
export function isReaderFailedWarning(warning: string): boolean {
  return (
    warning.startsWith('This file looks like ') &&
    warning.includes(', but its messages could not be read (') &&
    warning.endsWith(PLAIN_FILE)
  );
}

// ---- Files that came inside an export or an email, stored as items derived from it ----

/* eslint-disable no-control-regex */
const UNSHOWABLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/gu;
/* eslint-enable no-control-regex */

/**
 * The name a derived item is stored under: the last part of the name the export or email
 * gives, without control or direction characters (written by the other side, and shown on
 * terminals and in bundles), at most 255 characters. The name as given stays in the log.
 */
export function derivedName(given: string, fallback: string): string {
  const last = given.split(/[/\\]/).pop() ?? '';
  const cleaned = last.normalize('NFC').replace(UNSHOWABLE, '').trim().slice(0, 255);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}

/** How a derived item came from its parent (items.derive_op). */
export type DeriveOp = 'media' | 'attachment' | 'redact' | 'strip-location';

interface NewDerived {
  itemId: string;
  blobId: string;
  sha256: string;
  size: number;
  name: string;
  /** The name as the export or email gives it, when it had to be cleaned. */
  givenName: string;
  op: DeriveOp;
  reason: string;
  facts: EvidenceFacts;
  thumbId: string | null;
  thumbSha256: string | null;
  thumbSize: number;
}

/** The database's page cache while a conversation's messages are inserted, in KiB. */
const INSERT_CACHE_KIB = 32 * 1024;

/** Derived files written at once (put), and the bytes they may hold between them. */
const WRITES_IN_FLIGHT = 8;
const BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** At most this many characters of derived files' text wait in memory for one transaction. */
const DERIVED_TEXT_BUDGET = 32 * 1024 * 1024;

/**
 * Files derived from one parent, written (encrypted, ids recorded as pending) before the
 * transaction that saves them. Bytes identical to an item already in the vault, or to one
 * stored just before from the same parent, are linked to that item: never stored twice.
 */
/** What an import finds in a file (type, size, preview, metadata): evidence/index.ts. */
async function examine(data: Buffer, name: string): Promise<EvidenceFacts> {
  const { sniffMime, examineEvidence } = await import('../evidence');
  const head = data.subarray(0, 64 * 1024);
  const sniffed = await sniffMime(head, name);
  return examineEvidence({ head, bytes: data, name, size: data.length, sniffed });
}

export class DerivedFiles {
  readonly created: NewDerived[] = [];
  /** Links to items already in the vault (by the import or before it). */
  readonly linked: string[] = [];
  private readonly bySha = new Map<string, string>();
  /** Ids given out for files another import stored first, and the item that stands for each. */
  readonly replaced = new Map<string, string>();
  /** Characters of derived files' text held for the search index until the transaction. */
  private textBudget = DERIVED_TEXT_BUDGET;
  /** The items insert() added, in order. */
  readonly inserted: string[] = [];

  constructor(
    private readonly deps: StoreDeps,
    private readonly pending: PendingBlobs,
  ) {}

  /** Stores `bytes` as an item derived from the parent; returns the item id it is now. */
  /**
   * `made`: the facts of a file Dossier made itself (a redacted copy), known without
   * examining it again; any other file is examined as an import examines it.
   */
  async store(
    bytes: Uint8Array,
    name: string,
    op: DeriveOp,
    reason: string,
    /**
     * `writer`: its file, opened ahead by the caller (see CopyFileAhead), who lets it go if
     * it was not used (the bytes were stored before).
     */
    { made, writer = null }: { made?: EvidenceFacts; writer?: Promise<BlobWriter> | null } = {},
  ): Promise<string> {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const mine = this.bySha.get(sha256);
    if (mine) return mine;
    const existing = this.deps.items.findBySha256(sha256);
    if (existing) {
      this.bySha.set(sha256, existing.id);
      this.linked.push(existing.id);
      return existing.id;
    }
    const facts = made ?? (await examine(data, name));
    // Held until the transaction: past a budget, a file's text is left out of search (said).
    if (facts.text !== null) {
      this.textBudget -= facts.text.length;
      if (this.textBudget < 0) {
        facts.text = null;
        facts.errors.push(
          'So many files with text came in this export that the text of this one was not added to search. The file itself is stored whole.',
        );
      }
    }
    const blobId = await this.put(data, writer);
    let thumbId: string | null = null;
    let thumbSha256: string | null = null;
    let thumbSize = 0;
    if (facts.thumbnail) {
      thumbId = await this.put(facts.thumbnail.jpeg);
      thumbSha256 = createHash('sha256').update(facts.thumbnail.jpeg).digest('hex');
      thumbSize = facts.thumbnail.jpeg.length;
      // Written: thousands of photos in an export must not hold their previews in memory.
      facts.thumbnail = null;
    }
    const itemId = newId();
    this.created.push({
      itemId,
      blobId,
      sha256,
      size: data.length,
      name: derivedName(
        name,
        op === 'media' ? 'file from the export' : op === 'attachment' ? 'attachment' : 'copy',
      ),
      givenName: name,
      op,
      reason,
      facts,
      thumbId,
      thumbSha256,
      thumbSize,
    });
    this.bySha.set(sha256, itemId);
    return itemId;
  }

  /** Blob writes under way (see put), and every blob id written, for discard(). */
  private readonly writing: { done: Promise<void>; bytes: number }[] = [];
  private writingBytes = 0;
  private readonly written: string[] = [];

  /**
   * Writes a blob; up to WRITES_IN_FLIGHT at once, so that their fsyncs overlap (one after
   * another, each costs a disk flush: thousands of attachments in a mailbox). settle() waits
   * for them all before the transaction that refers to them.
   */
  private async put(data: Buffer, opened: Promise<BlobWriter> | null = null): Promise<string> {
    const w = await (opened ?? this.deps.blobs.create(data.length, this.pending.next()));
    this.written.push(w.id);
    const done = (async () => {
      try {
        await w.commitWith(data);
      } catch (e) {
        await w.abort();
        throw e;
      }
    })();
    done.catch(() => undefined); // awaited in order by settle() or the next put()
    this.writing.push({ done, bytes: data.length });
    this.writingBytes += data.length;
    while (this.writing.length > WRITES_IN_FLIGHT || this.writingBytes > BYTES_IN_FLIGHT)
      await this.nextWritten();
    return w.id;
  }

  private async nextWritten(): Promise<void> {
    const first = this.writing.shift()!;
    this.writingBytes -= first.bytes;
    await first.done;
  }

  /** Waits until every file stored so far is durable; before insert(). */
  async settle(): Promise<void> {
    while (this.writing.length > 0) await this.nextWritten();
  }

  /**
   * Inserts the items, each with its `ingest` entry naming the parent. Inside the caller's
   * transaction. A file another import stored meanwhile is linked, and its blob left for
   * discardUnused() and its id in `replaced`.
   */
  insert(parentId: string, at: Date): void {
    if (this.writing.length > 0) throw new Error('DerivedFiles: settle() before insert()');
    for (const d of this.created) {
      const winner = this.deps.items.findBySha256(d.sha256);
      if (winner) {
        this.replaced.set(d.itemId, winner.id);
        d.itemId = winner.id;
        this.linked.push(winner.id);
        this.unused.push(d.blobId, ...(d.thumbId ? [d.thumbId] : []));
        continue;
      }
      this.deps.items.insertBlob(d.blobId, 'original', d.size, d.sha256);
      if (d.thumbId)
        this.deps.items.insertBlob(d.thumbId, 'thumbnail', d.thumbSize, d.thumbSha256!);
      const warnings = [
        ...(d.size === 0 ? ['The file is empty (0 bytes).'] : []),
        ...d.facts.errors,
      ];
      this.deps.items.insert({
        id: d.itemId,
        blobId: d.blobId,
        sha256: d.sha256,
        size: d.size,
        mime: d.facts.mime,
        name: d.name,
        sourcePath: null,
        ingestedAt: at.toISOString(),
        ingestedOffsetMinutes: -at.getTimezoneOffset(),
        sourceMtime: null,
        sourceExifTime: d.facts.exif?.capturedAt ?? null,
        sourceEmailTime: d.facts.email?.sentAt ?? null,
        extractedText: d.facts.text,
        width: d.facts.image?.width ?? null,
        height: d.facts.image?.height ?? null,
        thumbBlobId: d.thumbId,
        metadata: itemMetadata(d.facts),
        metadataErrors: warnings,
        sensitive: d.facts.sensitive,
      });
      this.deps.db
        .prepare('UPDATE items SET parent_id = ?, derive_op = ?, derive_reason = ? WHERE id = ?')
        .run(parentId, d.op, d.reason, d.itemId);
      this.deps.items.refreshSearch(d.itemId);
      this.inserted.push(d.itemId);
      this.deps.custody.append('ingest', [d.itemId], {
        name: d.name,
        sha256: d.sha256,
        size: d.size,
        mime: d.facts.mime,
        source: null,
        sourceMtime: null,
        blob: d.blobId,
        tags: [],
        parent: parentId,
        derivedAs: d.op,
        reason: d.reason,
        ...(d.givenName !== d.name ? { givenName: d.givenName } : {}),
        ...(warnings.length ? { metadataErrors: warnings } : {}),
      });
    }
  }

  /** Blobs written for files another import stored first (see insert()). */
  private readonly unused: string[] = [];

  /** After the commit: removes the blobs that turned out not to be needed. */
  async discardUnused(): Promise<void> {
    for (const id of this.unused.splice(0)) await this.deps.blobs.remove(id).catch(() => undefined);
  }

  /** After a failure: removes every blob written. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.writing.splice(0).map((x) => x.done));
    this.writingBytes = 0;
    for (const id of this.written.splice(0))
      await this.deps.blobs.remove(id).catch(() => undefined);
    this.created.length = 0;
    await this.discardUnused();
  }
}

// ---- Reading an export from its stored blob ----

/** A message as it waits for the transaction (one row of `messages`). */
interface StagedMessage {
  id: string;
  idx: number;
  kind: string;
  sender: string;
  senderId: string | null;
  senderKey: string | null;
  time: string | null;
  timeUtc: string | null;
  timeSource: string;
  text: string;
  edited: boolean;
  offset: number;
  length: number;
  sha256: string;
  line: number | null;
  lineEnd: number | null;
  externalId: string | null;
  replyTo: string | null;
  /** `details` and `attachments` as stored, made while reading so the transaction is short. */
  detailsJson: string;
  attachmentsJson: string;
  /** The Gmail labels that become the message's tags (labelTags). */
  labels: string[];
}

/** A conversation read and its files written, waiting for the transaction that saves it. */
export interface ReadConversation {
  reader: ConversationReader;
  summary: ConversationSummary;
  messages: StagedRows<StagedMessage>;
  files: DerivedFiles;
  participants: { sender: string; senderId: string | null; messages: number }[];
  firstTime: string | null;
  lastTime: string | null;
  mediaCount: number;
  attachmentCount: number;
  /** Removes the staged rows and every file written (after a failure). */
  discard(): Promise<void>;
}

/** Bytes of the chat file decrypted at once when messages ask for their spans. */
const SPAN_WINDOW = 4 * 1024 * 1024;

/** Bytes of the chat file the offsets count into, read in windows as messages ask for them. */
interface SpanSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

function blobSpans(age: AgeFileReader): SpanSource {
  let start = 0;
  let window: Buffer = Buffer.alloc(0);
  return {
    size: age.size,
    async read(offset, length) {
      if (offset < start || offset + length > start + window.length) {
        start = offset;
        window = await age.read(offset, Math.min(age.size, offset + Math.max(length, SPAN_WINDOW)));
      }
      return window.subarray(offset - start, offset - start + length);
    },
  };
}

function memorySpans(bytes: Uint8Array): SpanSource {
  return { size: bytes.length, read: async (o, l) => bytes.subarray(o, o + l) };
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The chat file inside a zip export, read by ingest itself (not taken from the reader) with
 * the archive reader's checks: declared sizes, CRC-32, the chat file size limit.
 */
async function zipEntry(zip: RangeSource, wanted: string): Promise<Uint8Array> {
  try {
    const archive = await openArchive(zip, 'The zip');
    const entry = archive.find(wanted);
    if (!entry)
      throw new ReaderFailed(
        `the export has no readable file named ${JSON.stringify(wanted.slice(0, 100))}`,
      );
    // A checksum that does not match is the reader's to report; the bytes are what is stored.
    return (await archive.readChecked(entry, CONVERSATION_LIMITS.maxChatFileBytes)).bytes;
  } catch (e) {
    if (isDossierError(e, 'CORRUPT') || isDossierError(e, 'USAGE'))
      throw new ReaderFailed(e.message);
    throw e;
  }
}

function utc(time: string | null): string | null {
  if (time === null) return null;
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

const isText = (v: unknown): v is string => typeof v === 'string';
const textOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const countOrNull = (v: unknown): boolean => v === null || isCount(v);

/** What is wrong with a message a reader gave, in words; null when it can be stored. */
function malformed(m: ReadMessage): string | null {
  if (!(MESSAGE_KINDS as readonly unknown[]).includes(m.kind)) return 'an unknown kind';
  if (!(TIME_SOURCES as readonly unknown[]).includes(m.timeSource)) return 'an unknown time source';
  if (!isText(m.sender) || !textOrNull(m.senderId)) return 'no readable sender';
  if (!isText(m.text)) return 'no text';
  if (!textOrNull(m.time) || !textOrNull(m.externalId) || !textOrNull(m.replyTo))
    return 'a field of the wrong type';
  if (!countOrNull(m.line) || !countOrNull(m.lineEnd)) return 'a line number of the wrong type';
  if (typeof m.edited !== 'boolean') return 'a field of the wrong type';
  if (!Array.isArray(m.attachments) || !m.attachments.every((a) => a && isText(a.name)))
    return 'an attachment list that cannot be read';
  if (
    m.files !== undefined &&
    (!Array.isArray(m.files) || !m.files.every((f) => f && f.bytes instanceof Uint8Array))
  )
    return 'attached files that cannot be read';
  if (typeof m.details !== 'object' || m.details === null) return 'details that cannot be read';
  return null;
}

const isCount = (n: unknown): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Reads an export from its stored blob (decrypted, so what is read is exactly what is stored)
 * and writes its media and attached files as blobs. Nothing is in the database yet: the
 * caller saves it all in one transaction (insertConversation). NEEDS_CHOICE, a cancel and a
 * full disk are thrown as they are; anything else the reader does wrong is a ReaderFailed.
 */
export async function readConversation(
  deps: StoreDeps,
  input: {
    blobId: string;
    name: string;
    head: Uint8Array;
    reader: ConversationReader;
    opts: ReadOptions;
    pending: PendingBlobs;
    signal?: AbortSignal;
    /** Where the export was imported from, for the files beside it its messages name. */
    exportPath?: string | null;
  },
): Promise<ReadConversation> {
  const age = await deps.blobs.open(input.blobId);
  const files = new DerivedFiles(deps, input.pending);
  let staging: StagedRows<StagedMessage>;
  try {
    const stagingPath = `${deps.blobs.path(newId())}.tmp`;
    await mkdir(dirname(stagingPath), { recursive: true, mode: 0o700 });
    staging = await StagedRows.create<StagedMessage>(stagingPath);
  } catch (e) {
    await age.close().catch(() => undefined);
    throw e;
  }
  const fail = async (e: unknown): Promise<never> => {
    await staging.discard();
    await files.discard();
    throw e;
  };
  try {
    let whole: Buffer | null = null;
    const bytes = async (): Promise<Buffer> => {
      if (age.size > CONVERSATION_LIMITS.maxChatFileBytes) {
        throw new DossierError(
          'USAGE',
          `This export is larger than ${CONVERSATION_LIMITS.maxChatFileBytes / 1024 / 1024} MiB, the most Dossier reads as one chat file.`,
        );
      }
      return (whole ??= await age.read(0, age.size));
    };
    const file: ExportFile = {
      name: input.name,
      size: age.size,
      head: input.head,
      bytes,
      chunks: () => age.stream({ highWaterMark: 1024 * 1024 }),
      readRange: (start, endExclusive) => age.read(start, Math.min(endExclusive, age.size)),
    };
    const opened = await input.reader.open(file, input.opts).catch((e: unknown) => {
      throw readerFault(e, input.signal);
    });

    const media = new Map<string, MediaFile>();
    for (const m of opened.media) if (!media.has(m.name)) media.set(m.name, m);
    const mediaIds = new Map<string, string | null>();
    let mediaCount = 0;
    let attachmentCount = 0;
    const problems: ConversationProblem[] = [];
    const storeMedia = async (m: MediaFile, why: string): Promise<string | null> => {
      if (mediaIds.has(m.name)) return mediaIds.get(m.name)!;
      let data: Uint8Array;
      try {
        data = await m.read();
      } catch (e) {
        // One damaged file inside the export never costs the export or its other files.
        if (isDiskFull(e)) throw e;
        problems.push({
          line: null,
          offset: null,
          message: `The file ${JSON.stringify(m.name.slice(0, 200))} in the export could not be read (${reason(e)}), so it is not stored as an item of its own; the export itself is stored whole.`,
        });
        mediaIds.set(m.name, null);
        return null;
      }
      const id = await files.store(data, m.name, 'media', why);
      mediaIds.set(m.name, id);
      mediaCount++;
      return id;
    };
    // An export that holds no files (a .json or .txt) names files beside it on disk.
    const beside =
      opened.media.length === 0 && input.exportPath ? folderLookup(input.exportPath) : null;
    const notBeside = new Map<string, string[]>();
    const besideExport = async (name: string): Promise<MediaFile | undefined> => {
      if (!beside) return undefined;
      const r = await beside(name);
      if (r.found) {
        media.set(name, r.found);
        return r.found;
      }
      const names = notBeside.get(r.why) ?? [];
      names.push(name);
      notBeside.set(r.why, names);
      return undefined;
    };

    let spans: SpanSource | null = null;
    const spanSource = async (): Promise<SpanSource> => {
      if (spans) return spans;
      const chatFile = opened.chatFile;
      if (chatFile === null || chatFile === input.name || chatFile === basename(input.name)) {
        spans = whole ? memorySpans(whole) : blobSpans(age);
      } else if (ZIP_MAGIC.every((b, i) => input.head[i] === b)) {
        // The zip is read in place: an export's media can make it far bigger than memory.
        spans = memorySpans(
          await zipEntry({ size: age.size, readRange: file.readRange }, chatFile),
        );
      } else {
        throw new ReaderFailed(
          `the reader names a chat file (${JSON.stringify(String(chatFile).slice(0, 100))}) that is not in the export`,
        );
      }
      return spans;
    };

    const participants = new Map<
      string,
      { sender: string; senderId: string | null; messages: number }
    >();
    let firstTime: string | null = null;
    let lastTime: string | null = null;
    let expected = 0;
    // In message order, side by side in the indexes on message ids (ids.ts).
    const messageId = idSequence();
    const format = input.reader.format;
    const iterate = async (m: ReadMessage): Promise<void> => {
      if (input.signal?.aborted) throw new DossierError('USAGE', 'The import was cancelled.');
      if (m.index !== expected)
        throw new ReaderFailed(`message ${expected + 1} came with the index ${String(m.index)}`);
      expected++;
      const src = await spanSource();
      if (!isCount(m.offset) || !isCount(m.length) || m.offset + m.length > src.size)
        throw new ReaderFailed(`message ${m.index + 1} points outside the chat file`);
      const bad = malformed(m);
      if (bad) throw new ReaderFailed(`message ${m.index + 1} has ${bad}`);
      // A streaming reader hashed each span as it read the stored bytes: not read twice.
      const sha256 = HEX64.test(m.sha256 ?? '')
        ? m.sha256!
        : createHash('sha256')
            .update(await src.read(m.offset, m.length))
            .digest('hex');
      const where = `message ${m.index + 1}${isCount(m.line) ? ` (line ${m.line})` : ''}`;
      const attachments: { name: string; omitted: boolean; itemId: string | null }[] = [];
      for (const a of m.attachments) {
        const inExport = a.omitted
          ? undefined
          : (media.get(a.name) ?? (mediaIds.has(a.name) ? undefined : await besideExport(a.name)));
        attachments.push({
          name: a.name,
          omitted: a.omitted,
          itemId: inExport ? await storeMedia(inExport, `attached to ${where}`) : null,
        });
      }
      for (const f of m.files ?? []) {
        const itemId = await files.store(
          f.bytes,
          f.name || 'attachment',
          'attachment',
          `attachment of ${where}`,
        );
        attachmentCount++;
        attachments.push({ name: f.name, omitted: false, itemId });
      }
      const timeUtc = utc(m.time);
      if (timeUtc !== null) {
        if (firstTime === null || timeUtc < firstTime) firstTime = timeUtc;
        if (lastTime === null || timeUtc > lastTime) lastTime = timeUtc;
      }
      const who = `${m.sender}\u0000${m.senderId ?? ''}`;
      const p = participants.get(who) ?? { sender: m.sender, senderId: m.senderId, messages: 0 };
      p.messages++;
      participants.set(who, p);
      await staging.push({
        id: messageId(),
        idx: m.index,
        kind: m.kind,
        sender: m.sender,
        senderId: m.senderId,
        senderKey: senderKey(format, m.senderId),
        time: m.time,
        timeUtc,
        timeSource: m.timeSource,
        text: m.text,
        edited: m.edited,
        offset: m.offset,
        length: m.length,
        sha256,
        line: m.line,
        lineEnd: m.lineEnd,
        externalId: m.externalId,
        replyTo: m.replyTo,
        detailsJson: JSON.stringify(m.details ?? {}),
        attachmentsJson: JSON.stringify(attachments),
        labels: labelTags(m.details),
      });
    };
    try {
      for await (const m of opened.messages) await iterate(m);
      // Files in the export that no message names are part of it too.
      for (const m of media.values()) {
        if (!mediaIds.has(m.name))
          await storeMedia(m, 'a file in the export that no message names');
      }
      await files.settle();
    } catch (e) {
      throw readerFault(e, input.signal);
    }
    await staging.finish();
    let summary: ConversationSummary;
    try {
      summary = opened.summary();
    } catch (e) {
      throw new ReaderFailed(reason(e));
    }
    for (const [why, names] of notBeside) {
      const shown = names
        .slice(0, 3)
        .map((n) => JSON.stringify(n.slice(0, 120)))
        .join(', ');
      problems.push({
        line: null,
        offset: null,
        message: `${names.length === 1 ? '1 file' : `${names.length} files`} the messages name ${BESIDE_WORDS[why]} (${shown}${names.length > 3 ? ', …' : ''}), so ${names.length === 1 ? 'it is' : 'they are'} not stored.`,
      });
    }
    if (problems.length) summary = { ...summary, problems: [...summary.problems, ...problems] };
    return {
      reader: input.reader,
      summary,
      messages: staging,
      files,
      participants: [...participants.values()].sort((a, b) => b.messages - a.messages),
      firstTime,
      lastTime,
      mediaCount,
      attachmentCount,
      discard: async () => {
        await staging.discard();
        await files.discard();
      },
    };
  } catch (e) {
    return await fail(e); // awaited here: the finally below would leave it unhandled meanwhile
  } finally {
    await age.close().catch(() => undefined);
  }
}

/**
 * What a failure while reading means: the person's choice is needed (NEEDS_CHOICE), the
 * import was cancelled, or the vault could not be written or read (a full disk, IO) — all
 * stop the import — or else the reader is at fault (its bug, a limit it hit), and the
 * original is kept as a plain item.
 */
function readerFault(e: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return new DossierError('USAGE', 'The import was cancelled.');
  if (e instanceof ReaderFailed) return e;
  if (
    isDossierError(e, 'NEEDS_CHOICE') ||
    isDossierError(e, 'NO_SPACE') ||
    isDossierError(e, 'IO') ||
    isDossierError(e, 'CORRUPT') ||
    isDiskFull(e)
  )
    return e;
  return new ReaderFailed(reason(e));
}

const BESIDE_WORDS: Record<string, string> = {
  'not a safe path': 'have paths that point outside the export folder',
  'not there': 'were not found in the folder beside the export',
  'not a plain file': 'are links or folders, not plain files inside the export folder',
  'too big': `are larger than ${CONVERSATION_LIMITS.maxChatFileBytes / 1024 / 1024} MiB`,
};

/** The vault's disk is full: a file, or the database (a pending record, a staged row). */
function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.slice(0, 300);
}

/**
 * Saves a conversation read by readConversation: its row, every message with its full-text
 * row, the derived items with their `ingest` entries, and the `derive` entry. Synchronous:
 * runs inside the transaction that inserts the export's own item (at import), or that turns
 * an item already in the vault into a conversation (read-item.ts; `entry` then says so).
 */
export function insertConversation(
  deps: StoreDeps,
  itemId: string,
  c: ReadConversation,
  at: Date,
  entry:
    | { what: 'conversation read' }
    | Pick<
        ReadAsConversationDetails,
        'what' | 'kindBefore' | 'searchTextReplaced' | 'warningsCleared'
      > = { what: 'conversation read' },
): void {
  const s = c.summary;
  deps.db.prepare("UPDATE items SET kind = 'conversation' WHERE id = ?").run(itemId);
  c.files.insert(itemId, at);
  deps.db
    .prepare(
      `INSERT INTO conversations (item_id, format, reader, chat_file, title, message_count,
         participants, first_time, last_time, date_order, time_zone, problems, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      itemId,
      c.reader.format,
      s.reader,
      s.chatFile,
      s.title,
      c.messages.count,
      JSON.stringify(c.participants),
      c.firstTime,
      c.lastTime,
      s.dateOrder,
      s.timeZone,
      JSON.stringify(s.problems),
      at.toISOString(),
    );
  const insert = deps.db.prepare(
    `INSERT INTO messages (id, item_id, idx, kind, sender, sender_id, sender_key, time, time_utc,
       time_source, text, edited, byte_offset, byte_length, sha256, line, line_end, external_id,
       reply_to, details, attachments)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const search = deps.db.prepare(
    'INSERT INTO message_search (rowid, sender, text) VALUES (?, ?, ?)',
  );
  // An attachment linked to a file another import stored meanwhile names that item instead.
  const standIn = c.files.replaced;
  // The page cache would otherwise fill to its full size (256 MiB) with the pages written, so
  // a large mailbox would cost that much more memory than a small one; bulk inserts need few.
  const cacheSize = deps.db.pragma('cache_size', { simple: true }) as number;
  deps.db.pragma(`cache_size = ${-INSERT_CACHE_KIB}`);
  const labels = labelTagger(deps.db);
  try {
    for (const m of c.messages.read()) {
      const r = insert.run(
        m.id,
        itemId,
        m.idx,
        m.kind,
        m.sender,
        m.senderId,
        m.senderKey,
        m.time,
        m.timeUtc,
        m.timeSource,
        m.text,
        m.edited ? 1 : 0,
        m.offset,
        m.length,
        m.sha256,
        m.line,
        m.lineEnd,
        m.externalId,
        m.replyTo,
        m.detailsJson,
        standIn.size === 0 ? m.attachmentsJson : withStandIns(m.attachmentsJson, standIn),
      );
      search.run(r.lastInsertRowid, m.sender, m.text);
      labels.tag(m.id, m.labels);
    }
  } finally {
    deps.db.pragma(`cache_size = ${cacheSize}`);
  }
  deps.custody.append('derive', [itemId], {
    ...entry,
    format: c.reader.format,
    reader: s.reader,
    chatFile: s.chatFile,
    messages: c.messages.count,
    problems: s.problems.length,
    dateOrder: s.dateOrder,
    dateOrderSource: s.dateOrderSource,
    timeZone: s.timeZone,
    timeZoneSource: s.timeZoneSource,
    media: c.mediaCount,
    attachments: c.attachmentCount,
    derivedItems: [...c.files.inserted],
    linkedItems: [...new Set(c.files.linked)],
    ...(labels.names.size ? { labelTags: [...labels.names] } : {}),
  });
}

/** Gmail's read-state flags: labels no person gave, which would tag nearly every message. */
const STATE_LABELS = new Set(['opened', 'unread']);

/**
 * A mailbox's Gmail labels (`details.labels`, from X-Gmail-Labels) become its messages' tags,
 * as the person organised them in Gmail. A label a tag could not be (a control character,
 * over 200 characters) is left in the details only, as are Gmail's read-state flags.
 */
function labelTags(details: unknown): string[] {
  const list = (details as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(list)) return [];
  const names: string[] = [];
  for (const raw of list) {
    if (typeof raw !== 'string') continue;
    const name = raw.trim();
    // eslint-disable-next-line no-control-regex -- a tag is one line of visible text
    if (!name || name.length > 200 || /[\u0000-\u001f\u007f-\u009f]/.test(name)) continue;
    if (STATE_LABELS.has(name.toLowerCase())) continue;
    names.push(name);
  }
  return names;
}

/** An attachment list with the items another import stored meanwhile named instead. */
function withStandIns(json: string, standIn: ReadonlyMap<string, string>): string {
  const list = JSON.parse(json) as { itemId: string | null }[];
  return JSON.stringify(
    list.map((a) => ({ ...a, itemId: a.itemId ? (standIn.get(a.itemId) ?? a.itemId) : null })),
  );
}

/** Links messages to the tags of their labels, making each tag once (labelTags). */
function labelTagger(db: Db): {
  tag(messageId: string, names: readonly string[]): void;
  names: Set<string>;
} {
  const addTag = db.prepare('INSERT OR IGNORE INTO tags (name) VALUES (?)');
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck();
  const link = db.prepare('INSERT OR IGNORE INTO message_tags (message_id, tag_id) VALUES (?, ?)');
  const ids = new Map<string, number | bigint>();
  const names = new Set<string>();
  return {
    names,
    tag(messageId, labels) {
      for (const name of labels) {
        let id = ids.get(name.toLowerCase());
        if (id === undefined) {
          addTag.run(name);
          id = tagId.get(name) as number | bigint;
          ids.set(name.toLowerCase(), id);
        }
        link.run(messageId, id);
        names.add(name);
      }
    },
  };
}

/** Incidents the messages of a conversation are linked to (named when the item is removed). */
export function conversationIncidents(db: Db, itemId: string): string[] {
  return db
    .prepare(
      `SELECT DISTINCT l.incident_id FROM incident_messages l
         JOIN messages m ON m.id = l.message_id WHERE m.item_id = ?`,
    )
    .pluck()
    .all(itemId) as string[];
}

/**
 * Removes what was read from a conversation, with its item (vault/removal.ts): the messages,
 * their search rows, tags, notes and incident links, and the conversation row. They are
 * derived from the original, which the removal's `delete` entry records.
 */
export function deleteConversationRows(db: Db, itemId: string): void {
  const each = '(SELECT id FROM messages WHERE item_id = ?)';
  db.prepare(
    'DELETE FROM message_search WHERE rowid IN (SELECT n FROM messages WHERE item_id = ?)',
  ).run(itemId);
  for (const table of ['incident_messages', 'message_tags', 'message_notes'])
    db.prepare(`DELETE FROM ${table} WHERE message_id IN ${each}`).run(itemId);
  db.prepare('DELETE FROM messages WHERE item_id = ?').run(itemId);
  db.prepare('DELETE FROM conversations WHERE item_id = ?').run(itemId);
}
