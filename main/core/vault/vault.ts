import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { X25519Identity } from '../age';
import { BlobStore } from '../blobs/store';
import { Quarantine, type QuarantinedFile } from '../blobs/quarantine';
import {
  CaseRepository,
  type IdentifierKind,
  type Incident,
  type IncidentInput,
  type Person,
  type PersonInput,
} from '../cases/repository';
import {
  ANCHOR_MARK,
  anchorMarked,
  anchorProblem,
  makeAnchor,
  readAnchor,
  verifyVaultCustody,
  type AnchorState,
} from '../custody/anchor';
import { itemRow, recordDifferences } from '../custody/ingest-record';
import { CustodyLog, type ChainReport, type CustodyEntry } from '../custody/log';
import { LABELLED_SUBJECTS, subjectLabels, type SubjectLabel } from '../custody/subjects';
import {
  ConversationRepository,
  type ConversationView,
  type MessageDetail,
  type MessageHit,
  type MessageNote,
  type MessageView,
} from '../conversations/repository';
import { asDatabaseError, openDatabase, type Db } from '../db/database';
import { DossierError } from '../errors';
import type {
  BundlePagesOptions,
  ExportDeps,
  ExportOptions,
  ExportResult,
  LocatedItem,
} from '../export/export';
import { ExportsInProgress } from '../export/in-progress';
import { asIoError } from '../fs-safety';
import { newId } from '../ids';
import {
  addData,
  addPaths,
  type AddOptions,
  type AddReport,
  type AddResult,
  type IngestDeps,
} from '../ingest/ingest';
import { markEmailAttachmentsJobDone, runEmailAttachmentsJob } from '../ingest/email-attachments';
import { markXmpLocationJobDone, runXmpLocationJob } from '../ingest/xmp-location-job';
import { CopyPreviews } from '../redaction/copy-previews';
import { clearPendingBlobs, pendingBlobIds } from '../ingest/pending-blobs';
import { BlobWrites } from './blob-writes';
import {
  itemDateOrderCheck,
  readerForItem,
  readItemAsConversation,
  type StoredItem,
} from '../conversations/read-item';
import type { DateOrderCheck } from '../conversations/whatsapp';
import { assertReadChoices, type ReadChoices, type StoreDeps } from '../conversations/store';
import type { ConversationFormat } from '../conversations/types';
import { checkIntegrity, type IntegrityReport } from '../integrity';
import {
  AnnotationRepository,
  boxInMillionths,
  REGION_SCALE,
  regionView,
  type Note,
  type RegionView,
} from '../items/annotations';
import { Library } from '../items/library';
import type { ItemDetail, ItemSummary } from '../items/repository';
import { deriveVaultKeys, sqlcipherKeyLiteral, type VaultKeys } from '../keys/derive';
import { openPendingCode, sealPendingCode } from '../keys/pending-recovery';
import { formatRecoveryCode, newRecoveryCode, parseRecoveryCode } from '../keys/recovery-code';
import {
  assertPassphraseAcceptable,
  makePassphraseSlot,
  makeRecoverySlot,
  openPassphraseSlot,
  openRecoverySlot,
  type Argon2Params,
  type PassphraseSlot,
  type RecoverySlot,
} from '../keys/slots';
import { ADDED_LANGUAGES_FOLDER, installedLanguages, languageName } from '../ocr/engine';
import { NO_READING, ocrLanguage, type OcrReadingView } from '../ocr/queue';
import { OcrRunner, type OcrStatus } from '../ocr/runner';
import { SOFTWARE } from '../version';
import { readHeader, writeHeader, VAULT_FORMAT, VAULT_VERSION, type VaultHeader } from './header';
import { assertVaultDatabase, tidyLeftovers } from './leftovers';
import { VaultLock } from './lockfile';
import { AdviserReviews, type ReviewImportResult } from '../review/review-import';
import { readReceivedReview, type ReviewSource } from '../review/received-review';
import { CopyFileAhead, copyName, storeCopy, type CopyMade } from '../redaction/copies';
import { copiesOf, copyOf, type CopyListed, type CopyOf } from '../redaction/copy-records';
import { copyRows } from '../redaction/disclosure-records';
import { copyWithoutLocation } from '../redaction/strip-location';
import {
  redactedPictureFacts,
  redactPicture,
  type RedactedPicture,
} from '../redaction/picture-redaction';
import { assertRedactionReasons, MAX_COPY_SOURCE_BYTES } from '../redaction/reasons';
import {
  assertSpans,
  redactedTextCopy,
  textForRedaction,
  textRedactionKind,
  type TextForRedaction,
} from '../redaction/text-redaction';
import { sortedSpans, type RedactionSpan } from '../../../shared/redaction-text';
import type { RedactionBox } from '../../../shared/redaction';
import { displayName } from '../../../shared/display-name';
import { restoreQuarantined, selectQuarantined, type RestoreResult } from './quarantine-restore';
import {
  alreadyRemoved,
  removedBlobIds,
  removedItemByPrefix,
  removeIncident,
  removeItem,
  removePerson,
  renameItem,
  tombstone,
  type RemovalDeps,
  type RemovalResult,
} from './removal';

export const HEADER_FILE = 'dossier.json';
export const DB_FILE = 'dossier.db';
export const LOCK_FILE = 'dossier.lock';

export interface OpenOptions {
  /** Who is acting, recorded in the custody log (e.g. "cli", "app"). */
  actor?: string;
  /** Argon2id cost for new passphrase slots; defaults to DEFAULT_ARGON2. */
  kdf?: Argon2Params;
}

export interface CreateOptions extends OpenOptions {
  /**
   * Keep the recovery code, sealed under the master key in dossier.json, until the person
   * confirms they wrote it down (the app: a reload shows the same code). Otherwise it is
   * returned once and never stored (the CLI prints it).
   */
  holdRecoveryCode?: boolean;
}

export interface VaultSettings {
  /** Lock after this many minutes without use (1–240). */
  autoLockMinutes: number;
}

export const DEFAULT_SETTINGS: VaultSettings = { autoLockMinutes: 5 };

/** A blob held whole anyway up to this size is read in one go (a screenshot, an email). */
const READ_WHOLE_MAX_BYTES = 16 * 1024 * 1024;

const WRONG_PASSPHRASE_MESSAGE =
  'That passphrase is not right, so the keys were not shown. Check Caps Lock and the keyboard layout, and try again.';

export interface RevealedKeys {
  sqlcipherKey: string;
  ageIdentity: string;
  ageRecipient: string;
  signingPublicKey: string;
  fingerprint: string;
}

/** Refuses, in words, a language whose text-recognition data is not installed. */
function assertLanguageInstalled(language: string, vaultDir: string): void {
  const installed = installedLanguages(join(vaultDir, ADDED_LANGUAGES_FOLDER));
  if (!installed.includes(language)) {
    throw new DossierError(
      'USAGE',
      `No text-recognition data is installed for "${language.slice(0, 40)}". Installed: ${installed.join(', ')}. Another language's data file (${language.slice(0, 40)}.traineddata) can be added by hand in the vault folder's ${ADDED_LANGUAGES_FOLDER} folder.`,
    );
  }
}

/**
 * An unlocked vault. Created by Vault.create or Vault.unlock*; lock() drops the keys
 * and closes the database. Every state change is recorded in the custody log.
 */
export class Vault {
  readonly items: Library;
  readonly custody: CustodyLog;
  readonly blobs: BlobStore;
  readonly cases: CaseRepository;
  readonly annotations: AnnotationRepository;
  readonly conversations: ConversationRepository;
  readonly quarantine: Quarantine;
  /** Reviews from the person's adviser, as imported: apart from her own notes. */
  readonly adviserReviews: AdviserReviews;
  /** Text recognition in pictures (ocr/): runs only when started (the app, `dossier ocr`). */
  readonly ocr: OcrRunner;
  /** Redacted pictures' previews, made in the background after each copy is saved. */
  private readonly copyPreviews: CopyPreviews;
  /** Writes under blobs/ in progress, which the check's picture of the vault waits for. */
  private readonly blobWrites = new BlobWrites();
  /** Plain-words messages for the person, produced while opening or locking. */
  readonly notices: string[] = [];
  private readonly exports: ExportsInProgress;
  private closed = false;
  /** dossier.json's anchor did not match the log at unlock: it is left as it is. */
  private anchorHeld = false;
  /** Set when the unlock could not be logged: nothing may change in a session the log does not show. */
  private readOnly = false;
  /** The last rewrite of dossier.json, so that the next starts from what it left (rewriteHeader). */
  private headerWrites: Promise<unknown> = Promise.resolve();
  /** Exports being written: an item is not removed from under one. */
  private exporting = 0;
  /** The vault's age key pair (its own copy of the secret); wiped with the keys on lock. */
  private readonly identity: X25519Identity;

  private constructor(
    readonly dir: string,
    private header: VaultHeader,
    private readonly masterKey: Buffer,
    private readonly keys: VaultKeys,
    private readonly db: Db,
    private readonly lockFile: VaultLock,
    private readonly options: OpenOptions,
  ) {
    const identity = X25519Identity.fromSecret(keys.ageSecret);
    this.identity = identity;
    this.items = new Library(db);
    this.cases = new CaseRepository(db);
    this.annotations = new AnnotationRepository(db);
    this.conversations = new ConversationRepository(db);
    this.custody = new CustodyLog(db, options.actor ?? 'dossier', {
      vaultId: header.vaultId,
      // Read at each signature, so the log keeps no reference to the key after lock.
      get signingKey() {
        return keys.signingKey;
      },
    });
    this.blobs = new BlobStore(dir, identity.recipient(), identity);
    this.exports = new ExportsInProgress(db, this.custody);
    this.quarantine = new Quarantine(dir);
    this.adviserReviews = new AdviserReviews(db, this.custody, () => this.fingerprint());
    this.ocr = new OcrRunner({
      db,
      items: this.items,
      blobs: this.blobs,
      custody: this.custody,
      addedLanguagesDir: join(dir, ADDED_LANGUAGES_FOLDER),
    });
    this.copyPreviews = new CopyPreviews(
      this.storeDeps(),
      (m) => this.notices.push(m),
      (save) => this.blobWrites.run(save),
    );
  }

  get id(): string {
    return this.header.vaultId;
  }

  /**
   * Creates a vault in an empty (or new) folder. The recovery code is returned; it is stored
   * (sealed) only with `holdRecoveryCode`, until confirmRecoveryCode.
   */
  static async create(
    dirPath: string,
    passphrase: string,
    options: CreateOptions = {},
  ): Promise<{ vault: Vault; recoveryCode: string }> {
    assertPassphraseAcceptable(passphrase);
    const dir = resolve(dirPath);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const existing = await readdir(dir);
      if (existing.length > 0) {
        throw new DossierError(
          existing.includes(HEADER_FILE) ? 'VAULT_EXISTS' : 'USAGE',
          existing.includes(HEADER_FILE)
            ? `There is already a vault at ${dir}. Open it instead, or choose another folder.`
            : `${dir} is not empty. Choose a new or empty folder for the vault.`,
        );
      }
    } catch (e) {
      throw asIoError(e, dir);
    }
    const vaultId = randomUUID();
    const masterKey = randomBytes(32);
    const recovery = newRecoveryCode();
    const recoverySlot = makeRecoverySlot(vaultId, masterKey, recovery.secret);
    const header: VaultHeader = {
      format: VAULT_FORMAT,
      version: VAULT_VERSION,
      vaultId,
      slots: [await makePassphraseSlot(vaultId, masterKey, passphrase, options.kdf), recoverySlot],
      ...(options.holdRecoveryCode
        ? {
            pendingRecoveryCode: sealPendingCode(
              masterKey,
              vaultId,
              recoverySlot.kdf.salt,
              recovery.secret,
            ),
          }
        : {}),
    };
    recovery.secret.fill(0);
    let lock: VaultLock;
    try {
      lock = await VaultLock.acquire(join(dir, LOCK_FILE));
    } catch (e) {
      masterKey.fill(0);
      throw e;
    }
    let db: Db | undefined;
    let vault: Vault | undefined;
    let keys: VaultKeys | undefined;
    try {
      keys = deriveVaultKeys(masterKey);
      db = openDatabase(join(dir, DB_FILE), keys.sqlcipherKey, { create: true });
      vault = new Vault(dir, header, masterKey, keys, db, lock, options);
      const created = vault.custody.append('create', [], {
        vaultId,
        format: `${VAULT_FORMAT}/${VAULT_VERSION}`,
        signingKeyFingerprint: vault.fingerprint(),
        ...(options.holdRecoveryCode ? { recoveryCode: 'kept sealed until confirmed' } : {}),
        // The anchor below is this entry: from the start dossier.json must always have one.
        [ANCHOR_MARK]: 1,
      });
      markEmailAttachmentsJobDone({ db });
      markXmpLocationJobDone({ db });
      vault.custody.checkpoint(vaultId, keys.signingKey);
      header.custodyAnchor = makeAnchor(keys.anchorKey, vaultId, {
        seq: created.seq,
        head: created.hash,
      });
      // The header goes last: a folder without it is not (yet) a vault.
      await writeHeader(join(dir, HEADER_FILE), header);
      return { vault, recoveryCode: recovery.code };
    } catch (e) {
      vault?.wipeKeys();
      keys?.wipe();
      masterKey.fill(0);
      // Leave the folder as empty as we found it, so `init` can simply be run again.
      db?.close();
      await lock.release();
      // No header yet, so no one else can open this folder: its lock file can go too.
      for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, LOCK_FILE])
        await rm(join(dir, f), { force: true });
      throw e;
    }
  }

  static async unlock(
    dirPath: string,
    passphrase: string,
    options: OpenOptions = {},
  ): Promise<Vault> {
    const dir = resolve(dirPath);
    const header = await readHeader(join(dir, HEADER_FILE));
    for (const slot of header.slots.filter((s): s is PassphraseSlot => s.type === 'passphrase')) {
      const mk = await openPassphraseSlot(header.vaultId, slot, passphrase);
      if (mk) return Vault.open(dir, header, mk, options, 'passphrase');
    }
    throw new DossierError(
      'WRONG_PASSPHRASE',
      'That passphrase is not right, so the vault stayed locked and nothing was changed. Check Caps Lock and the keyboard layout, and try again. If it is lost, unlock with your recovery code.',
    );
  }

  static async unlockWithRecoveryCode(
    dirPath: string,
    code: string,
    options: OpenOptions = {},
  ): Promise<Vault> {
    const dir = resolve(dirPath);
    const header = await readHeader(join(dir, HEADER_FILE));
    const secret = parseRecoveryCode(code);
    let mk: Buffer | null = null;
    for (const slot of header.slots.filter((s): s is RecoverySlot => s.type === 'recovery')) {
      mk ??= openRecoverySlot(header.vaultId, slot, secret);
    }
    secret.fill(0);
    if (mk) return Vault.open(dir, header, mk, options, 'recovery code');
    throw new DossierError(
      'WRONG_PASSPHRASE',
      'That recovery code does not open this vault, so it stayed locked and nothing was changed. Check each group of letters and digits against the code you saved.',
    );
  }

  private static async open(
    dir: string,
    header: VaultHeader,
    masterKey: Buffer,
    options: OpenOptions,
    method: string,
  ): Promise<Vault> {
    let lock: VaultLock;
    try {
      lock = await VaultLock.acquire(join(dir, LOCK_FILE));
    } catch (e) {
      masterKey.fill(0);
      throw e;
    }
    let keys: VaultKeys | undefined;
    let vault: Vault | undefined;
    try {
      keys = deriveVaultKeys(masterKey);
      const db = openDatabase(join(dir, DB_FILE), keys.sqlcipherKey);
      const opened = new Vault(dir, header, masterKey, keys, db, lock, options);
      vault = opened;
      await opened.unlessDiskFull(() => opened.removeLeftovers(), LEFTOVERS_NOT_CLEANED);
      await opened.removeInterruptedExports();
      const anchored = await opened.checkAnchorAtUnlock();
      await opened.unlessDiskFull(
        () =>
          opened.custody.append('unlock', [], {
            method,
            ...(anchored === null ? {} : { [ANCHOR_MARK]: anchored }),
          }),
        UNLOCK_NOT_LOGGED,
      );
      await opened.runOneTimeJobs();
      // Copies saved before a lock or a crash, still without a preview (never waited for).
      if (!opened.readOnly) opened.copyPreviews.start();
      return opened;
    } catch (e) {
      vault?.wipeKeys();
      keys?.wipe();
      masterKey.fill(0);
      await lock.release();
      throw e;
    }
  }

  /**
   * Refuses a database that is not this vault's own, then removes temp files of unfinished
   * writes and moves unreferenced encrypted files to quarantine/ (see leftovers.ts).
   */
  private async removeLeftovers(): Promise<void> {
    try {
      assertVaultDatabase(this.db, this.id);
      this.notices.push(
        ...(await tidyLeftovers({
          blobs: this.blobs,
          quarantine: this.quarantine,
          items: this.items,
          custody: this.custody,
          removed: removedBlobIds(this.db),
          pending: pendingBlobIds(this.db, this.pendingMac),
          clearPending: () => clearPendingBlobs(this.db),
        })),
      );
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  /**
   * Work a newer version does once for what older versions stored (needs the keys): the
   * attachments of emails imported before they became items (ingest/email-attachments.ts),
   * and a place in the XMP of pictures imported before it was read (ingest/xmp-location-job.ts).
   * Never a reason not to open: what fails is said, and tried again at the next unlock.
   */
  private async runOneTimeJobs(): Promise<void> {
    if (this.readOnly) return;
    const deps = this.storeDeps();
    try {
      this.notices.push(...(await runEmailAttachmentsJob(deps)));
    } catch (e) {
      this.notices.push(
        `The attachments of emails imported earlier could not all be stored as items yet (${(e as Error).message}). This is tried again at the next unlock; the emails themselves are unchanged.`,
      );
    }
    try {
      this.notices.push(...(await runXmpLocationJob(deps)));
    } catch (e) {
      this.notices.push(
        `Pictures imported earlier could not all be checked for a location in their metadata yet (${(e as Error).message}). This is tried again at the next unlock.`,
      );
    }
  }

  /**
   * MACs pending-blob records (ingest/pending-blobs.ts) under the anchor key, which
   * `keys --reveal` never shows; read at each call, so nothing outlives the keys at lock.
   */
  private readonly pendingMac = (data: string): string =>
    createHmac('sha256', this.keys.anchorKey)
      .update('dossier/v1/pending-blobs\0')
      .update(data)
      .digest('hex');

  /** Encrypted files that no item referred to, kept in quarantine/ (see leftovers.ts). */
  async quarantined(): Promise<QuarantinedFile[]> {
    this.assertOpen();
    return this.quarantine.list();
  }

  /**
   * Restores quarantined files (all, or those named) as items; see quarantine-restore.ts.
   * A file that does not decrypt with this vault's key stays where it is.
   */
  async restoreQuarantined(names: readonly string[] | 'all'): Promise<RestoreResult[]> {
    this.assertOpen();
    const files = await this.quarantine.list();
    return this.blobWrites.run(() =>
      restoreQuarantined(
        { ...this.ingestDeps(), quarantine: this.quarantine },
        names === 'all' ? files : selectQuarantined(files, names),
      ),
    );
  }

  private anchorState(): AnchorState {
    return readAnchor(this.header.custodyAnchor, this.keys.anchorKey, this.id);
  }

  /**
   * The cheap part of the anchor check (two primary-key lookups): a log cut short or a
   * database replaced is said at once, as a notice; `check` and `log --verify` fail on it.
   * A vault from before the anchor gets one now. Returns the anchored seq, or null.
   */
  private async checkAnchorAtUnlock(): Promise<number | null> {
    const state = this.anchorState();
    // Only when there is no anchor: the scan for a mark that says there should be one.
    const marked =
      state.kind === 'absent' ? anchorMarked(this.custody.entriesWith(['create', 'unlock'])) : null;
    if (state.kind === 'absent' && marked === null) {
      return (await this.recordAnchor()) ? this.anchorSeq() : null;
    }
    const problem = anchorProblem(state, {
      entry: (seq) => this.custody.signedEntry(seq),
      signedBefore: (seq) => this.custody.signedBefore(seq),
      lastSeq: this.custody.head()?.seq ?? 0,
      markedAt: () => marked,
    });
    if (problem) {
      // Kept as found: a later lock must not record a new checkpoint over the evidence.
      this.anchorHeld = true;
      this.notices.push(
        `The custody log does not match dossier.json: ${problem.reason}. Run \`dossier check\` for the full report, and keep this vault folder as it is.`,
      );
      return null;
    }
    return this.anchorSeq();
  }

  private anchorSeq(): number | null {
    const state = this.anchorState();
    return state.kind === 'valid' ? state.seq : null;
  }

  /**
   * Records the latest signed checkpoint in dossier.json. Never throws: the checkpoint is in
   * the database whatever happens here, and a failed write (a full disk) only leaves the
   * previous record, which the log still holds. Returns whether a record was written.
   */
  private async recordAnchor(): Promise<boolean> {
    const latest = this.custody.latestCheckpoint();
    if (!latest || this.anchorHeld) return false;
    const current = this.anchorState();
    if (current.kind === 'valid' && current.seq === latest.seq && current.head === latest.head)
      return false;
    try {
      await this.rewriteHeader((h) => ({
        ...h,
        custodyAnchor: makeAnchor(this.keys.anchorKey, this.id, latest),
      }));
      return true;
    } catch (e) {
      this.notices.push(
        `The custody log's latest signed checkpoint could not be recorded in dossier.json (${(e as Error).message}). The log itself is signed; the record is written at the next lock.`,
      );
      return false;
    }
  }

  /**
   * Writes dossier.json (temp file, fsync, rename) from the header as the previous write left
   * it, one change at a time: a key change and a lock at once must not undo each other.
   */
  private rewriteHeader(change: (current: VaultHeader) => VaultHeader): Promise<VaultHeader> {
    const run = this.headerWrites.then(async () => {
      const header = change(this.header);
      await writeHeader(join(this.dir, HEADER_FILE), header);
      this.header = header;
      return header;
    });
    this.headerWrites = run.catch(() => undefined);
    return run;
  }

  /** Removes what exports killed part-way left behind (export/in-progress.ts), and says so. */
  private async removeInterruptedExports(): Promise<void> {
    try {
      this.notices.push(...(await this.exports.removeInterrupted()));
    } catch (e) {
      // Never a reason not to open: the record stays, and the next unlock tries again.
      this.notices.push(
        `The unfinished bundle of an interrupted export could not be cleaned up: ${(e as Error).message}`,
      );
    }
  }

  /**
   * Runs a start-up write; on a full disk, carries on for reading only and says so. Every
   * change is logged, so refusing the log entry refuses the change (its transaction rolls
   * back); add, addData, export and changePassphrase are refused before they write a file.
   */
  private async unlessDiskFull(write: () => unknown, notice: string): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (!isDiskFull(e)) throw e;
      this.notices.push(notice);
      this.readOnly = true;
      this.custody.refuseWrites(new DossierError('NO_SPACE', READ_ONLY_SESSION));
    }
  }

  private assertWritable(): void {
    if (this.readOnly) throw new DossierError('NO_SPACE', READ_ONLY_SESSION);
  }

  private assertOpen(): void {
    if (this.closed) throw new DossierError('LOCKED', 'The vault is locked. Unlock it first.');
  }

  /** Runs `fn` in one transaction (bulk work such as seeding test vaults). */
  batch<T>(fn: () => T): T {
    this.assertOpen();
    return this.db.transaction(fn)();
  }

  add(paths: readonly (string | Buffer)[], opts?: AddOptions): Promise<AddReport> {
    this.assertOpen();
    this.assertWritable();
    return this.blobWrites.run(() => addPaths(this.ingestDeps(), paths, opts));
  }

  /**
   * Imports bytes handed over directly (a pasted picture, a file dropped into a browser).
   * A name that cannot be shown safely is stored cleaned; the log keeps the name as given.
   */
  async addData(
    input: { name: string; data: Uint8Array; lastModified?: string },
    opts: Pick<AddOptions, 'tags' | 'note' | 'dateOrder' | 'timeZone'> = {},
  ): Promise<AddResult> {
    this.assertOpen();
    this.assertWritable();
    let mtime: Date | null = null;
    if (input.lastModified !== undefined) {
      mtime = new Date(input.lastModified);
      if (Number.isNaN(mtime.getTime())) {
        throw new DossierError(
          'USAGE',
          `"${input.lastModified.slice(0, 64)}" is not a date, so it cannot be the file's last change. Leave it out, or give a form like 2026-03-09T21:30:00Z.`,
        );
      }
    }
    const name = uploadName(input.name);
    const result = await this.blobWrites.run(() =>
      addData(this.ingestDeps(), { name, data: input.data, mtime }, opts),
    );
    if (name !== input.name && result.status === 'added') {
      const warning = `The name had characters that cannot be shown safely (such as slashes or invisible control characters), so it was stored as "${name}".`;
      this.custody.append('edit-metadata', [result.id], {
        what: 'name cleaned when added',
        givenName: input.name,
        storedName: name,
      });
      return { ...result, warnings: [...result.warnings, warning] };
    }
    return result;
  }

  list(): ItemSummary[] {
    this.assertOpen();
    return this.items.list();
  }

  item(idOrPrefix: string): ItemDetail {
    this.assertOpen();
    return this.items.get(this.resolveItem(idOrPrefix));
  }

  /** An item id from a full id or a prefix; one that names a removed item says so. */
  private resolveItem(idOrPrefix: string): string {
    try {
      return this.items.resolveId(idOrPrefix);
    } catch (e) {
      const removed =
        (e as DossierError).code === 'NOT_FOUND' ? removedItemByPrefix(this.db, idOrPrefix) : null;
      throw removed ? alreadyRemoved(removed) : e;
    }
  }

  /** Runs `find`; when it finds nothing, says so in words if the id names something removed. */
  private orRemoved<T>(id: string, find: () => T): T {
    try {
      return find();
    } catch (e) {
      const removed = (e as DossierError).code === 'NOT_FOUND' ? tombstone(this.db, id) : null;
      throw removed ? alreadyRemoved(removed) : e;
    }
  }

  private removalDeps(): RemovalDeps {
    return {
      db: this.db,
      items: this.items,
      cases: this.cases,
      custody: this.custody,
      blobs: this.blobs,
    };
  }

  /**
   * Removes an item added by mistake, with the person's reason: logged and tombstoned in one
   * transaction, then its encrypted files are deleted (vault/removal.ts).
   */
  async removeItem(idOrPrefix: string, reason: string): Promise<RemovalResult> {
    this.assertOpen();
    this.assertWritable();
    if (this.exporting > 0) {
      throw new DossierError(
        'USAGE',
        'An export is being written; nothing can be removed until it has finished. Try again then.',
      );
    }
    const item = this.resolveItem(idOrPrefix);
    return this.blobWrites.run(() => removeItem(this.removalDeps(), item, reason));
  }

  /** Removes an incident and its links (the items and people stay), with a reason. */
  removeIncident(id: string, reason: string): RemovalResult {
    this.assertOpen();
    this.assertWritable();
    const incident = this.orRemoved(id, () => this.cases.incident(id));
    return removeIncident(this.removalDeps(), incident.id, reason);
  }

  /** Removes a person and their links (the items and incidents stay), with a reason. */
  removePerson(id: string, reason: string): RemovalResult {
    this.assertOpen();
    this.assertWritable();
    const person = this.orRemoved(id, () => this.cases.person(id));
    return removePerson(this.removalDeps(), person.id, reason);
  }

  /** Gives an item a new name; the name it was imported with is kept and the change logged. */
  renameItem(idOrPrefix: string, name: string): ItemDetail {
    this.assertOpen();
    this.assertWritable();
    const id = this.resolveItem(idOrPrefix);
    renameItem(this.removalDeps(), id, name);
    return this.items.get(id);
  }

  /**
   * The original bytes of an item, verified first: every chunk's authentication tag
   * and the SHA-256 recorded at import. Nothing is returned from a damaged blob.
   */
  async *verifiedContent(idOrPrefix: string): AsyncGenerator<Buffer> {
    const item = this.item(idOrPrefix);
    this.assertContentAsIngested(item.id, `item ${item.id} (${item.name})`);
    await this.verifyBlob(item.blobId, item.sha256, item.size, `item ${item.id} (${item.name})`);
    const reader = await this.blobs.open(item.blobId);
    try {
      yield* reader.stream();
    } finally {
      await reader.close();
    }
  }

  /**
   * The row's SHA-256, size and blob must be those its ingest entry recorded: with the
   * revealed keys a row can be rewritten to match a forged blob. One indexed lookup.
   * Throws INTEGRITY otherwise; call before handing out an original.
   */
  assertContentAsIngested(itemId: string, what = `item ${itemId}`): void {
    this.assertOpen();
    const row = itemRow(this.db, itemId);
    const entry = this.custody.ingestEntry(itemId);
    if (!row || !entry) {
      throw new DossierError(
        'INTEGRITY',
        `The custody log has no ingest entry for ${what}, so nothing vouches for its content and it was not opened. Run \`dossier check\` for a full report.`,
      );
    }
    const diffs = recordDifferences(
      row,
      { seq: entry.seq, at: entry.at, details: entry.details, name: entry.details.name },
      { content: true, metadata: false },
    );
    if (diffs.length > 0) {
      throw new DossierError(
        'INTEGRITY',
        `The record of ${what} no longer matches its ingest entry in the custody log (its ${diffs.map((d) => d.field).join(', ')} changed), so it was not opened. Run \`dossier check\` for a full report.`,
      );
    }
  }

  /** `keep`: the chunks read are added to it, to be used once this returns (checked). */
  private async verifyBlob(
    blobId: string,
    sha256: string,
    size: number,
    what: string,
    keep?: Buffer[],
  ): Promise<void> {
    const hash = createHash('sha256');
    let n = 0;
    try {
      if (keep && size <= READ_WHOLE_MAX_BYTES) {
        // Held whole anyway, and small: one read and one decryption, not a chunked stream.
        const plain = await this.blobs.readWhole(blobId, size);
        hash.update(plain);
        n = plain.length;
        keep.push(plain);
      } else {
        const reader = await this.blobs.open(blobId);
        try {
          for await (const chunk of reader.stream()) {
            hash.update(chunk);
            n += chunk.length;
            keep?.push(chunk);
          }
        } finally {
          await reader.close();
        }
      }
    } catch (e) {
      throw new DossierError(
        'INTEGRITY',
        `The stored copy of ${what} is damaged or was altered, so it was not opened (${(e as Error).message}). Run \`dossier check\` for a full report.`,
        { cause: e },
      );
    }
    if (hash.digest('hex') !== sha256 || n !== size) {
      throw new DossierError(
        'INTEGRITY',
        `The stored copy of ${what} no longer matches the SHA-256 recorded at import, so it was not opened. Run \`dossier check\` for a full report.`,
      );
    }
  }

  /** Writes a signed, hashed evidence bundle (BagIt) and records it in the custody log. */
  async export(opts: ExportOptions): Promise<ExportResult> {
    this.assertOpen();
    this.assertWritable(); // an export must be logged
    // Loaded on demand: the PDF and zip libraries are heavy, and most commands never need them.
    let result: ExportResult;
    // Counted from the start: what the export lists must not change while it waits below.
    this.exporting++;
    try {
      // A redacted copy exported gives its preview to the bundle's viewer.
      await this.copyPreviews.whenIdle();
      const { exportBundle } = await import('../export/export');
      result = await exportBundle(this.exportDeps(), opts);
    } finally {
      this.exporting--;
    }
    // The export entry was signed as it was written; once it is in the main database file,
    // dossier.json records it (so a copy of dossier.db without its -wal is not ahead of it).
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    await this.recordAnchor();
    return result;
  }

  /**
   * How many pages the court bundle of an export with these options would have, counted
   * without writing anything (so a person can be warned before a long export starts).
   */
  async bundlePages(opts: BundlePagesOptions): Promise<number> {
    this.assertOpen();
    const { countBundlePages } = await import('../export/export');
    return countBundlePages(this.exportDeps(), opts);
  }

  /**
   * The items of an export with these choices that record where they were (GPS), with their
   * labels: what the person must decide about before the export (its `location`).
   */
  async locatedItems(
    opts: Pick<
      ExportOptions,
      'selection' | 'messageIds' | 'exhibitPrefix' | 'exhibitStyle' | 'disclosure'
    >,
  ): Promise<LocatedItem[]> {
    this.assertOpen();
    const { locatedItems } = await import('../export/export');
    return locatedItems(this.exportDeps(), opts);
  }

  /**
   * For a disclosure export with these choices: the copies exported for originals that record
   * where they were (the originals withheld, the copies without location), with their labels.
   */
  async locatedOriginalsWithheld(
    opts: Pick<
      ExportOptions,
      'selection' | 'messageIds' | 'exhibitPrefix' | 'exhibitStyle' | 'disclosure'
    >,
  ): Promise<LocatedItem[]> {
    this.assertOpen();
    const { locatedOriginalsWithheld } = await import('../export/export');
    return locatedOriginalsWithheld(this.exportDeps(), opts);
  }

  private exportDeps(): ExportDeps {
    return {
      items: this.items,
      regionsOf: (id) => this.annotations.regionsOf(id),
      readingOf: (id) => this.ocr.store.reading(id),
      cases: this.cases,
      conversations: this.conversations,
      blobs: this.blobs,
      custody: this.custody,
      vaultId: this.id,
      signingKey: this.keys.signingKey,
      publicKeyPem: this.signingPublicKeyPem(),
      fingerprint: this.fingerprint(),
      software: SOFTWARE,
      vaultDir: this.dir,
      exports: this.exports,
      assertAsIngested: (id, what) => this.assertContentAsIngested(id, what),
      copyRows: () => copyRows(this.db),
    };
  }

  /**
   * Imports a review from the person's adviser (docs/review-format.md, "Importing"): checked
   * whole before anything is stored, then stored with its custody entry in one transaction.
   */
  async importReview(
    source: ReviewSource,
    opts: { passphrase?: string } = {},
  ): Promise<ReviewImportResult> {
    this.assertOpen();
    this.assertWritable();
    const received = await readReceivedReview(source, opts);
    this.assertOpen();
    return this.adviserReviews.import(received);
  }

  /** A note on an item; its words become searchable at once. */
  addNote(itemId: string, body: string): Note {
    this.assertOpen();
    const item = this.items.require(itemId);
    const text = noteText(body);
    const id = newId();
    this.db.transaction(() => {
      this.items.addNote(item.id, id, text, new Date().toISOString());
      this.items.refreshSearch(item.id);
      this.custody.append('annotate', [item.id, id], { what: 'note added', note: text });
    })();
    return this.annotations.note(id);
  }

  /** Changes a note's text; the custody log keeps the text it had before. */
  editNote(noteId: string, body: string): Note {
    this.assertOpen();
    const note = this.annotations.note(noteId);
    const text = noteText(body);
    if (text === note.body) return note;
    this.db.transaction(() => {
      this.annotations.updateNote(note.id, text, new Date().toISOString());
      this.items.refreshSearch(note.itemId);
      this.custody.append('annotate', [note.itemId, note.id], {
        what: 'note edited',
        before: note.body,
        after: text,
      });
    })();
    return this.annotations.note(note.id);
  }

  /** Makes the item's tags exactly these (case-insensitive); returns them, sorted. */
  setTags(itemId: string, tags: readonly string[]): string[] {
    this.assertOpen();
    const item = this.items.require(itemId);
    // The first spelling of a tag wins; tags differing only in case are one tag.
    const byKey = new Map<string, string>();
    for (const t of tags.map(tagText))
      if (t && !byKey.has(t.toLowerCase())) byKey.set(t.toLowerCase(), t);
    const clean = [...byKey.values()];
    this.db.transaction(() => {
      const { added, removed } = this.annotations.setTags(item.id, clean, (id, t) =>
        this.items.addTags(id, t),
      );
      if (added.length || removed.length)
        this.custody.append('annotate', [item.id], { what: 'tags changed', added, removed });
    })();
    return this.items.get(item.id).tags;
  }

  /**
   * Marks a rectangle on an image (fractions of its width and height) with a comment. It is
   * stored and logged in whole millionths (REGION_SCALE), so the result is rounded to those.
   */
  addRegion(
    itemId: string,
    box: { x: number; y: number; w: number; h: number },
    comment: string,
  ): RegionView {
    this.assertOpen();
    const item = this.items.require(itemId);
    if (item.kind !== 'image') {
      throw new DossierError(
        'USAGE',
        `Areas can only be marked on pictures, and this item is ${item.kind === 'other' ? 'not a picture' : `a${/^[aeiou]/.test(item.kind) ? 'n' : ''} ${item.kind}`}. Add a note instead.`,
      );
    }
    const m = boxInMillionths(box);
    const region = {
      id: newId(),
      itemId: item.id,
      ...m,
      comment: comment.trim(),
      createdAt: new Date().toISOString(),
    };
    this.db.transaction(() => {
      this.annotations.insertRegion(region);
      this.custody.append('annotate', [item.id, region.id], {
        what: 'region marked',
        region: { ...m, scale: REGION_SCALE, comment: region.comment },
      });
    })();
    return regionView(region);
  }

  removeRegion(regionId: string): void {
    this.assertOpen();
    const region = this.annotations.region(regionId);
    this.db.transaction(() => {
      this.annotations.deleteRegion(region.id);
      this.custody.append('annotate', [region.itemId, region.id], {
        what: 'region removed',
        region: {
          x: region.x,
          y: region.y,
          w: region.w,
          h: region.h,
          scale: REGION_SCALE,
          comment: region.comment,
        },
      });
    })();
  }

  /** Starts reading the words in queued pictures, in the background (never waited for). */
  startTextRecognition(): void {
    this.assertOpen();
    if (!this.readOnly) this.ocr.start();
  }

  textRecognitionStatus(): OcrStatus {
    this.assertOpen();
    return this.ocr.status();
  }

  /** A picture's reading for the item view: state none for an item that is not read. */
  textReading(id: string): OcrReadingView {
    this.assertOpen();
    const itemId = this.orRemoved(id, () => this.items.resolveId(id));
    const r = this.ocr.store.reading(itemId);
    if (!r) return { ...NO_READING, reading: false };
    return { ...r, reading: this.ocr.reading === itemId };
  }

  /** Sets the language new pictures are read in (pictures read already stay as read). Logged. */
  setTextRecognitionLanguage(language: string): void {
    this.assertOpen();
    this.assertWritable();
    assertLanguageInstalled(language, this.dir);
    this.ocr.store.setLanguage(language);
  }

  /** The language new pictures are read in, and the languages whose data is installed. */
  textRecognitionLanguages(): { language: string; installed: { code: string; name: string }[] } {
    this.assertOpen();
    return {
      language: ocrLanguage(this.db),
      installed: installedLanguages(join(this.dir, ADDED_LANGUAGES_FOLDER)).map((code) => ({
        code,
        name: languageName(code),
      })),
    };
  }

  /** Pauses text recognition (kept paused across locks until resumed). */
  async pauseTextRecognition(): Promise<OcrStatus> {
    this.assertOpen();
    this.assertWritable();
    await this.ocr.pause();
    return this.ocr.status();
  }

  resumeTextRecognition(): OcrStatus {
    this.assertOpen();
    this.assertWritable();
    this.ocr.resume();
    return this.ocr.status();
  }

  /**
   * Queues pictures (these, or every one read so far) to be read again, in `language` when
   * given (which becomes the language for new pictures too). Logged; returns how many.
   */
  readTextAgain(itemIds: readonly string[] | null, language: string | null): number {
    this.assertOpen();
    this.assertWritable();
    if (language !== null) assertLanguageInstalled(language, this.dir);
    const ids = itemIds === null ? null : itemIds.map((i) => this.items.resolveId(i));
    return this.ocr.store.readAgain(ids, language);
  }

  /** An item with its annotations and links, for the item view. */
  itemDetail(id: string): ItemDetail & {
    regions: RegionView[];
    incidentIds: string[];
    personIds: string[];
    copyOf: CopyOf | null;
    copies: CopyListed[];
  } {
    this.assertOpen();
    const item = this.orRemoved(id, () => this.items.get(id));
    return {
      ...item,
      regions: this.annotations.regionsOf(item.id).map(regionView),
      incidentIds: this.cases.incidentsOfItem(item.id).sort(),
      personIds: this.cases.peopleOfItem(item.id).sort(),
      copyOf: copyOf(this.db, item.id),
      copies: copiesOf(this.db, item.id),
    };
  }

  /** Records an incident and links it to items and people, in one logged step. */
  createIncident(
    input: IncidentInput,
    links: { itemIds?: string[]; personIds?: string[] } = {},
  ): Incident {
    this.assertOpen();
    const id = newId();
    const itemIds = (links.itemIds ?? []).map((i) => this.items.resolveId(i));
    const personIds = links.personIds ?? [];
    this.db.transaction(() => {
      this.cases.insertIncident(id, input, new Date().toISOString());
      for (const item of itemIds) this.cases.linkIncidentItem(id, item);
      for (const person of personIds)
        this.cases.linkIncidentPerson(id, this.cases.person(person).id);
      this.custody.append('annotate', [id, ...itemIds, ...personIds], {
        what: 'incident created',
        incident: { ...input },
      });
    })();
    return this.cases.incident(id);
  }

  linkIncident(incidentId: string, links: { itemIds?: string[]; personIds?: string[] }): Incident {
    this.assertOpen();
    const incident = this.cases.incident(incidentId);
    const itemIds = (links.itemIds ?? []).map((i) => this.items.resolveId(i));
    this.db.transaction(() => {
      const added = itemIds.filter((item) => this.cases.linkIncidentItem(incident.id, item));
      const people = (links.personIds ?? []).filter((p) =>
        this.cases.linkIncidentPerson(incident.id, this.cases.person(p).id),
      );
      if (added.length || people.length) {
        this.custody.append('annotate', [incident.id, ...added, ...people], {
          what: 'incident linked',
          items: added,
          people,
        });
      }
    })();
    return this.cases.incident(incident.id);
  }

  /** Changes the given fields of an incident; the log keeps what they were. */
  updateIncident(id: string, patch: Partial<IncidentInput>): Incident {
    this.assertOpen();
    const before = this.cases.incident(id);
    const keys = (Object.keys(patch) as (keyof IncidentInput)[]).filter(
      (k) => patch[k] !== undefined && patch[k] !== before[k],
    );
    if (keys.length === 0) return before;
    this.db.transaction(() => {
      this.cases.updateIncident(id, patch, new Date().toISOString());
      this.custody.append('annotate', [id], {
        what: 'incident updated',
        before: Object.fromEntries(keys.map((k) => [k, before[k]])),
        after: Object.fromEntries(keys.map((k) => [k, patch[k]])),
      });
    })();
    return this.cases.incident(id);
  }

  /** Links items and people to an incident, or unlinks them; logs what changed. */
  setIncidentLinks(
    id: string,
    links: { itemIds?: string[]; personIds?: string[] },
    op: 'link' | 'unlink',
  ): Incident {
    this.assertOpen();
    const incident = this.cases.incident(id);
    const items = (links.itemIds ?? []).map((i) => this.items.require(i).id);
    const people = (links.personIds ?? []).map((p) => this.cases.person(p).id);
    this.db.transaction(() => {
      const changedItems = items.filter((i) =>
        op === 'link'
          ? this.cases.linkIncidentItem(incident.id, i)
          : this.cases.unlinkIncidentItem(incident.id, i),
      );
      const changedPeople = people.filter((p) =>
        op === 'link'
          ? this.cases.linkIncidentPerson(incident.id, p)
          : this.cases.unlinkIncidentPerson(incident.id, p),
      );
      if (changedItems.length || changedPeople.length) {
        this.custody.append('annotate', [incident.id, ...changedItems, ...changedPeople], {
          what: op === 'link' ? 'incident linked' : 'incident unlinked',
          items: changedItems,
          people: changedPeople,
        });
      }
    })();
    return this.cases.incident(incident.id);
  }

  /** Changes a person's name, role, notes or identifiers (identifiers are replaced as a whole). */
  updatePerson(id: string, patch: Partial<PersonInput>): Person {
    this.assertOpen();
    const before = this.cases.person(id);
    this.db.transaction(() => {
      this.cases.updatePerson(id, patch);
      if (patch.identifiers) this.cases.replaceIdentifiers(id, patch.identifiers);
      const after = this.cases.person(id);
      const keys = (['name', 'role', 'notes', 'identifiers'] as const).filter(
        (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
      );
      if (keys.length) {
        this.custody.append('annotate', [id], {
          what: 'person updated',
          before: Object.fromEntries(keys.map((k) => [k, before[k]])),
          after: Object.fromEntries(keys.map((k) => [k, after[k]])),
        });
      }
      if (keys.includes('identifiers')) this.linkEmailsSentBy(id);
    })();
    return this.cases.person(id);
  }

  /** Emails already in the vault from one of the person's addresses become theirs as sender. */
  private linkEmailsSentBy(personId: string): void {
    const addresses = this.cases
      .person(personId)
      .identifiers.filter((i) => i.kind === 'email')
      .map((i) => i.value);
    const linked = this.items
      .emailsFrom(addresses)
      .filter((item) => this.cases.linkItemPerson(item, personId, 'sender'));
    if (linked.length) {
      this.custody.append('annotate', [personId, ...linked], {
        what: 'email senders linked to person',
        relation: 'sender',
        items: linked,
      });
    }
  }

  /** Links items to a person ('about'), or removes every link between them; logs what changed. */
  setPersonItems(id: string, itemIds: string[], op: 'link' | 'unlink'): Person {
    this.assertOpen();
    const person = this.cases.person(id);
    const items = itemIds.map((i) => this.items.require(i).id);
    this.db.transaction(() => {
      const changed = items.filter((i) =>
        op === 'link'
          ? this.cases.linkItemPerson(i, person.id, 'about')
          : this.cases.unlinkItemPerson(i, person.id),
      );
      if (changed.length) {
        this.custody.append('annotate', [person.id, ...changed], {
          what: op === 'link' ? 'person linked to items' : 'person unlinked from items',
          items: changed,
        });
      }
    })();
    return this.cases.person(person.id);
  }

  /** Records a person (harasser, witness, official) with their emails, handles and phone numbers. */
  createPerson(input: PersonInput): Person {
    this.assertOpen();
    const id = newId();
    this.db.transaction(() => {
      this.cases.insertPerson(id, input, new Date().toISOString());
      this.custody.append('annotate', [id], { what: 'person created', person: { ...input } });
      this.linkEmailsSentBy(id);
    })();
    return this.cases.person(id);
  }

  linkItemPerson(itemId: string, personId: string, relation = 'about'): void {
    this.assertOpen();
    const item = this.items.resolveId(itemId);
    const person = this.cases.person(personId).id;
    this.db.transaction(() => {
      if (this.cases.linkItemPerson(item, person, relation)) {
        this.custody.append('annotate', [item, person], {
          what: 'person linked to item',
          relation,
        });
      }
    })();
  }

  // ---- Conversations: reading and annotating messages (docs/conversations.md) ----

  /** What read-item.ts needs of an item: the name it was imported with, as at import. */
  private storedItem(id: string): StoredItem {
    const item = this.orRemoved(id, () => this.items.get(this.resolveItem(id)));
    return {
      id: item.id,
      name: item.originalName ?? item.name,
      mime: item.mime,
      kind: this.items.require(item.id).kind,
      blobId: item.blobId,
    };
  }

  /**
   * The format an item could be read as (a reader recognises its name and first bytes), for
   * the item view's "Read as a conversation"; null when none, or already a conversation.
   */
  async readableAsConversation(id: string): Promise<ConversationFormat | null> {
    this.assertOpen();
    const item = this.storedItem(id);
    try {
      return (await readerForItem(this.storeDeps(), item))?.format ?? null;
    } catch {
      // A missing or damaged file is not offered; the item view still opens (`check` says why).
      return null;
    }
  }

  // ---- Copies for disclosure (docs/redaction.md) ----

  /**
   * A redacted copy of a picture: every box filled solid black, written as a new PNG with no
   * metadata, stored as an item derived from the original (which is unchanged). Boxes and
   * reasons are checked before anything is read; nothing is written on any refusal.
   */
  async makeRedactedCopy(idOrPrefix: string, boxes: RedactionBox[]): Promise<CopyMade> {
    this.assertOpen();
    this.assertWritable();
    const item = this.item(idOrPrefix);
    if (!item.mime.startsWith('image/')) {
      throw new DossierError(
        'USAGE',
        `"${displayName(item.name)}" is ${item.mime}, not a picture: only a picture can be redacted with boxes.`,
      );
    }
    assertRedactionReasons(boxes);
    // Its preview is made after it is saved, and after any other copy being made: the copy
    // is usable at once.
    const made = await this.copyPreviews.whileMaking(async () => {
      const bytes = await this.copySourceBytes(item);
      const deps = this.storeDeps();
      // Its file begun (recorded as pending, opened) while sharp's threads write the PNG; so
      // the check's picture waits for the encoding too (a fraction of a second).
      return this.blobWrites.run(async () => {
        const ahead = new CopyFileAhead(deps);
        let redacted: RedactedPicture;
        try {
          redacted = await redactPicture(bytes, boxes, () => ahead.begin());
        } catch (e) {
          await ahead.abandon();
          throw asDatabaseError(e);
        }
        return storeCopy(
          deps,
          { id: item.id, name: item.name, sha256: item.sha256 },
          {
            bytes: redacted.png,
            name: copyName(item.name, 'redacted', '.png'),
            mime: 'image/png',
            facts: redactedPictureFacts(redacted),
          },
          { kind: 'picture', boxes, spans: [], removed: [], lossless: false },
          ahead,
        );
      });
    });
    this.copyPreviews.start();
    return made;
  }

  /** Resolves once every redacted picture's preview is made (the CLI, before it locks). */
  async whenCopyPreviewsMade(): Promise<void> {
    this.assertOpen();
    await this.copyPreviews.whenIdle();
  }

  /** Called after a redacted picture's preview is saved in the background. */
  onCopyPreviewMade(listener: (itemId: string) => void): () => void {
    return this.copyPreviews.onMade(listener);
  }

  /**
   * A copy of a picture without its location and device details (EXIF, XMP…), its image
   * data the original's byte for byte where the format allows (JPEG, PNG, WebP).
   */
  async makeCopyWithoutLocation(idOrPrefix: string): Promise<CopyMade> {
    this.assertOpen();
    this.assertWritable();
    const item = this.item(idOrPrefix);
    if (!item.mime.startsWith('image/')) {
      throw new DossierError(
        'USAGE',
        `"${displayName(item.name)}" is ${item.mime}, not a picture: only a picture can be copied without its location.`,
      );
    }
    const bytes = await this.copySourceBytes(item);
    const copy = await copyWithoutLocation(bytes, item.mime);
    return this.blobWrites.run(() =>
      storeCopy(
        this.storeDeps(),
        { id: item.id, name: item.name, sha256: item.sha256 },
        {
          bytes: copy.bytes,
          name: copyName(item.name, 'without location', copy.extension),
          mime: copy.mime,
        },
        {
          kind: 'location',
          boxes: [],
          spans: [],
          removed: copy.removed,
          lossless: copy.lossless,
        },
      ),
    );
  }

  /**
   * The text an email or a text file is redacted in (shared/redaction-text.ts), as the app
   * shows it to select passages in and `dossier redact --show-text` prints it.
   */
  async textForRedaction(idOrPrefix: string): Promise<TextForRedaction> {
    this.assertOpen();
    const item = this.item(idOrPrefix);
    const kind = textRedactionKind(
      { name: item.name, mime: item.mime, kind: this.items.require(item.id).kind },
      displayName(item.name),
    );
    return textForRedaction(await this.copySourceBytes(item), item.mime, kind);
  }

  /**
   * A redacted copy of an email or a text file: its rendering with each passage replaced by
   * "[REDACTED: reason]", under a heading naming the original and its SHA-256, stored as a
   * new UTF-8 text item derived from the original (which is unchanged). Nothing is written
   * on any refusal.
   */
  async makeRedactedTextCopy(idOrPrefix: string, spans: RedactionSpan[]): Promise<CopyMade> {
    this.assertOpen();
    this.assertWritable();
    const item = this.item(idOrPrefix);
    const kind = textRedactionKind(
      { name: item.name, mime: item.mime, kind: this.items.require(item.id).kind },
      displayName(item.name),
    );
    // Reasons, numbers and overlaps first, before anything is read; then against the text.
    assertSpans(null, spans);
    const rendering = await textForRedaction(await this.copySourceBytes(item), item.mime, kind);
    assertSpans(rendering.text, spans);
    return this.blobWrites.run(() =>
      storeCopy(
        this.storeDeps(),
        { id: item.id, name: item.name, sha256: item.sha256 },
        {
          bytes: redactedTextCopy(rendering, spans, item),
          name: copyName(item.name, 'redacted', '.txt'),
          mime: 'text/plain',
        },
        { kind: 'text', boxes: [], spans: sortedSpans(spans), removed: [], lossless: false },
      ),
    );
  }

  /** An original read whole for a copy, verified against its recorded SHA-256 first. */
  private async copySourceBytes(item: ItemDetail): Promise<Buffer> {
    if (item.size > MAX_COPY_SOURCE_BYTES) {
      throw new DossierError(
        'USAGE',
        `"${displayName(item.name)}" is ${Math.round(item.size / 1024 / 1024)} MiB; Dossier makes copies of files up to ${MAX_COPY_SOURCE_BYTES / 1024 / 1024} MiB.`,
      );
    }
    // Held whole anyway: read and decrypted once, and used only once its SHA-256 is checked
    // (verifiedContent reads twice, so as to hand out only what was checked).
    const what = `item ${item.id} (${item.name})`;
    this.assertContentAsIngested(item.id, what);
    const parts: Buffer[] = [];
    await this.verifyBlob(item.blobId, item.sha256, item.size, what, parts);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /**
   * Reads an item already in the vault as a conversation, from its stored original, as an
   * import would have (docs/conversations.md, "Reading an item already in the vault").
   */
  async readAsConversation(
    idOrPrefix: string,
    choices: ReadChoices = {},
    signal?: AbortSignal,
  ): Promise<ConversationView> {
    this.assertOpen();
    this.assertWritable();
    assertReadChoices(choices);
    // The export has listed the item as it was; its kind and search text must not change under it.
    if (this.exporting > 0) {
      throw new DossierError(
        'USAGE',
        'An export is being written; an item cannot be read as a conversation until it has finished. Try again then.',
      );
    }
    const item = this.storedItem(idOrPrefix);
    this.assertContentAsIngested(item.id, `item ${item.id} (${item.name})`);
    await this.blobWrites.run(() =>
      readItemAsConversation(this.storeDeps(), item, choices, signal),
    );
    return this.conversations.get(item.id);
  }

  /** The date-order question for an item already in the vault (see items.chatChoice). */
  async itemDateOrderCheck(id: string): Promise<DateOrderCheck | null> {
    this.assertOpen();
    return itemDateOrderCheck(this.storeDeps(), this.storedItem(id));
  }

  private storeDeps(): StoreDeps {
    return {
      db: this.db,
      items: this.items,
      blobs: this.blobs,
      custody: this.custody,
      pendingMac: this.pendingMac,
    };
  }

  private ingestDeps(): IngestDeps {
    return { ...this.storeDeps(), cases: this.cases };
  }

  /** A conversation's summary, by its item's id or a prefix of it. */
  conversation(idOrPrefix: string): ConversationView {
    this.assertOpen();
    return this.conversations.get(this.resolveItem(idOrPrefix));
  }

  conversationMessages(id: string, from: number, limit: number): MessageView[] {
    this.assertOpen();
    return this.conversations.page(this.resolveItem(id), from, limit);
  }

  /** Messages whose time is in [from, to] (either may be left out), after index `after`. */
  conversationRange(
    id: string,
    bounds: { from?: string; to?: string },
    after: number,
    limit: number,
  ): MessageView[] {
    this.assertOpen();
    return this.conversations.range(this.resolveItem(id), bounds, after, limit);
  }

  searchConversation(
    id: string,
    text: string,
    offset = 0,
    limit = 200,
  ): { total: number; hits: MessageHit[] } {
    this.assertOpen();
    return this.conversations.search(this.resolveItem(id), text, offset, limit);
  }

  conversationIndexAt(id: string, date: string): number | null {
    this.assertOpen();
    return this.conversations.indexAt(this.resolveItem(id), date);
  }

  message(id: string): MessageDetail {
    this.assertOpen();
    return this.conversations.message(id);
  }

  /** Links messages to an incident, or unlinks them; logs which, with each message's SHA-256. */
  setMessageIncident(
    incidentId: string,
    messageIds: readonly string[],
    op: 'link' | 'unlink',
  ): Incident {
    this.assertOpen();
    this.assertWritable();
    const incident = this.cases.incident(incidentId);
    const refs = this.conversations.refs(messageIds);
    this.db.transaction(() => {
      const changed = refs.filter((m) =>
        op === 'link'
          ? this.cases.linkIncidentMessage(incident.id, m.id)
          : this.cases.unlinkIncidentMessage(incident.id, m.id),
      );
      if (changed.length) {
        this.custody.append(
          'annotate',
          [incident.id, ...new Set(changed.map((m) => m.item)), ...changed.map((m) => m.id)],
          {
            what: op === 'link' ? 'messages linked to incident' : 'messages unlinked from incident',
            messages: changed.map(messageRef),
          },
        );
      }
    })();
    return this.cases.incident(incident.id);
  }

  /** Adds (or removes) tags on messages; one logged change for them all. */
  tagMessages(
    messageIds: readonly string[],
    tags: readonly string[],
    op: 'tag' | 'untag',
  ): MessageView[] {
    this.assertOpen();
    this.assertWritable();
    const refs = this.conversations.refs(messageIds);
    const byKey = new Map<string, string>();
    for (const t of tags.map(tagText))
      if (t && !byKey.has(t.toLowerCase())) byKey.set(t.toLowerCase(), t);
    const clean = [...byKey.values()];
    if (clean.length === 0)
      throw new DossierError('USAGE', 'Give at least one tag (some text, on one line).');
    this.db.transaction(() => {
      const changedTags = new Set<string>();
      const changed = refs.filter((m) => {
        let any = false;
        for (const t of clean) {
          const did =
            op === 'tag'
              ? this.conversations.addTag(m.id, t)
              : this.conversations.removeTag(m.id, t);
          if (did) {
            any = true;
            changedTags.add(t);
          }
        }
        return any;
      });
      if (changed.length) {
        const list = [...changedTags];
        this.custody.append(
          'annotate',
          [...new Set(changed.map((m) => m.item)), ...changed.map((m) => m.id)],
          {
            what: 'message tags changed',
            added: op === 'tag' ? list : [],
            removed: op === 'untag' ? list : [],
            messages: changed.map(messageRef),
          },
        );
      }
    })();
    return this.conversations.views(refs.map((m) => m.id));
  }

  /** A new note on a message, or a note's new text (the log keeps the old). */
  noteMessage(messageId: string, body: string, noteId?: string): MessageNote {
    this.assertOpen();
    this.assertWritable();
    const text = noteText(body);
    if (noteId !== undefined) {
      const note = this.conversations.note(noteId);
      if (note.messageId !== messageId) {
        throw new DossierError(
          'USAGE',
          'That note belongs to another message. Reload the conversation and try again.',
        );
      }
      if (note.body === text) return note;
      const [ref] = this.conversations.refs([note.messageId]);
      this.db.transaction(() => {
        this.conversations.updateNote(note.id, text, new Date().toISOString());
        this.custody.append('annotate', [ref!.item, ref!.id, note.id], {
          what: 'message note edited',
          message: messageRef(ref!),
          before: note.body,
          after: text,
        });
      })();
      return this.conversations.note(note.id);
    }
    const [ref] = this.conversations.refs([messageId]);
    const id = newId();
    this.db.transaction(() => {
      this.conversations.addNote(ref!.id, id, text, new Date().toISOString());
      this.custody.append('annotate', [ref!.item, ref!.id, id], {
        what: 'message note added',
        message: messageRef(ref!),
        note: text,
      });
    })();
    return this.conversations.note(id);
  }

  /**
   * The message's sender becomes an identifier of the person: every message with that sender
   * key (in every conversation of that platform) is then theirs. Logged with the identifier.
   */
  markSender(messageId: string, personId: string): { person: Person; messages: number } {
    this.assertOpen();
    this.assertWritable();
    const [ref] = this.conversations.refs([messageId]);
    const person = this.cases.person(personId);
    const key = ref!.senderKey;
    if (key === null) {
      throw new DossierError(
        'USAGE',
        'This message has no sender to mark (the platform wrote it, or the export gives no sender id).',
      );
    }
    const at = key.indexOf(':');
    const kind = key.slice(0, at) as IdentifierKind;
    const value = key.slice(at + 1);
    const messages = this.conversations.countBySender(key);
    const owner = this.cases.personByIdentifier(kind, value);
    if (owner === person.id) return { person, messages };
    if (owner !== null) {
      const other = this.cases.person(owner);
      throw new DossierError(
        'USAGE',
        `That sender is already recorded as ${other.name}. Remove the identifier from ${other.name} first if it is someone else.`,
      );
    }
    this.db.transaction(() => {
      this.cases.addIdentifier(person.id, kind, value);
      this.custody.append('annotate', [person.id, ref!.item], {
        what: 'sender marked as person',
        identifier: { kind, value },
        sender: ref!.sender,
        conversation: ref!.item,
        messages,
      });
      if (kind === 'email') this.linkEmailsSentBy(person.id);
    })();
    return { person: this.cases.person(person.id), messages };
  }

  async check(opts: Parameters<typeof checkIntegrity>[1] = {}): Promise<IntegrityReport> {
    this.assertOpen();
    // Locked while it waited for an import or read the files: said in words, not as SQLite's
    // "connection is not open", and nothing is logged.
    const lockedMeanwhile = () =>
      new DossierError(
        'LOCKED',
        'The vault was locked before its check finished, so the check was stopped and nothing was recorded. Unlock the vault and run the check again.',
      );
    let report: IntegrityReport;
    try {
      report = await checkIntegrity(
        {
          still: (take) => this.blobWrites.still(take),
          db: this.db,
          items: this.items,
          blobs: this.blobs,
          custody: this.custody,
          vaultId: this.id,
          publicKey: this.keys.signingPublicKey,
          anchor: this.anchorState(),
        },
        opts,
      );
    } catch (e) {
      throw this.closed ? lockedMeanwhile() : e;
    }
    if (this.closed) throw lockedMeanwhile();
    this.custody.append('verify', [], {
      scope: 'vault',
      ok: report.ok,
      items: report.items,
      blobsChecked: report.blobsChecked,
      problems: report.problems.map((p) => p.message),
    });
    return report;
  }

  log(): CustodyEntry[] {
    this.assertOpen();
    return this.custody.entries();
  }

  /**
   * One page of the log for reading, each entry with its subjects in words (see
   * LABELLED_SUBJECTS: an export names every exhibit, and only the first are labelled).
   */
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

  verifyLog(): ChainReport {
    this.assertOpen();
    return verifyVaultCustody(this.custody.entries(), this.custody.checkpoints(), {
      vaultId: this.id,
      publicKey: this.keys.signingPublicKey,
      anchor: this.anchorState(),
    });
  }

  /**
   * Whether `secret` (a passphrase, or a recovery code) opens one of this vault's key slots.
   * The check is the slot's own unwrap (AEAD tag), so a wrong secret costs a full KDF run.
   */
  private async opensThisVault(secret: string): Promise<boolean> {
    let code: Buffer | null = null;
    try {
      code = parseRecoveryCode(secret);
    } catch {
      // Not shaped like a recovery code: only the passphrase slots can take it.
    }
    const opened: (Buffer | null)[] = [];
    try {
      for (const slot of this.header.slots) {
        if (slot.type === 'recovery' && code) opened.push(openRecoverySlot(this.id, slot, code));
        if (slot.type === 'passphrase')
          opened.push(await openPassphraseSlot(this.id, slot, secret));
        if (opened.at(-1)?.equals(this.masterKey)) return true;
      }
      return false;
    } finally {
      code?.fill(0);
      for (const mk of opened) mk?.fill(0);
    }
  }

  /** Refuses, changing nothing, unless `current` is this vault's passphrase or recovery code. */
  private async assertCurrentSecret(current: string, doing: string): Promise<void> {
    if (!(await this.opensThisVault(current))) {
      throw new DossierError(
        'WRONG_PASSPHRASE',
        `That is not this vault's current passphrase or recovery code, so ${doing} and nothing was changed. Check Caps Lock and the keyboard layout, and try again.`,
      );
    }
  }

  /**
   * Rewrites the passphrase slot only; the data and every derived key stay as they are.
   * `current` (the passphrase, or the recovery code) is checked against the key slots first:
   * an unlocked screen alone must not be enough to lock the owner out.
   */
  async changePassphrase(
    current: string,
    newPassphrase: string,
    kdf?: Argon2Params,
  ): Promise<void> {
    this.assertOpen();
    this.assertWritable();
    assertPassphraseAcceptable(newPassphrase);
    await this.assertCurrentSecret(current, 'the passphrase was not changed');
    const slot = await makePassphraseSlot(
      this.id,
      this.masterKey,
      newPassphrase,
      kdf ?? this.options.kdf,
    );
    await this.rewriteHeader((h) => ({
      ...h,
      slots: [slot, ...h.slots.filter((s) => s.type !== 'passphrase')],
    }));
    this.custody.append('key-change', [], {
      slot: 'passphrase',
      kdf: {
        name: 'argon2id',
        memoryKiB: slot.kdf.memoryKiB,
        iterations: slot.kdf.iterations,
        parallelism: slot.kdf.parallelism,
      },
    });
  }

  /** A recovery code made with the vault (or by newRecoveryCode) is waiting to be confirmed. */
  get recoveryCodePending(): boolean {
    return this.header.pendingRecoveryCode !== undefined;
  }

  private recoverySlotSalt(): string {
    const slot = this.header.slots.find((s): s is RecoverySlot => s.type === 'recovery');
    if (!slot) {
      throw new DossierError(
        'CORRUPT',
        'This vault has no recovery slot in dossier.json. Make a new recovery code (Settings, or `dossier recovery --new`).',
      );
    }
    return slot.kdf.salt;
  }

  /** The recovery code kept until it is confirmed, to show it again. */
  pendingRecoveryCode(): string {
    this.assertOpen();
    const pending = this.header.pendingRecoveryCode;
    if (!pending) {
      throw new DossierError(
        'NOT_FOUND',
        'No recovery code is waiting to be confirmed: it was confirmed already, and is never shown again. If it is lost, make a new one.',
      );
    }
    const secret = openPendingCode(this.masterKey, this.id, this.recoverySlotSalt(), pending);
    try {
      return formatRecoveryCode(secret);
    } finally {
      secret.fill(0);
    }
  }

  /**
   * The person proves they wrote the code down by typing back one of its groups (1–8). Then
   * the kept copy is removed from dossier.json, and the confirmation is logged.
   */
  async confirmRecoveryCode(group: number, typed: string): Promise<void> {
    this.assertOpen();
    this.assertWritable();
    const checked = this.header.pendingRecoveryCode;
    const groups = this.pendingRecoveryCode().split('-');
    const expected = groups[group - 1];
    if (!Number.isInteger(group) || expected === undefined) {
      throw new DossierError(
        'USAGE',
        `The recovery code has ${groups.length} groups; choose one from 1 to ${groups.length}.`,
      );
    }
    const clean = typed
      .toUpperCase()
      .replace(/[\s-]/g, '')
      .replace(/O/g, '0')
      .replace(/[IL]/g, '1');
    if (clean !== expected) {
      throw new DossierError(
        'USAGE',
        `That is not group ${group} of the recovery code on screen. Check what you wrote down against the screen, and type that group again. The code is still kept until you do.`,
      );
    }
    await this.rewriteHeader((h) => {
      // A new code made meanwhile is not confirmed by typing back the old one.
      if (h.pendingRecoveryCode !== checked) {
        throw new DossierError(
          'USAGE',
          'A new recovery code was made meanwhile. Confirm that one: the code you typed from no longer opens the vault.',
        );
      }
      const header: VaultHeader = { ...h };
      delete header.pendingRecoveryCode;
      return header;
    });
    this.custody.append('key-change', [], {
      slot: 'recovery',
      change: 'confirmed written down; the copy kept until then was removed',
    });
  }

  /**
   * A new recovery code: a new recovery slot replaces the old one in one atomic write of
   * dossier.json, so the old code stops opening the vault. `current` (the passphrase or the
   * old code) is checked first. Logged, without any secret.
   */
  async newRecoveryCode(current: string, opts: { hold?: boolean } = {}): Promise<string> {
    this.assertOpen();
    this.assertWritable();
    await this.assertCurrentSecret(current, 'no new recovery code was made');
    const recovery = newRecoveryCode();
    try {
      const slot = makeRecoverySlot(this.id, this.masterKey, recovery.secret);
      const pending = opts.hold
        ? sealPendingCode(this.masterKey, this.id, slot.kdf.salt, recovery.secret)
        : undefined;
      await this.rewriteHeader((h) => {
        const header: VaultHeader = {
          ...h,
          slots: [...h.slots.filter((s) => s.type !== 'recovery'), slot],
        };
        // Any code still waiting was for the slot just removed.
        delete header.pendingRecoveryCode;
        if (pending) header.pendingRecoveryCode = pending;
        return header;
      });
    } finally {
      recovery.secret.fill(0);
    }
    this.custody.append('key-change', [], {
      slot: 'recovery',
      change: opts.hold
        ? 'new recovery code; the old one no longer opens the vault; kept sealed until confirmed'
        : 'new recovery code; the old one no longer opens the vault',
    });
    return recovery.code;
  }

  /** SHA-256 of the raw Ed25519 public key, in groups of four hex digits. */
  fingerprint(): string {
    const raw = this.keys.signingPublicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    return createHash('sha256').update(raw).digest('hex').match(/.{4}/g)!.join(' ');
  }

  signingPublicKeyPem(): string {
    return this.keys.signingPublicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  /** Preferences kept in the encrypted database. */
  settings(): VaultSettings {
    this.assertOpen();
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as {
      key: string;
      value: string;
    }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    const minutes = stored.autoLockMinutes;
    return {
      autoLockMinutes:
        typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 1 && minutes <= 240
          ? minutes
          : DEFAULT_SETTINGS.autoLockMinutes,
    };
  }

  updateSettings(patch: Partial<VaultSettings>): VaultSettings {
    this.assertOpen();
    const before = this.settings();
    const m = patch.autoLockMinutes;
    if (m !== undefined && (!Number.isInteger(m) || m < 1 || m > 240)) {
      throw new DossierError(
        'USAGE',
        'The vault can lock itself after 1 to 240 minutes without use. Choose a whole number of minutes in that range.',
      );
    }
    const changed = (Object.keys(patch) as (keyof VaultSettings)[]).filter(
      (k) => patch[k] !== undefined && patch[k] !== before[k],
    );
    if (changed.length === 0) return before;
    this.db.transaction(() => {
      for (const k of changed) {
        this.db
          .prepare(
            'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          )
          .run(k, JSON.stringify(patch[k]));
      }
      this.custody.append('settings-change', [], {
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, patch[k]])),
      });
    })();
    return this.settings();
  }

  /**
   * The escape hatch behind the passphrase again: the vault is open, but whoever sits at it
   * must still know the passphrase to see the keys. Checked against the passphrase slot.
   */
  async revealKeysWithPassphrase(passphrase: string): Promise<RevealedKeys> {
    this.assertOpen();
    for (const slot of this.header.slots.filter(
      (s): s is PassphraseSlot => s.type === 'passphrase',
    )) {
      const mk = await openPassphraseSlot(this.header.vaultId, slot, passphrase);
      if (mk?.equals(this.masterKey)) {
        mk.fill(0);
        return this.revealKeys();
      }
      mk?.fill(0);
    }
    throw new DossierError('WRONG_PASSPHRASE', WRONG_PASSPHRASE_MESSAGE);
  }

  /** The escape hatch: keys that open the vault with the standard sqlcipher and age tools. Logged. */
  revealKeys(): RevealedKeys {
    this.assertOpen();
    this.custody.append('reveal-keys', [], { reason: 'escape hatch: keys shown to the person' });
    return {
      sqlcipherKey: sqlcipherKeyLiteral(this.keys.sqlcipherKey),
      ageIdentity: this.identity.toString(),
      ageRecipient: this.identity.recipient().toString(),
      signingPublicKey: this.signingPublicKeyPem(),
      fingerprint: this.fingerprint(),
    };
  }

  /** Every secret this session holds, overwritten; KeyObjects are let go (see VaultKeys). */
  private wipeKeys(): void {
    this.masterKey.fill(0);
    this.keys.wipe();
    this.identity.wipe();
  }

  /**
   * Signs the custody head, records it in dossier.json, closes the database and wipes the
   * keys from memory. The keys are wiped and the vault lock let go whatever fails; a full
   * disk that stops the lock entry is reported in `notices`, not thrown.
   */
  async lock(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The engine is stopped before the database closes; its picture stays queued.
    await this.ocr.stop().catch(() => undefined);
    // The preview being made is saved; the others are made at the next unlock.
    await this.copyPreviews.stop().catch(() => undefined);
    try {
      // A read-only session logged no unlock, so it logs no lock either.
      if (!this.readOnly) {
        try {
          this.custody.append('lock', []); // signed in the same transaction
        } catch (e) {
          if (!isDiskFull(e)) throw e;
          this.notices.push(LOCK_NOT_LOGGED);
        }
      }
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (e) {
        // Committed changes stay safe in the WAL; it is folded in at a later lock.
        if (!isDiskFull(e)) throw e;
      }
      // After the checkpoint is durable: the record never names an entry the database lacks.
      if (!this.readOnly) await this.recordAnchor();
    } finally {
      this.wipeKeys();
      try {
        this.db.close();
      } finally {
        await this.lockFile.release();
      }
    }
  }
}

const UNLOCK_NOT_LOGGED =
  'The custody entry for this unlock could not be written: the disk is full. You can read the vault, but nothing can be changed until you free some space and unlock it again.';
const LEFTOVERS_NOT_CLEANED =
  'The clean-up of an interrupted import could not run: the disk is full. It runs at the next unlock with free space; nothing was removed.';
const LOCK_NOT_LOGGED =
  'The custody entry for this lock could not be written: the disk is full. Nothing already saved was lost; the vault was locked all the same.';
const READ_ONLY_SESSION =
  'Nothing can be changed in this session: the disk was full when the vault was unlocked, so the custody log could not record it. Free some space, then run the command again (or lock and unlock the vault).';

/** SQLite's "database or disk is full", or the file system's, however it was wrapped. */
function isDiskFull(e: unknown): boolean {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as { code?: string }).code;
    if (code === 'NO_SPACE' || code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT')
      return true;
  }
  return false;
}

function noteText(body: string): string {
  const text = body.trim();
  if (!text) throw new DossierError('USAGE', 'A note needs some text. Type what you want to note.');
  return text;
}

/** A message as custody entries name it. */
function messageRef(m: { id: string; item: string; index: number; sha256: string }): {
  id: string;
  item: string;
  index: number;
  sha256: string;
} {
  return { id: m.id, item: m.item, index: m.index, sha256: m.sha256 };
}

function tagText(tag: string): string {
  const t = tag.trim();
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t)) {
    throw new DossierError(
      'USAGE',
      'A tag cannot contain line breaks or other invisible control characters. Type it on one line.',
    );
  }
  return t;
}

/**
 * A name given with bytes (no file behind it) is shown in lists, titles and exports. Path
 * separators become "_"; control characters, bidi overrides and line separators are removed
 * (they can hide an extension or rewrite a line); "", "." and ".." get a plain fallback.
 */
/* eslint-disable no-control-regex -- removing control characters is the point */
const UNSHOWABLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/gu;
/* eslint-enable no-control-regex */

export function uploadName(given: string): string {
  const cleaned = given.normalize('NFC').replace(UNSHOWABLE, '').replace(/[/\\]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'pasted file' : cleaned;
}
