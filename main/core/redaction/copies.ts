// A copy made for disclosure, stored as an item derived from its original (docs/redaction.md):
// written and recorded as pending first, then saved with its `ingest` entry, its `derive`
// entry (both hashes) and its redactions row in one transaction. The original is untouched.
import { createHash } from 'node:crypto';
import type { RedactionBox } from '../../../shared/redaction';
import type { BlobWriter } from '../blobs/store';
import type { RedactionSpan } from '../../../shared/redaction-text';
import { DerivedFiles, type DeriveOp, type StoreDeps } from '../conversations/store';
import { asDatabaseError } from '../db/database';
import { DossierError } from '../errors';
import type { EvidenceFacts } from '../evidence';
import { PendingBlobs } from '../ingest/pending-blobs';

/** The original as the copy is made from it. */
export interface CopySource {
  id: string;
  name: string;
  sha256: string;
}

export interface CopyMade {
  /** The copy's item id. */
  id: string;
  parentId: string;
  sha256: string;
  name: string;
  /** The same bytes were in the vault already (an identical copy made before): that item. */
  alreadyMade: boolean;
}

export interface CopyRecord {
  kind: 'picture' | 'location' | 'text';
  boxes: RedactionBox[];
  /** The covered passages of a text copy, in text order; empty for the others. */
  spans: RedactionSpan[];
  removed: string[];
  lossless: boolean;
}

const OP: Record<CopyRecord['kind'], DeriveOp> = {
  picture: 'redact',
  location: 'strip-location',
  text: 'redact',
};
const WHAT = {
  picture: 'redacted copy made',
  location: 'copy without location made',
  text: 'redacted copy made',
} as const;

/** "photo.jpg" → "photo (redacted).png": the original's name, what the copy is, its type. */
export function copyName(original: string, what: string, extension: string): string {
  const dot = original.lastIndexOf('.');
  const stem = dot > 0 ? original.slice(0, dot) : original;
  return `${stem.slice(0, 200)} (${what})${extension}`;
}

/**
 * A copy's file begun while the copy is still being made (a picture's PNG being written on
 * sharp's threads): its id recorded as pending, a commit, so a wait for the disk, and its
 * encrypted file opened. Saved by storeCopy, or abandoned.
 */
export class CopyFileAhead {
  readonly pending: PendingBlobs;
  /** The file begun, once begin() ran; its failure (a full disk) is met where it is used. */
  file: Promise<BlobWriter> | null = null;

  constructor(private readonly deps: StoreDeps) {
    this.pending = new PendingBlobs(deps.db, deps.pendingMac);
  }

  /** Records the id (a full disk throws here) and starts the file under its final name. */
  begin(): void {
    this.pending.reserve();
    this.file = this.deps.blobs.createInPlace(this.pending.next());
    this.file.catch(() => undefined);
  }

  /** Lets the file go: removed unless it was saved (the copy was made before, or failed). */
  async release(): Promise<void> {
    await this.file?.then(
      (w) => w.abort(),
      () => undefined,
    );
  }

  /** Nothing is saved: the file removed, the record dropped. */
  async abandon(): Promise<void> {
    await this.release();
    try {
      this.pending.clear();
    } catch {
      // Unlock finds the record, and nothing under its names.
    }
  }
}

export async function storeCopy(
  deps: StoreDeps,
  original: CopySource,
  /** `facts`: what is known of a copy Dossier made (a redacted picture's size and preview). */
  copy: { bytes: Buffer; name: string; mime: string; facts?: EvidenceFacts },
  record: CopyRecord,
  /** Its file, when the caller began it ahead (while the copy was encoded). */
  ahead = new CopyFileAhead(deps),
): Promise<CopyMade> {
  const pending = ahead.pending;
  if (createHash('sha256').update(copy.bytes).digest('hex') === original.sha256) {
    // Nothing to take out: the "copy" would be the original itself.
    await ahead.abandon();
    throw new DossierError(
      'USAGE',
      record.kind === 'location'
        ? `"${original.name}" holds no location or other details to take out: it can be disclosed as it is. No copy was made.`
        : `The redacted copy of "${original.name}" would be the same file as the original. No copy was made.`,
    );
  }
  const files = new DerivedFiles(deps, pending);
  try {
    const given = await files.store(
      copy.bytes,
      copy.name,
      OP[record.kind],
      record.kind === 'location' ? 'copy without location' : 'redacted copy',
      { made: copy.facts, writer: ahead.file },
    );
    await files.settle();
    // Saved by now if it was used; not used when the same copy was made before, and let go
    // before the transaction drops its pending record.
    await ahead.release();
    const now = new Date();
    let made: CopyMade | null = null;
    deps.db.transaction(() => {
      // Removed while the copy was made: nothing is saved.
      if (!deps.db.prepare('SELECT 1 FROM items WHERE id = ?').get(original.id)) {
        throw new DossierError(
          'NOT_FOUND',
          `"${original.name}" was removed while the copy was made.`,
        );
      }
      files.insert(original.id, now);
      const id = files.replaced.get(given) ?? given;
      const row = deps.items.get(id);
      const alreadyMade = !files.inserted.includes(id);
      if (!alreadyMade) {
        const entry = deps.custody.append('derive', [original.id, id], {
          what: WHAT[record.kind],
          original: { id: original.id, sha256: original.sha256 },
          copy: { id, sha256: row.sha256, mime: copy.mime },
          ...(record.kind === 'picture'
            ? { boxes: record.boxes }
            : record.kind === 'text'
              ? { spans: record.spans }
              : { removed: record.removed, lossless: record.lossless }),
        });
        deps.db
          .prepare(
            `INSERT INTO redactions (item_id, original_id, kind, areas, removed, lossless, made_at, custody_seq)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            original.id,
            record.kind,
            JSON.stringify(record.kind === 'text' ? record.spans : record.boxes),
            JSON.stringify(record.removed),
            record.lossless ? 1 : 0,
            now.toISOString(),
            entry.seq,
          );
      }
      pending.clear();
      made = { id, parentId: original.id, sha256: row.sha256, name: row.name, alreadyMade };
    })();
    await files.discardUnused();
    return made!;
  } catch (e) {
    await files.discard();
    await ahead.abandon();
    // A full disk met by the database (the pending record, the save) is said as one met by a file.
    throw asDatabaseError(e);
  }
}
