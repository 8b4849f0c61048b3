/**
 * An adviser's review of a bundle (docs/review-format.md): entries, each one change to one
 * target, hash-chained like the custody log. No zod here: the offline viewer bundles this
 * file into its page (shared/review-schema.ts holds the validating schema).
 */
import { canonicalJson } from './canonical-json';

export const REVIEW_FORMAT = 'dossier-review';
export const REVIEW_VERSION = 1;

export const REVIEW_STATUSES = [
  'relevant',
  'not-relevant',
  'need-original',
  'need-context',
  'privileged',
] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The words the app, the PDF summary and the viewer print for each status. */
export const REVIEW_STATUS_WORDS: Record<ReviewStatus, string> = {
  relevant: 'Relevant',
  'not-relevant': 'Not relevant',
  'need-original': 'Need the original',
  'need-context': 'Need more context',
  privileged: 'Privileged',
};

export const REVIEW_LIMITS = {
  comment: 20_000,
  question: 4_000,
  questions: 50,
  how: 200,
  name: 200,
  entries: 100_000,
  fileBytes: 64 * 1024 * 1024,
} as const;

export const REVIEW_GENESIS = '0'.repeat(64);

export type ReviewTarget =
  | { kind: 'bundle' }
  | { kind: 'exhibit'; exhibit: string; itemId: string; sha256: string }
  | { kind: 'incident'; incidentId: string }
  | { kind: 'message'; messageId: string; exhibit: string; index: number };

export type ReviewChange =
  | { op: 'status'; value: ReviewStatus | null }
  | { op: 'comment'; value: string }
  | { op: 'order'; value: number | null }
  | { op: 'questions'; value: string[] }
  | { op: 'fingerprint-checked'; value: { fingerprint: string; how: string } };

export type ReviewOp = ReviewChange['op'];

/** Which targets each operation may be about. */
export const REVIEW_OP_TARGETS: Record<ReviewOp, readonly ReviewTarget['kind'][]> = {
  status: ['exhibit', 'incident', 'message'],
  comment: ['bundle', 'exhibit', 'incident', 'message'],
  order: ['exhibit'],
  questions: ['bundle', 'exhibit', 'incident', 'message'],
  'fingerprint-checked': ['bundle'],
};

export type ReviewEntry = ReviewChange & {
  seq: number;
  at: string;
  target: ReviewTarget;
  prev: string;
  hash: string;
};

export interface ReviewBundleRef {
  tagManifestSha256: string;
  bagName: string;
  caseName: string;
  signingKeyFingerprint: string;
}

export interface ReviewFile {
  format: typeof REVIEW_FORMAT;
  version: typeof REVIEW_VERSION;
  madeIn: 'dossier' | 'viewer';
  bundle: ReviewBundleRef;
  reviewer: { name: string | null; organisation: string | null };
  savedAt: string;
  entries: ReviewEntry[];
  head: string;
}

/** The text an entry's hash is the SHA-256 of (UTF-8): canonical JSON of all but `hash`. */
export function reviewEntryPreimage(entry: Omit<ReviewEntry, 'hash'>): string {
  const { seq, at, target, op, value, prev } = entry;
  return canonicalJson({ seq, at, target, op, value, prev });
}

/** One key per target, for maps of state: the same exhibit, incident or message, one key. */
export function reviewTargetKey(target: ReviewTarget): string {
  switch (target.kind) {
    case 'bundle':
      return 'bundle';
    case 'exhibit':
      return `exhibit:${target.itemId}`;
    case 'incident':
      return `incident:${target.incidentId}`;
    case 'message':
      return `message:${target.messageId}`;
  }
}

export interface ReviewTargetState {
  target: ReviewTarget;
  status: ReviewStatus | null;
  comment: string;
  order: number | null;
  questions: string[];
  fingerprintChecked: { fingerprint: string; how: string; at: string } | null;
  /** When it last changed. */
  updatedAt: string;
}

/** The current state: per target, each operation's last value. Targets in first-touched order. */
export function reviewState(entries: readonly ReviewEntry[]): Map<string, ReviewTargetState> {
  const state = new Map<string, ReviewTargetState>();
  for (const e of entries) {
    const key = reviewTargetKey(e.target);
    let s = state.get(key);
    if (!s) {
      s = {
        target: e.target,
        status: null,
        comment: '',
        order: null,
        questions: [],
        fingerprintChecked: null,
        updatedAt: e.at,
      };
      state.set(key, s);
    }
    s.updatedAt = e.at;
    switch (e.op) {
      case 'status':
        s.status = e.value;
        break;
      case 'comment':
        s.comment = e.value;
        break;
      case 'order':
        s.order = e.value;
        break;
      case 'questions':
        s.questions = e.value;
        break;
      case 'fingerprint-checked':
        s.fingerprintChecked = { ...e.value, at: e.at };
        break;
    }
  }
  return state;
}

/**
 * The first break in an entry list's chain, in words, or null when it is whole: `seq` from 1
 * without gaps, each `prev` the hash before it, each `hash` its own, and `head` the last.
 * `sha256Hex` hashes UTF-8 text (node:crypto in main, the page's own SHA-256 in the viewer).
 */
export function reviewChainBreak(
  entries: readonly ReviewEntry[],
  head: string,
  sha256Hex: (text: string) => string,
): string | null {
  let prev = REVIEW_GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.seq !== i + 1) {
      return `Entry ${i + 1} of the review is numbered ${e.seq}: entries were removed or reordered.`;
    }
    if (e.prev !== prev) {
      return `Entry ${e.seq} of the review does not follow the entry before it: an entry was removed, changed or reordered.`;
    }
    if (sha256Hex(reviewEntryPreimage(e)) !== e.hash) {
      return `Entry ${e.seq} of the review was changed after it was written: its hash does not match its content.`;
    }
    prev = e.hash;
  }
  if (head !== prev) {
    return entries.length === 0
      ? 'The review names a last entry but holds none: its entries were removed.'
      : `The review's last entry is not the one it names as its last (head): entries after ${entries.length} were removed.`;
  }
  return null;
}
