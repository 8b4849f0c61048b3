// Instagram's and Facebook's "Download your information" message_N.json files
// (docs/conversations.md, "Instagram and Facebook"). Both platforms write the same shape:
// {participants, messages (newest first), title, thread_path …}, with text that is UTF-8 read
// as Latin-1 and escaped (\u00c3\u00a9 for "é"), which is repaired here. Each file is its own
// item and conversation, so every message's offset counts into the file it came from;
// readMetaThread puts the files of one thread together for reading, oldest first.
import { DossierError } from '../errors';
import {
  ProblemList,
  exportRelativePath,
  quoteText,
  readJson,
  wellFormedText,
  type JsonObject,
  type JsonRead,
  type JsonSpan,
  type JsonValue,
} from './json-spans';
import {
  CONVERSATION_LIMITS,
  type ConversationProblem,
  type ConversationReader,
  type ConversationSummary,
  type MessageAttachment,
  type MessageKind,
  type OpenedConversation,
  type ReadMessage,
  type ReadOptions,
} from './types';

export const INSTAGRAM_READER = 'dossier-instagram 1';
export const FACEBOOK_READER = 'dossier-facebook 1';
export type MetaPlatform = 'instagram' | 'facebook';

const own = (o: JsonObject, key: string): JsonValue | undefined =>
  Object.hasOwn(o, key) ? o[key] : undefined;
const isObject = (v: JsonValue | undefined): v is JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

// ---- Mojibake ---------------------------------------------------------------------------

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Meta writes UTF-8 text as if each byte were a Latin-1 character ("Ã©" for "é"). Undone only
 * when the string is entirely ≤ U+00FF, has some byte ≥ 0x80, and those bytes are valid UTF-8:
 * text that is already right (any character above U+00FF, or Latin-1 that is not UTF-8, such
 * as a lone "é") is left as it is.
 */
export function fixMojibake(s: string): string {
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return s;
    if (c >= 0x80) high = true;
  }
  if (!high) return s;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return s;
  }
}

/** A string field, repaired; null when absent or not text. */
function text(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? fixMojibake(v) : null;
}

/** JSON values with every string in them repaired (for details: reactions, share …). */
function repaired(v: JsonValue, depth = 0): JsonValue {
  if (typeof v === 'string') return fixMojibake(v);
  if (v === null || typeof v !== 'object' || depth > 8) return v;
  if (Array.isArray(v)) return v.map((x) => repaired(x, depth + 1));
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    Object.defineProperty(out, k, {
      value: repaired(x, depth + 1),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

// ---- Which platform ---------------------------------------------------------------------

const IG_PATHS = ['your_instagram_activity/'];
const FB_PATHS = ['your_facebook_activity/', 'your_activity_across_facebook/'];

/**
 * Instagram or Facebook, from the content alone (the file names are the same). Each side has
 * marks only it writes: Instagram's is_geoblocked_for_viewer and your_instagram_activity/
 * paths and instagram.com links; Facebook's joinable_mode, thread_type, is_taken_down,
 * bumped_message_metadata, your_facebook_activity/ paths and facebook.com links. Null when
 * the marks are absent or tie.
 */
export function metaPlatformOf(root: JsonValue | undefined): MetaPlatform | null {
  if (!isObject(root)) return null;
  let ig = 0;
  let fb = 0;
  if (own(root, 'joinable_mode') !== undefined || own(root, 'thread_type') !== undefined) fb++;
  const messages = own(root, 'messages');
  const seen = new Set<string>();
  const mark = (side: 'ig' | 'fb', what: string) => {
    if (seen.has(what)) return;
    seen.add(what);
    if (side === 'ig') ig++;
    else fb++;
  };
  const path = (uri: JsonValue | undefined) => {
    if (typeof uri !== 'string') return;
    if (IG_PATHS.some((p) => uri.startsWith(p))) mark('ig', 'path');
    if (FB_PATHS.some((p) => uri.startsWith(p))) mark('fb', 'path');
  };
  path(own(root, 'thread_path'));
  if (Array.isArray(messages)) {
    for (const m of messages) {
      if (!isObject(m)) continue;
      if (own(m, 'is_geoblocked_for_viewer') !== undefined) mark('ig', 'geoblocked');
      if (own(m, 'is_taken_down') !== undefined) mark('fb', 'taken_down');
      if (own(m, 'bumped_message_metadata') !== undefined) mark('fb', 'bumped');
      for (const key of ['photos', 'videos', 'audio_files', 'files', 'gifs']) {
        const list = own(m, key);
        if (Array.isArray(list)) for (const x of list) if (isObject(x)) path(own(x, 'uri'));
      }
      const share = own(m, 'share');
      const link = isObject(share) ? own(share, 'link') : undefined;
      if (typeof link === 'string') {
        if (/^https?:\/\/([a-z0-9-]+\.)*instagram\.com\//i.test(link)) mark('ig', 'link');
        if (/^https?:\/\/([a-z0-9-]+\.)*(facebook\.com|fb\.com|messenger\.com)\//i.test(link)) {
          mark('fb', 'link');
        }
      }
    }
  }
  return ig > fb ? 'instagram' : fb > ig ? 'facebook' : null;
}

/** From the first bytes: a JSON object with participants and messages that have sender_name. */
export function looksLikeMeta(head: Uint8Array): boolean {
  const t = new TextDecoder('latin1').decode(head);
  return (
    /^(\u00ef\u00bb\u00bf)?\s*\{/.test(t) &&
    /"participants"\s*:\s*\[/.test(t) &&
    /"messages"\s*:\s*\[/.test(t) &&
    /"sender_name"\s*:|"timestamp_ms"\s*:/.test(t)
  );
}

/** Which platform the first bytes show; null when they cannot tell. */
export function metaPlatformOfHead(head: Uint8Array): MetaPlatform | null {
  try {
    return metaPlatformOf(readJson(head, { partial: true, spanDepth: -1 }).value);
  } catch {
    return null;
  }
}

// ---- One file ---------------------------------------------------------------------------

/** message_3.json → 3. */
export function metaFileNumber(name: string): number | null {
  const m = /(?:^|[/\\])message_(\d{1,6})\.json$/i.exec(name);
  return m ? Number(m[1]) : null;
}

export interface MetaFileRead {
  name: string;
  platform: MetaPlatform;
  /** The platform was told from the content (else it is the one the reader was asked for). */
  platformProven: boolean;
  threadPath: string | null;
  title: string;
  participants: string[];
  /** Oldest first; offsets into this file; details.file is its name. */
  messages: ReadMessage[];
  summary: ConversationSummary;
  /** Each message's place in the file as the export wrote it (0 = first, the newest). */
  positions: number[];
}

const MEDIA_KEYS = ['photos', 'videos', 'audio_files', 'files', 'gifs'] as const;

function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * Reads one message_N.json. Never throws on its content. `platform` is what to call it when
 * the content cannot tell (the reader that was asked).
 */
export function readMetaFile(
  bytes: Uint8Array,
  name: string,
  platform: MetaPlatform,
): MetaFileRead {
  const found = new ProblemList(bytes);
  const problems = found.list;
  const problem = (offset: number | null, message: string) => found.add(offset, message);
  const read: JsonRead = readJson(bytes, { partial: true, itemsAt: ['messages'] });
  const root = read.value;
  if (read.error) {
    const e = read.error;
    problem(
      e.offset,
      `The file is not whole JSON at line ${e.line}, column ${e.column} (byte ${e.offset}): ${e.reason} Messages before that point are read.`,
    );
  }
  const proven = metaPlatformOf(root);
  const result: MetaFileRead = {
    name,
    platform: proven ?? platform,
    platformProven: proven !== null,
    threadPath: null,
    title: '',
    participants: [],
    messages: [],
    positions: [],
    summary: {
      format: proven ?? platform,
      reader: (proven ?? platform) === 'instagram' ? INSTAGRAM_READER : FACEBOOK_READER,
      chatFile: null,
      title: '',
      messageCount: 0,
      dateOrder: null,
      dateOrderSource: null,
      timeZone: null,
      timeZoneSource: null,
      problems,
    },
  };
  if (!isObject(root)) {
    problem(null, 'This is not an Instagram or Facebook message file: it is not a JSON object.');
    return finish(result, read, found);
  }
  if (proven === null) {
    problem(
      null,
      `Its content does not say whether it is from Instagram or Facebook; read as ${platform === 'instagram' ? 'Instagram' : 'Facebook'}.`,
    );
  }
  result.threadPath = text(own(root, 'thread_path'));
  const people = own(root, 'participants');
  if (Array.isArray(people)) {
    for (const p of people) {
      const n = isObject(p) ? text(own(p, 'name')) : null;
      if (n !== null) result.participants.push(wellFormedText(n).text);
    }
  }
  result.title =
    wellFormedText(text(own(root, 'title')) ?? '').text || result.participants.join(', ');
  const list = own(root, 'messages');
  if (!Array.isArray(list)) {
    problem(null, 'The file has no list of messages.');
    return finish(result, read, found);
  }
  const spans = read.itemSpans(list) ?? [];
  const read1: { m: ReadMessage; ms: number | null; pos: number }[] = [];
  for (let i = 0; i < spans.length; i++) {
    if (read1.length >= CONVERSATION_LIMITS.maxMessages) {
      problem(
        spans[i]!.offset,
        `More than ${CONVERSATION_LIMITS.maxMessages} messages; the rest are not read.`,
      );
      break;
    }
    const r = readMetaMessage(list[i]!, spans[i]!, name, result.threadPath, problem);
    if (r) read1.push({ ...r, pos: i });
  }
  const ordered = oldestFirst(read1.map((r) => ({ ...r, file: 0 })));
  ordered.forEach((r, i) => {
    r.m.index = i;
    result.messages.push(r.m);
    result.positions.push(r.pos);
  });
  return finish(result, read, found);
}

function finish(result: MetaFileRead, read: JsonRead, found: ProblemList): MetaFileRead {
  for (const n of read.notes) found.add(n.offset, n.message);
  found.finish();
  result.summary.title = result.title || 'Messages';
  result.summary.messageCount = result.messages.length;
  return result;
}

/**
 * Oldest first: by time; messages with the same time (or none, which take the time of the
 * message the export put just before them in time) keep the export's own order reversed —
 * the export is newest first, file 1 first.
 */
function oldestFirst<T extends { ms: number | null; pos: number; file: number }>(rows: T[]): T[] {
  // The export's order, newest first: file order, then position; reversed, it is oldest first.
  const seq = [...rows].sort((a, b) => a.file - b.file || a.pos - b.pos).reverse();
  let carried = -Infinity;
  const keyed = seq.map((r, i) => {
    if (r.ms !== null) carried = r.ms;
    return { r, key: carried, i };
  });
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  return keyed.map((k) => k.r);
}

function readMetaMessage(
  v: JsonValue,
  span: JsonSpan,
  file: string,
  threadPath: string | null,
  problem: (offset: number | null, message: string) => void,
): { m: ReadMessage; ms: number | null } | null {
  const at = span.offset;
  if (!isObject(v)) {
    problem(at, 'A message here is not a JSON object; left out.');
    return null;
  }
  const senderRaw = own(v, 'sender_name');
  const sender = wellFormedText(text(senderRaw) ?? '').text;
  const say = (what: string) =>
    problem(at, `A message${sender ? ` from ${quoteText(sender)}` : ''}: ${what}`);
  if (senderRaw !== undefined && typeof senderRaw !== 'string') say('its sender_name is not text.');

  let ms: number | null = null;
  const tms = own(v, 'timestamp_ms');
  const ts = own(v, 'timestamp');
  if (typeof tms === 'number' && Number.isInteger(tms) && Math.abs(tms) <= 8.64e15) ms = tms;
  else if (typeof ts === 'number' && Number.isInteger(ts) && Math.abs(ts) <= 8.64e12)
    ms = ts * 1000;
  else say('it has no readable timestamp_ms; it keeps its place in the order.');

  const details: Record<string, unknown> = { file };
  if (threadPath !== null) details.threadPath = threadPath;
  const contentRaw = own(v, 'content');
  if (contentRaw !== undefined && contentRaw !== null && typeof contentRaw !== 'string') {
    say('its content is not text.');
  }
  let body = text(contentRaw) ?? '';
  const type = typeof own(v, 'type') === 'string' ? (own(v, 'type') as string) : null;
  if (type !== null) details.type = type;

  const attachments: MessageAttachment[] = [];
  for (const key of MEDIA_KEYS) {
    const list = own(v, key);
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      say(`its ${key} is not a list.`);
      continue;
    }
    for (const x of list) {
      const uri = isObject(x) ? own(x, 'uri') : undefined;
      if (typeof uri === 'string') {
        attachments.push({ name: uri, omitted: false });
        if (exportRelativePath(uri) === null) {
          say(
            `its file path ${quoteText(uri)} points outside the export folder; it is not opened.`,
          );
        }
      } else say(`one of its ${key} has no uri.`);
    }
  }
  const sticker = own(v, 'sticker');
  const stickerUri = isObject(sticker) ? own(sticker, 'uri') : undefined;
  if (typeof stickerUri === 'string') {
    attachments.push({ name: stickerUri, omitted: false });
    if (exportRelativePath(stickerUri) === null) {
      say(
        `its file path ${quoteText(stickerUri)} points outside the export folder; it is not opened.`,
      );
    }
  }
  for (const [key, name] of [
    ['share', 'share'],
    ['reactions', 'reactions'],
    ['users', 'users'],
    ['is_geoblocked_for_viewer', 'geoblocked'],
    ['is_taken_down', 'takenDown'],
    ['missed', 'missed'],
  ] as const) {
    const x = own(v, key);
    if (x !== undefined) details[name] = repaired(x);
  }

  let kind: MessageKind = 'message';
  const callDuration = own(v, 'call_duration');
  if (own(v, 'is_unsent') === true) {
    kind = 'deleted';
  } else if (callDuration !== undefined || type === 'Call') {
    kind = 'call';
    const secs = typeof callDuration === 'number' && callDuration > 0 ? callDuration : 0;
    details.callDuration = secs;
    if (!body) body = secs > 0 ? `Call, ${secs} s` : 'Missed call';
  } else if (type === 'Subscribe' || type === 'Unsubscribe') {
    kind = 'system';
  }
  const safe = wellFormedText(body);
  if (safe.replaced) say('its text has half a character (a lone surrogate), shown as U+FFFD.');
  body = safe.text;
  if (body.length > CONVERSATION_LIMITS.maxMessageChars) {
    say(
      `its text is longer than ${CONVERSATION_LIMITS.maxMessageChars} characters and is cut there.`,
    );
    body = body.slice(0, CONVERSATION_LIMITS.maxMessageChars);
  }
  return {
    ms,
    m: {
      index: 0,
      kind,
      sender,
      senderId: sender || null,
      time: ms === null ? null : isoOf(ms),
      timeSource: ms === null ? 'none' : 'export-instant',
      text: body,
      edited: false,
      offset: span.offset,
      length: span.length,
      line: null,
      lineEnd: null,
      attachments,
      externalId: null,
      replyTo: null,
      details,
    },
  };
}

// ---- A thread in several files -----------------------------------------------------------

export interface MetaThreadFile {
  name: string;
  bytes: Uint8Array;
}

export interface MetaThreadRead {
  platform: MetaPlatform;
  title: string;
  threadPath: string | null;
  /** All files' messages, oldest first; each has details.file and offsets into that file. */
  messages: ReadMessage[];
  /** Each file as read on its own (its own conversation), in the export's order. */
  files: MetaFileRead[];
  problems: ConversationProblem[];
}

/**
 * The files of one thread (message_1.json, message_2.json …) read together. Files are put in
 * the export's order by their number (message_1 holds the newest messages), else as given;
 * messages are sorted oldest first across them (docs/conversations.md).
 */
export function readMetaThread(files: MetaThreadFile[], platform: MetaPlatform): MetaThreadRead {
  const numbered = files.map((f, i) => ({ f, i, n: metaFileNumber(f.name) }));
  const allNumbered = numbered.every((x) => x.n !== null);
  numbered.sort((a, b) => (allNumbered ? a.n! - b.n! : 0) || a.i - b.i);
  const reads = numbered.map((x) => readMetaFile(x.f.bytes, x.f.name, platform));
  const problems: ConversationProblem[] = [];
  const proven = reads.find((r) => r.platformProven)?.platform ?? null;
  const paths = new Set(reads.map((r) => r.threadPath));
  if (paths.size > 1) {
    problems.push({
      line: null,
      offset: null,
      message: `These files are from different threads (${[...paths].map((p) => quoteText(p ?? '(none)')).join(', ')}); they are shown together as given.`,
    });
  }
  const platforms = new Set(reads.filter((r) => r.platformProven).map((r) => r.platform));
  if (platforms.size > 1) {
    problems.push({
      line: null,
      offset: null,
      message: 'Some files look like Instagram and some like Facebook.',
    });
  }
  const rows = reads.flatMap((r, file) =>
    r.messages.map((m, k) => ({
      m: { ...m },
      ms: m.time === null ? null : Date.parse(m.time),
      pos: r.positions[k]!,
      file,
    })),
  );
  const messages = oldestFirst(rows).map((r, i) => ({ ...r.m, index: i }));
  return {
    platform: proven ?? platform,
    title: reads.find((r) => r.title)?.title ?? '',
    threadPath: reads.find((r) => r.threadPath !== null)?.threadPath ?? null,
    messages,
    files: reads,
    problems,
  };
}

// ---- The readers ingest calls -----------------------------------------------------------

function metaReader(platform: MetaPlatform): ConversationReader {
  return {
    format: platform,
    // Exclusive: Instagram takes what its first bytes prove Instagram; Facebook the rest.
    detect(head) {
      if (!looksLikeMeta(head)) return false;
      const seen = metaPlatformOfHead(head);
      return platform === 'instagram' ? seen === 'instagram' : seen !== 'instagram';
    },
    async open(file, _opts: ReadOptions): Promise<OpenedConversation> {
      if (file.size > CONVERSATION_LIMITS.maxChatFileBytes) {
        throw new DossierError(
          'USAGE',
          `This message file is ${file.size} bytes; Dossier reads message files up to ${CONVERSATION_LIMITS.maxChatFileBytes} bytes. It is stored as a plain file.`,
        );
      }
      const read = readMetaFile(await file.bytes(), file.name, platform);
      return { chatFile: null, messages: read.messages, summary: () => read.summary, media: [] };
    },
  };
}

/** Reads message_N.json; the summary's format says what the whole file proved it to be. */
export const instagramReader = metaReader('instagram');
export const facebookReader = metaReader('facebook');
