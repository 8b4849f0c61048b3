/**
 * The validating schema of review.json (docs/review-format.md), for the import and the API.
 * Strict: a field Dossier does not write is refused, so nothing unread travels with a review.
 */
import { z } from 'zod';
import {
  REVIEW_FORMAT,
  REVIEW_LIMITS,
  REVIEW_OP_TARGETS,
  REVIEW_STATUSES,
  REVIEW_VERSION,
  type ReviewChange,
  type ReviewEntry,
  type ReviewFile,
  type ReviewTarget,
} from './review';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 in lower-case hex');
const vaultId = z.string().min(1).max(100);
const isoUtc = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    'is not a UTC time such as 2026-12-06T10:04:05.123Z',
  );
const fingerprint = z
  .string()
  .regex(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/, 'is not a key fingerprint ("1a2b 3c4d …", 16 groups)');

export const reviewTargetSchema: z.ZodType<ReviewTarget> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundle') }).strict(),
  z
    .object({
      kind: z.literal('exhibit'),
      exhibit: z.string().min(1).max(40),
      itemId: vaultId,
      sha256: hex64,
    })
    .strict(),
  z.object({ kind: z.literal('incident'), incidentId: vaultId }).strict(),
  z
    .object({
      kind: z.literal('message'),
      messageId: vaultId,
      exhibit: z.string().min(1).max(40),
      index: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    })
    .strict(),
]);

export const reviewChangeSchema: z.ZodType<ReviewChange> = z.discriminatedUnion('op', [
  z.object({ op: z.literal('status'), value: z.enum(REVIEW_STATUSES).nullable() }).strict(),
  z.object({ op: z.literal('comment'), value: z.string().max(REVIEW_LIMITS.comment) }).strict(),
  z
    .object({ op: z.literal('order'), value: z.number().int().min(1).max(1_000_000).nullable() })
    .strict(),
  z
    .object({
      op: z.literal('questions'),
      value: z.array(z.string().min(1).max(REVIEW_LIMITS.question)).max(REVIEW_LIMITS.questions),
    })
    .strict(),
  z
    .object({
      op: z.literal('fingerprint-checked'),
      value: z.object({ fingerprint, how: z.string().max(REVIEW_LIMITS.how) }).strict(),
    })
    .strict(),
]);

/** A change and its target, checked together: an order is only for an exhibit, and so on. */
const withArticle = (kind: ReviewTarget['kind']): string =>
  `${kind === 'exhibit' || kind === 'incident' ? 'an' : 'a'} ${kind}`;

export function reviewChangeFits(target: ReviewTarget, change: ReviewChange): string | null {
  const allowed = REVIEW_OP_TARGETS[change.op];
  return allowed.includes(target.kind)
    ? null
    : `"${change.op}" can be set on ${allowed.map(withArticle).join(' or ')}, not on ${withArticle(target.kind)}.`;
}

const entryBase = z
  .object({
    seq: z.number().int().min(1).max(REVIEW_LIMITS.entries),
    at: isoUtc,
    target: reviewTargetSchema,
    op: z.string(),
    value: z.unknown(),
    prev: hex64,
    hash: hex64,
  })
  .strict();

export const reviewEntrySchema: z.ZodType<ReviewEntry> = entryBase.transform((e, ctx) => {
  const change = reviewChangeSchema.safeParse({ op: e.op, value: e.value });
  if (!change.success) {
    for (const issue of change.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  }
  const misfit = reviewChangeFits(e.target, change.data);
  if (misfit) {
    ctx.addIssue({ code: 'custom', message: misfit, path: ['op'] });
    return z.NEVER;
  }
  return { ...e, ...change.data } as ReviewEntry;
});

const nameText = z.string().max(REVIEW_LIMITS.name).nullable();

export const reviewFileSchema: z.ZodType<ReviewFile> = z
  .object({
    format: z.literal(REVIEW_FORMAT),
    version: z.literal(REVIEW_VERSION),
    madeIn: z.enum(['dossier', 'viewer']),
    bundle: z
      .object({
        tagManifestSha256: hex64,
        bagName: z.string().max(500),
        caseName: z.string().max(500),
        signingKeyFingerprint: fingerprint,
      })
      .strict(),
    reviewer: z.object({ name: nameText, organisation: nameText }).strict(),
    savedAt: isoUtc,
    entries: z.array(reviewEntrySchema).max(REVIEW_LIMITS.entries),
    head: hex64,
  })
  .strict();
