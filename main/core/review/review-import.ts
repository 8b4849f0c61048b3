/**
 * Reviews from the person's adviser, in her vault (docs/review-format.md, "Importing", steps
 * 4–6; docs/vault-format.md, schema version 13): a received review (received-review.ts) is
 * checked against an export recorded in this vault and stored, with an
 * `adviser-review-imported` custody entry, in one transaction. Kept apart from her own notes.
 */
import {
  REVIEW_STATUS_WORDS,
  reviewState,
  reviewTargetKey,
  type ReviewEntry,
  type ReviewStatus,
  type ReviewTarget,
} from '../../../shared/review';
import { displayName } from '../../../shared/display-name';
import type { CustodyLog } from '../custody/log';
import type { Db } from '../db/database';
import { DossierError } from '../errors';
import { newId } from '../ids';
import type { ReceivedReview } from './received-review';

export type ReviewImportOutcome = 'imported' | 'extended' | 'already-imported' | 'earlier-version';

export interface ReviewImportResult {
  outcome: ReviewImportOutcome;
  reviewId: string;
  madeIn: 'dossier' | 'viewer';
  signed: boolean;
  fingerprint: string | null;
  /** Whether this vault had seen the key before this import; null for an unsigned review. */
  keySeenBefore: boolean | null;
  reviewer: { name: string | null; organisation: string | null };
  bundle: { tagManifestSha256: string; bagName: string; caseName: string; exportedAt: string };
  /** Entries this import added (0 for a review already imported), and the review's in all. */
  entriesAdded: number;
  entries: number;
  /** What happened, in words, for the app and the CLI. */
  message: string;
}

export interface AdviserReviewSummary {
  id: string;
  madeIn: 'dossier' | 'viewer';
  signed: boolean;
  fingerprint: string | null;
  reviewer: { name: string | null; organisation: string | null };
  bundle: { tagManifestSha256: string; bagName: string; caseName: string };
  entries: number;
  head: string;
  savedAt: string;
  importedAt: string;
  updatedAt: string;
}

/** The adviser's current word on one thing, from one review. */
export interface AdviserComment {
  reviewId: string;
  target: ReviewTarget;
  reviewer: { name: string | null; organisation: string | null };
  signed: boolean;
  fingerprint: string | null;
  status: ReviewStatus | null;
  /** The status as the app prints it ("Need the original"), or null. */
  statusWords: string | null;
  comment: string;
  order: number | null;
  questions: string[];
  fingerprintChecked: { fingerprint: string; how: string; at: string } | null;
  /** When the adviser last changed it. */
  updatedAt: string;
}

export type AdviserCommentsFor =
  { itemId: string } | { incidentId: string } | { messageId: string };

interface ReviewRow {
  id: string;
  tag_manifest_sha256: string;
  made_in: 'dossier' | 'viewer';
  signed: 0 | 1;
  adviser_fingerprint: string | null;
  reviewer_name: string | null;
  reviewer_organisation: string | null;
  bag_name: string;
  case_name: string;
  head: string;
  entry_count: number;
  saved_at: string;
  imported_at: string;
  updated_at: string;
}

interface EntryRow {
  review_id: string;
  seq: number;
  at: string;
  target: string;
  op: string;
  value: string;
  prev: string;
  hash: string;
}

interface ExportRecord {
  seq: number;
  at: string;
  exhibits: Map<string, { number: string; sha256: string }>;
}

const refuse = (message: string): DossierError => new DossierError('INTEGRITY', message);

function fromEntryRow(r: EntryRow): ReviewEntry {
  return {
    seq: r.seq,
    at: r.at,
    target: JSON.parse(r.target) as ReviewTarget,
    op: r.op,
    value: JSON.parse(r.value) as unknown,
    prev: r.prev,
    hash: r.hash,
  } as ReviewEntry;
}

function summary(r: ReviewRow): AdviserReviewSummary {
  return {
    id: r.id,
    madeIn: r.made_in,
    signed: r.signed === 1,
    fingerprint: r.adviser_fingerprint,
    reviewer: { name: r.reviewer_name, organisation: r.reviewer_organisation },
    bundle: {
      tagManifestSha256: r.tag_manifest_sha256,
      bagName: r.bag_name,
      caseName: r.case_name,
    },
    entries: r.entry_count,
    head: r.head,
    savedAt: r.saved_at,
    importedAt: r.imported_at,
    updatedAt: r.updated_at,
  };
}

/** "A. Solicitor (Smith & Co)", or "your adviser" when the review names no one. */
export function reviewerWords(reviewer: {
  name: string | null;
  organisation: string | null;
}): string {
  const name = reviewer.name?.trim() ? displayName(reviewer.name.trim()) : null;
  const org = reviewer.organisation?.trim() ? displayName(reviewer.organisation.trim()) : null;
  if (name && org) return `${name} (${org})`;
  return name ?? org ?? 'your adviser';
}

const plural = (n: number, word: string): string =>
  `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

export class AdviserReviews {
  constructor(
    private readonly db: Db,
    private readonly custody: CustodyLog,
    /** This vault's signing-key fingerprint: the one its bundles carry. */
    private readonly vaultFingerprint: () => string,
  ) {}

  /** The export custody entry that wrote the bundle with this tag manifest (the latest). */
  private exportOf(tagManifestSha256: string): ExportRecord | null {
    const row = this.db
      .prepare(
        `SELECT seq, at, details FROM custody_log
         WHERE action = 'export' AND json_valid(details)
           AND json_extract(details, '$.tagManifestSha256') = ?
         ORDER BY seq DESC LIMIT 1`,
      )
      .get(tagManifestSha256) as { seq: number; at: string; details: string } | undefined;
    if (!row) return null;
    const details = JSON.parse(row.details) as { exhibits?: unknown };
    const exhibits = new Map<string, { number: string; sha256: string }>();
    for (const e of Array.isArray(details.exhibits) ? details.exhibits : []) {
      const x = e as { number?: unknown; item?: unknown; sha256?: unknown };
      if (
        typeof x.item === 'string' &&
        typeof x.number === 'string' &&
        typeof x.sha256 === 'string'
      )
        exhibits.set(x.item, { number: x.number, sha256: x.sha256 });
    }
    return { seq: row.seq, at: row.at, exhibits };
  }

  /** Step 5: every target is something that bundle held; the first that is not, in words. */
  private checkTargets(entries: readonly ReviewEntry[], exp: ExportRecord, label: string): void {
    const byLabel = new Map([...exp.exhibits].map(([item, e]) => [e.number, item]));
    // Incidents are not listed in the export entry: one created in this vault before it is known.
    const incidentsBefore = new Set(
      (
        this.db
          .prepare(
            `SELECT json_extract(subjects, '$[0]') AS id FROM custody_log
             WHERE action = 'annotate' AND seq < ? AND json_valid(details) AND json_valid(subjects)
               AND json_extract(details, '$.what') = 'incident created'`,
          )
          .all(exp.seq) as { id: unknown }[]
      )
        .map((r) => r.id)
        .filter((id): id is string => typeof id === 'string'),
    );
    const message = this.db.prepare('SELECT item_id, idx FROM messages WHERE id = ?');
    const checked = new Set<string>();
    for (const e of entries) {
      const t = e.target;
      const key = `${reviewTargetKey(t)}|${JSON.stringify(t)}`;
      if (checked.has(key)) continue;
      checked.add(key);
      const at = `Entry ${e.seq} of the review (${label})`;
      switch (t.kind) {
        case 'bundle':
          break;
        case 'exhibit': {
          const x = exp.exhibits.get(t.itemId);
          if (!x) {
            throw refuse(
              `${at} is about exhibit ${displayName(t.exhibit)}, item ${displayName(t.itemId)}, which was not in the bundle it reviews. Nothing was imported.`,
            );
          }
          if (x.number !== t.exhibit) {
            throw refuse(
              `${at} calls item ${t.itemId} exhibit ${displayName(t.exhibit)}, but the bundle numbered it ${x.number}. Nothing was imported.`,
            );
          }
          if (x.sha256 !== t.sha256) {
            throw refuse(
              `${at} is about exhibit ${x.number} with SHA-256 ${t.sha256}, but the bundle's ${x.number} has SHA-256 ${x.sha256}: the comment is about other bytes. Nothing was imported.`,
            );
          }
          break;
        }
        case 'incident':
          if (!incidentsBefore.has(t.incidentId)) {
            throw refuse(
              `${at} is about incident ${displayName(t.incidentId)}, which this vault did not hold when the bundle was exported. Nothing was imported.`,
            );
          }
          break;
        case 'message': {
          const item = byLabel.get(t.exhibit);
          const m = message.get(t.messageId) as { item_id: string; idx: number } | undefined;
          if (item === undefined) {
            throw refuse(
              `${at} is about a message of exhibit ${displayName(t.exhibit)}, which was not in the bundle it reviews. Nothing was imported.`,
            );
          }
          if (!m || m.item_id !== item || m.idx !== t.index) {
            throw refuse(
              `${at} is about message ${displayName(t.messageId)} (number ${t.index + 1} of exhibit ${t.exhibit}), which is not a message of that exhibit in this vault. Nothing was imported.`,
            );
          }
          break;
        }
      }
    }
  }

  private reviewsOf(tagManifestSha256: string, fingerprint: string | null): ReviewRow[] {
    return this.db
      .prepare(
        `SELECT * FROM adviser_reviews WHERE tag_manifest_sha256 = ?
           AND adviser_fingerprint IS ? ORDER BY imported_at, id`,
      )
      .all(tagManifestSha256, fingerprint) as ReviewRow[];
  }

  private entryHashAt(reviewId: string, seq: number): string | null {
    const r = this.db
      .prepare('SELECT hash FROM adviser_review_entries WHERE review_id = ? AND seq = ?')
      .get(reviewId, seq) as { hash: string } | undefined;
    return r?.hash ?? null;
  }

  /** Steps 4–6. One transaction: the review, its entries, the key and the custody entry, or nothing. */
  import(received: ReceivedReview): ReviewImportResult {
    const { review, fileName: label } = received;
    if (review.entries.length === 0) {
      throw new DossierError(
        'USAGE',
        `The review in ${label} holds no comments or statuses yet, so there is nothing to import.`,
      );
    }
    const exp = this.exportOf(review.bundle.tagManifestSha256);
    if (!exp) {
      throw refuse(
        `The review in ${label} is of a bundle this vault did not export (its tag manifest SHA-256 is ${review.bundle.tagManifestSha256}${review.bundle.bagName ? `, named “${displayName(review.bundle.bagName)}”` : ''}). Check that your adviser reviewed a bundle you sent from this vault. Nothing was imported.`,
      );
    }
    // The tag manifest names bag-info.txt, which names this vault's key: a review that says
    // otherwise was not written from that bundle.
    if (review.bundle.signingKeyFingerprint !== this.vaultFingerprint()) {
      throw refuse(
        `The review in ${label} says the bundle was signed by the key ${review.bundle.signingKeyFingerprint}, but the bundle you exported was signed by this vault's key ${this.vaultFingerprint()}. It was not written from that bundle. Nothing was imported.`,
      );
    }
    this.checkTargets(review.entries, exp, label);

    return this.db.transaction((): ReviewImportResult => {
      const fingerprint = received.fingerprint;
      const keySeenBefore =
        fingerprint === null
          ? null
          : this.db.prepare('SELECT 1 FROM adviser_keys WHERE fingerprint = ?').get(fingerprint) !==
            undefined;
      const base = {
        madeIn: review.madeIn,
        signed: received.signed,
        fingerprint,
        keySeenBefore,
        reviewer: review.reviewer,
        bundle: {
          tagManifestSha256: review.bundle.tagManifestSha256,
          bagName: review.bundle.bagName,
          caseName: review.bundle.caseName,
          exportedAt: exp.at,
        },
        entries: review.entries.length,
      };

      // The same review again, an earlier version of one, or a later version (its entries
      // start with those stored): by the same key, of the same bundle.
      let extend: ReviewRow | null = null;
      for (const row of this.reviewsOf(review.bundle.tagManifestSha256, fingerprint)) {
        const n = review.entries.length;
        if (row.head === review.head && row.entry_count === n) {
          return {
            ...base,
            outcome: 'already-imported',
            reviewId: row.id,
            entriesAdded: 0,
            message: `This review was imported already (on ${row.imported_at.slice(0, 10)}), with the same ${plural(n, 'change')}: nothing was added.`,
          };
        }
        if (row.entry_count > n && this.entryHashAt(row.id, n) === review.head) {
          return {
            ...base,
            outcome: 'earlier-version',
            reviewId: row.id,
            entries: row.entry_count,
            entriesAdded: 0,
            message: `This is an earlier version of a review already imported (it has ${plural(n, 'change')}, the one in your vault ${row.entry_count}): nothing was added.`,
          };
        }
        if (row.entry_count < n && review.entries[row.entry_count - 1]?.hash === row.head) {
          extend = row;
          break;
        }
      }

      const now = new Date().toISOString();
      const reviewId = extend?.id ?? newId();
      const from = extend ? extend.entry_count : 0;
      const added = review.entries.slice(from);
      if (fingerprint !== null && !keySeenBefore) {
        this.db
          .prepare(
            'INSERT INTO adviser_keys (fingerprint, public_key, first_seen_at) VALUES (?, ?, ?)',
          )
          .run(fingerprint, received.publicKeyPem, now);
      }
      // No subjects: an entry about her items would go out in full with the next bundle of
      // them (export.ts keeps entries by subject), telling a court or the other side that she
      // took legal advice and from whom. Vault-wide, it is withheld from bundles (counted).
      const logged = this.custody.append('adviser-review-imported', [], {
        review: reviewId,
        file: label,
        madeIn: review.madeIn,
        signed: received.signed,
        fingerprint,
        keySeenBefore,
        reviewer: review.reviewer,
        tagManifestSha256: review.bundle.tagManifestSha256,
        export: exp.seq,
        added: { from: from + 1, to: review.entries.length },
        head: review.head,
        reviewSha256: received.reviewJsonSha256,
      });
      if (extend) {
        this.db
          .prepare(
            `UPDATE adviser_reviews SET head = ?, entry_count = ?, saved_at = ?, updated_at = ?,
               custody_seq = ?, reviewer_name = ?, reviewer_organisation = ? WHERE id = ?`,
          )
          .run(
            review.head,
            review.entries.length,
            review.savedAt,
            now,
            logged.seq,
            review.reviewer.name,
            review.reviewer.organisation,
            reviewId,
          );
      } else {
        this.db
          .prepare(
            `INSERT INTO adviser_reviews (id, tag_manifest_sha256, export_seq, made_in, signed,
               adviser_fingerprint, reviewer_name, reviewer_organisation, bag_name, case_name, head,
               entry_count, saved_at, imported_at, updated_at, custody_seq)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            reviewId,
            review.bundle.tagManifestSha256,
            exp.seq,
            review.madeIn,
            received.signed ? 1 : 0,
            fingerprint,
            review.reviewer.name,
            review.reviewer.organisation,
            review.bundle.bagName,
            review.bundle.caseName,
            review.head,
            review.entries.length,
            review.savedAt,
            now,
            now,
            logged.seq,
          );
      }
      const insert = this.db.prepare(
        `INSERT INTO adviser_review_entries (review_id, seq, at, target_key, target, op, value, prev, hash, custody_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const e of added) {
        insert.run(
          reviewId,
          e.seq,
          e.at,
          reviewTargetKey(e.target),
          JSON.stringify(e.target),
          e.op,
          JSON.stringify(e.value),
          e.prev,
          e.hash,
          logged.seq,
        );
      }
      const who = reviewerWords(review.reviewer);
      const what = extend
        ? `A later version of the review from ${who} was imported: ${plural(added.length, 'new change')} added (${review.entries.length} in all).`
        : `The review from ${who} was imported: ${plural(added.length, 'change')} about the bundle exported on ${exp.at.slice(0, 10)}.`;
      return {
        ...base,
        outcome: extend ? 'extended' : 'imported',
        reviewId,
        entriesAdded: added.length,
        message: `${what} ${signatureWords(received.signed, fingerprint, keySeenBefore)}`,
      };
    })();
  }

  list(): AdviserReviewSummary[] {
    return (
      this.db.prepare('SELECT * FROM adviser_reviews ORDER BY imported_at, id').all() as ReviewRow[]
    ).map(summary);
  }

  /** Every entry of one review, in order (as received). */
  entries(reviewId: string): ReviewEntry[] {
    return (
      this.db
        .prepare('SELECT * FROM adviser_review_entries WHERE review_id = ? ORDER BY seq')
        .all(reviewId) as EntryRow[]
    ).map(fromEntryRow);
  }

  /** The current state of everything a review is about, in first-touched order. */
  comments(reviewId: string): AdviserComment[] {
    const row = this.db.prepare('SELECT * FROM adviser_reviews WHERE id = ?').get(reviewId) as
      ReviewRow | undefined;
    if (!row)
      throw new DossierError('NOT_FOUND', `There is no imported review ${displayName(reviewId)}.`);
    return [...reviewState(this.entries(reviewId)).values()]
      .map((s) => comment(row, s))
      .filter(said);
  }

  /** The review as a whole (its overall note, questions, fingerprint check), or null. */
  overall(reviewId: string): AdviserComment | null {
    const row = this.db.prepare('SELECT * FROM adviser_reviews WHERE id = ?').get(reviewId) as
      ReviewRow | undefined;
    if (!row) return null;
    const entries = (
      this.db
        .prepare(
          `SELECT * FROM adviser_review_entries WHERE review_id = ? AND target_key = 'bundle' ORDER BY seq`,
        )
        .all(reviewId) as EntryRow[]
    ).map(fromEntryRow);
    const state = reviewState(entries).get('bundle');
    const c = state ? comment(row, state) : null;
    return c && said(c) ? c : null;
  }

  /** How many exhibits, incidents and messages a review speaks of. */
  targetCounts(reviewId: string): { exhibits: number; incidents: number; messages: number } {
    const rows = this.db
      .prepare(
        `SELECT substr(target_key, 1, instr(target_key, ':') - 1) AS kind, count(DISTINCT target_key) AS n
         FROM adviser_review_entries WHERE review_id = ? AND target_key != 'bundle' GROUP BY kind`,
      )
      .all(reviewId) as { kind: string; n: number }[];
    const n = (k: string): number => rows.find((r) => r.kind === k)?.n ?? 0;
    return { exhibits: n('exhibit'), incidents: n('incident'), messages: n('message') };
  }

  /** What each imported review says now about one item, incident or message. */
  about(what: AdviserCommentsFor): AdviserComment[] {
    const key =
      'itemId' in what
        ? `exhibit:${what.itemId}`
        : 'incidentId' in what
          ? `incident:${what.incidentId}`
          : `message:${what.messageId}`;
    const rows = this.db
      .prepare(
        `SELECT e.* FROM adviser_review_entries e JOIN adviser_reviews r ON r.id = e.review_id
         WHERE e.target_key = ? ORDER BY r.imported_at, r.id, e.seq`,
      )
      .all(key) as EntryRow[];
    const byReview = new Map<string, ReviewEntry[]>();
    for (const r of rows)
      byReview.set(r.review_id, [...(byReview.get(r.review_id) ?? []), fromEntryRow(r)]);
    const out: AdviserComment[] = [];
    for (const [reviewId, entries] of byReview) {
      const row = this.db
        .prepare('SELECT * FROM adviser_reviews WHERE id = ?')
        .get(reviewId) as ReviewRow;
      const state = reviewState(entries).get(key);
      if (state) out.push(comment(row, state));
    }
    return out.filter(said);
  }
}

function comment(
  row: ReviewRow,
  s: ReturnType<typeof reviewState> extends Map<string, infer V> ? V : never,
): AdviserComment {
  return {
    reviewId: row.id,
    target: s.target,
    reviewer: { name: row.reviewer_name, organisation: row.reviewer_organisation },
    signed: row.signed === 1,
    fingerprint: row.adviser_fingerprint,
    status: s.status,
    statusWords: s.status ? REVIEW_STATUS_WORDS[s.status] : null,
    comment: s.comment,
    order: s.order,
    questions: s.questions,
    fingerprintChecked: s.fingerprintChecked,
    updatedAt: s.updatedAt,
  };
}

/** Something is said: a status, a comment, an order, questions or a check (not all cleared). */
function said(c: AdviserComment): boolean {
  return (
    c.status !== null ||
    c.comment !== '' ||
    c.order !== null ||
    c.questions.length > 0 ||
    c.fingerprintChecked !== null
  );
}

/** The signature in words: who made it can be checked, or cannot. */
export function signatureWords(
  signed: boolean,
  fingerprint: string | null,
  keySeenBefore: boolean | null,
): string {
  if (!signed || fingerprint === null) {
    return 'This review carries no signature: it was saved from the offline viewer, so nothing shows who made it or that it was not changed on the way. Check with your adviser that they sent it.';
  }
  return keySeenBefore
    ? `It is signed by your adviser's key ${fingerprint}, which this vault has seen before.`
    : `It is signed by a key this vault has not seen before: compare its fingerprint ${fingerprint} with the one your adviser gave you by another route (phone, letter, in person).`;
}
