import { z } from 'zod';
import { displayName } from './display-name';
import { REDACTION_REASONS, redactionReasonText, type RedactionReason } from './redaction';

/**
 * The custody log in words, for every place that shows it (the app's custody screen, the
 * viewer, the PDF report), and the type of every entry the core writes.
 *
 * `CustodyDetails` maps each action to the details the core writes for it (docs/vault-format.md
 * §8); `CustodyLog.append` is typed by it, and `custodyEntryText` has a wording for each action
 * and each `what`, so a new action or `what` without wording fails the type check.
 *
 * Reading is defensive: entries in existing vaults may have older shapes (`sourcePath` for
 * `source`, region fractions without `scale`), and a log can be tampered with. Each field is
 * read with zod and dropped if it has the wrong type; an entry of a shape not known here gets
 * a plain sentence, never raw keys, and never an exception. Text from an entry is untrusted
 * and goes through displayName.
 */

/** Where an import came from, without the full path (schema version 6). */
export interface SourceRef {
  name: string;
  folder: string;
  pathDigest: string;
}

/** A marked area: whole millionths of the picture (scale 1 000 000). */
export interface RegionBox {
  x: number;
  y: number;
  w: number;
  h: number;
  scale: number;
  comment: string;
}

type Fields = Record<string, unknown>;

export type AnnotateDetails =
  | { what: 'note added'; note: string }
  | { what: 'note edited'; before: string; after: string }
  | { what: 'tags changed'; added: string[]; removed: string[] }
  | { what: 'region marked'; region: RegionBox }
  | { what: 'region removed'; region: RegionBox }
  | { what: 'regions restated'; reason: string; scale: number; restated: unknown[] }
  /** An older picture's XMP found to name a place: the fields' names only, never values. */
  | { what: 'location found in XMP'; by: 'xmp-location job'; fields: string[] }
  | { what: 'incident created'; incident: Fields }
  | { what: 'incident updated'; before: Fields; after: Fields }
  | { what: 'incident linked'; items: string[]; people: string[] }
  | { what: 'incident unlinked'; items: string[]; people: string[] }
  | { what: 'person created'; person: Fields }
  | { what: 'person updated'; before: Fields; after: Fields }
  | { what: 'person linked to item'; relation: string }
  | { what: 'person linked to items'; items: string[] }
  | { what: 'person unlinked from items'; items: string[] }
  | { what: 'email sender linked to person'; relation: 'sender'; address?: string | null }
  | { what: 'email senders linked to person'; relation: 'sender'; items: string[] }
  | { what: 'messages linked to incident'; messages: MessageRef[] }
  | { what: 'messages unlinked from incident'; messages: MessageRef[] }
  | { what: 'message tags changed'; added: string[]; removed: string[]; messages: MessageRef[] }
  | { what: 'message note added'; message: MessageRef; note: string }
  | { what: 'message note edited'; message: MessageRef; before: string; after: string }
  | {
      what: 'sender marked as person';
      identifier: { kind: string; value: string };
      sender: string;
      conversation: string;
      messages: number;
    };

/** A message as a custody entry names it: its id, its conversation, its place and its bytes' SHA-256. */
export interface MessageRef {
  id: string;
  item: string;
  index: number;
  sha256: string;
}

export type EditMetadataDetails =
  | { what: 'name cleaned when added'; givenName: string; storedName: string }
  | { what: 'item renamed'; before: string; after: string };

export type DeleteDetails =
  | {
      what: 'item removed';
      reason: string;
      name: string;
      originalName?: string;
      sha256: string;
      size: number;
      blob: string;
      thumbnail: string | null;
      /**
       * `messages`: how many messages read from it (a conversation) went with it, and
       * `messageIncidents` the incidents that pointed at some of them (schema 10).
       */
      unlinked: {
        incidents: string[];
        people: string[];
        messages?: number;
        messageIncidents?: string[];
      };
    }
  | {
      what: 'incident removed';
      reason: string;
      incident: Fields;
      /** `messages`: ids of the messages it pointed at (schema 10), when it had any. */
      unlinked: { items: string[]; people: string[]; messages?: string[] };
    }
  | {
      what: 'person removed';
      reason: string;
      person: Fields;
      unlinked: { items: string[]; incidents: string[] };
    };

export type RepairDetails =
  | { reason: string; quarantined: string[]; removedTempFiles: string[] }
  | { reason: string; returned: string[] }
  | { reason: string; deletedFiles: string[] }
  | { reason: string; removedUnsavedImport: string[] }
  | {
      reason: string;
      removedPartialExports: { name: string; folder: string; startedAt: string }[];
    }
  | { reason: string; file: string; sha256: string };

/** What both the import's and the "read as a conversation" derive entries record. */
export interface ConversationReadDetails {
  format: string;
  /** Reader name and version. */
  reader: string;
  chatFile: string | null;
  messages: number;
  problems: number;
  dateOrder: string | null;
  /** 'proven' from the data, or 'given' by the person. */
  dateOrderSource: string | null;
  timeZone: string | null;
  /** 'given' by the person, or 'computer' (this computer's zone, assumed). */
  timeZoneSource: string | null;
  media: number;
  attachments: number;
  derivedItems: string[];
  linkedItems: string[];
  /** A mailbox's Gmail labels that became its messages' tags. */
  labelTags?: string[];
}

/**
 * An item already in the vault read as a conversation (`dossier read`, docs/conversations.md):
 * its original is unchanged; its kind, search text and import warnings are what change.
 */
export interface ReadAsConversationDetails extends ConversationReadDetails {
  what: 'item read as a conversation';
  /** The item's kind before (after: 'conversation'). */
  kindBefore: string;
  /** The file's own text left the item's search text: its messages are searched instead. */
  searchTextReplaced: boolean;
  /** Import warnings that no longer hold (the reader's failure, a text cut for search). */
  warningsCleared: string[];
}

export type DeriveDetails =
  | ReadAsConversationDetails
  | {
      what: 'conversation read';
      format: string;
      /** Reader name and version. */
      reader: string;
      chatFile: string | null;
      messages: number;
      problems: number;
      dateOrder: string | null;
      /** 'proven' from the data, or 'given' by the person. */
      dateOrderSource: string | null;
      timeZone: string | null;
      /** 'given' by the person, or 'computer' (this computer's zone, assumed). */
      timeZoneSource: string | null;
      media: number;
      attachments: number;
      derivedItems: string[];
      linkedItems: string[];
      /** A mailbox's Gmail labels that became its messages' tags. */
      labelTags?: string[];
    }
  | {
      what: 'email attachments stored';
      /** 'import', or the one-time job for emails imported before attachments became items. */
      by: 'import' | 'email-attachments job';
      derivedItems: string[];
      linkedItems: string[];
      problems: string[];
    }
  | { what: 'email attachments job started'; emails: number }
  | { what: 'email attachments job finished'; emails: number; attachments: number }
  /** Text read from a picture by the engine: a machine reading, never the person's words. */
  | {
      what: 'text recognised';
      engine: string;
      engineVersion: string;
      language: string;
      words: number;
      /** Mean word confidence, 0–100. */
      meanConfidence: number;
      /** SHA-256 of the recognised text as stored. */
      textSha256: string;
      width: number;
      height: number;
    }
  | {
      what: 'text not recognised';
      engine: string;
      engineVersion: string;
      language: string;
      reason: string;
    }
  | {
      what: 'text recognition queued';
      by: 'upgrade' | 'read again';
      images: number;
      language: string;
    }
  /** A copy for disclosure (docs/redaction.md): the original is unchanged. */
  | {
      what: 'redacted copy made' | 'copy without location made';
      original: { id: string; sha256: string };
      copy: { id: string; sha256: string; mime: string };
      /** Redacted: the boxes (whole millionths of the picture as shown) and their reasons. */
      boxes?: {
        x: number;
        y: number;
        w: number;
        h: number;
        reason: string;
        otherReason: string | null;
      }[];
      /** Without location: what was taken out, in words, and whether the image data is the original's. */
      removed?: string[];
      lossless?: boolean;
    };

interface Imported {
  name: string;
  sha256: string;
  source: SourceRef | null;
  sourceMtime: string | null;
  nameHex?: string;
  tags: string[];
  note?: string;
}

/** The details of each action, as the core writes them today. */
export interface CustodyDetails {
  create: {
    vaultId: string;
    format: string;
    signingKeyFingerprint: string;
    /** "kept sealed until confirmed" when made by the app. */
    recoveryCode?: string;
    custodyAnchor?: number;
  };
  /** `method`: "passphrase" or "recovery code". */
  unlock: { method: string; custodyAnchor?: number };
  lock: Record<string, never>;
  repair: RepairDetails;
  ingest: Imported & {
    size: number;
    mime: string;
    blob: string;
    metadataErrors?: string[];
    /** A file that came inside another item (a chat export's photo, an email's attachment). */
    parent?: string;
    derivedAs?: 'media' | 'attachment' | 'redact' | 'strip-location';
    /** Where in the parent it came from, e.g. "attached to message 12 (line 40)". */
    reason?: string;
    /** The name as the parent gave it, when it had to be cleaned to be stored. */
    givenName?: string;
  };
  duplicate: Imported;
  annotate: AnnotateDetails;
  'edit-metadata': EditMetadataDetails;
  /** Records read from an item (a conversation's messages, an email's attachments). */
  derive: DeriveDetails;
  export: {
    bundle: string;
    format: string;
    exhibits: { number: string; item: string; sha256: string }[];
    tagManifestSha256: string;
    caseName: string;
    /** The transcripts' messages: how many, and the SHA-256 of messages.json. */
    messages?: { count: number; sha256: string | undefined };
    /** How many exhibits record where they were (absent before this was recorded). */
    locatedItems?: number;
    /** What the exporter chose for that location (docs/bundle-format.md, "Location"). */
    location?: 'withheld' | 'included';
    /**
     * An export for disclosure (docs/redaction.md): each original withheld, its SHA-256, and the
     * copy exported for it; and the SHA-256 of redactions.csv.
     */
    disclosure?: {
      withheld: { original: string; sha256: string; copy: string; exhibit: string }[];
      sha256: string | undefined;
    };
  };
  verify: { scope: 'vault'; ok: boolean; items: number; blobsChecked: number; problems: string[] };
  /** Written by early versions only; kept so old logs read. */
  'delete-request': Fields;
  delete: DeleteDetails;
  'key-change':
    | {
        slot: 'passphrase';
        kdf: { name: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number };
      }
    | { slot: 'recovery'; change: string };
  'reveal-keys': { reason: string };
  'settings-change': { before: Fields; after: Fields };
  /** A review from the person's adviser imported (docs/review-format.md, "Importing"). */
  'adviser-review-imported': {
    review: string;
    file: string;
    madeIn: 'dossier' | 'viewer';
    signed: boolean;
    fingerprint: string | null;
    /** Null for an unsigned review. */
    keySeenBefore: boolean | null;
    reviewer: { name: string | null; organisation: string | null };
    tagManifestSha256: string;
    /** The seq of the export entry of the bundle it reviews. */
    export: number;
    /** The review's entries this import added, by seq. */
    added: { from: number; to: number };
    head: string;
    reviewSha256: string;
  };
}

export type CustodyAction = keyof CustodyDetails;

export const CUSTODY_ACTIONS = [
  'create',
  'unlock',
  'lock',
  'ingest',
  'duplicate',
  'annotate',
  'edit-metadata',
  'derive',
  'export',
  'verify',
  'delete-request',
  'delete',
  'key-change',
  'repair',
  'reveal-keys',
  'settings-change',
  'adviser-review-imported',
] as const satisfies readonly CustodyAction[];

// Every action is listed: a new one in CustodyDetails and not here fails the type check.
type Missing = Exclude<CustodyAction, (typeof CUSTODY_ACTIONS)[number]>;
const allListed: Missing extends never ? true : Missing = true;
void allListed;

/** An entry as any side holds it. */
export interface CustodyEntryLike {
  action: string;
  subjects: readonly string[];
  details: unknown;
}

// ---- Reading fields defensively ----

const text = z.string().optional().catch(undefined);
const list = z.array(z.unknown()).optional().catch(undefined);
const num = z.number().optional().catch(undefined);
const bool = z.boolean().optional().catch(undefined);
const obj = z.record(z.string(), z.unknown()).optional().catch(undefined);

/** Reads `d` with the given fields; anything missing or of the wrong type is undefined. */
function read<S extends z.ZodRawShape>(shape: S, d: unknown): z.infer<z.ZodObject<S>> {
  // Every field is optional and catches its own errors: only a non-object gives nothing.
  // Field by field, not as one z.object: zod compiles every new object schema to code on its
  // first use, and a bundle words thousands of entries (hundreds of MiB of garbage).
  const out: Record<string, unknown> = {};
  if (d === null || typeof d !== 'object' || Array.isArray(d))
    return out as z.infer<z.ZodObject<S>>;
  for (const [key, field] of Object.entries(shape)) {
    const r = z.safeParse(field, (d as Record<string, unknown>)[key]);
    if (!r.success) return {} as z.infer<z.ZodObject<S>>;
    if (r.data !== undefined) out[key] = r.data;
  }
  return out as z.infer<z.ZodObject<S>>;
}

const safe = (v: string | undefined | null): string | null =>
  typeof v === 'string' && v.trim() ? displayName(v.trim()) : null;
const plural = (n: number, word: string, many = `${word}s`): string =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? word : many}`;
const quoted = (name: string | null, fallback: string): string => (name ? `“${name}”` : fallback);
const upper = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const count = (v: unknown[] | undefined): number => v?.length ?? 0;

/** What an export entry says of the location its exhibits record, and the exporter's choice. */
function locationText(located: number | undefined, choice: string | undefined): string {
  if (located === undefined || located < 0 || !Number.isInteger(located)) return '';
  if (located === 0) return ' None of them records where it was taken.';
  const which =
    located === 1 ? '1 of them records where it was' : `${located} of them record where they were`;
  if (choice === 'withheld')
    return ` ${which} taken: the location was withheld by the exporter from the bundle's report, metadata and viewer (the original files still hold it).`;
  if (choice === 'included')
    return ` ${which} taken: the exporter chose to include the location in the bundle's report, metadata and viewer.`;
  return ` ${which} taken.`;
}
const strings = (v: unknown[] | undefined): string[] =>
  (v ?? []).filter((x): x is string => typeof x === 'string' && x.trim() !== '');

/** The map's own entry for `key` (never one inherited, such as "constructor"). */
function own<V>(map: Readonly<Record<string, V>>, key: string | undefined): V | undefined {
  return key !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** "a, b and c". */
function andList(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Names of the fields that changed, in words; a key not known here is "other details". */
function fieldWords(keys: string[], words: Record<string, string>): string {
  const named = [...new Set(keys.map((k) => words[k] ?? 'other details'))];
  return named.length ? ` (${andList(named)})` : '';
}

const INCIDENT_FIELDS: Record<string, string> = {
  occurredAt: 'when it happened',
  occurredUntil: 'when it ended',
  place: 'where',
  summary: 'what happened',
  impact: 'its impact',
  witnesses: 'witnesses',
  policeRef: 'police reference',
  platformRef: 'platform reference',
};
const PERSON_FIELDS: Record<string, string> = {
  name: 'name',
  role: 'role',
  notes: 'notes',
  identifiers: 'email addresses, handles or phone numbers',
};
const SETTINGS: Record<string, string> = {
  autoLockMinutes: 'how many minutes before the vault locks itself',
};

// ---- Each action ----

function sourceText(d: unknown): string {
  const r = read({ source: z.unknown().optional(), sourcePath: z.unknown().optional() }, d);
  const hasSource = d !== null && typeof d === 'object' && ('source' in d || 'sourcePath' in d);
  if (!hasSource) return '';
  if (r.source === null || r.sourcePath === null)
    return ' It was added from memory (pasted or dropped in), not from a file on disk.';
  const src = read({ name: text, folder: text }, r.source);
  const name = safe(src.name);
  if (name) {
    const folder = safe(src.folder);
    return ` It was imported from a file named “${name}”${folder ? ` in a folder named “${folder}”` : ''}.`;
  }
  // Before schema version 6: the full path (which the bundle may withhold).
  const path = typeof r.sourcePath === 'string' ? safe(r.sourcePath) : null;
  return path ? ` It was imported from “${path}”.` : '';
}

function importedExtras(d: unknown): string {
  const r = read({ tags: list, note: text }, d);
  const tags = strings(r.tags).map((t) => `“${displayName(t)}”`);
  return (
    (tags.length ? ` ${tags.length === 1 ? 'Tag' : 'Tags'} added: ${andList(tags)}.` : '') +
    (safe(r.note) ? ' A note was written with it.' : '')
  );
}

function annotateText(d: unknown): string {
  const r = read({ what: text }, d);
  const what = r.what;
  if (what === undefined) return legacyAnnotate(null);
  const say = own(ANNOTATE, what);
  return say ? say(d) : legacyAnnotate(displayName(what));
}

/** Wordings of `what` values that only older versions wrote, and of unknown ones. */
function legacyAnnotate(what: string | null): string {
  switch (what) {
    case null:
      return 'A note, tag or link was added.';
    case 'note':
      return 'A note was added.';
    case 'tag':
    case 'tags added':
      return 'A tag was added.';
    case 'person unlinked from item':
      return 'A person was unlinked from evidence.';
    default:
      return `${upper(what)}.`;
  }
}

function linkCounts(d: unknown): string[] {
  const r = read({ items: list, people: list }, d);
  return [
    count(r.items) ? plural(count(r.items), 'item') : '',
    count(r.people) ? plural(count(r.people), 'person', 'people') : '',
  ].filter(Boolean);
}

function regionText(d: unknown, done: 'marked' | 'removed'): string {
  const region = read({ comment: text }, read({ region: obj }, d).region);
  const comment = safe(region.comment);
  const said = comment ? `, with the comment “${comment}”` : '';
  return done === 'marked'
    ? `An area of a picture was marked${said}. The picture itself is not changed.`
    : `A marked area of a picture was removed${said}. The picture itself is not changed.`;
}

function messageCount(d: unknown): string {
  const n = count(read({ messages: list }, d).messages);
  return n ? plural(n, 'message') : 'Messages';
}

const ANNOTATE: { [W in AnnotateDetails['what']]: (d: unknown) => string } = {
  'note added': () => 'A note was added.',
  'note edited': () => 'A note was changed. This log keeps the text it had before.',
  'tags changed': (d) => {
    const r = read({ added: list, removed: list }, d);
    const q = (v: unknown[] | undefined): string =>
      andList(strings(v).map((t) => `“${displayName(t)}”`));
    const parts = [
      strings(r.added).length ? `added ${q(r.added)}` : '',
      strings(r.removed).length ? `removed ${q(r.removed)}` : '',
    ].filter(Boolean);
    return parts.length ? `Tags changed: ${parts.join('; ')}.` : 'Tags were changed.';
  },
  'region marked': (d) => regionText(d, 'marked'),
  'region removed': (d) => regionText(d, 'removed'),
  'location found in XMP': () =>
    'This picture’s metadata (XMP) was found to record where it was taken, so it is now marked as sensitive: location. The picture itself is not changed.',
  'regions restated': (d) => {
    const n = count(read({ restated: list }, d).restated);
    return `${n ? `${plural(n, 'marked area')} recorded` : 'Marked areas recorded'} earlier in fractions ${n === 1 ? 'was' : 'were'} restated in whole millionths of the picture, after a change of format. The earlier entries are kept unchanged.`;
  },
  'incident created': () => 'An incident was recorded.',
  'incident updated': (d) => {
    const r = read({ after: obj }, d);
    return `An incident’s details were changed${fieldWords(Object.keys(r.after ?? {}), INCIDENT_FIELDS)}. This log keeps what they were before.`;
  },
  'incident linked': (d) => {
    const parts = linkCounts(d);
    return parts.length
      ? `${upper(andList(parts))} linked to an incident.`
      : 'Items or people were linked to an incident.';
  },
  'incident unlinked': (d) => {
    const parts = linkCounts(d);
    return parts.length
      ? `${upper(andList(parts))} unlinked from an incident.`
      : 'Items or people were unlinked from an incident.';
  },
  'person created': (d) => {
    const name = safe(read({ name: text }, read({ person: obj }, d).person).name);
    return name ? `A person was added: ${name}.` : 'A person was added.';
  },
  'person updated': (d) => {
    const r = read({ after: obj }, d);
    return `A person’s details were changed${fieldWords(Object.keys(r.after ?? {}), PERSON_FIELDS)}. This log keeps what they were before.`;
  },
  'person linked to item': (d) => {
    const relation = safe(read({ relation: text }, d).relation);
    return relation === 'sender'
      ? 'A person was linked to an item as its sender.'
      : 'A person was linked to an item.';
  },
  'person linked to items': (d) => {
    const n = count(read({ items: list }, d).items);
    return n ? `A person was linked to ${plural(n, 'item')}.` : 'A person was linked to evidence.';
  },
  'person unlinked from items': (d) => {
    const n = count(read({ items: list }, d).items);
    return n
      ? `A person was unlinked from ${plural(n, 'item')}.`
      : 'A person was unlinked from evidence.';
  },
  'email sender linked to person': (d) => {
    const address = safe(read({ address: text }, d).address);
    return `An imported email was linked to a person recorded in the vault, as its sender${address ? ` (${address})` : ''}: the sender’s address is one of theirs.`;
  },
  'email senders linked to person': (d) => {
    const n = count(read({ items: list }, d).items);
    return `${n ? upper(plural(n, 'email')) : 'Emails'} already in the vault ${n === 1 ? 'was' : 'were'} linked to a person as sent by them: the sender’s address is one of theirs.`;
  },
  'messages linked to incident': (d) =>
    `${messageCount(d)} of a conversation ${count(read({ messages: list }, d).messages) === 1 ? 'was' : 'were'} linked to an incident. The conversation itself is not changed.`,
  'messages unlinked from incident': (d) =>
    `${messageCount(d)} of a conversation ${count(read({ messages: list }, d).messages) === 1 ? 'was' : 'were'} unlinked from an incident.`,
  'message tags changed': (d) => {
    const r = read({ added: list, removed: list }, d);
    const q = (v: unknown[] | undefined): string =>
      andList(strings(v).map((t) => `“${displayName(t)}”`));
    const parts = [
      strings(r.added).length ? `added ${q(r.added)}` : '',
      strings(r.removed).length ? `removed ${q(r.removed)}` : '',
    ].filter(Boolean);
    return `Tags of ${messageCount(d).toLowerCase()} changed${parts.length ? `: ${parts.join('; ')}` : ''}. The conversation itself is not changed.`;
  },
  'message note added': () =>
    'A note was added to a message. The conversation itself is not changed.',
  'message note edited': () =>
    'A note on a message was changed. This log keeps the text it had before.',
  'sender marked as person': (d) => {
    const r = read({ sender: text, messages: num }, d);
    const sender = safe(r.sender);
    const n = r.messages;
    return `A sender in a conversation${sender ? ` (${sender})` : ''} was recorded as a person’s identifier: ${n === undefined ? 'the messages' : n === 1 ? 'the 1 message' : `the ${n.toLocaleString('en-GB')} messages`} from that sender are now theirs.`;
  },
};

const ORDER_WORDS: Record<string, string> = { dmy: 'day before month', mdy: 'month before day' };

const KIND_WORDS: Record<string, string> = {
  image: 'a picture',
  video: 'a video',
  audio: 'a recording',
  text: 'a text file',
  document: 'a document',
  email: 'an email',
  other: 'a file',
};

const DERIVE: { [W in DeriveDetails['what']]: (d: unknown) => string } = {
  'item read as a conversation': (d) => {
    const r = read({ kindBefore: text }, d);
    const before = r.kindBefore ? own(KIND_WORDS, r.kindBefore) : undefined;
    return `An item already in the vault${before ? `, listed until then as ${before},` : ''} was read as a conversation. ${DERIVE['conversation read'](d)}`;
  },
  'conversation read': (d) => {
    const r = read(
      {
        reader: text,
        messages: num,
        problems: num,
        dateOrder: text,
        dateOrderSource: text,
        timeZone: text,
        timeZoneSource: text,
        derivedItems: list,
        labelTags: list,
      },
      d,
    );
    const reader = safe(r.reader);
    const parts = [
      `${r.messages === undefined ? 'Its messages were' : `${upper(plural(r.messages, 'message'))} ${r.messages === 1 ? 'was' : 'were'}`} read from an exported conversation${reader ? ` by ${reader}` : ''}; each points back to its exact bytes in the file, which is kept unchanged.`,
    ];
    const order = r.dateOrder ? own(ORDER_WORDS, r.dateOrder) : undefined;
    if (order)
      parts.push(
        `Dates were read ${order}, ${r.dateOrderSource === 'given' ? 'as the person confirmed' : 'as the dates themselves prove'}.`,
      );
    const zone = safe(r.timeZone);
    if (zone)
      parts.push(
        `Times were placed in the time zone ${zone}, ${r.timeZoneSource === 'given' ? 'as the person confirmed' : 'this computer’s (assumed, not confirmed)'}.`,
      );
    if (count(r.derivedItems))
      parts.push(
        `${upper(plural(count(r.derivedItems), 'file'))} that came with it ${count(r.derivedItems) === 1 ? 'was' : 'were'} stored as items of their own.`,
      );
    const labels = (r.labelTags ?? []).map((l) => `“${safe(String(l))}”`);
    if (labels.length)
      parts.push(
        `Its Gmail ${labels.length === 1 ? 'label' : 'labels'} became tags of ${labels.length === 1 ? 'its' : 'their'} messages: ${labels.slice(0, 20).join(', ')}${labels.length > 20 ? `, and ${labels.length - 20} more` : ''}.`,
      );
    if (r.problems)
      parts.push(`${upper(plural(r.problems, 'part'))} could not be read; each is listed with it.`);
    return parts.join(' ');
  },
  'email attachments stored': (d) => {
    const r = read({ by: text, derivedItems: list, linkedItems: list, problems: list }, d);
    const n = count(r.derivedItems);
    const linked = count(r.linkedItems);
    const parts = [
      n
        ? `${upper(plural(n, 'attachment'))} of an email ${n === 1 ? 'was' : 'were'} stored as items of their own, derived from it.`
        : 'The attachments of an email were looked at.',
    ];
    if (linked)
      parts.push(
        `${upper(plural(linked, 'attachment'))} ${linked === 1 ? 'is' : 'are'} the same file as an item already in the vault, so ${linked === 1 ? 'it was' : 'they were'} linked, not stored twice.`,
      );
    if (count(r.problems))
      parts.push(
        `${upper(plural(count(r.problems), 'attachment'))} could not be read; the email itself is kept unchanged.`,
      );
    if (r.by === 'email-attachments job')
      parts.push('This was done once, for an email imported before attachments became items.');
    return parts.join(' ');
  },
  'email attachments job started': (d) => {
    const n = read({ emails: num }, d).emails;
    return `Dossier began storing the attachments of ${n === undefined ? 'the emails' : plural(n, 'email')} imported before attachments became items of their own. The emails themselves are not changed.`;
  },
  'email attachments job finished': (d) => {
    const r = read({ emails: num, attachments: num }, d);
    return `Dossier finished storing the attachments of emails imported before attachments became items${r.attachments === undefined ? '' : `: ${plural(r.attachments, 'attachment')} stored`}${r.emails === undefined ? '' : ` from ${plural(r.emails, 'email')}`}. It does not run again.`;
  },
  'text recognised': (d) => {
    const r = read({ engine: text, language: text, words: num, meanConfidence: num }, d);
    const engine = safe(r.engine);
    return `The words in a picture were read by machine${engine ? ` (${engine}` : ''}${engine && r.language ? `, language ${safe(r.language)})` : engine ? ')' : ''}: ${r.words === undefined ? 'its words were' : `${plural(r.words, 'word')} ${r.words === 1 ? 'was' : 'were'}`} read${r.meanConfidence === undefined ? '' : `, with a mean confidence of ${r.meanConfidence}%`}. This text is a machine reading, kept apart from notes; the picture is unchanged.`;
  },
  'text not recognised': (d) => {
    const reason = safe(read({ reason: text }, d).reason);
    return `The words in a picture could not be read by machine${reason ? `: ${reason}` : ''}. The picture is unchanged.`;
  },
  'text recognition queued': (d) => {
    const r = read({ by: text, images: num, language: text }, d);
    const n =
      r.images === undefined
        ? 'Pictures were'
        : `${upper(plural(r.images, 'picture'))} ${r.images === 1 ? 'was' : 'were'}`;
    return r.by === 'read again'
      ? `${n} queued to be read again by machine${r.language ? ` in the language ${safe(r.language)}` : ''}. Their earlier reading stays until the new one replaces it.`
      : `${n} already in the vault ${r.images === 1 ? 'was' : 'were'} queued to have their words read by machine, once.`;
  },
  'redacted copy made': (d) => {
    const r = read({ boxes: list }, d);
    const reasons = [
      ...new Set(
        (r.boxes ?? []).map((b) =>
          redactionReasonText({
            reason: (REDACTION_REASONS as readonly string[]).includes(
              String((b as { reason?: unknown }).reason),
            )
              ? (b as { reason: RedactionReason }).reason
              : 'other',
            otherReason: safe(String((b as { otherReason?: unknown }).otherReason ?? '')) || null,
          }),
        ),
      ),
    ];
    const n = count(r.boxes);
    return `A redacted copy of an item was made: ${n ? plural(n, 'area') : 'areas'} covered in solid black${reasons.length ? ` (${reasons.join('; ')})` : ''}, and the copy written as a new picture with no metadata. ${copyHashes(d)} The original is kept unchanged.`;
  },
  'copy without location made': (d) => {
    const r = read({ lossless: bool }, d);
    return `A copy of an item without its location and device details was made${r.lossless === false ? ' (the picture was decoded and written anew)' : ', its image data unchanged'}. ${copyHashes(d)} The original is kept unchanged.`;
  },
};

/** "Original SHA-256 …; copy SHA-256 …." for a derive entry that made a copy. */
function copyHashes(d: unknown): string {
  const o = read({ sha256: text }, (d as { original?: unknown } | null)?.original);
  const c = read({ sha256: text }, (d as { copy?: unknown } | null)?.copy);
  return `Original SHA-256 ${safe(o.sha256) || 'not recorded'}; copy SHA-256 ${safe(c.sha256) || 'not recorded'}.`;
}

const EDIT_METADATA: { [W in EditMetadataDetails['what']]: (d: unknown) => string } = {
  'name cleaned when added': (d) => {
    const stored = safe(read({ storedName: text }, d).storedName);
    return `A file’s name had characters that cannot be shown safely, so it was stored as ${quoted(stored, 'a cleaned name')}. This log keeps the name as given. The file itself is never changed.`;
  },
  'item renamed': (d) => {
    const r = read({ before: text, after: text }, d);
    return `An item was renamed from ${quoted(safe(r.before), 'its old name')} to ${quoted(safe(r.after), 'a new name')}. The file itself is never changed.`;
  },
};

const DELETE: { [W in DeleteDetails['what']]: (d: unknown, why: string) => string } = {
  'item removed': (d, why) =>
    `${quoted(safe(read({ name: text }, d).name), 'An item')} was removed from the vault and its encrypted file deleted. Its fingerprint stays in this log.${why}`,
  'incident removed': (d, why) => {
    const n = count(read({ messages: list }, read({ unlinked: obj }, d).unlinked).messages);
    return `An incident was removed, with its links to items and people${n ? ` and to ${plural(n, 'message')}` : ''}.${why}`;
  },
  'person removed': (d, why) => {
    const name = safe(read({ name: text }, read({ person: obj }, d).person).name);
    return `${name ?? 'A person'} was removed, with their links to items and incidents.${why}`;
  },
};

function repairText(d: unknown): string {
  const r = read(
    {
      reason: text,
      quarantined: list,
      removedTempFiles: list,
      removedUnreferencedBlobs: list,
      returned: list,
      deletedFiles: list,
      removedPartialExports: list,
      removedUnsavedImport: list,
      file: text,
    },
    d,
  );
  const reason = r.reason ?? '';
  if (r.removedUnsavedImport) {
    const n = count(r.removedUnsavedImport);
    return `An import was interrupted before it was saved, so nothing from it was in the vault; the ${plural(n, 'encrypted file')} it had already written ${n === 1 ? 'was' : 'were'} deleted.`;
  }
  if (r.removedPartialExports) {
    const n = count(r.removedPartialExports);
    return `The unfinished bundle${n === 1 ? '' : 's'} of ${n === 1 ? 'an export' : `${plural(n, 'export')}`} that ${n === 1 ? 'was' : 'were'} interrupted ${n === 1 ? 'was' : 'were'} removed.`;
  }
  if (r.deletedFiles)
    return `A removal that was interrupted was finished: the encrypted ${count(r.deletedFiles) === 1 ? 'file' : 'files'} of ${plural(count(r.deletedFiles), 'removed item')} ${count(r.deletedFiles) === 1 ? 'was' : 'were'} deleted.`;
  if (r.returned)
    return `${upper(plural(count(r.returned), 'encrypted file'))} held in quarantine ${count(r.returned) === 1 ? 'was' : 'were'} put back, because items in the vault refer to ${count(r.returned) === 1 ? 'it' : 'them'} again.`;
  if (r.quarantined || r.removedTempFiles || r.removedUnreferencedBlobs) {
    const parts: string[] = [];
    if (count(r.quarantined))
      parts.push(
        `${plural(count(r.quarantined), 'encrypted file')} that no item refers to ${count(r.quarantined) === 1 ? 'was' : 'were'} moved to quarantine (nothing was deleted)`,
      );
    if (count(r.removedUnreferencedBlobs))
      parts.push(
        `${plural(count(r.removedUnreferencedBlobs), 'encrypted file')} that no item referred to ${count(r.removedUnreferencedBlobs) === 1 ? 'was' : 'were'} deleted`,
      );
    if (count(r.removedTempFiles))
      parts.push(
        `${plural(count(r.removedTempFiles), 'unfinished write')} of an interrupted import ${count(r.removedTempFiles) === 1 ? 'was' : 'were'} removed`,
      );
    return parts.length
      ? `When the vault was opened, Dossier tidied up after an interruption: ${andList(parts)}.`
      : 'When the vault was opened, Dossier tidied up after an interruption.';
  }
  if (r.file !== undefined) {
    const file = safe(r.file);
    const named = file ? ` (${file})` : '';
    if (reason.startsWith('restored from quarantine'))
      return `A file held in quarantine${named} was restored as an item.`;
    if (reason.startsWith('a quarantined file holds the same bytes'))
      return `A file held in quarantine${named} holds the same bytes as an item already in the vault, so it was recorded as a copy of that item.`;
    if (reason.startsWith('a quarantined file is the preview'))
      return `A file held in quarantine${named} was the preview of an item already in the vault, and was removed from quarantine.`;
  }
  const said = safe(reason);
  return `Dossier tidied up after a problem${said ? `: ${said}` : ''}.`;
}

function adviserReviewText(d: unknown): string {
  const r = read(
    {
      file: text,
      signed: z.boolean().optional().catch(undefined),
      fingerprint: text,
      keySeenBefore: z.boolean().optional().catch(undefined),
      added: obj,
      reviewer: obj,
    },
    d,
  );
  const added = read({ from: num, to: num }, r.added);
  const who = read({ name: text, organisation: text }, r.reviewer);
  const name = safe(who.name);
  const org = safe(who.organisation);
  const by = name && org ? ` from ${name} (${org})` : name || org ? ` from ${name ?? org}` : '';
  const file = safe(r.file);
  const n =
    added.from !== undefined && added.to !== undefined && added.to >= added.from
      ? added.to - added.from + 1
      : null;
  const later = added.from !== undefined && added.from > 1;
  const what = `${later ? 'A later version of a review' : 'A review'}${by} was imported${file ? ` (${file})` : ''}${n === null ? '' : `: ${plural(n, later ? 'new change' : 'change')}`}.`;
  const fp = safe(r.fingerprint);
  if (r.signed === true && fp) {
    return `${what} It is signed with the adviser’s key ${fp}${r.keySeenBefore === false ? ', seen in this vault for the first time' : ''}. It is kept apart from the notes made in this vault.`;
  }
  return `${what} It carries no signature (it was saved from the offline viewer). It is kept apart from the notes made in this vault.`;
}

const ACTIONS: { [A in CustodyAction]: (d: unknown, subjects: readonly string[]) => string } = {
  create: (d) =>
    read({ recoveryCode: text }, d).recoveryCode
      ? 'The vault was created. Its recovery code was kept sealed until it was confirmed as written down.'
      : 'The vault was created.',
  unlock: (d) => {
    const method = safe(read({ method: text }, d).method);
    return method ? `The vault was unlocked with the ${method}.` : 'The vault was unlocked.';
  },
  lock: () => 'The vault was locked.',
  ingest: (d) => {
    const r = read({ parent: text, derivedAs: text, reason: text }, d);
    const name = quoted(safe(read({ name: text }, d).name), 'A file');
    if (r.parent) {
      const why = safe(r.reason);
      if (r.derivedAs === 'redact' || r.derivedAs === 'strip-location') {
        const copy = r.derivedAs === 'redact' ? 'a redacted copy' : 'a copy without location';
        return `${name} was added to the vault: ${copy} of another item (${displayName(r.parent)}), made in Dossier. It is stored as its own item, with its own fingerprint; the original is unchanged.${importedExtras(d)}`;
      }
      const what = r.derivedAs === 'attachment' ? 'an attachment' : 'a file';
      return `${name} was added to the vault: ${what} that came inside another item (${displayName(r.parent)})${why ? `, ${why}` : ''}. It is stored as its own item, with its own fingerprint.${importedExtras(d)}`;
    }
    return `${name} was added to the vault.${sourceText(d)}${importedExtras(d)}`;
  },
  duplicate: (d) =>
    `${quoted(safe(read({ name: text }, d).name), 'A file')} was added again. It is the same file as one already in the vault, so it was linked, not stored twice.${sourceText(d)}${importedExtras(d)}`,
  annotate: annotateText,
  'edit-metadata': (d) => {
    const what = read({ what: text }, d).what;
    const say = own(EDIT_METADATA, what);
    return say ? say(d) : 'Details of an item were edited. The file itself is never changed.';
  },
  derive: (d) => {
    const what = read({ what: text }, d).what;
    const say = own(DERIVE, what);
    return say
      ? say(d)
      : 'A copy was made from an item (for example, a redaction). The original is kept unchanged.';
  },
  export: (d, subjects) => {
    const r = read(
      {
        exhibits: list,
        bundle: text,
        locatedItems: num,
        location: text,
        disclosure: z.object({ withheld: list }).optional().catch(undefined),
      },
      d,
    );
    const n = count(r.exhibits) || subjects.length;
    const bundle = safe(r.bundle);
    const withheld = r.disclosure ? count(r.disclosure.withheld) : null;
    const disclosure =
      withheld === null
        ? ''
        : ` Made for disclosure: ${withheld === 1 ? '1 original was withheld, exhibited' : `${withheld} originals were withheld, each exhibited`} as a copy (redacted, or without location) and listed with its fingerprint in the redaction schedule.`;
    return `${plural(n, 'item')} exported in a bundle${bundle ? ` (${bundle})` : ''}.${disclosure}${locationText(r.locatedItems, r.location)}`;
  },
  verify: (d) => {
    const r = read({ ok: z.boolean().optional().catch(undefined), items: num }, d);
    const items = r.items === undefined ? '' : ` (${plural(r.items, 'item')})`;
    if (r.ok === true) return `The vault was checked: every file matched its fingerprint${items}.`;
    if (r.ok === false) return `The vault was checked and problems were found${items}.`;
    return 'The vault was checked.';
  },
  'delete-request': () => 'Deleting an item was asked for.',
  delete: (d) => {
    const r = read({ what: text, reason: text }, d);
    const reason = safe(r.reason);
    const why = reason ? ` Reason given: ${reason}.` : '';
    const say = own(DELETE, r.what);
    return say ? say(d, why) : `An item was deleted. Its fingerprint stays in this log.${why}`;
  },
  'key-change': (d) => {
    const r = read({ slot: text, change: text }, d);
    if (r.slot === 'recovery' && r.change?.trim().startsWith('confirmed'))
      return 'The recovery code was confirmed as written down; the copy kept until then was removed.';
    if (r.slot === 'recovery')
      return 'A new recovery code was made; the old one no longer opens the vault.';
    return 'The passphrase was changed.';
  },
  repair: repairText,
  'reveal-keys': () => 'The vault’s keys were shown, so it can be opened with standard tools.',
  'settings-change': (d) => {
    const after = read({ after: obj }, d).after ?? {};
    const said = Object.entries(after).map(([k, v]) =>
      k === 'autoLockMinutes' && typeof v === 'number'
        ? v > 0
          ? `the vault now locks itself after ${plural(v, 'minute')} unused`
          : 'the vault no longer locks itself when unused'
        : (SETTINGS[k] ?? 'another setting'),
    );
    return said.length
      ? `${said.length === 1 ? 'A setting was' : 'Settings were'} changed: ${andList([...new Set(said)])}.`
      : 'A setting was changed.';
  },
  'adviser-review-imported': adviserReviewText,
};

/** One sentence (or a few) saying what an entry records, for a solicitor to read. */
export function custodyEntryText(entry: CustodyEntryLike): string {
  const say = own(ACTIONS, entry.action);
  if (!say) return displayName(entry.action);
  try {
    return say(entry.details, Array.isArray(entry.subjects) ? entry.subjects : []);
  } catch {
    return 'An entry whose details this version of Dossier cannot describe.';
  }
}

const LABELS: { [A in CustodyAction]: string } = {
  create: 'Vault created',
  unlock: 'Vault unlocked',
  lock: 'Vault locked',
  ingest: 'Imported into the vault',
  duplicate: 'The same file imported again (linked, not stored twice)',
  annotate: 'Notes, tags, marked areas, incidents and people recorded or changed',
  'edit-metadata': 'Details of an item edited (the file itself is never changed)',
  derive: 'Records read from an item (messages, attachments) or a copy made from it',
  export: 'Exported in a bundle',
  verify: 'Vault checked against the recorded fingerprints',
  'delete-request': 'Deleting an item asked for',
  delete: 'Removed from the vault (logged with its fingerprint)',
  'key-change': 'Passphrase or recovery code changed',
  repair: 'Dossier tidied up after an interruption',
  'reveal-keys': 'Keys shown so the vault can be opened with standard tools',
  'settings-change': 'Settings changed',
  'adviser-review-imported': 'A review from an adviser imported (kept apart from your own notes)',
};

/** A short label for a kind of entry (for counts), e.g. "Imported into the vault". */
export function custodyActionLabel(action: string): string {
  return own(LABELS, action) ?? displayName(action);
}
