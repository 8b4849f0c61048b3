// Pictures imported before Dossier read XMP for a place (docs/redaction.md, "Location in XMP"):
// scanned once, at unlock, so that an older photo located by its XMP alone is flagged and
// counted by the location choice of every export, as a new one is.
import type { StoreDeps } from '../conversations/store';
import { readXmpLocation } from '../evidence/xmp-location';
import { isDossierError } from '../errors';
import { readJobState, writeJobState, type JobProgress } from './job-state';

/** settings key: {"state":"running","after":"<last item id done>"} or {"state":"done",…}. */
export const XMP_LOCATION_JOB = 'job:xmp-location';
/**
 * Bytes read from the start of each older picture. A JPEG's XMP is in its first segments, and
 * exiftool and cameras write a PNG's before its pixels; reading whole files would make the
 * first unlock of a vault of large photos slow. Said in docs/redaction.md.
 */
export const XMP_JOB_HEAD_BYTES = 256 * 1024;
/** Pictures scanned between two saves of the job's progress. */
const PROGRESS_EVERY = 200;

interface JobState extends JobProgress {
  found?: number;
}

function jobState(deps: Pick<StoreDeps, 'db'>): JobState | null {
  return readJobState<JobState>(deps.db, XMP_LOCATION_JOB);
}

function setJobState(deps: Pick<StoreDeps, 'db'>, state: JobState): void {
  writeJobState(deps.db, XMP_LOCATION_JOB, state);
}

/** A new vault holds no picture from before: nothing to do, ever. */
export function markXmpLocationJobDone(deps: Pick<StoreDeps, 'db'>): void {
  setJobState(deps, { state: 'done', found: 0 });
}

/**
 * Scans the pictures not flagged as located for a place in their XMP, once per vault. Each
 * one found is saved in its own transaction with an `annotate` entry (the fields' names, never
 * their values: the custody log goes into bundles) and the job's progress, so a job killed
 * part-way resumes after the last picture saved. Returns notices for the person.
 */
export async function runXmpLocationJob(deps: StoreDeps): Promise<string[]> {
  const state = jobState(deps);
  if (state?.state === 'done') return [];
  // Only what the scan needs: a picture's metadata is read when it has a place to add.
  const pictures = deps.db
    .prepare(
      `SELECT id, blob_id AS blobId, sensitive FROM items
         WHERE mime LIKE 'image/%' AND id > ? ORDER BY id`,
    )
    .all(state?.after ?? '') as { id: string; blobId: string; sensitive: string }[];
  const metadataOf = deps.db.prepare('SELECT metadata FROM items WHERE id = ?').pluck();
  const update = deps.db.prepare('UPDATE items SET sensitive = ?, metadata = ? WHERE id = ?');
  let found = state?.found ?? 0;
  let quiet = 0;
  const unreadable: string[] = [];
  for (const p of pictures) {
    const sensitive = JSON.parse(p.sensitive) as string[];
    let fields: Record<string, string> | null = null;
    if (!sensitive.includes('gps')) {
      try {
        fields = readXmpLocation(await head(deps, p.blobId));
      } catch (e) {
        if (isDossierError(e, 'NO_SPACE')) throw e;
        // A damaged blob is `dossier check`'s to report; the other pictures go on.
        unreadable.push(p.id);
      }
    }
    if (fields === null && ++quiet < PROGRESS_EVERY) continue;
    quiet = 0;
    deps.db.transaction(() => {
      if (fields !== null) {
        const metadata = {
          ...(JSON.parse(metadataOf.get(p.id) as string) as object),
          xmpLocation: fields,
        };
        update.run(JSON.stringify([...sensitive, 'gps']), JSON.stringify(metadata), p.id);
        deps.custody.append('annotate', [p.id], {
          what: 'location found in XMP',
          by: 'xmp-location job',
          fields: Object.keys(fields),
        });
        found++;
      }
      setJobState(deps, { state: 'running', after: p.id, found });
    })();
  }
  setJobState(deps, { state: 'done', found });
  const notices: string[] = [];
  if (found)
    notices.push(
      `${found === 1 ? '1 picture imported earlier says in its' : `${found} pictures imported earlier say in their`} hidden details (XMP) where they were taken, so they are now marked "Sensitive: location", and exports ask what to do with their location.`,
    );
  if (unreadable.length)
    notices.push(
      `${unreadable.length === 1 ? '1 picture' : `${unreadable.length} pictures`} could not be read to look for a location in their hidden details (${unreadable.slice(0, 3).join(', ')}${unreadable.length > 3 ? ', …' : ''}): their encrypted files could not be opened. Run "Check the vault" in Settings (or \`dossier check\`) to see why.`,
    );
  return notices;
}

async function head(deps: StoreDeps, blobId: string): Promise<Buffer> {
  const age = await deps.blobs.open(blobId);
  try {
    return await age.read(0, Math.min(age.size, XMP_JOB_HEAD_BYTES));
  } finally {
    await age.close().catch(() => undefined);
  }
}
