import { wellFormedText } from '../../../../../shared/canonical-json';
import {
  REVIEW_FORMAT,
  REVIEW_GENESIS,
  REVIEW_LIMITS,
  REVIEW_VERSION,
  reviewEntryPreimage,
  reviewState,
  reviewTargetKey,
  type ReviewBundleRef,
  type ReviewChange,
  type ReviewEntry,
  type ReviewFile,
  type ReviewTarget,
  type ReviewTargetState,
} from '../../../../../shared/review';
import { Sha256 } from './sha256';

/**
 * The adviser's review as the viewer keeps it while the page is open: every change is an
 * entry of docs/review-format.md, hash-chained as it is made (with the page's own SHA-256,
 * so it works where Web Crypto is not offered), and nothing but this page's memory holds it.
 * No DOM here: test/unit/export/viewer-review.test.ts runs it in Node.
 */

/** SHA-256 of text as UTF-8, lower-case hex. */
export function sha256Text(text: string): string {
  return new Sha256().update(new TextEncoder().encode(text)).hex();
}

export interface Reviewer {
  name: string | null;
  organisation: string | null;
}

export class ReviewLog {
  private readonly list: ReviewEntry[] = [];
  /** reviewState of the list, worked out again only after a change. */
  private state: Map<string, ReviewTargetState> | null = null;
  private savedCount = 0;
  private savedReviewer = reviewerKey({ name: null, organisation: null });

  constructor(private readonly now: () => string = () => new Date().toISOString()) {}

  get entries(): readonly ReviewEntry[] {
    return this.list;
  }

  get head(): string {
    return this.list[this.list.length - 1]?.hash ?? REVIEW_GENESIS;
  }

  /** The target's current state, or null when nothing was ever set on it. */
  stateOf(target: ReviewTarget): ReviewTargetState | null {
    this.state ??= reviewState(this.list);
    return this.state.get(reviewTargetKey(target)) ?? null;
  }

  /**
   * Records a change as the next entry, or returns null when it changes nothing (the value
   * is already the target's). Text is made well-formed first (a lone surrogate pasted in
   * cannot be hashed as canonical JSON). Throws, in words, past the format's limits.
   */
  set(target: ReviewTarget, change: ReviewChange): ReviewEntry | null {
    const clean = cleanChange(change);
    const now = this.stateOf(target);
    if (clean.op === 'status' && (now?.status ?? null) === clean.value) return null;
    if (clean.op === 'comment' && (now?.comment ?? '') === clean.value) return null;
    if (clean.op === 'comment' && clean.value.length > REVIEW_LIMITS.comment) {
      throw new Error(
        `A comment holds at most ${REVIEW_LIMITS.comment.toLocaleString('en-GB')} characters; this one has ${clean.value.length.toLocaleString('en-GB')}.`,
      );
    }
    if (this.list.length >= REVIEW_LIMITS.entries) {
      throw new Error(
        `A review holds at most ${REVIEW_LIMITS.entries.toLocaleString('en-GB')} changes: save this one and start another.`,
      );
    }
    const body = {
      seq: this.list.length + 1,
      at: this.now(),
      target,
      ...clean,
      prev: this.head,
    } as Omit<ReviewEntry, 'hash'>;
    const entry = { ...body, hash: sha256Text(reviewEntryPreimage(body)) } as ReviewEntry;
    this.list.push(entry);
    this.state = null;
    return entry;
  }

  /** Changes made, or reviewer words changed, since the last save (or since the page opened). */
  dirty(reviewer: Reviewer): boolean {
    return this.list.length > this.savedCount || reviewerKey(reviewer) !== this.savedReviewer;
  }

  /** The review file of everything so far, in the format of docs/review-format.md. */
  file(bundle: ReviewBundleRef, reviewer: Reviewer, savedAt: string): ReviewFile {
    const who = cleanReviewer(reviewer);
    for (const [label, value] of [
      ['name', who.name],
      ['organisation', who.organisation],
    ] as const) {
      if (value !== null && value.length > REVIEW_LIMITS.name) {
        throw new Error(
          `Your ${label} holds at most ${REVIEW_LIMITS.name} characters; it has ${value.length}.`,
        );
      }
    }
    return {
      format: REVIEW_FORMAT,
      version: REVIEW_VERSION,
      madeIn: 'viewer',
      bundle: { ...bundle },
      reviewer: who,
      savedAt,
      entries: this.list.slice(),
      head: this.head,
    };
  }

  /** The file was saved: its entries and reviewer words are no longer unsaved. */
  markSaved(file: ReviewFile): void {
    this.savedCount = file.entries.length;
    this.savedReviewer = reviewerKey(file.reviewer);
  }
}

function cleanChange(change: ReviewChange): ReviewChange {
  switch (change.op) {
    case 'comment':
      return { op: 'comment', value: wellFormedText(change.value.replace(/\r\n?/g, '\n')) };
    case 'questions':
      return { op: 'questions', value: change.value.map(wellFormedText) };
    default:
      return change;
  }
}

/** Words as given, trimmed; nothing given is null. */
export function cleanReviewer(r: Reviewer): Reviewer {
  const one = (s: string | null): string | null => {
    const t = wellFormedText((s ?? '').trim());
    return t === '' ? null : t;
  };
  return { name: one(r.name), organisation: one(r.organisation) };
}

function reviewerKey(r: Reviewer): string {
  const c = cleanReviewer(r);
  return JSON.stringify([c.name, c.organisation]);
}

/**
 * review-<bag name>-<YYYYMMDD>.json, the date that of savedAt (UTC, as the bag name's is).
 * The bag name comes from the chosen folder: anything but letters, digits, dot, dash and
 * underscore becomes "-", so a hostile name cannot steer where the browser saves.
 */
export function reviewFileName(bagName: string, savedAt: string): string {
  const safe =
    bagName
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80) || 'bundle';
  return `review-${safe}-${savedAt.slice(0, 10).replace(/-/g, '')}.json`;
}
