/**
 * One review in the adviser's store: its entries, its state, and record(), which checks a
 * change against the schema, the limits and the bundle, and has it on disk before returning.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DossierError } from '../errors';
import { canonicalJson, wellFormedText } from '../../../shared/canonical-json';
import {
  REVIEW_GENESIS,
  REVIEW_LIMITS,
  reviewEntryPreimage,
  reviewState,
  reviewTargetKey,
  type ReviewChange,
  type ReviewEntry,
  type ReviewTarget,
  type ReviewTargetState,
} from '../../../shared/review';
import {
  reviewChangeFits,
  reviewChangeSchema,
  reviewTargetSchema,
} from '../../../shared/review-schema';
import type { ReviewedBundle } from './reviewed-bundle';
import { sendReview, type SendOptions, type SentReview } from './send';
import type { ReviewStore } from './store';

// ---- Checks of a change ----

export function usage(message: string): DossierError {
  return new DossierError('USAGE', message);
}

export function firstIssue(e: z.ZodError, what: string): string {
  const issue = e.issues[0];
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  return `${what}${where}: ${issue?.message ?? 'not valid'}.`;
}

/** Every string in a value is well-formed Unicode (canonical JSON holds no other). */
export function brokenText(value: unknown): boolean {
  if (typeof value === 'string') return wellFormedText(value) !== value;
  if (Array.isArray(value)) return value.some(brokenText);
  if (value !== null && typeof value === 'object') return Object.values(value).some(brokenText);
  return false;
}

export const BROKEN_TEXT =
  'holds a broken character (half of a UTF-16 surrogate pair), which cannot be stored as text. Type or paste it again.';

const count = (n: number): string => n.toLocaleString('en-GB');

/** A limit passed, in words (the schema's own message is terser); null when within them. */
function overLimit(change: unknown): string | null {
  if (change === null || typeof change !== 'object') return null;
  const { op, value } = change as { op?: unknown; value?: unknown };
  if (op === 'comment' && typeof value === 'string' && value.length > REVIEW_LIMITS.comment)
    return `The comment is ${count(value.length)} characters long; at most ${count(REVIEW_LIMITS.comment)} are allowed. Nothing was saved.`;
  if (op === 'questions' && Array.isArray(value)) {
    if (value.length > REVIEW_LIMITS.questions)
      return `There are ${count(value.length)} questions; at most ${REVIEW_LIMITS.questions} can be asked about one thing. Nothing was saved.`;
    for (const [i, q] of value.entries()) {
      if (typeof q !== 'string') continue;
      if (q.length === 0) return `Question ${i + 1} is empty. Nothing was saved.`;
      if (q.length > REVIEW_LIMITS.question)
        return `Question ${i + 1} is ${count(q.length)} characters long; at most ${count(REVIEW_LIMITS.question)} are allowed. Nothing was saved.`;
    }
  }
  if (op === 'fingerprint-checked' && value !== null && typeof value === 'object') {
    const how = (value as { how?: unknown }).how;
    if (typeof how === 'string' && how.length > REVIEW_LIMITS.how)
      return `How the fingerprint was compared is ${count(how.length)} characters long; at most ${REVIEW_LIMITS.how} are allowed. Nothing was saved.`;
  }
  return null;
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function currentValue(s: ReviewTargetState | undefined, change: ReviewChange): unknown {
  switch (change.op) {
    case 'status':
      return s?.status ?? null;
    case 'comment':
      return s?.comment ?? '';
    case 'order':
      return s?.order ?? null;
    case 'questions':
      return s?.questions ?? [];
    case 'fingerprint-checked':
      // Each check is recorded, even a repeat: it says when it was done.
      return undefined;
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Room in review.json for everything but the entries (the bundle's names are at most 1,000 characters). */
const SENT_HEADER_ROOM = 64 * 1024;

/** An entry's bytes in review.json as send.ts writes it: indented two levels, then ",\n". */
function sentSize(e: ReviewEntry): number {
  const text = JSON.stringify(e, null, 2);
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return Buffer.byteLength(text) + 4 * lines + 2;
}

// ---- One review ----

/** The review of one bundle: its entries, its state, and record() to add a change. */
export class Review {
  private readonly exhibits = new Map<string, ReviewedBundle['exhibits'][number]>();
  private readonly incidents = new Set<string>();
  private readonly messages = new Map<string, ReviewedBundle['messages'][number]>();
  private writes: Promise<unknown> = Promise.resolve();
  /** How many bytes the entries take in review.json as sent (indented): kept, not recounted. */
  private sentBytes = 0;

  /** @internal Made by ReviewStore.openReview. */
  constructor(
    private readonly store: ReviewStore,
    readonly bundle: ReviewedBundle,
    private list: ReviewEntry[],
    private fileId: string | null,
  ) {
    for (const x of bundle.exhibits) this.exhibits.set(x.itemId, x);
    for (const i of bundle.incidents) this.incidents.add(i.incidentId);
    for (const m of bundle.messages) this.messages.set(m.messageId, m);
    for (const e of list) this.sentBytes += sentSize(e);
  }

  get tagManifestSha256(): string {
    return this.bundle.ref.tagManifestSha256;
  }

  entries(): readonly ReviewEntry[] {
    return this.list.slice();
  }

  /** The hash of the last entry, or 64 zeros. */
  get head(): string {
    return this.list.at(-1)?.hash ?? REVIEW_GENESIS;
  }

  /** Per target, each operation's last value (shared/review.ts reviewState). */
  state(): Map<string, ReviewTargetState> {
    return reviewState(this.list);
  }

  /**
   * Records one change to one target, checked against the schema and the bundle. It is on
   * disk before this returns; a change that sets what is already set writes nothing and
   * returns null.
   */
  record(target: ReviewTarget, change: ReviewChange): Promise<ReviewEntry | null> {
    const run = this.writes.then(() => this.recordNow(target, change));
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async recordNow(rawTarget: unknown, rawChange: unknown): Promise<ReviewEntry | null> {
    this.store.assertOpen();
    const t = reviewTargetSchema.safeParse(rawTarget);
    if (!t.success) throw usage(firstIssue(t.error, 'What the change is about is not valid'));
    const over = overLimit(rawChange);
    if (over) throw usage(over);
    const c = reviewChangeSchema.safeParse(rawChange);
    if (!c.success) throw usage(firstIssue(c.error, 'The change is not valid'));
    const target = t.data;
    const change = c.data;
    const misfit = reviewChangeFits(target, change);
    if (misfit) throw usage(misfit);
    const outside = this.notInBundle(target);
    if (outside) throw usage(outside);
    if (brokenText(change.value)) throw usage(`The ${change.op} ${BROKEN_TEXT}`);
    if (
      change.op === 'fingerprint-checked' &&
      change.value.fingerprint !== this.bundle.ref.signingKeyFingerprint
    )
      throw usage(
        `The fingerprint given (${change.value.fingerprint}) is not this bundle's signing-key fingerprint (${this.bundle.ref.signingKeyFingerprint}). If the client read out a different one, the bundle may not be the one she sent: ask her before relying on it.`,
      );
    const before = this.state().get(reviewTargetKey(target));
    const current = currentValue(before, change);
    if (current !== undefined && sameValue(current, change.value)) return null;
    if (this.list.length >= REVIEW_LIMITS.entries)
      throw usage(
        `This review already holds ${REVIEW_LIMITS.entries.toLocaleString('en-GB')} changes, the most a review can hold.`,
      );
    const body = {
      seq: this.list.length + 1,
      at: new Date().toISOString(),
      target,
      ...change,
      prev: this.head,
    } as Omit<ReviewEntry, 'hash'>;
    const entry = { ...body, hash: sha256Hex(reviewEntryPreimage(body)) } as ReviewEntry;
    // A review the store accepts can always be sent and imported: review.json, with room for
    // its other fields, stays within the limit.
    const size = sentSize(entry);
    if (this.sentBytes + size + SENT_HEADER_ROOM > REVIEW_LIMITS.fileBytes)
      throw usage(
        'This review has grown past 64 MiB, the most a review can hold. Nothing was saved; shorten some comments instead.',
      );
    const next = [...this.list, entry];
    this.fileId = await this.store.writeDraft(this.bundle.ref, next, this.fileId);
    this.list = next;
    this.sentBytes += size;
    return entry;
  }

  /** Why a target is not something in this bundle, or null when it is. */
  private notInBundle(target: ReviewTarget): string | null {
    switch (target.kind) {
      case 'bundle':
        return null;
      case 'exhibit': {
        const x = this.exhibits.get(target.itemId);
        if (!x) return `This bundle holds no exhibit with the id ${target.itemId}.`;
        if (x.label !== target.exhibit)
          return `The exhibit with id ${target.itemId} is ${x.label} in this bundle, not ${target.exhibit}.`;
        if (x.sha256 !== target.sha256)
          return `Exhibit ${x.label} in this bundle has the SHA-256 ${x.sha256}, not ${target.sha256}: a comment is about those exact bytes.`;
        return null;
      }
      case 'incident':
        return this.incidents.has(target.incidentId)
          ? null
          : `This bundle holds no incident with the id ${target.incidentId}.`;
      case 'message': {
        const m = this.messages.get(target.messageId);
        if (!m) return `This bundle holds no message with the id ${target.messageId}.`;
        if (m.exhibit !== target.exhibit || m.index !== target.index)
          return `The message with id ${target.messageId} is message ${m.index + 1} of ${m.exhibit} (index ${m.index}) in this bundle, not index ${target.index} of ${target.exhibit}.`;
        return null;
      }
    }
  }

  /** Writes the review zip (send.ts): signed with the adviser's key, never over a file. */
  send(opts: SendOptions): Promise<SentReview> {
    return sendReview(this.store, this, opts);
  }
}
