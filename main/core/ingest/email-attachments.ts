// An email's attachments as items of their own (docs/conversations.md, "Import"): at import,
// and once for the emails a vault held before that (the one-time job at unlock).
import { readEmailMessage } from '../../../shared/email';
import type { BlobStore } from '../blobs/store';
import { DerivedFiles, derivedName, type StoreDeps } from '../conversations/store';
import { isDossierError } from '../errors';
import { readJobState, writeJobState, type JobProgress } from './job-state';
import { PendingBlobs } from './pending-blobs';

/** An email bigger than this is not opened for its attachments (it stays stored whole). */
export const MAX_EMAIL_ATTACHMENT_SOURCE_BYTES = 256 * 1024 * 1024;

/** The mime types read as one email. */
export const EMAIL_MIMES: ReadonlySet<string> = new Set([
  'message/rfc822',
  'application/vnd.ms-outlook',
]);

/**
 * Writes each attachment of the email in `bytes` as a derived blob (saved by the caller's
 * transaction with files.insert). Never throws for a damaged email or attachment: what could
 * not be stored is returned as a problem for the email. A full disk is thrown.
 */
export async function storeEmailAttachments(
  bytes: Uint8Array,
  files: DerivedFiles,
): Promise<string[]> {
  const problems: string[] = [];
  let parsed;
  try {
    parsed = await readEmailMessage(bytes, { withAttachmentBytes: true });
  } catch (e) {
    return [
      `This email's attachments could not be read (${firstLine(e)}), so none is stored as an item of its own. The email itself is stored whole.`,
    ];
  }
  for (const [i, a] of parsed.attachments.entries()) {
    const shown = a.name && a.name !== '(no name)' ? derivedName(a.name, '').slice(0, 120) : '';
    const label = `attachment ${i + 1}${shown ? ` (“${shown}”)` : ''}`;
    if (!a.bytes) {
      problems.push(
        `The email's ${label} could not be decoded, so it is not stored as an item of its own. The email itself is stored whole.`,
      );
      continue;
    }
    try {
      const name = a.name && a.name !== '(no name)' ? a.name : `attachment-${i + 1}`;
      await files.store(a.bytes, name, 'attachment', `${label} of the email`);
    } catch (e) {
      if (isDiskFull(e)) throw e;
      problems.push(
        `The email's ${label} could not be stored as an item of its own (${firstLine(e)}). The email itself is stored whole.`,
      );
    }
  }
  return problems;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
}

function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return isDossierError(e, 'NO_SPACE') || code === 'ENOSPC' || code === 'EDQUOT';
}

/** Reads a stored blob whole, when not too big to parse as one email. */
async function blobBytes(blobs: BlobStore, blobId: string): Promise<Buffer | null> {
  const age = await blobs.open(blobId);
  try {
    if (age.size > MAX_EMAIL_ATTACHMENT_SOURCE_BYTES) return null;
    return await age.read(0, age.size);
  } finally {
    await age.close().catch(() => undefined);
  }
}

export { blobBytes as readStoredBlob };

// ---- The one-time job ----

/** Emails with nothing to store read between two saves of the job's progress. */
const PROGRESS_EVERY = 200;

/** settings key: {"state":"running","after":"<last email id done>"} or {"state":"done",…}. */
export const EMAIL_ATTACHMENTS_JOB = 'job:email-attachments';

interface JobState extends JobProgress {
  emails?: number;
  attachments?: number;
}

function jobState(deps: Pick<StoreDeps, 'db'>): JobState | null {
  return readJobState<JobState>(deps.db, EMAIL_ATTACHMENTS_JOB);
}

function setJobState(deps: Pick<StoreDeps, 'db'>, state: JobState): void {
  writeJobState(deps.db, EMAIL_ATTACHMENTS_JOB, state);
}

/** A new vault has no email from before attachments became items: nothing to do, ever. */
export function markEmailAttachmentsJobDone(deps: Pick<StoreDeps, 'db'>): void {
  setJobState(deps, { state: 'done', emails: 0, attachments: 0 });
}

/**
 * Stores the attachments of emails imported before attachments became items, once per vault.
 * Each email is saved in its own transaction together with the job's progress (the last email
 * done, by id), so a job killed part-way resumes after the last email saved and never stores
 * an attachment twice; an email that already has attachment items is skipped. Logged: a
 * `derive` entry when it starts, one per email with attachments, and one when it finishes.
 * Returns notices for the person.
 */
export async function runEmailAttachmentsJob(deps: StoreDeps): Promise<string[]> {
  const state = jobState(deps);
  if (state?.state === 'done') return [];
  const after = state?.after ?? '';
  // Emails as imported, not ones that came inside another (never split at import either); the
  // list is taken once, so what the job itself stores is never read by it.
  const emails = deps.db
    .prepare(
      `SELECT id, blob_id AS blobId FROM items
         WHERE kind = 'email' AND parent_id IS NULL AND id > ? ORDER BY id`,
    )
    .all(after) as { id: string; blobId: string }[];
  const hasAttachmentItems = deps.db
    .prepare("SELECT 1 FROM items WHERE parent_id = ? AND derive_op = 'attachment' LIMIT 1")
    .pluck();
  if (state === null) {
    if (emails.length === 0) {
      setJobState(deps, { state: 'done', emails: 0, attachments: 0 });
      return [];
    }
    deps.db.transaction(() => {
      deps.custody.append('derive', [], {
        what: 'email attachments job started',
        emails: emails.length,
      });
      setJobState(deps, { state: 'running', after: '' });
    })();
  }
  let stored = 0;
  let emailsWith = 0;
  let quiet = 0;
  const skipped: string[] = [];
  for (const email of emails) {
    if (hasAttachmentItems.get(email.id)) continue;
    const pending = new PendingBlobs(deps.db, deps.pendingMac);
    const files = new DerivedFiles(deps, pending);
    try {
      const bytes = await blobBytes(deps.blobs, email.blobId);
      const problems =
        bytes === null
          ? [
              `This email is larger than ${MAX_EMAIL_ATTACHMENT_SOURCE_BYTES / 1024 / 1024} MiB, so its attachments were not stored as items of their own. The email itself is stored whole.`,
            ]
          : await storeEmailAttachments(bytes, files);
      await files.settle();
      const now = new Date();
      // An email with nothing to store changes nothing: its progress is saved with the next
      // one that does, or every PROGRESS_EVERY emails (reading it again after a kill is harmless).
      const nothing = files.created.length === 0 && files.linked.length === 0 && !problems.length;
      if (nothing && ++quiet < PROGRESS_EVERY) continue;
      quiet = 0;
      deps.db.transaction(() => {
        files.insert(email.id, now);
        if (files.inserted.length || files.linked.length || problems.length) {
          deps.custody.append('derive', [email.id], {
            what: 'email attachments stored',
            by: 'email-attachments job',
            derivedItems: [...files.inserted],
            linkedItems: [...new Set(files.linked)],
            problems,
          });
        }
        setJobState(deps, { state: 'running', after: email.id });
        pending.clear();
      })();
      await files.discardUnused();
      const n = files.inserted.length;
      stored += n;
      if (n) emailsWith++;
    } catch (e) {
      await files.discard();
      pending.clear();
      if (isDiskFull(e)) throw e;
      // One unreadable email (a damaged blob) must not stop the others; `dossier check` says why.
      skipped.push(email.id);
      deps.db.transaction(() => setJobState(deps, { state: 'running', after: email.id }))();
    }
  }
  deps.db.transaction(() => {
    deps.custody.append('derive', [], {
      what: 'email attachments job finished',
      emails: emailsWith,
      attachments: stored,
    });
    setJobState(deps, { state: 'done', emails: emailsWith, attachments: stored });
  })();
  const notices: string[] = [];
  if (stored)
    notices.push(
      `The attachments of ${emailsWith} email(s) imported earlier were stored as items of their own (${stored} in all), so they can be searched, opened and exported. The emails themselves are unchanged.`,
    );
  if (skipped.length)
    notices.push(
      `The attachments of ${skipped.length} email(s) could not be read, because their encrypted files could not be opened: ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}. Run "Check the vault" in Settings (or \`dossier check\`) to see why.`,
    );
  return notices;
}
