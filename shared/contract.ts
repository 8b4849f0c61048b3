import { z } from 'zod';
import {
  EXHIBIT_PREFIX_MAX,
  EXHIBIT_PREFIX_PATTERN,
  EXHIBIT_PREFIX_RULE,
  EXHIBIT_STYLES,
} from './exhibit-prefix';
import { IDENTIFIER_KINDS } from './identifiers';
import { LOCATION_CHOICES } from './location-fields';
import { ITEM_KINDS } from './item-kind';
import { WEAK_PASSPHRASE_OVERRIDE } from './passphrase-strength';
import { SEARCH_SOURCES } from './search-source';
import { itemNameProblem, itemNameText } from './item-name';
import { isKnownTimeZone, TIME_ZONE_RULE } from './time-zone-name';
import { REVIEW_LIMITS, REVIEW_STATUSES } from './review';
import { reviewChangeSchema, reviewEntrySchema, reviewTargetSchema } from './review-schema';
import { REDACTION_OTHER_MAX, REDACTION_REASONS } from './redaction';
import { MAX_REDACTION_SPANS } from './redaction-text';

/**
 * The one declaration of Dossier's API. The preload, the IPC handlers in main and the
 * loopback bridge are all produced by looping over `api`: adding a method here makes it
 * exist everywhere, and its zod schemas validate every argument in main before it runs.
 * Nothing else lists methods by hand.
 */

const id = z.string().regex(/^[0-9a-hjkmnp-tv-z]{26}$/, 'not an item id');
const text = (max: number) => z.string().max(max);
const isoTime = z.string().max(64);
/**
 * A tag given to an item: one line of text. The vault refuses control characters in tags
 * (they could rewrite a terminal line or hide a line break), so every method that sets
 * tags says so before anything runs. Filters by tag stay plain text: they only select.
 */
const tag = text(200).refine(
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  (t) => !/[\u0000-\u001f\u007f-\u009f]/.test(t),
  'cannot contain line breaks or other invisible control characters: type each tag on one line',
);

export const itemSummary = z.object({
  id,
  sha256: z.string(),
  size: z.number(),
  name: z.string(),
  mime: z.string(),
  ingestedAt: z.string(),
  sourceTime: z.string().nullable(),
  tags: z.array(z.string()),
  blob: z.string(),
});

export const itemDetail = itemSummary.extend({
  sourcePath: z.string().nullable(),
  ingestedOffsetMinutes: z.number(),
  sourceTimes: z.object({
    mtime: z.string().nullable(),
    exif: z.string().nullable(),
    email: z.string().nullable(),
  }),
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  thumbnail: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  metadataErrors: z.array(z.string()),
  sensitive: z.array(z.string()),
  notes: z.array(
    z.object({ id: z.string(), body: z.string(), createdAt: z.string(), updatedAt: z.string() }),
  ),
  sources: z.array(
    z.object({
      name: z.string(),
      sourcePath: z.string().nullable(),
      sourceMtime: z.string().nullable(),
      seenAt: z.string(),
      /** Exact bytes (hex) of a name or path that is not UTF-8; null when the text is exact. */
      nameHex: z.string().nullable().optional(),
      sourcePathHex: z.string().nullable().optional(),
    }),
  ),
  blobId: z.string(),
  thumbnailBlobId: z.string().nullable(),
  /** The name it was imported with, once renamed (`name` is then the name given); else null. */
  originalName: z.string().nullable(),
  derivedFrom: z
    .object({ parentId: z.string(), operation: z.string(), reason: z.string() })
    .nullable(),
  /** Marked areas (fractions of the picture's width and height, kept to whole millionths) with comments. */
  regions: z.array(
    z.object({
      id,
      itemId: id,
      x: z.number(),
      y: z.number(),
      w: z.number(),
      h: z.number(),
      comment: z.string(),
      createdAt: z.string(),
    }),
  ),
  incidentIds: z.array(id),
  personIds: z.array(id),
  /**
   * The format a reader recognises in this item (its name and first bytes), so it can be read
   * as a conversation (items.readAsConversation); null when none, or already a conversation.
   */
  readableAsConversation: z
    .enum(['mbox', 'whatsapp', 'telegram', 'instagram', 'facebook'])
    .nullable(),
  /**
   * What this item is when it is a copy made for disclosure (docs/redaction.md): of which
   * original, the areas covered (fractions, with their reasons) or what was taken out; null
   * when it is not one. Absent in a bundle opened for review.
   */
  copyOf: z
    .object({
      kind: z.enum(['redacted', 'without-location']),
      originalId: id,
      /** Null if the original is no longer in the vault. */
      originalName: z.string().nullable(),
      originalSha256: z.string().nullable(),
      areas: z.array(
        z.object({
          x: z.number(),
          y: z.number(),
          w: z.number(),
          h: z.number(),
          reason: z.enum(REDACTION_REASONS),
          otherReason: z.string().nullable(),
        }),
      ),
      /**
       * The passages covered in a redacted email or text file: offsets in UTF-16 code units
       * of its rendering (shared/redaction-text.ts), with their reasons; empty for a picture.
       */
      spans: z.array(
        z.object({
          start: z.number().int(),
          end: z.number().int(),
          reason: z.enum(REDACTION_REASONS),
          otherReason: z.string().nullable(),
        }),
      ),
      /** What a copy without location left out, in words. */
      removed: z.array(z.string()),
      /** The image data is the original's byte for byte (not re-encoded). */
      lossless: z.boolean(),
      madeAt: z.string(),
    })
    .nullable()
    .optional(),
  /** The copies made of this item for disclosure, oldest first. Absent in a review. */
  copies: z
    .array(
      z.object({
        id,
        name: z.string(),
        kind: z.enum(['redacted', 'without-location']),
        madeAt: z.string(),
      }),
    )
    .optional(),
});

export const note = z.object({
  id,
  itemId: id,
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const region = itemDetail.shape.regions.element;

const noteBody = z
  .string()
  .max(20_000, 'is too long: a note can hold up to 20,000 characters')
  .refine((s) => s.trim() !== '', 'is empty: a note needs some text');

/** A fraction of the picture's width or height. */
const fraction = z
  .number()
  .min(0, 'must be between 0 and 1 (a fraction of the picture)')
  .max(1, 'must be between 0 and 1 (a fraction of the picture)');
const extent = z
  .number()
  .gt(0, 'must be more than 0: the marked area needs a size')
  .max(1, 'must be between 0 and 1 (a fraction of the picture)');
// A little slack: 0.7 + 0.3 is 0.9999999999999999 or 1.0000000000000002 in floating point.
const EDGE = 1 + 1e-9;

export const regionArgs = z
  .object({ id, x: fraction, y: fraction, w: extent, h: extent, comment: text(5_000).optional() })
  .strict()
  .refine((r) => r.x + r.w <= EDGE, {
    path: ['w'],
    message: 'is too wide: the marked area goes past the right edge of the picture',
  })
  .refine((r) => r.y + r.h <= EDGE, {
    path: ['h'],
    message: 'is too tall: the marked area goes past the bottom edge of the picture',
  });

/**
 * A box to cover in a redacted copy: fractions of the picture as shown, like a region mark,
 * and its reason. A box past an edge is refused, never cut to fit: what was meant is unclear.
 */
const redactionBox = z
  .object({
    x: fraction,
    y: fraction,
    w: extent,
    h: extent,
    reason: z.enum(REDACTION_REASONS, {
      error: `is not a reason Dossier knows: the reasons are ${REDACTION_REASONS.join(', ')}`,
    }),
    /** Words for the reason "other"; null (or left out) for the others. */
    otherReason: z
      .string()
      .max(REDACTION_OTHER_MAX, `is too long: ${REDACTION_OTHER_MAX} characters at most`)
      .nullable()
      .optional(),
  })
  .strict()
  .refine((r) => r.x + r.w <= EDGE, {
    path: ['w'],
    message: 'is too wide: the box goes past the right edge of the picture',
  })
  .refine((r) => r.y + r.h <= EDGE, {
    path: ['h'],
    message: 'is too tall: the box goes past the bottom edge of the picture',
  });
export const redactionArgs = z
  .object({
    id,
    boxes: z
      .array(redactionBox)
      .min(1, 'is empty: draw at least one box to cover')
      .max(500, 'has too many boxes: 500 at most'),
  })
  .strict();
/**
 * A passage of an email's or text file's rendering to cover (shared/redaction-text.ts):
 * [start, end) in UTF-16 code units, as a text area's selection gives them.
 */
const redactionSpan = z
  .object({
    start: z.number().int('must be a whole number').min(0, 'is before the start of the text'),
    end: z.number().int('must be a whole number').min(1, 'covers nothing'),
    reason: redactionBox.shape.reason,
    otherReason: redactionBox.shape.otherReason,
  })
  .strict()
  .refine((s) => s.end > s.start, { path: ['end'], message: 'must be after the start' });
export const redactionSpanArgs = z
  .object({
    id,
    spans: z
      .array(redactionSpan)
      .min(1, 'is empty: select at least one passage to cover')
      .max(MAX_REDACTION_SPANS, `has too many passages: ${MAX_REDACTION_SPANS} at most`),
  })
  .strict();
/** The text an email or text file is redacted in, and what the copy leaves out of it. */
export const textForRedaction = z.object({
  kind: z.enum(['email', 'text']),
  text: z.string(),
  /** The email's attachments (pictures in its body too): withheld from the copy. */
  attachments: z.number().int().min(0),
});
/** A copy made for disclosure: a new item derived from `parentId`, which is unchanged. */
export const copyMade = z.object({
  id,
  parentId: id,
  sha256: z.string(),
  name: z.string(),
  /** The same copy was made before: `id` is that item, and nothing new was stored. */
  alreadyMade: z.boolean(),
});

export const itemKind = z.enum(ITEM_KINDS);

/** Where search words matched, as plain-text segments: render `match` ones highlighted, never as HTML. */
export const snippetSegments = z.array(z.object({ text: z.string(), match: z.boolean() }));

export const libraryRow = itemSummary.extend({
  kind: itemKind,
  hasThumbnail: z.boolean(),
  /** How many problems the import found with the file (damaged, empty, unreadable metadata…). */
  warnings: z.number().int().min(0),
  /** The file holds where it was made (GPS). */
  hasLocation: z.boolean(),
  /** Null when the query had no search text. */
  snippet: snippetSegments.nullable(),
  /**
   * For a conversation found by one of its messages: the first such message (its index opens
   * the conversation there) and where it matched. Absent or null otherwise.
   */
  message: z
    .object({ id, index: z.number().int().min(0), snippet: snippetSegments })
    .nullable()
    .optional(),
  /**
   * With search words: where this item matched (shared/search-source.ts), by one rule: the
   * item's own column the snippet was cut from (FTS5's best-scoring one, the first of name,
   * note, text, ocr on a tie); else a tag; else one of its messages (see `message`). Null
   * when it cannot be told; absent without search words.
   */
  source: z.enum(SEARCH_SOURCES).nullable().optional(),
  /**
   * For a conversation (kind `conversation`): its message count, how many senders and the
   * busiest three, and its first and last time, from the conversations row. Absent otherwise.
   */
  conversation: z
    .object({
      messages: z.number().int().min(0),
      senders: z.number().int().min(0),
      topSenders: z.array(z.string()),
      firstTime: z.string().nullable(),
      lastTime: z.string().nullable(),
    })
    .optional(),
});

export const libraryQuery = z
  .object({
    /** Search words (every word must occur, as a word or the start of one). */
    text: text(500).optional(),
    /**
     * sourceTime = the best source time (EXIF, email Date, file time), else the import time.
     * relevance = the search's own order, best match first (needs `text`; `order` is ignored).
     */
    sort: z.enum(['sourceTime', 'ingestedAt', 'name', 'size', 'relevance']),
    order: z.enum(['asc', 'desc']),
    kinds: z.array(itemKind).max(ITEM_KINDS.length).optional(),
    /** Items that have every one of these tags. */
    tags: z.array(text(200)).max(100).optional(),
    /** Items linked to any of these people. */
    personIds: z.array(id).max(1000).optional(),
    /** Items linked to any of these incidents. */
    incidentIds: z.array(id).max(1000).optional(),
    /** Only these items (while reviewing: the exhibits with a review status); [] matches none. */
    itemIds: z.array(id).max(100_000).optional(),
    /** On the sort time above, in UTC; a bare date (2026-03-09) covers its whole day. */
    from: isoTime.optional(),
    to: isoTime.optional(),
    offset: z.number().int().min(0).max(1_000_000),
    limit: z.number().int().min(1).max(500),
  })
  .strict();

export const libraryPage = z.object({ total: z.number(), rows: z.array(libraryRow) });

export const facets = z.object({
  total: z.number(),
  kinds: z.array(z.object({ kind: itemKind, count: z.number() })),
  tags: z.array(z.object({ name: z.string(), count: z.number() })),
});

export const addResult = z.union([
  z.object({
    status: z.literal('added'),
    duplicate: z.literal(false),
    id,
    sha256: z.string(),
    name: z.string(),
    path: z.string(),
    size: z.number(),
    mime: z.string(),
    warnings: z.array(z.string()),
  }),
  z.object({
    status: z.literal('duplicate'),
    duplicate: z.literal(true),
    id,
    sha256: z.string(),
    name: z.string(),
    path: z.string(),
    size: z.number(),
    existingName: z.string(),
  }),
  z.object({
    status: z.enum(['failed', 'skipped']),
    path: z.string(),
    name: z.string(),
    error: z.string(),
    code: z.string().optional(),
  }),
]);

export const addReport = z.object({
  results: z.array(addResult),
  added: z.number(),
  /** Of those added, how many came with a warning (a damaged or empty file…). */
  withWarnings: z.number(),
  duplicates: z.number(),
  failed: z.number(),
  skipped: z.number(),
});

/** A problem found opening a bundle for review: verify's, with the exhibits it concerns. */
export const reviewProblem = z.object({
  severity: z.enum(['error', 'warning']),
  file: z.string().nullable(),
  message: z.string(),
  exhibits: z.array(z.string()),
});

/**
 * A bundle opened for review (issue 14): who made it and whether it verifies. The app shows
 * the fingerprint for comparing, and a banner naming the problems on every screen while any.
 */
export const reviewStatus = z.object({
  /** The bundle's file or folder name. */
  name: z.string(),
  caseName: z.string(),
  bagName: z.string(),
  exporter: z.string().nullable(),
  exportedAt: z.string().nullable(),
  exhibits: z.number(),
  incidents: z.number(),
  people: z.number(),
  messages: z.number(),
  fingerprint: z.string().nullable(),
  signed: z.boolean(),
  verified: z.boolean(),
  tagManifestSha256: z.string().nullable(),
  problems: z.array(reviewProblem),
  /** Labels of the exhibits an error is about. */
  failingExhibits: z.array(z.string()),
});

/**
 * The adviser's own review of the bundle open for review (docs/review-format.md): kept in the
 * adviser's encrypted review store, never in the bundle. `store`: none (no store yet: a
 * passphrase makes one), locked, or unlocked (this bundle's review is open).
 */
export const adviserReviewState = z.object({
  store: z.enum(['none', 'locked', 'unlocked']),
  /** The folder the review store is in (never the bundle), to say where the review is kept. */
  folder: z.string(),
  /** The adviser's signing-key fingerprint, the same for all their reviews; null when locked. */
  fingerprint: z.string().nullable(),
  reviewer: z.object({ name: z.string().nullable(), organisation: z.string().nullable() }),
  entries: z.array(reviewEntrySchema),
  head: z.string().nullable(),
  /** The bundle's exhibits in its order, as a change names them (label, item id, SHA-256). */
  exhibits: z.array(
    z.object({ label: z.string(), itemId: z.string(), sha256: z.string(), name: z.string() }),
  ),
});

export const sentReview = z.object({
  path: z.string(),
  format: z.enum(['zip', 'zip.age']),
  fingerprint: z.string(),
  entries: z.number(),
  head: z.string(),
  savedAt: z.string(),
});

export const sessionStatus = z.object({
  /** reviewing: a bundle is open for review, read-only; no vault is unlocked. */
  state: z.enum(['no-vault', 'locked', 'unlocked', 'reviewing']),
  fingerprint: z.string().nullable(),
  /**
   * Plain-words messages from opening the vault, for the person (files moved to quarantine/,
   * a read-only session, a custody log that does not match its checkpoint). The same list for
   * the whole session, in the order produced: a notice's position names it. Empty when locked.
   */
  notices: z.array(z.string()).default([]),
  /**
   * A recovery code is waiting to be confirmed as written down: until it is, the app shows
   * it (session.recoveryCode) before anything else, and other vault methods are refused.
   */
  recoveryCodePending: z.boolean().default(false),
  /** The bundle opened for review: only in state reviewing. */
  review: reviewStatus.optional(),
});

export const custodyEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subjects: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  prev: z.string(),
  hash: z.string(),
});

/** What a custody entry is about, in words (main/core/custody/subjects.ts). */
export const subjectLabel = z.object({
  id: z.string(),
  kind: z.enum(['item', 'incident', 'person', 'other']),
  /** An item's file name, "the incident on 9 Mar 2024 (place)", a person's name; else the id. */
  label: z.string(),
});

export const custodyPage = z.object({
  /** Entries in the whole log. */
  total: z.number(),
  entries: z.array(
    custodyEntry.extend({
      /** subjectLabels[i] is subjects[i], for the first 100 subjects (an export names every exhibit). */
      subjectLabels: z.array(subjectLabel),
    }),
  ),
});

export const chainReport = z.object({
  ok: z.boolean(),
  entries: z.number(),
  firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
});

export const integrityReport = z.object({
  ok: z.boolean(),
  items: z.number(),
  blobsChecked: z.number(),
  bytesChecked: z.number(),
  chain: chainReport,
  problems: z.array(
    z.object({
      kind: z.string(),
      message: z.string(),
      itemId: z.string().optional(),
      itemName: z.string().optional(),
      blob: z.string().optional(),
    }),
  ),
});

export const incident = z.object({
  id,
  occurredAt: z.string(),
  occurredUntil: z.string().nullable(),
  place: z.string(),
  summary: z.string(),
  impact: z.string(),
  witnesses: z.string(),
  policeRef: z.string(),
  platformRef: z.string(),
  itemIds: z.array(z.string()),
  personIds: z.array(z.string()),
  /** Messages it points at (in conversation and message order), with an excerpt of each. */
  messages: z.array(
    z.object({
      id,
      conversationId: id,
      index: z.number().int(),
      sender: z.string(),
      senderId: z.string().nullable(),
      /** The person the sender is an identifier of (marked in the app or given by hand). */
      personId: id.nullable(),
      time: z.string().nullable(),
      excerpt: z.string(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const personRole = z.enum(['harasser', 'witness', 'official', 'other']);
const identifier = z.object({ kind: z.enum(IDENTIFIER_KINDS), value: text(320) });

export const person = z.object({
  id,
  name: z.string(),
  role: personRole,
  notes: z.string(),
  identifiers: z.array(identifier),
  itemIds: z.array(z.string()),
  incidentIds: z.array(z.string()),
});

const incidentLinks = z
  .object({
    id,
    itemIds: z.array(id).max(100_000).optional(),
    personIds: z.array(id).max(1000).optional(),
  })
  .strict();
const personItems = z.object({ id, itemIds: z.array(id).min(1).max(100_000) }).strict();

export const settings = z.object({ autoLockMinutes: z.number() });

/** Why something is removed: required, kept in the custody log and the tombstone. */
const removalReason = z
  .string()
  .max(2000, 'is too long: 2,000 characters at most')
  .refine(
    (s) => s.trim() !== '',
    'is empty: say why it is being removed (the reason is kept in the custody log)',
  );
const removalArgs = z.object({ id, reason: removalReason }).strict();
export const removal = z.object({
  id,
  kind: z.enum(['item', 'incident', 'person']),
  name: z.string(),
  reason: z.string(),
  removedAt: z.string(),
  /** e.g. an encrypted file that could not be deleted yet (deleted at the next unlock). */
  warnings: z.array(z.string()),
});

/** A new name for an item (shared/item-name.ts says what is refused). */
const itemName = z
  .string()
  .max(1000, 'is too long: at most 255 bytes')
  .superRefine((n, ctx) => {
    const problem = itemNameProblem(itemNameText(n));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The escape hatch: with these, the standard sqlcipher and age tools open the vault. */
export const revealedKeys = z.object({
  sqlcipherKey: z.string(),
  ageIdentity: z.string(),
  ageRecipient: z.string(),
  signingPublicKey: z.string(),
  fingerprint: z.string(),
});

export const exportSelection = z.union([
  z.object({ all: z.literal(true) }),
  z.object({ itemIds: z.array(id).min(1).max(100_000) }),
  z.object({ tags: z.array(text(200)).min(1).max(1000) }),
  z.object({ incidentIds: z.array(id).min(1).max(10_000) }),
]);

/** Messages chosen for an export's transcripts (docs/bundle-format.md, "Transcripts"). */
const exportMessageIds = z
  .array(id)
  .max(10_000, 'has too many messages: 10,000 at most in one export')
  .optional();

export const exportResult = z.object({
  path: z.string(),
  format: z.enum(['dir', 'zip', 'zip.age']),
  exhibits: z.array(
    z.object({ number: z.string(), itemId: z.string(), sha256: z.string(), bagPath: z.string() }),
  ),
  payloadBytes: z.number(),
  tagManifestSha256: z.string(),
  fingerprint: z.string(),
  /** e.g. an interrupted export's unfinished bundle was removed from the same folder. */
  warnings: z.array(z.string()).default([]),
  /** How many pages the court bundle (data/report/bundle.pdf) has. */
  bundlePages: z.number().int().min(0).default(0),
  /** How many messages the transcripts print (data/metadata/messages.json). */
  messages: z.number().int().min(0).default(0),
  /** How many exhibits record where they were, and what the exporter chose for that location. */
  location: z
    .object({ items: z.number().int().min(0), choice: z.enum(LOCATION_CHOICES).nullable() })
    .default({ items: 0, choice: null }),
  /** An export for disclosure: how many originals were withheld, each represented by a copy. */
  disclosure: z
    .object({ withheld: z.number().int().min(0) })
    .nullable()
    .default(null),
});

const bagProblem = z.object({
  severity: z.enum(['error', 'warning']),
  file: z.string().nullable(),
  message: z.string(),
});

export const bundleReport = z.object({
  ok: z.boolean(),
  dossierBundle: z.boolean(),
  signed: z.boolean(),
  fingerprint: z.string().nullable(),
  problems: z.array(bagProblem),
  bag: z.object({
    valid: z.boolean(),
    complete: z.boolean(),
    version: z.string().nullable(),
    payloadFiles: z.number(),
    payloadBytes: z.number(),
    algorithms: z.array(z.string()),
  }),
});

// ---- Conversations (docs/conversations.md) ----

const conversationFormat = z.enum(['mbox', 'whatsapp', 'telegram', 'instagram', 'facebook']);
const timeSource = z.enum([
  'export-instant',
  'email-date',
  'export-local-confirmed',
  'export-local-assumed',
  'none',
]);
/** An index in a conversation (0 …); CONVERSATION_LIMITS.maxMessages is 5,000,000. */
const messageIndex = z.number().int().min(0).max(10_000_000);
/** A page of messages: the virtualised list asks for a screenful or a few. */
const pageSize = z
  .number()
  .int()
  .min(1)
  .max(1000, 'is too large: 1,000 messages at a time at most');
/** Messages chosen at once (a person selecting a run of a long chat). */
const messageIds = z
  .array(id)
  .min(1, 'is empty: choose at least one message')
  .max(10_000, 'has too many messages: 10,000 at a time at most');

export const conversationSummary = z.object({
  itemId: id,
  format: conversationFormat,
  reader: z.string(),
  chatFile: z.string().nullable(),
  title: z.string(),
  messageCount: z.number().int().min(0),
  participants: z.array(
    z.object({
      sender: z.string(),
      senderId: z.string().nullable(),
      messages: z.number().int().min(0),
      personId: id.nullable(),
    }),
  ),
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  dateOrder: z.enum(['dmy', 'mdy']).nullable(),
  timeZone: z.string().nullable(),
  timeSource: timeSource.nullable(),
  problems: z.array(
    z.object({ line: z.number().nullable(), offset: z.number().nullable(), message: z.string() }),
  ),
  readAt: z.string(),
});

export const message = z.object({
  id,
  conversationId: id,
  index: z.number().int().min(0),
  kind: z.enum(['message', 'system', 'deleted', 'call']),
  sender: z.string(),
  senderId: z.string().nullable(),
  /** The person this sender is an identifier of. */
  personId: id.nullable(),
  time: z.string().nullable(),
  timeSource,
  /** In a page (conversation.messages), cut after 20,000 characters: see textLength. */
  text: z.string(),
  /** The whole text's length; more than text's when a page cut it (messages.get has it all). */
  textLength: z.number().int().min(0),
  edited: z.boolean(),
  /** Bytes into the chat file (the conversation's chatFile inside an archive, else the item). */
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
  sha256: z.string(),
  line: z.number().int().nullable(),
  lineEnd: z.number().int().nullable(),
  attachments: z.array(z.object({ name: z.string(), omitted: z.boolean(), itemId: id.nullable() })),
  externalId: z.string().nullable(),
  replyTo: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  noteCount: z.number().int().min(0),
  incidentIds: z.array(id),
});

/** A WhatsApp export's day/month question (items.chatChoice); null fields when not a chat. */
export const chatChoice = z.object({
  /** The person must choose: no order is proven and some dates read both ways. */
  needed: z.boolean(),
  proven: z.enum(['dmy', 'mdy']).nullable(),
  /** Dates as written, with the date each order gives (ISO 8601 dates). */
  examples: z.array(
    z.object({ line: z.number().int(), written: z.string(), dmy: z.string(), mdy: z.string() }),
  ),
  /** Lines whose date can only be day first / month first (both: the dates contradict). */
  dayFirstLine: z.number().int().nullable(),
  monthFirstLine: z.number().int().nullable(),
});

export const messageNote = z.object({
  id,
  messageId: id,
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const messageDetail = message.extend({ notes: z.array(messageNote) });

export const messageSearch = z.object({
  total: z.number().int().min(0),
  hits: z.array(z.object({ id, index: z.number().int().min(0), snippet: snippetSegments })),
});

// ---- Reviews from the person's adviser, as imported (docs/review-format.md, "Importing") ----

const reviewer = z.object({ name: z.string().nullable(), organisation: z.string().nullable() });
const reviewTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundle') }),
  z.object({
    kind: z.literal('exhibit'),
    exhibit: z.string(),
    itemId: z.string(),
    sha256: z.string(),
  }),
  z.object({ kind: z.literal('incident'), incidentId: z.string() }),
  z.object({
    kind: z.literal('message'),
    messageId: z.string(),
    exhibit: z.string(),
    index: z.number(),
  }),
]);
export const reviewImportResult = z.object({
  outcome: z.enum(['imported', 'extended', 'already-imported', 'earlier-version']),
  reviewId: z.string(),
  madeIn: z.enum(['dossier', 'viewer']),
  signed: z.boolean(),
  /** The adviser's key, to compare with the one given by another route; null when unsigned. */
  fingerprint: z.string().nullable(),
  keySeenBefore: z.boolean().nullable(),
  reviewer,
  bundle: z.object({
    tagManifestSha256: z.string(),
    bagName: z.string(),
    caseName: z.string(),
    exportedAt: z.string(),
  }),
  entriesAdded: z.number().int().min(0),
  entries: z.number().int().min(0),
  message: z.string(),
});
export const adviserReviewSummary = z.object({
  id: z.string(),
  madeIn: z.enum(['dossier', 'viewer']),
  signed: z.boolean(),
  fingerprint: z.string().nullable(),
  reviewer,
  bundle: z.object({ tagManifestSha256: z.string(), bagName: z.string(), caseName: z.string() }),
  entries: z.number().int().min(0),
  head: z.string(),
  savedAt: z.string(),
  importedAt: z.string(),
  updatedAt: z.string(),
});
/** The adviser's current word on one thing, from one review. */
export const adviserComment = z.object({
  reviewId: z.string(),
  target: reviewTarget,
  reviewer,
  signed: z.boolean(),
  fingerprint: z.string().nullable(),
  status: z.enum(REVIEW_STATUSES).nullable(),
  statusWords: z.string().nullable(),
  comment: z.string(),
  order: z.number().nullable(),
  questions: z.array(z.string()),
  fingerprintChecked: z
    .object({ fingerprint: z.string(), how: z.string(), at: z.string() })
    .nullable(),
  updatedAt: z.string(),
});
const reviewPassphrase = z.string().min(1).max(1024).optional();

/**
 * One method: its argument and result schemas, and how it behaves:
 * - `progress`: it reports progress events and can be cancelled (import, export, check);
 * - `changes`: it changes the vault, so a `vaultChanged` event follows its success;
 * - `host`: it is answered by the desktop shell in main (native dialogs, the file manager),
 *   never by the vault service, which may run on a worker thread;
 * - `upload`: its arguments carry file bytes (a pasted image, a file dropped into a browser),
 *   so transports accept a larger request for it.
 */
export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
  progress: boolean;
  changes: boolean;
  host: boolean;
  upload: boolean;
}

interface MethodFlags {
  progress?: boolean;
  changes?: boolean;
  host?: boolean;
  upload?: boolean;
}

function method<A extends z.ZodType, R extends z.ZodType, const F extends MethodFlags = object>(
  args: A,
  result: R,
  flags?: F,
): MethodSpec<A, R> & { host: boolean & (F extends { host: true } ? true : false) } {
  type Host = F extends { host: true } ? true : false;
  return {
    args,
    result,
    progress: flags?.progress ?? false,
    changes: flags?.changes ?? false,
    upload: flags?.upload ?? false,
    host: (flags?.host ?? false) as boolean & Host,
  };
}

/** The text-recognition queue (ocr.*): counts, the picture being read, time left. */
const ocrStatus = z.object({
  queued: z.number().int().min(0),
  done: z.number().int().min(0),
  failed: z.number().int().min(0),
  running: z.string().nullable(),
  secondsLeft: z.number().int().min(0),
  paused: z.boolean(),
});

/** One picture's reading (ocr.get): the words read by machine, each with its box and confidence. */
const ocrReading = z.object({
  /** none: not a picture that is read; queued: waiting (or being read, see `reading`). */
  state: z.enum(['none', 'queued', 'done', 'failed']),
  /** The engine is reading this picture now. */
  reading: z.boolean(),
  /** The language it was (or will be) read in, a Tesseract code such as "eng". */
  language: z.string().nullable(),
  engine: z.string().nullable(),
  engineVersion: z.string().nullable(),
  /** The text read; an earlier reading stays while a picture waits to be read again or fails. */
  text: z.string().nullable(),
  /** Each word and its box, in whole pixels of the picture as read (`width` × `height`). */
  words: z.array(
    z.object({
      t: z.string(),
      x: z.number(),
      y: z.number(),
      w: z.number(),
      h: z.number(),
      /** Confidence 0–100. */
      c: z.number(),
    }),
  ),
  width: z.number().nullable(),
  height: z.number().nullable(),
  /** Mean word confidence, 0–100. */
  confidence: z.number().nullable(),
  finishedAt: z.string().nullable(),
  /** Why it could not be read, in words (state failed). */
  reason: z.string().nullable(),
});

const ocrLanguages = z.object({
  language: z.string(),
  installed: z.array(z.object({ code: z.string(), name: z.string() })),
});
/** A Tesseract language code ("eng", "chi_sim"). */
const ocrLanguageCode = z
  .string()
  .regex(/^[a-z]{3}(_[a-z]{3,4})?$/, 'is not a language code such as "eng"');

const none = z.object({}).strict();
const empty = z.object({});
/** Only the typed-out words accept a weak passphrase (for test fixtures); never a default. */
const acceptWeakPassphrase = z
  .literal(WEAK_PASSPHRASE_OVERRIDE, {
    error: `must be the words "${WEAK_PASSPHRASE_OVERRIDE}", typed out`,
  })
  .optional();

export const api = {
  'session.status': method(none, sessionStatus),
  /** Refuses a passphrase below shared/passphrase-strength's minimum, unless overridden. */
  'session.create': method(
    z.object({ passphrase: z.string().min(8).max(1024), acceptWeakPassphrase }).strict(),
    z.object({ recoveryCode: z.string() }),
  ),
  'session.unlock': method(z.object({ passphrase: z.string().max(1024) }).strict(), sessionStatus),
  'session.unlockWithRecoveryCode': method(z.object({ code: text(200) }).strict(), sessionStatus),
  'session.lock': method(none, sessionStatus),
  /** `current` is the passphrase or the recovery code, checked against the key slots. */
  'session.changePassphrase': method(
    z
      .object({
        current: z.string().max(1024),
        passphrase: z.string().min(8).max(1024),
        acceptWeakPassphrase,
      })
      .strict(),
    empty,
  ),
  /** The recovery code waiting to be confirmed, shown again (after a reload or a restart). */
  'session.recoveryCode': method(none, z.object({ recoveryCode: z.string() })),
  /** Type back one group (1–8) of the code on screen; the kept copy is then removed. */
  'session.confirmRecoveryCode': method(
    z.object({ group: z.number().int().min(1).max(8), typed: text(40) }).strict(),
    sessionStatus,
  ),
  /** A new recovery code replaces the old one (needs the passphrase); kept until confirmed. */
  'session.newRecoveryCode': method(
    z.object({ current: z.string().max(1024) }).strict(),
    z.object({ recoveryCode: z.string() }),
  ),
  'items.list': method(none, z.array(itemSummary)),
  'items.get': method(z.object({ id }).strict(), itemDetail),
  'items.search': method(z.object({ query: text(500) }).strict(), z.array(id)),
  'items.query': method(libraryQuery, libraryPage),
  'items.facets': method(none, facets),
  'items.addNote': method(z.object({ id, body: noteBody }).strict(), note, { changes: true }),
  'items.editNote': method(z.object({ noteId: id, body: noteBody }).strict(), note, {
    changes: true,
  }),
  'items.setTags': method(
    z.object({ id, tags: z.array(tag).max(100, 'has too many tags: 100 at most') }).strict(),
    z.array(z.string()),
    { changes: true },
  ),
  'items.addRegion': method(regionArgs, region, { changes: true }),
  /** Removes an item (its encrypted files are deleted; a tombstone and the log remain). */
  'items.remove': method(removalArgs, removal, { changes: true }),
  /** Gives an item a new name; the name it was imported with stays as `originalName`. */
  'items.rename': method(z.object({ id, name: itemName }).strict(), itemDetail, { changes: true }),
  'items.removeRegion': method(z.object({ regionId: id }).strict(), empty, { changes: true }),
  'items.add': method(
    z
      .object({
        paths: z.array(text(4096)).min(1).max(100_000),
        tags: z.array(tag).max(100).optional(),
        note: text(20_000).optional(),
        /** For a chat export whose dates do not prove their day/month order (NEEDS_CHOICE). */
        dateOrder: z.enum(['dmy', 'mdy']).optional(),
        /** The IANA zone a chat export's wall-clock times are in; else this computer's. */
        timeZone: text(64).refine(isKnownTimeZone, TIME_ZONE_RULE).optional(),
      })
      .strict(),
    addReport,
    { progress: true, changes: true },
  ),
  'items.addData': method(
    z
      .object({
        name: z
          .string()
          .min(1, 'is empty: the file needs a name')
          .max(255, 'is too long: a name can have up to 255 characters'),
        data: z
          .instanceof(Uint8Array)
          .refine((d) => d.length <= 64 * 1024 * 1024, 'is too large: up to 64 MiB at a time'),
        lastModified: isoTime.optional(),
        tags: z.array(tag).max(100).optional(),
        note: text(20_000).optional(),
        /** As items.add: the person's answer to a chat export's NEEDS_CHOICE. */
        dateOrder: z.enum(['dmy', 'mdy']).optional(),
        timeZone: text(64).refine(isKnownTimeZone, TIME_ZONE_RULE).optional(),
      })
      .strict(),
    addResult,
    { changes: true, upload: true },
  ),
  /**
   * The date-order question for a WhatsApp export that failed with NEEDS_CHOICE: the dates
   * that read both ways (up to three), by the file's path or its bytes. Nothing is stored.
   */
  'items.chatChoice': method(
    z.union([
      z.object({ path: text(4096) }).strict(),
      /** An item already in the vault, before items.readAsConversation. */
      z.object({ id }).strict(),
      z
        .object({
          data: z
            .instanceof(Uint8Array)
            .refine((d) => d.length <= 64 * 1024 * 1024, 'is too large: up to 64 MiB at a time'),
        })
        .strict(),
    ]),
    chatChoice,
    { upload: true },
  ),
  /**
   * Reads an item already in the vault as a conversation, from its stored original, as an
   * import would have (NEEDS_CHOICE: ask with items.chatChoice {id}, then give the answer).
   */
  'items.readAsConversation': method(
    z
      .object({
        id,
        dateOrder: z.enum(['dmy', 'mdy']).optional(),
        timeZone: text(64).refine(isKnownTimeZone, TIME_ZONE_RULE).optional(),
      })
      .strict(),
    conversationSummary,
    { changes: true },
  ),
  /**
   * A redacted copy of a picture (docs/redaction.md): each box burned in black, written as a
   * new PNG with no metadata, stored as a new item derived from the original (unchanged).
   */
  'items.makeRedactedCopy': method(redactionArgs, copyMade, { changes: true }),
  /**
   * The text an email or a text file is redacted in (docs/redaction.md): the headers shown
   * and the body, line ends "\n", hidden characters escaped; offsets count UTF-16 code units.
   */
  'items.textForRedaction': method(z.object({ id }).strict(), textForRedaction),
  /**
   * A redacted copy of an email or a text file: its rendering with each passage replaced by
   * "[REDACTED: reason]", a new UTF-8 text item derived from the original (unchanged).
   */
  'items.makeRedactedTextCopy': method(redactionSpanArgs, copyMade, { changes: true }),
  /** A copy of a picture without its location and other EXIF/XMP details, as a new item. */
  'items.makeCopyWithoutLocation': method(z.object({ id }).strict(), copyMade, {
    changes: true,
  }),
  /** A conversation's summary (an item read from a chat export or mailbox). */
  'conversation.get': method(z.object({ id }).strict(), conversationSummary),
  /** Messages in order from an index: a page of the conversation view. */
  'conversation.messages': method(
    z.object({ id, from: messageIndex, limit: pageSize }).strict(),
    z.array(message),
  ),
  /** Messages of one conversation where every word occurs, in order. */
  'conversation.search': method(
    z
      .object({
        id,
        text: text(500),
        offset: z.number().int().min(0).max(10_000_000).optional(),
        limit: pageSize.optional(),
      })
      .strict(),
    messageSearch,
  ),
  /** The index of the earliest message at or after a date (a bare date: in the chat's zone). */
  'conversation.indexAt': method(
    z.object({ id, date: isoTime }).strict(),
    z.object({ index: z.number().int().min(0).nullable() }),
  ),
  /** One message with its notes, tags, incidents and person. */
  'messages.get': method(z.object({ id }).strict(), messageDetail),
  'messages.linkIncident': method(z.object({ incidentId: id, messageIds }).strict(), incident, {
    changes: true,
  }),
  'messages.unlinkIncident': method(z.object({ incidentId: id, messageIds }).strict(), incident, {
    changes: true,
  }),
  /** Adds tags to every message given. */
  'messages.tag': method(
    z
      .object({ messageIds, tags: z.array(tag).min(1).max(100, 'has too many tags: 100 at most') })
      .strict(),
    z.array(message),
    { changes: true },
  ),
  /** Removes tags from every message given. */
  'messages.untag': method(
    z.object({ messageIds, tags: z.array(text(200)).min(1).max(100) }).strict(),
    z.array(message),
    { changes: true },
  ),
  /** A new note on a message, or (with noteId) a note's new text; the log keeps the old. */
  'messages.note': method(
    z.object({ messageId: id, noteId: id.optional(), body: noteBody }).strict(),
    messageNote,
    { changes: true },
  ),
  /**
   * The message's sender becomes an identifier of the person (a WhatsApp name or number, a
   * Telegram user id, an email address …): every message from that sender is then theirs.
   */
  'messages.markSender': method(
    z.object({ messageId: id, personId: id }).strict(),
    z.object({ person, messages: z.number().int().min(0) }),
    { changes: true },
  ),
  'vault.check': method(none, integrityReport, { progress: true }),
  /** The log a page at a time, by position in seq order: a big vault's log has 100,000+ entries. */
  'custody.page': method(
    z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(500),
        order: z.enum(['asc', 'desc']),
      })
      .strict(),
    custodyPage,
  ),
  'custody.verify': method(none, chainReport),
  'incidents.list': method(none, z.array(incident)),
  'incidents.create': method(
    z
      .object({
        occurredAt: isoTime,
        occurredUntil: isoTime.nullable().optional(),
        place: text(500).optional(),
        summary: text(20_000).optional(),
        impact: text(20_000).optional(),
        witnesses: text(5_000).optional(),
        policeRef: text(200).optional(),
        platformRef: text(200).optional(),
        itemIds: z.array(id).max(100_000).optional(),
        personIds: z.array(id).max(1000).optional(),
      })
      .strict(),
    incident,
    { changes: true },
  ),
  'incidents.update': method(
    z
      .object({
        id,
        occurredAt: isoTime.optional(),
        occurredUntil: isoTime.nullable().optional(),
        place: text(500).optional(),
        summary: text(20_000).optional(),
        impact: text(20_000).optional(),
        witnesses: text(5_000).optional(),
        policeRef: text(200).optional(),
        platformRef: text(200).optional(),
      })
      .strict(),
    incident,
    { changes: true },
  ),
  'incidents.link': method(incidentLinks, incident, { changes: true }),
  'incidents.unlink': method(incidentLinks, incident, { changes: true }),
  'incidents.remove': method(removalArgs, removal, { changes: true }),
  'people.list': method(none, z.array(person)),
  'people.create': method(
    z
      .object({
        name: text(500).min(1),
        role: personRole,
        notes: text(20_000).optional(),
        identifiers: z.array(identifier).max(100).optional(),
      })
      .strict(),
    person,
    { changes: true },
  ),
  'people.update': method(
    z
      .object({
        id,
        name: text(500).min(1).optional(),
        role: personRole.optional(),
        notes: text(20_000).optional(),
        identifiers: z.array(identifier).max(100).optional(),
      })
      .strict(),
    person,
    { changes: true },
  ),
  'people.linkItems': method(personItems, person, { changes: true }),
  'people.unlinkItems': method(personItems, person, { changes: true }),
  'people.remove': method(removalArgs, removal, { changes: true }),
  'settings.get': method(none, settings),
  'settings.update': method(
    z
      .object({
        autoLockMinutes: z
          .number()
          .int('must be a whole number of minutes')
          .min(1, 'must be at least 1 minute')
          .max(240, 'must be at most 240 minutes (4 hours)'),
      })
      .strict(),
    settings,
    { changes: true },
  ),
  'keys.reveal': method(z.object({ passphrase: z.string().max(1024) }).strict(), revealedKeys, {
    changes: true,
  }),
  'export.create': method(
    z
      .object({
        out: text(4096),
        format: z.enum(['dir', 'zip']),
        encryptPassphrase: z.string().min(8).max(1024).optional(),
        selection: exportSelection,
        /** Messages to print in the transcripts besides the incidents' (their conversations come too). */
        messageIds: exportMessageIds,
        exhibitPrefix: text(EXHIBIT_PREFIX_MAX)
          .regex(EXHIBIT_PREFIX_PATTERN, EXHIBIT_PREFIX_RULE)
          .optional(),
        /** Labels "JD1" (the default, as courts expect) or "JD/1". */
        exhibitStyle: z.enum(EXHIBIT_STYLES).optional(),
        caseName: text(200).optional(),
        exporter: text(200).optional(),
        /** Full source paths in the bundle (default: file and folder names only). */
        fullPaths: z.boolean().optional(),
        /**
         * The location the items record (GPS): left out of the bundle's own files, or printed.
         * Needed when any item records one (export.located): NEEDS_CHOICE without it, but in
         * an export for disclosure, which withholds it unless told.
         */
        location: z.enum(LOCATION_CHOICES).optional(),
        /**
         * Export for disclosure (docs/redaction.md): items with a redacted copy or a copy
         * without location are represented by it, their originals withheld and scheduled.
         */
        disclosure: z.boolean().optional(),
      })
      .strict(),
    exportResult,
    { progress: true, changes: true },
  ),
  /** The court bundle's page count for these choices, counted without writing anything. */
  'export.bundlePages': method(
    z
      .object({
        selection: exportSelection,
        messageIds: exportMessageIds,
        exhibitPrefix: text(EXHIBIT_PREFIX_MAX)
          .regex(EXHIBIT_PREFIX_PATTERN, EXHIBIT_PREFIX_RULE)
          .optional(),
        exhibitStyle: z.enum(EXHIBIT_STYLES).optional(),
        caseName: text(200).optional(),
        exporter: text(200).optional(),
        fullPaths: z.boolean().optional(),
        /** As export.create's: the court bundle says whether the location was withheld. */
        location: z.enum(LOCATION_CHOICES).optional(),
        disclosure: z.boolean().optional(),
      })
      .strict(),
    z.object({
      pages: z.number().int().min(0),
      /** Family courts' cap (PD 27A); a bundle over it is still written, with a warning. */
      cap: z.number().int().min(1),
    }),
  ),
  /**
   * The items of these choices that record where they were (GPS), with the labels the export
   * would give them: asked about before exporting (export.create's `location`).
   */
  'export.located': method(
    z
      .object({
        selection: exportSelection,
        messageIds: exportMessageIds,
        exhibitPrefix: text(EXHIBIT_PREFIX_MAX)
          .regex(EXHIBIT_PREFIX_PATTERN, EXHIBIT_PREFIX_RULE)
          .optional(),
        exhibitStyle: z.enum(EXHIBIT_STYLES).optional(),
        /** As export.create's: then the copies stand for their originals. */
        disclosure: z.boolean().optional(),
      })
      .strict(),
    z.object({
      items: z.array(z.object({ itemId: z.string(), number: z.string(), name: z.string() })),
      /**
       * In an export for disclosure: the copies exported for originals that record where they
       * were (withheld, with their location); the copies hold none.
       */
      withheldByCopies: z
        .array(z.object({ itemId: z.string(), number: z.string(), name: z.string() }))
        .default([]),
    }),
  ),
  'export.verify': method(
    z.object({ path: text(4096), passphrase: z.string().max(1024).optional() }).strict(),
    bundleReport,
    { progress: true },
  ),
  /**
   * Opens a bundle (folder, .zip, or .zip.age with its passphrase) for review, read-only:
   * verified first, then read in place. An unlocked vault is locked first. While reviewing,
   * the read methods answer from the bundle and every method that changes is refused.
   */
  'review.open': method(
    z.object({ path: text(4096), passphrase: z.string().max(1024).optional() }).strict(),
    sessionStatus,
    { progress: true },
  ),
  /** Closes the bundle opened for review (nothing of it stays in memory). */
  'review.close': method(none, sessionStatus),
  /** The adviser's review of the open bundle: whether their store is there and unlocked, its entries. */
  'review.state': method(none, adviserReviewState),
  /**
   * Unlocks the adviser's review store with their passphrase (`create`: makes one, refusing a
   * passphrase too easy to guess unless overridden) and opens this bundle's review in it.
   */
  'review.unlock': method(
    z
      .object({
        passphrase: z.string().max(1024),
        create: z.boolean().optional(),
        acceptWeakPassphrase,
      })
      .strict(),
    adviserReviewState,
  ),
  /** One change to the review (a status, comment, proposed order, questions): one entry, durable. */
  'review.record': method(
    z.object({ target: reviewTargetSchema, change: reviewChangeSchema }).strict(),
    adviserReviewState,
  ),
  /** Who is reviewing, as the summary and review.json give it. */
  'review.setReviewer': method(
    z
      .object({
        name: z.string().max(REVIEW_LIMITS.name).nullable(),
        organisation: z.string().max(REVIEW_LIMITS.name).nullable(),
      })
      .strict(),
    adviserReviewState,
  ),
  /**
   * "Send the review to the client": a signed review zip (or .zip.age to `passphrase`) written
   * into the folder `out` (or as `out` itself, ending in .zip or .zip.age).
   */
  'review.send': method(
    z.object({ out: text(4096), passphrase: z.string().min(8).max(1024).optional() }).strict(),
    sentReview,
  ),
  /** Text recognition in pictures (docs/ocr.md): the queue while the vault is unlocked. */
  'ocr.status': method(none, ocrStatus),
  /** One picture's reading, for the item view (one row). */
  'ocr.get': method(z.object({ id }).strict(), ocrReading),
  /** The language pictures are read in, and those whose data is installed. */
  'ocr.languages': method(none, ocrLanguages),
  /** The language new pictures are read in (pictures read already are not read again). Logged. */
  'ocr.setLanguage': method(z.object({ language: ocrLanguageCode }).strict(), ocrLanguages, {
    changes: true,
  }),
  'ocr.pause': method(none, ocrStatus),
  'ocr.resume': method(none, ocrStatus),
  /** Reads pictures again (these, or all read so far), in `language` if given: logged. */
  'ocr.readAgain': method(
    z
      .object({
        ids: z.array(id).min(1).max(100_000).optional(),
        language: ocrLanguageCode.optional(),
      })
      .strict(),
    z.object({ queued: z.number().int().min(0), status: ocrStatus }),
    { changes: true },
  ),
  /**
   * Imports a review from the adviser: a review zip, a .zip.age with its passphrase, or the
   * offline viewer's review.json, by its path or (a browser) its bytes. Logged.
   */
  'adviserReviews.import': method(
    z.union([
      z.object({ path: text(4096), passphrase: reviewPassphrase }).strict(),
      z
        .object({
          name: z.string().min(1).max(255),
          data: z
            .instanceof(Uint8Array)
            .refine((d) => d.length <= 64 * 1024 * 1024, 'is too large: up to 64 MiB at a time'),
          passphrase: reviewPassphrase,
        })
        .strict(),
    ]),
    reviewImportResult,
    { changes: true, upload: true },
  ),
  'adviserReviews.list': method(
    none,
    z.array(
      adviserReviewSummary.extend({
        /** The review as a whole: overall note, questions, fingerprint check; null if none. */
        overall: adviserComment.nullable(),
        /** How many exhibits, incidents and messages it speaks of (adviserReviews.about each). */
        targets: z.object({
          exhibits: z.number().int().min(0),
          incidents: z.number().int().min(0),
          messages: z.number().int().min(0),
        }),
      }),
    ),
  ),
  /** What each imported review says now about one item, incident or message. */
  'adviserReviews.about': method(
    z.union([
      z.object({ itemId: id }).strict(),
      z.object({ incidentId: id }).strict(),
      z.object({ messageId: id }).strict(),
    ]),
    z.array(adviserComment),
  ),
  // Answered by the desktop shell in main, never by the vault service.
  'dialog.chooseFiles': method(none, z.object({ paths: z.array(z.string()) }), { host: true }),
  'dialog.chooseFolder': method(
    z.object({ purpose: z.enum(['import', 'export']) }).strict(),
    z.object({ path: z.string().nullable() }),
    { host: true },
  ),
  /** One review from the adviser (a review-….zip, .zip.age or viewer .json), or null. */
  'dialog.chooseReview': method(none, z.object({ path: z.string().nullable() }), { host: true }),
  'shell.showInFolder': method(z.object({ path: text(4096) }).strict(), empty, { host: true }),
  /** A bundle to open for review: a folder, or a .zip / .zip.age file. */
  'dialog.chooseBundle': method(
    z.object({ kind: z.enum(['folder', 'file']) }).strict(),
    z.object({ path: z.string().nullable() }),
    { host: true },
  ),
} as const satisfies Record<string, MethodSpec>;

export type Api = typeof api;
export type MethodName = keyof Api;
export type Args<M extends MethodName> = z.input<Api[M]['args']>;
export type Result<M extends MethodName> = z.output<Api[M]['result']>;
export const methodNames = Object.keys(api) as MethodName[];
/** Methods the desktop shell answers in main (dialogs, the file manager). */
export type HostMethodName = {
  [M in MethodName]: Api[M]['host'] extends true ? M : never;
}[MethodName];
/** Methods the vault service answers. */
export type VaultMethodName = Exclude<MethodName, HostMethodName>;

/** Progress of a long job (import, export, check): items and bytes done and in all. */
export const progress = z.object({
  jobId: z.string(),
  itemsDone: z.number(),
  itemsTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
});
export type Progress = z.output<typeof progress>;

/** Events main sends without being asked. */
export const events = {
  progress,
  locked: z.object({
    reason: z.enum(['user', 'idle', 'suspend', 'screen-lock', 'panic', 'error']),
  }),
  vaultChanged: z.object({}),
} as const;
export type EventName = keyof typeof events;
export const eventNames = Object.keys(events) as EventName[];

/** Errors cross every boundary as values with a stable code and a message for a person, never a stack. */
export interface ApiError {
  code: string;
  message: string;
}
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The IPC channel for a method or event, the same in preload and main. */
export const channel = (name: MethodName | EventName | 'jobs.cancel'): string => `dossier:${name}`;
