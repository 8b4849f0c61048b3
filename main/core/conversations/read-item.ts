// Reading an item already in the vault as a conversation (`dossier read`, docs/conversations.md,
// "Reading an item already in the vault"): its stored original goes through the same reading
// and saving as at import (readConversation, insertConversation). The original never changes.
import { DossierError, isDossierError } from '../errors';
import { LONG_TEXT_PROBLEM } from '../evidence/text';
import { asIoError } from '../fs-safety';
import { PendingBlobs } from '../ingest/pending-blobs';
import { findReader } from './readers';
import {
  assertReadChoices,
  FORMAT_WORDS,
  insertConversation,
  isReaderFailedWarning,
  readConversation,
  readOptionsFrom,
  ReaderFailed,
  type ReadChoices,
  type StoreDeps,
} from './store';
import { isZip } from './archive';
import type { ConversationReader } from './types';
import { whatsAppDateOrderCheck, type DateOrderCheck } from './whatsapp';

/** As at import: the readers' detect() sees the first 64 KiB. */
const HEAD_BYTES = 64 * 1024;

/** The formats Dossier reads as conversations, in words, for the refusal. */
const FORMATS_READ =
  'an mbox mailbox, a WhatsApp "Export chat" (.zip or .txt), a Telegram Desktop result.json, and an Instagram or Facebook message_N.json';

/** What is needed of an item to read it. */
export interface StoredItem {
  id: string;
  /** The name it was imported with: what the readers look at, as they did at import. */
  name: string;
  mime: string;
  kind: string;
  blobId: string;
}

/** The first bytes of an item's original, decrypted (one age chunk). */
async function headOf(deps: StoreDeps, blobId: string): Promise<Buffer> {
  const age = await deps.blobs.open(blobId);
  try {
    return await age.read(0, Math.min(age.size, HEAD_BYTES));
  } finally {
    await age.close().catch(() => undefined);
  }
}

/**
 * The reader that would open this item, from its name, type and first bytes only (cheap: the
 * item view asks); null when none knows it or it is a conversation already.
 */
export async function readerForItem(
  deps: StoreDeps,
  item: StoredItem,
): Promise<ConversationReader | null> {
  if (item.kind === 'conversation') return null;
  return findReader(await headOf(deps, item.blobId), item.name, item.mime);
}

/** Past this, a chat text is not read for the date-order question (as for a file on disk). */
const CHOICE_MAX_BYTES = 512 * 1024 * 1024;

/**
 * The date-order question (items.chatChoice) for an item already in the vault: its zip read in
 * place from the blob, or its chat text whole. Null when it is not a WhatsApp export.
 */
export async function itemDateOrderCheck(
  deps: StoreDeps,
  item: StoredItem,
): Promise<DateOrderCheck | null> {
  const age = await deps.blobs.open(item.blobId);
  try {
    const head = await age.read(0, Math.min(age.size, 4));
    if (isZip(head)) {
      return await whatsAppDateOrderCheck({
        size: age.size,
        readRange: (start, end) => age.read(start, Math.min(end, age.size)),
      });
    }
    if (age.size > CHOICE_MAX_BYTES) {
      throw new DossierError(
        'USAGE',
        'This chat text is too large for Dossier to show example dates from it (over 512 MiB). Choose the order from what the chat shows on your phone.',
      );
    }
    return await whatsAppDateOrderCheck(await age.read(0, age.size));
  } finally {
    await age.close().catch(() => undefined);
  }
}

/** The item's row as the transaction sees it, to check nothing changed while it was read. */
function current(deps: StoreDeps, id: string): { kind: string; blobId: string } | null {
  return (
    (deps.db.prepare('SELECT kind, blob_id AS blobId FROM items WHERE id = ?').get(id) as
      { kind: string; blobId: string } | undefined) ?? null
  );
}

function alreadyConversation(name: string): DossierError {
  return new DossierError(
    'USAGE',
    `"${name}" is already read as a conversation; open it to see its messages (\`dossier messages ID\`).`,
  );
}

function diskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/** The files it named are gone; a record left behind (a full disk) is cleared at unlock. */
function dropPending(pending: PendingBlobs): void {
  try {
    pending.clear();
  } catch {
    // Unlock finds the record, and nothing under its names.
  }
}

/** Warnings from import that reading it as a conversation settles. */
function settledWarning(w: string): boolean {
  return w === LONG_TEXT_PROBLEM || isReaderFailedWarning(w);
}

/**
 * Reads the item's original (decrypted from its blob, never from where it was imported) as a
 * conversation and saves it in one transaction: the messages, the files that came in it as
 * items, the item's kind `conversation`, and one `derive` entry ("item read as a conversation")
 * after the derived items' `ingest` entries. A reader error, a NEEDS_CHOICE, a cancel or a
 * crash leave the item as it was: derived files are recorded as pending until that commit.
 */
export async function readItemAsConversation(
  deps: StoreDeps,
  item: StoredItem,
  choices: ReadChoices,
  signal?: AbortSignal,
): Promise<void> {
  assertReadChoices(choices);
  if (item.kind === 'conversation') throw alreadyConversation(item.name);
  const head = await headOf(deps, item.blobId);
  const reader = findReader(head, item.name, item.mime);
  if (!reader) {
    throw new DossierError(
      'USAGE',
      `"${item.name}" is not a format Dossier reads as a conversation: no reader recognises its name or its first bytes. The formats are ${FORMATS_READ}. The item is unchanged.`,
    );
  }
  const pending = new PendingBlobs(deps.db, deps.pendingMac);
  let conversation;
  try {
    conversation = await readConversation(deps, {
      blobId: item.blobId,
      name: item.name,
      head,
      reader,
      opts: readOptionsFrom(choices),
      pending,
      // Files beside the export on disk are not read: what was there at import may be gone
      // or changed; only what the vault holds is read.
      exportPath: null,
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    dropPending(pending);
    if (e instanceof ReaderFailed) {
      throw new DossierError(
        'CORRUPT',
        `"${item.name}" looks like ${FORMAT_WORDS[reader.format]}, but its messages could not be read (${e.message}). The item is unchanged.`,
      );
    }
    throw diskFull(e) ? asIoError(e, deps.blobs.vaultDir) : e;
  }
  if (signal?.aborted) {
    await conversation.discard();
    dropPending(pending);
    throw new DossierError('USAGE', 'Reading the item as a conversation was cancelled.');
  }
  const now = new Date();
  try {
    deps.db.transaction(() => {
      // Removed, replaced or read by another call while this one read it.
      const row = current(deps, item.id);
      if (!row || row.blobId !== item.blobId)
        throw new DossierError('NOT_FOUND', `"${item.name}" was removed while it was read.`);
      if (row.kind === 'conversation') throw alreadyConversation(item.name);
      const before = deps.items.get(item.id);
      const warnings = before.metadataErrors.filter((w) => !settledWarning(w));
      const cleared = before.metadataErrors.filter(settledWarning);
      const hadText =
        (
          deps.db.prepare('SELECT extracted_text AS t FROM items WHERE id = ?').get(item.id) as {
            t: string | null;
          }
        ).t !== null;
      // As at import: a conversation's words are searched message by message.
      deps.db
        .prepare('UPDATE items SET extracted_text = NULL, metadata_errors = ? WHERE id = ?')
        .run(JSON.stringify(warnings), item.id);
      deps.items.refreshSearch(item.id);
      insertConversation(deps, item.id, conversation, now, {
        what: 'item read as a conversation',
        kindBefore: row.kind,
        searchTextReplaced: hadText,
        warningsCleared: cleared,
      });
      pending.clear();
    })();
  } catch (e) {
    await conversation.discard();
    dropPending(pending);
    if (isDossierError(e)) throw e;
    throw diskFull(e) ? asIoError(e, deps.db.name) : e;
  }
  // Saved: the staged rows go, and files another import stored first.
  await conversation.messages.discard();
  await conversation.files.discardUnused();
}
