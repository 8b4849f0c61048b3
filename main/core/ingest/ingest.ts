import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BlobStore, BlobWriter } from '../blobs/store';
import type { CaseRepository } from '../cases/repository';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';
import { DossierError, isDossierError } from '../errors';
import type { EvidenceFacts, Sniffed } from '../evidence';
import { LONG_TEXT_PROBLEM } from '../evidence/text';
import { itemMetadata } from '../evidence/item-metadata';
import { asIoError } from '../fs-safety';
import { newId } from '../ids';
import type { ItemRepository } from '../items/repository';
import { sourceOrigin } from '../items/source-path';
import { HashWorker } from '../hash-worker';
import { SealWorker, type Sealed } from '../seal-worker';
import { CHUNK_SIZE } from '../age/stream';
import { planImport, type PlannedFile } from './walk';
import { findReader } from '../conversations/readers';
import {
  assertReadChoices,
  DerivedFiles,
  insertConversation,
  readConversation,
  readOptionsFrom,
  ReaderFailed,
  readerFailedWarning,
  type ReadConversation,
} from '../conversations/store';
import type { ReadOptions } from '../conversations/types';
import {
  EMAIL_MIMES,
  MAX_EMAIL_ATTACHMENT_SOURCE_BYTES,
  readStoredBlob,
  storeEmailAttachments,
} from './email-attachments';
import { PendingBlobs, type PendingMac } from './pending-blobs';

export interface AddOptions {
  tags?: readonly string[];
  note?: string;
  /** Called often while bytes move; cheap to ignore. */
  onProgress?: (p: AddProgress) => void;
  /** Called once per path, in the order of the plan. */
  onResult?: (r: AddResult) => void;
  signal?: AbortSignal;
  /** Files processed at once (overlaps disk, hashing and thumbnails). */
  concurrency?: number;
  /** Day/month order for chat exports that do not say (WhatsApp); see conversations/types.ts. */
  dateOrder?: ReadOptions['dateOrder'];
  /** IANA zone for chat exports that write wall-clock times; default: this computer's. */
  timeZone?: string;
}

export interface AddProgress {
  itemsDone: number;
  itemsTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export type AddResult =
  | {
      status: 'added';
      duplicate: false;
      id: string;
      sha256: string;
      name: string;
      path: string;
      size: number;
      mime: string;
      warnings: string[];
    }
  | {
      status: 'duplicate';
      duplicate: true;
      id: string;
      sha256: string;
      name: string;
      path: string;
      size: number;
      existingName: string;
    }
  | { status: 'failed' | 'skipped'; path: string; name: string; error: string; code?: string };

export interface AddReport {
  results: AddResult[];
  added: number;
  /** Of those added, how many came with a warning (a damaged or empty file…). */
  withWarnings: number;
  duplicates: number;
  failed: number;
  skipped: number;
}

// sharp, exifr and file-type take a while to load; commands that import nothing skip them.
let evidenceModule: Promise<typeof import('../evidence')> | null = null;
const evidence = (): Promise<typeof import('../evidence')> =>
  (evidenceModule ??= import('../evidence'));

const READ_CHUNK = 1024 * 1024;
const HEAD_BYTES = 64 * 1024;
/** Below this, a round trip to the hash worker costs more than it saves. */
const PARALLEL_HASH_MIN_BYTES = 4 * 1024 * 1024;

/** What an import needs of the vault (quarantine restore imports through it too). */
export interface IngestDeps {
  db: Db;
  items: ItemRepository;
  blobs: BlobStore;
  custody: CustodyLog;
  cases: CaseRepository;
  /** Authenticates pending-blob records (ingest/pending-blobs.ts); without it they protect nothing. */
  pendingMac?: PendingMac;
}

/** Hashes inline, or on the hash worker for big files; same interface either way. */
interface Hasher {
  /** Where to read the next chunk. */
  buffer(): Buffer | Promise<Buffer>;
  /** Hashes a chunk read into buffer(); the chunk is handed over. */
  update(chunk: Buffer): void | Promise<void>;
  digest(): string | Promise<string>;
  abandon(): void;
  /**
   * For big files: seals chunks read into buffer() on the seal worker, so encryption runs on
   * another core too. Chunks must be whole slots (1 MiB) except the last.
   */
  seal?(key: Buffer, firstIndex: number, lastIndex: number, chunk: Buffer): Promise<Sealed>;
}

function inlineHasher(): Hasher {
  const h = createHash('sha256');
  // Two buffers in turn: one is read into while the other is processed.
  const buffers = [Buffer.allocUnsafeSlow(READ_CHUNK), Buffer.allocUnsafeSlow(READ_CHUNK)];
  let turn = 0;
  return {
    buffer: () => buffers[turn++ % 2]!,
    update: (c) => void h.update(c),
    digest: () => h.digest('hex'),
    abandon: () => undefined,
  };
}

function workerHasher(worker: HashWorker, sealer: SealWorker): Hasher {
  const job = worker.start('sha256');
  return {
    buffer: () => job.slot(),
    update: (c) => job.update(c),
    digest: () => job.digest(),
    abandon: () => job.abandon(),
    seal: async (key, firstIndex, lastIndex, chunk) => {
      // Both workers read the slot: it is not reused until both are done with it.
      worker.retain(chunk);
      try {
        return await sealer.seal(key, firstIndex, lastIndex, chunk);
      } finally {
        worker.releaseSlot(chunk);
      }
    },
  };
}

/**
 * Imports files and folders. Each file's bytes are read once: the same pass hashes
 * (SHA-256) and encrypts them into a blob. The blob is durable before the row that
 * refers to it commits; a result of 'added' means the item is safely in the vault.
 * A file that cannot be read fails alone; a full disk stops the import.
 */
export async function addPaths(
  deps: IngestDeps,
  /** Paths as text, or as bytes for names that are not UTF-8 (see walk.ts). */
  paths: readonly (string | Buffer)[],
  opts: AddOptions = {},
): Promise<AddReport> {
  assertReadChoices(opts);
  const { files, problems } = await planImport(paths, deps.blobs.vaultDir);
  const results: AddResult[] = [];
  const emit = (r: AddResult): void => {
    results.push(r);
    opts.onResult?.(r);
  };
  for (const p of problems)
    emit({ status: p.status, path: p.path, name: basename(p.path), error: p.message });

  const progress: AddProgress = {
    itemsDone: 0,
    itemsTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((n, f) => n + f.size, 0),
  };
  const report = (): void => opts.onProgress?.({ ...progress });
  report();

  let hashWorker: HashWorker | null = null;
  let sealWorker: SealWorker | null = null;
  const hasherFor = (size: number): Hasher => {
    if (size < PARALLEL_HASH_MIN_BYTES) return inlineHasher();
    hashWorker ??= new HashWorker();
    sealWorker ??= new SealWorker(hashWorker.pool);
    return workerHasher(hashWorker, sealWorker);
  };

  let fatal: unknown = null;
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  // Each started file settles to an outcome and never rejects: a full disk in one file must
  // not leave another's failure unhandled, and every started file is awaited below.
  type Outcome = { ok: true; result: AddResult } | { ok: false; error: unknown };
  const started: Promise<Outcome>[] = [];
  const startNext = (): void => {
    const file = files[started.length];
    if (!file) return;
    started.push(
      ingestOne(deps, file, opts, hasherFor, (n) => {
        progress.bytesDone += n;
        report();
      }).then(
        (result): Outcome => {
          progress.itemsDone++;
          report();
          return { ok: true, result };
        },
        (error: unknown): Outcome => ({ ok: false, error }),
      ),
    );
  };
  try {
    for (let i = 0; i < concurrency; i++) startNext();
    // Results in the order of the plan; after a full disk or a cancel, nothing new starts,
    // but files already under way finish (or fail) and are reported as they are.
    for (let i = 0; i < started.length; i++) {
      const file = files[i]!;
      const outcome = await started[i]!;
      let r: AddResult;
      if (outcome.ok) r = outcome.result;
      else {
        // Only a full disk, a cancel or an unexpected failure gets here.
        fatal ??= outcome.error;
        r = {
          status: 'failed',
          path: file.path,
          name: basename(file.path),
          error: errorMessage(outcome.error),
          code: errorCode(outcome.error),
        };
      }
      emit(r);
      if (fatal === null && !opts.signal?.aborted) startNext();
    }
  } catch (e) {
    // A failure outside any one file (say, in onResult): wait for the files under way, so
    // none is left running after this returns, then report it.
    await Promise.allSettled(started);
    throw e;
  } finally {
    await (hashWorker as HashWorker | null)?.close();
    await (sealWorker as SealWorker | null)?.close();
  }
  if (fatal === null && opts.signal?.aborted)
    fatal = new DossierError('USAGE', 'The import was cancelled.');
  if (fatal !== null) {
    for (const f of files.slice(started.length)) {
      emit({
        status: 'failed',
        path: f.path,
        name: basename(f.path),
        error: 'Not imported: the import stopped before this file.',
      });
    }
    throw Object.assign(fatal as object, { report: summarise(results) });
  }
  return summarise(results);
}

function summarise(results: AddResult[]): AddReport {
  const count = (s: AddResult['status']): number => results.filter((r) => r.status === s).length;
  return {
    results,
    added: count('added'),
    withWarnings: results.filter((r) => r.status === 'added' && r.warnings.length > 0).length,
    duplicates: count('duplicate'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
function errorCode(e: unknown): string | undefined {
  return isDossierError(e) ? e.code : undefined;
}

/** Per-file failures become a 'failed' result; a full disk or a cancel is thrown to stop the batch. */
async function ingestOne(
  deps: IngestDeps,
  file: PlannedFile,
  opts: AddOptions,
  hasherFor: (size: number) => Hasher,
  onBytes: (n: number) => void,
): Promise<AddResult> {
  const name = basename(file.path);
  let counted = 0;
  const count = (n: number): void => {
    counted += n;
    onBytes(n);
  };
  try {
    // A file written to while it was read is read once more: a save that just finished
    // is then stored whole. If it changes again, it is refused rather than stored torn.
    for (let attempt = 1; ; attempt++) {
      try {
        return await ingestFile(deps, file.path, name, opts, hasherFor, count, {
          bytes: file.bytes,
        });
      } catch (e) {
        if (!(e instanceof SourceChanged) || attempt === 2) throw e;
        onBytes(-counted);
        counted = 0;
      }
    }
  } catch (e) {
    if (isDossierError(e, 'NO_SPACE') || opts.signal?.aborted) throw e;
    const err =
      e instanceof SourceChanged
        ? new DossierError(
            'IO',
            `${file.path} changed while it was being read; it was not added. Close the program writing it and add it again.`,
          )
        : asIoError(e, file.path);
    return {
      status: 'failed',
      path: file.path,
      name,
      error: errorMessage(err),
      code: errorCode(err),
    };
  }
}

/** The source file was written to while it was read: what was read is not one version of it. */
class SourceChanged extends Error {}

/** What ingestFile reads: an open file, or bytes held in memory (never written out in plain). */
interface Source {
  stat(): Promise<SourceStat>;
  read(
    buf: Buffer,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

interface SourceStat {
  size: number;
  mtime: Date | null;
  isFile(): boolean;
  /** Differs whenever the file was written to or replaced; null for bytes held in memory. */
  version: string | null;
}

function memorySource(data: Uint8Array, mtime: Date | null): Source {
  return {
    stat: async () => ({ size: data.length, mtime, isFile: () => true, version: null }),
    read: async (buf, offset, length, position) => {
      const part = data.subarray(position, position + length);
      buf.set(part, offset);
      return { bytesRead: part.length };
    },
    close: async () => undefined,
  };
}

/**
 * An open file, never followed through a link. Its version covers size, modification and
 * change times, and identity, and it also changes when the path now names another file
 * (replaced by a rename while it was read).
 */
async function fileSource(path: string | Buffer): Promise<Source> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  return {
    stat: async () => {
      const st = await handle.stat({ bigint: true });
      const now = await lstat(path, { bigint: true }).catch(() => null);
      const named = now && now.ino === st.ino && now.dev === st.dev ? 'same' : 'other';
      return {
        size: Number(st.size),
        mtime: st.mtime,
        isFile: () => st.isFile(),
        version: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${named}`,
      };
    },
    read: (buf, offset, length, position) => handle.read(buf, offset, length, position),
    close: () => handle.close(),
  };
}

/**
 * Imports bytes given directly (a pasted picture, a file dropped into a browser): the same
 * sniffing, previews, duplicate check and custody entry as for a file, with no source path.
 * The bytes stay in memory: plaintext evidence is never written to disk.
 */
export async function addData(
  deps: IngestDeps,
  input: { name: string; data: Uint8Array; mtime: Date | null },
  opts: AddOptions = {},
): Promise<AddResult> {
  assertReadChoices(opts);
  let hashWorker: HashWorker | null = null;
  let sealWorker: SealWorker | null = null;
  const hasherFor = (size: number): Hasher => {
    if (size < PARALLEL_HASH_MIN_BYTES) return inlineHasher();
    hashWorker ??= new HashWorker();
    sealWorker ??= new SealWorker(hashWorker.pool);
    return workerHasher(hashWorker, sealWorker);
  };
  try {
    return await ingestFile(deps, null, input.name, opts, hasherFor, () => undefined, {
      memory: memorySource(input.data, input.mtime),
    });
  } finally {
    await (hashWorker as HashWorker | null)?.close();
    await (sealWorker as SealWorker | null)?.close();
  }
}

async function ingestFile(
  deps: IngestDeps,
  sourcePath: string | null,
  name: string,
  opts: AddOptions,
  hasherFor: (size: number) => Hasher,
  onBytes: (n: number) => void,
  from: { memory?: Source; bytes?: Buffer } = {},
): Promise<AddResult> {
  // Results name where a file came from; bytes given directly have only their name.
  const path = sourcePath ?? name;
  const handle: Source = from.memory ?? (await fileSource(from.bytes ?? path));
  const raw = exactBytes(from.bytes);
  let writer: BlobWriter | null = null;
  let thumbId: string | null = null;
  let hash: Hasher | null = null;
  // Files written before the transaction that saves them (a chat export's, an email's).
  let pendingBlobs: PendingBlobs | null = null;
  let conversation: ReadConversation | null = null;
  let attachments: DerivedFiles | null = null;
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new DossierError('IO', `${path} is not a regular file.`);
    writer = await deps.blobs.create(st.size);
    hash = hasherFor(st.size);
    const { sniffMime, shouldBuffer, examineEvidence } = await evidence();
    let size = 0;
    let head: Buffer | null = null;
    let sniffed: Sniffed | null = null;
    let keep: Buffer[] | null = null;
    // Fills the buffer unless the file ends: chunk numbering on the seal worker needs whole slots.
    const readAt = async (position: number): Promise<{ buf: Buffer; n: number }> => {
      const buf = await hash!.buffer();
      const want = Math.min(READ_CHUNK, buf.length);
      let n = 0;
      try {
        for (;;) {
          const { bytesRead } = await handle.read(buf, n, want - n, position + n);
          n += bytesRead;
          if (bytesRead === 0 || n === want) return { buf, n };
        }
      } catch (e) {
        // A pooled buffer must go back even when the read fails, or the pool runs dry.
        await hash!.update(buf.subarray(0, 0));
        throw e;
      }
    };
    const changed = (): SourceChanged => new SourceChanged();
    // Big files: sealed on the seal worker, written here in order as results come back.
    const lastIndex = Math.max(0, Math.ceil(st.size / CHUNK_SIZE) - 1);
    const sealed: Promise<Sealed>[] = [];
    const writeSealed = async (keep: number): Promise<void> => {
      while (sealed.length > keep) {
        const s = await sealed.shift()!;
        try {
          await writer!.writeSealed(s.data);
        } finally {
          s.release();
        }
      }
    };
    // The next read runs while this chunk is encrypted and hashed.
    // Reads and seals run ahead of the await that consumes them: each gets a handler at once,
    // so a failure before that await is never an unhandled rejection (it is thrown there).
    const ahead = <T>(p: Promise<T>): Promise<T> => {
      p.catch(() => undefined);
      return p;
    };
    let pending: Promise<{ buf: Buffer; n: number }> | null = ahead(readAt(0));
    try {
      for (;;) {
        if (opts.signal?.aborted) throw new DossierError('USAGE', 'The import was cancelled.');
        const read: Promise<{ buf: Buffer; n: number }> = pending;
        pending = null;
        const { buf, n } = await read;
        if (n === 0) {
          await hash.update(buf.subarray(0, 0)); // gives a pooled buffer back
          break;
        }
        const chunk = buf.subarray(0, n);
        if (head === null) {
          head = Buffer.from(chunk.subarray(0, HEAD_BYTES));
          sniffed = await sniffMime(head, name);
          if (shouldBuffer(sniffed.mime, st.size)) keep = [];
        }
        pending = ahead(readAt(size + n));
        // The read buffer is recycled, so the preview keeps its own copy.
        keep?.push(Buffer.from(chunk));
        if (hash.seal) {
          if (size + n > st.size) {
            await hash.update(buf.subarray(0, 0));
            throw changed();
          }
          sealed.push(ahead(hash.seal(writer.payloadKey, size / CHUNK_SIZE, lastIndex, chunk)));
          await hash.update(chunk);
          await writeSealed(3);
        } else {
          // Encrypt first (the encryptor copies), then hand the bytes to the hasher.
          await writer.write(chunk);
          await hash.update(chunk);
        }
        size += n;
        onBytes(n);
      }
      if (hash.seal) await writeSealed(0);
    } catch (e) {
      // Give back the buffers still in flight (a read already consumed gave its own back).
      pending?.then(({ buf }) => hash?.update(buf.subarray(0, 0))).catch(() => undefined);
      for (const s of sealed) s.then((x) => x.release()).catch(() => undefined);
      throw e;
    }
    // Compared before and after every read: a rewrite in place would otherwise be stored as
    // a mix of two versions, with a hash that matches neither.
    if (size !== st.size) throw changed();
    if (st.version !== null && (await handle.stat()).version !== st.version) throw changed();
    head ??= Buffer.alloc(0);
    sniffed ??= await sniffMime(head, name);
    const sha256 = await hash.digest();
    hash = null;

    const existing = deps.items.findBySha256(sha256);
    if (existing) {
      await writer.abort();
      return recordDuplicate(
        deps,
        existing,
        { path, sourcePath, name, sha256, size, mtime: st.mtime, ...raw },
        opts,
      );
    }
    // A chat export's original is recorded as pending before it is moved into place: killed
    // while its messages are read, the import was never saved and unlock deletes it.
    const reader = findReader(head, name, sniffed.mime);
    const isEmail = EMAIL_MIMES.has(sniffed.mime);
    if (reader || isEmail) pendingBlobs = new PendingBlobs(deps.db, deps.pendingMac);
    if (reader) pendingBlobs!.include(writer.id);
    await writer.commit();

    const emailBytes = isEmail && keep ? Buffer.concat(keep, size) : null;
    const facts: EvidenceFacts = await examineEvidence({
      head,
      bytes: emailBytes ?? (keep ? Buffer.concat(keep, size) : null),
      name,
      size,
      sniffed,
    });
    keep = null;
    if (facts.thumbnail) thumbId = await deps.blobs.putBuffer(facts.thumbnail.jpeg);

    const readProblems: string[] = [];
    if (reader) {
      try {
        conversation = await readConversation(deps, {
          blobId: writer.id,
          name,
          head,
          reader,
          opts: readOptionsFrom(opts),
          pending: pendingBlobs!,
          exportPath: sourcePath,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
      } catch (e) {
        if (!(e instanceof ReaderFailed)) throw e;
        readProblems.push(readerFailedWarning(reader.format, e.message));
      }
    } else if (isEmail) {
      attachments = new DerivedFiles(deps, pendingBlobs!);
      const bytes =
        emailBytes ??
        (size <= MAX_EMAIL_ATTACHMENT_SOURCE_BYTES
          ? await readStoredBlob(deps.blobs, writer.id)
          : null);
      readProblems.push(
        ...(bytes
          ? await storeEmailAttachments(bytes, attachments)
          : [
              `This email is larger than ${MAX_EMAIL_ATTACHMENT_SOURCE_BYTES / 1024 / 1024} MiB, so its attachments were not stored as items of their own. The email itself is stored whole.`,
            ]),
      );
      await attachments.settle();
    }
    // A cancel while a conversation was read leaves nothing of it (other files are read by now).
    if (conversation && opts.signal?.aborted)
      throw new DossierError('USAGE', 'The import was cancelled.');

    const id = newId();
    // The custody entry names the source without its full path (items/source-path.ts).
    const origin = sourceOrigin(sourcePath);
    const warnings = [
      ...(size === 0 ? ['The file is empty (0 bytes).'] : []),
      ...(raw.nameHex
        ? [
            `The file name is not valid UTF-8, so it is shown with \uFFFD where its bytes could not be read as text; its exact bytes are kept with the item's sources (hex ${raw.nameHex}).`,
          ]
        : []),
      // A conversation's words are searched message by message: the file's text is not cut.
      ...(conversation ? facts.errors.filter((e) => e !== LONG_TEXT_PROBLEM) : facts.errors),
      ...readProblems,
    ];
    const now = new Date();
    try {
      deps.db.transaction(() => {
        deps.items.insertBlob(writer!.id, 'original', size, sha256);
        if (thumbId && facts.thumbnail) {
          deps.items.insertBlob(
            thumbId,
            'thumbnail',
            facts.thumbnail.jpeg.length,
            sha256Hex(facts.thumbnail.jpeg),
          );
        }
        deps.items.insert({
          id,
          blobId: writer!.id,
          sha256,
          size,
          mime: facts.mime,
          name,
          sourcePath,
          pathSalt: origin.salt,
          nameHex: raw.nameHex,
          sourcePathHex: raw.sourcePathHex,
          ingestedAt: now.toISOString(),
          ingestedOffsetMinutes: -now.getTimezoneOffset(),
          sourceMtime: st.mtime?.toISOString() ?? null,
          sourceExifTime: facts.exif?.capturedAt ?? null,
          sourceEmailTime: facts.email?.sentAt ?? null,
          // A conversation's words are searched message by message (message_search).
          extractedText: conversation ? null : facts.text,
          width: facts.image?.width ?? null,
          height: facts.image?.height ?? null,
          thumbBlobId: thumbId,
          metadata: itemMetadata(facts),
          metadataErrors: warnings,
          sensitive: facts.sensitive,
        });
        const tags = deps.items.addTags(id, opts.tags ?? []);
        if (opts.note?.trim()) deps.items.addNote(id, newId(), opts.note.trim(), now.toISOString());
        deps.items.refreshSearch(id);
        // An email from someone already recorded is linked to them as its sender.
        const from = facts.email?.fromAddress;
        const sender = from ? deps.cases.personByIdentifier('email', from) : null;
        deps.custody.append('ingest', [id], {
          name,
          sha256,
          size,
          mime: facts.mime,
          source: origin.ref,
          sourceMtime: st.mtime?.toISOString() ?? null,
          ...(raw.nameHex ? { nameHex: raw.nameHex } : {}),
          blob: writer!.id,
          tags,
          ...(opts.note?.trim() ? { note: opts.note.trim() } : {}),
          ...(warnings.length ? { metadataErrors: warnings } : {}),
        });
        if (sender && deps.cases.linkItemPerson(id, sender, 'sender')) {
          deps.custody.append('annotate', [id, sender], {
            what: 'email sender linked to person',
            relation: 'sender',
            address: from,
          });
        }
        if (conversation) insertConversation(deps, id, conversation, now);
        if (attachments) {
          attachments.insert(id, now);
          if (attachments.inserted.length || attachments.linked.length || readProblems.length) {
            deps.custody.append('derive', [id], {
              what: 'email attachments stored',
              by: 'import',
              derivedItems: [...attachments.inserted],
              linkedItems: [...new Set(attachments.linked)],
              problems: readProblems,
            });
          }
        }
        pendingBlobs?.clear();
      })();
    } catch (e) {
      await conversation?.discard();
      await attachments?.discard();
      conversation = attachments = null;
      // Two copies of the same bytes imported at once: the other one won.
      const winner = deps.items.findBySha256(sha256);
      if (winner) {
        await writer.discard();
        pendingBlobs?.clear();
        if (thumbId) await deps.blobs.remove(thumbId);
        return recordDuplicate(
          deps,
          winner,
          { path, sourcePath, name, sha256, size, mtime: st.mtime, ...raw },
          opts,
        );
      }
      throw diskFullIn(e, deps.db.name);
    }
    // Saved: the staged rows go, and files another import stored first.
    await conversation?.messages.discard();
    await conversation?.files.discardUnused();
    await attachments?.discardUnused();
    conversation = attachments = null;
    pendingBlobs = null;
    return {
      status: 'added',
      duplicate: false,
      id,
      sha256,
      name,
      path,
      size,
      mime: facts.mime,
      warnings,
    };
  } catch (e) {
    hash?.abandon();
    await conversation?.discard();
    await attachments?.discard();
    await writer?.discard();
    if (thumbId) await deps.blobs.remove(thumbId);
    // Everything it recorded is gone; a failure to say so is harmless (unlock finds nothing).
    try {
      pendingBlobs?.clear();
    } catch {
      // The record stays; unlock clears it.
    }
    throw e;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function recordDuplicate(
  deps: IngestDeps,
  existing: { id: string; name: string },
  f: {
    path: string;
    sourcePath: string | null;
    name: string;
    sha256: string;
    size: number;
    mtime: Date | null;
    nameHex: string | null;
    sourcePathHex: string | null;
  },
  opts: AddOptions,
): AddResult {
  const now = new Date().toISOString();
  try {
    recordDuplicateRows(deps, existing, f, opts, now);
  } catch (e) {
    throw diskFullIn(e, deps.db.name);
  }
  return {
    status: 'duplicate',
    duplicate: true,
    id: existing.id,
    sha256: f.sha256,
    name: f.name,
    path: f.path,
    size: f.size,
    existingName: existing.name,
  };
}

function recordDuplicateRows(
  deps: IngestDeps,
  existing: { id: string; name: string },
  f: {
    sourcePath: string | null;
    name: string;
    sha256: string;
    mtime: Date | null;
    nameHex: string | null;
    sourcePathHex: string | null;
  },
  opts: AddOptions,
  now: string,
): void {
  // The custody entry names the source without its full path (items/source-path.ts).
  const origin = sourceOrigin(f.sourcePath);
  deps.db.transaction(() => {
    deps.items.addSource(existing.id, {
      name: f.name,
      sourcePath: f.sourcePath,
      sourceMtime: f.mtime?.toISOString() ?? null,
      seenAt: now,
      pathSalt: origin.salt,
      nameHex: f.nameHex,
      sourcePathHex: f.sourcePathHex,
    });
    const tags = deps.items.addTags(existing.id, opts.tags ?? []);
    if (opts.note?.trim()) deps.items.addNote(existing.id, newId(), opts.note.trim(), now);
    deps.items.refreshSearch(existing.id);
    deps.custody.append('duplicate', [existing.id], {
      name: f.name,
      sha256: f.sha256,
      source: origin.ref,
      sourceMtime: f.mtime?.toISOString() ?? null,
      ...(f.nameHex ? { nameHex: f.nameHex } : {}),
      tags,
      ...(opts.note?.trim() ? { note: opts.note.trim() } : {}),
    });
  })();
}

/** A full disk met while writing the vault's database names the database, not the source. */
function diskFullIn(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' ? asIoError(e, path) : e;
}

/** Hex of a path's exact bytes, and of its last name when that alone is not UTF-8. */
function exactBytes(bytes: Buffer | undefined): {
  nameHex: string | null;
  sourcePathHex: string | null;
} {
  if (!bytes) return { nameHex: null, sourcePathHex: null };
  const name = bytes.subarray(bytes.lastIndexOf(0x2f) + 1);
  return {
    nameHex: isUtf8(name) ? null : name.toString('hex'),
    sourcePathHex: bytes.toString('hex'),
  };
}

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
