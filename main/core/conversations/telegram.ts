// Telegram Desktop's machine-readable export, result.json (docs/conversations.md, "Telegram").
// A single chat export is {name, type, id, messages: […]}; the full account export has the
// chats under chats.list (and left_chats.list). Each message points at its own JSON object's
// bytes in result.json. Hostile or unknown shapes become problems on the message, never a throw.
import { DossierError } from '../errors';
import { checkTimeZone, isoWithOffset, placeWallClock, utcMs, ZoneOffsets } from './whatsapp-time';
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
  type ConversationReader,
  type ConversationSummary,
  type MessageAttachment,
  type MessageKind,
  type OpenedConversation,
  type ReadMessage,
  type ReadOptions,
  type TimeSource,
} from './types';

export const TELEGRAM_READER = 'dossier-telegram 1';

/** Telegram's chat types, as the export writes them (used to recognise a chat object). */
const CHAT_TYPES = [
  'personal_chat',
  'bot_chat',
  'private_group',
  'private_supergroup',
  'public_supergroup',
  'private_channel',
  'public_channel',
  'saved_messages',
  'replies',
  'verification_codes',
];

/** One chat in the export, and where its messages are in the conversation's order. */
export interface TelegramChatInfo {
  name: string;
  type: string;
  id: string | null;
  /** From left_chats: a chat the account had left when it exported. */
  left: boolean;
  /** Its messages are messages[firstIndex … firstIndex + count - 1]. */
  firstIndex: number;
  count: number;
}

export interface TelegramRead {
  messages: ReadMessage[];
  summary: ConversationSummary;
  chats: TelegramChatInfo[];
}

const own = (o: JsonObject, key: string): JsonValue | undefined =>
  Object.hasOwn(o, key) ? o[key] : undefined;
const isObject = (v: JsonValue | undefined): v is JsonObject =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' ? v : null);
/** An id the export writes as a number or a string ("user123"). */
const idText = (v: JsonValue | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;

// ---- Recognising the export -------------------------------------------------------------

const latin1 = new TextDecoder('latin1');

/**
 * From the first bytes: a JSON object whose top has a Telegram chat type next to a messages
 * list (a single chat), or the full export's opening ("about" … "personal_information").
 */
export function looksLikeTelegram(head: Uint8Array, _name: string): boolean {
  const text = latin1.decode(head);
  if (!/^(\u00ef\u00bb\u00bf)?\s*\{/.test(text)) return false;
  if (/"personal_information"\s*:\s*\{/.test(text) && /"about"\s*:/.test(text)) return true;
  const type = /"type"\s*:\s*"([a-z_]+)"/.exec(text);
  return (
    type !== null &&
    CHAT_TYPES.includes(type[1]!) &&
    /"messages"\s*:\s*\[/.test(text) &&
    !/"participants"\s*:/.test(text)
  );
}

// ---- Times ------------------------------------------------------------------------------

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function wallParts(s: string): number[] | null {
  const m = WALL.exec(s);
  if (!m) return null;
  const p = m.slice(1).map(Number);
  const [y, mo, d, h, mi, se] = p as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return null;
  const back = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return back.getUTCDate() === d ? p : null;
}

/** The zone old exports' wall-clock dates were placed in, once one was needed. */
interface ZoneUsed {
  zone: string | null;
  offsets?: ZoneOffsets;
}

const isoUtc = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Seconds since 1970 as Telegram writes them ("1709328430", or a number), within Date's range. */
function unixSeconds(v: JsonValue | undefined): number | null {
  const n =
    typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isInteger(n) && n >= 0 && n * 1000 <= 8.64e15 ? n : null;
}

interface MessageTime {
  time: string | null;
  utcMs: number | null;
  source: TimeSource;
  problem: string | null;
}

/**
 * A message's time. date_unixtime is the instant; `date` is the wall clock of the computer
 * that exported. Together they give the time as Telegram Desktop showed it, with the offset
 * that makes it that instant (2024-03-01T22:14:05+01:00). Older exports have only `date`: it
 * is placed in the zone given, else this computer's, and said so.
 */
function messageTime(msg: JsonObject, opts: ReadOptions, zoneUsed: ZoneUsed): MessageTime {
  const unixRaw = own(msg, 'date_unixtime');
  const date = str(own(msg, 'date'));
  const wall = date === null ? null : wallParts(date);
  let seconds: number | null = null;
  if (typeof unixRaw === 'string' && /^\d{1,12}$/.test(unixRaw)) seconds = Number(unixRaw);
  else if (
    typeof unixRaw === 'number' &&
    Number.isInteger(unixRaw) &&
    unixRaw >= 0 &&
    unixRaw < 1e12
  ) {
    seconds = unixRaw;
  }
  if (seconds !== null && seconds * 1000 > 8.64e15) seconds = null;
  if (seconds !== null) {
    const ms = seconds * 1000;
    if (wall) {
      const [y, mo, d, h, mi, se] = wall as [number, number, number, number, number, number];
      const offsetMs = Date.UTC(y, mo - 1, d, h, mi, se) - ms;
      const minutes = offsetMs / 60_000;
      if (Number.isInteger(minutes) && Math.abs(minutes) <= 18 * 60) {
        return {
          time: isoWithOffset(ms, offsetMs),
          utcMs: ms,
          source: 'export-instant',
          problem: null,
        };
      }
      return {
        time: isoUtc(ms),
        utcMs: ms,
        source: 'export-instant',
        problem: `its date ${quoteText(date!)} and date_unixtime ${seconds} do not agree; the instant (date_unixtime) is used.`,
      };
    }
    return { time: isoUtc(ms), utcMs: ms, source: 'export-instant', problem: null };
  }
  if (wall) {
    const zone = zoneUsed.offsets?.zone ?? opts.timeZone ?? opts.defaultTimeZone;
    zoneUsed.zone = zone;
    // The same rule for clock changes as WhatsApp's wall-clock times (whatsapp-time.ts).
    zoneUsed.offsets ??= new ZoneOffsets(checkTimeZone(zone, 'The time zone'));
    const [y, mo, d, h, mi, se] = wall as [number, number, number, number, number, number];
    const placed = placeWallClock(zoneUsed.offsets, utcMs(y, mo, d, h, mi, se));
    return {
      time: isoWithOffset(placed.epochMs, placed.offsetMs),
      utcMs: placed.epochMs,
      source: opts.timeZone ? 'export-local-confirmed' : 'export-local-assumed',
      problem:
        placed.transition === 'gap'
          ? `its time ${quoteText(date!)} did not exist in ${zone} (the clocks went forward); it is read as ${isoWithOffset(placed.epochMs, placed.offsetMs)}.`
          : placed.transition === 'fold'
            ? `its time ${quoteText(date!)} happened twice in ${zone} (the clocks went back); the earlier is used.`
            : null,
    };
  }
  return {
    time: null,
    utcMs: null,
    source: 'none',
    problem: 'it has no readable date; it keeps its place in the order.',
  };
}

// ---- Text -------------------------------------------------------------------------------

interface TextRead {
  text: string;
  links: { text: string; href: string }[];
  problem: string | null;
}

/** Text as a string, or an array of strings and entities {type, text, href …}: joined as plain text. */
function readText(v: JsonValue | undefined): TextRead {
  if (v === undefined || v === null) return { text: '', links: [], problem: null };
  if (typeof v === 'string') return { text: v, links: [], problem: null };
  if (!Array.isArray(v)) {
    return { text: '', links: [], problem: 'its text is neither text nor a list of text parts.' };
  }
  const parts: string[] = [];
  const links: { text: string; href: string }[] = [];
  let bad = 0;
  for (const part of v) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part) && typeof own(part, 'text') === 'string') {
      const text = own(part, 'text') as string;
      parts.push(text);
      const href = str(own(part, 'href'));
      if (href !== null) links.push({ text, href });
    } else bad++;
  }
  return {
    text: parts.join(''),
    links,
    problem: bad ? `${bad} part(s) of its text could not be read and are left out.` : null,
  };
}

// ---- Service messages -------------------------------------------------------------------

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h ? `${h} h ${m} min` : rest ? `${m} min ${rest} s` : `${m} min`;
}

const names = (v: JsonValue | undefined): string =>
  Array.isArray(v) ? v.map((n) => (typeof n === 'string' ? n : 'someone')).join(', ') : '';

/** The readable text and kind of a service message's action (Telegram shows the same). */
function serviceText(
  msg: JsonObject,
  actor: string,
): { kind: MessageKind; text: string; known: boolean } {
  const action = str(own(msg, 'action')) ?? '';
  const who = actor || 'Someone';
  const title = str(own(msg, 'title'));
  const secs = own(msg, 'duration_seconds');
  const dur = typeof secs === 'number' && secs > 0 ? `, ${duration(secs)}` : '';
  switch (action) {
    case 'phone_call': {
      const reason = str(own(msg, 'discard_reason'));
      if (reason === 'missed') return { kind: 'call', text: 'Missed call', known: true };
      if (reason === 'busy') return { kind: 'call', text: 'Declined call (busy)', known: true };
      return { kind: 'call', text: `Call${dur}`, known: true };
    }
    case 'group_call': {
      const d = own(msg, 'duration');
      const gd = typeof d === 'number' && d > 0 ? `, ${duration(d)}` : dur;
      return { kind: 'call', text: `${who} started a group call${gd}`, known: true };
    }
    case 'group_call_scheduled':
      return { kind: 'system', text: `${who} scheduled a group call`, known: true };
    case 'invite_to_group_call':
      return {
        kind: 'system',
        text: `${who} invited ${names(own(msg, 'members'))} to the group call`,
        known: true,
      };
    case 'pin_message':
      return { kind: 'system', text: `${who} pinned a message`, known: true };
    case 'invite_members':
      return { kind: 'system', text: `${who} added ${names(own(msg, 'members'))}`, known: true };
    case 'remove_members':
      return { kind: 'system', text: `${who} removed ${names(own(msg, 'members'))}`, known: true };
    case 'join_group_by_link':
      return { kind: 'system', text: `${who} joined the group by an invite link`, known: true };
    case 'join_group_by_request':
      return { kind: 'system', text: `${who} was accepted into the group`, known: true };
    case 'create_group':
      return {
        kind: 'system',
        text: `${who} created the group ${quoteText(title ?? '')}`,
        known: true,
      };
    case 'create_channel':
      return {
        kind: 'system',
        text: `${who} created the channel ${quoteText(title ?? '')}`,
        known: true,
      };
    case 'edit_group_title':
      return {
        kind: 'system',
        text: `${who} renamed the group to ${quoteText(title ?? '')}`,
        known: true,
      };
    case 'edit_group_photo':
      return { kind: 'system', text: `${who} changed the group photo`, known: true };
    case 'delete_group_photo':
      return { kind: 'system', text: `${who} removed the group photo`, known: true };
    case 'migrate_to_supergroup':
    case 'migrate_from_group':
      return { kind: 'system', text: 'The group became a supergroup', known: true };
    case 'clear_history':
      return { kind: 'system', text: `${who} cleared the history`, known: true };
    case 'take_screenshot':
      return { kind: 'system', text: `${who} took a screenshot`, known: true };
    case 'joined_telegram':
    case 'contact_signup':
      return { kind: 'system', text: `${who} joined Telegram`, known: true };
    case 'set_messages_ttl': {
      const p = own(msg, 'period_seconds') ?? own(msg, 'period');
      return {
        kind: 'system',
        text:
          typeof p === 'number' && p > 0
            ? `${who} set messages to delete themselves after ${duration(p)}`
            : `${who} turned off messages deleting themselves`,
        known: true,
      };
    }
    case 'proximity_reached':
      return {
        kind: 'system',
        text: `${who} came near ${str(own(msg, 'to')) ?? 'someone'}`,
        known: true,
      };
    case 'edit_chat_theme':
      return { kind: 'system', text: `${who} changed the chat theme`, known: true };
    case 'suggest_profile_photo':
      return { kind: 'system', text: `${who} suggested a profile photo`, known: true };
    case 'allow_sending_messages':
    case 'bot_allowed':
      return { kind: 'system', text: `${who} allowed a bot to write`, known: true };
    default:
      return {
        kind: 'system',
        text: action ? `${who}: ${action.replace(/_/g, ' ')}` : `${who}: a service message`,
        known: false,
      };
  }
}

// ---- Media ------------------------------------------------------------------------------

/** "(File not included. Change data exporting settings to download.)" and its siblings. */
const isOmittedMarker = (s: string) =>
  /^\(File [^)]*\)$/.test(s) || s.startsWith('(File not included');

function mediaOf(
  msg: JsonObject,
  details: Record<string, unknown>,
  unsafe: string[],
): MessageAttachment[] {
  const out: MessageAttachment[] = [];
  const fileName = str(own(msg, 'file_name'));
  const mediaType = str(own(msg, 'media_type'));
  for (const key of ['photo', 'file', 'thumbnail'] as const) {
    const v = str(own(msg, key));
    if (v === null || v === '') continue;
    if (isOmittedMarker(v)) {
      const label = key === 'photo' ? 'photo' : (fileName ?? mediaType ?? key);
      out.push({ name: label, omitted: true });
      details[`${key}Omitted`] = v;
    } else {
      out.push({ name: v, omitted: false });
      if (key === 'thumbnail') details.thumbnail = v;
      if (exportRelativePath(v) === null) unsafe.push(v);
    }
  }
  return out;
}

/** Facts shown with a message that Dossier does not otherwise read, copied as the export has them. */
const DETAIL_KEYS: Record<string, string> = {
  media_type: 'mediaType',
  mime_type: 'mimeType',
  file_name: 'fileName',
  file_size: 'fileSize',
  duration_seconds: 'durationSeconds',
  sticker_emoji: 'stickerEmoji',
  width: 'width',
  height: 'height',
  forwarded_from: 'forwardedFrom',
  forwarded_from_id: 'forwardedFromId',
  saved_from: 'savedFrom',
  via_bot: 'viaBot',
  author: 'author',
  reply_to_peer_id: 'replyToPeerId',
  contact_information: 'contact',
  location_information: 'location',
  live_location_period_seconds: 'liveLocationSeconds',
  place_name: 'placeName',
  address: 'address',
  poll: 'poll',
  reactions: 'reactions',
  self_destruct_period_seconds: 'selfDestructSeconds',
  members: 'members',
  inviter: 'inviter',
  message_id: 'pinnedMessageId',
  discard_reason: 'discardReason',
  action: 'action',
};

// ---- Reading ----------------------------------------------------------------------------

interface ChatSource {
  chat: JsonObject;
  left: boolean;
  listOffset: number | null;
}

/** Reads result.json (single chat or full export). Never throws on its content. */
export function readTelegram(bytes: Uint8Array, opts: ReadOptions): TelegramRead {
  const found = new ProblemList(bytes);
  const problems = found.list;
  const problem = (offset: number | null, message: string) => found.add(offset, message);
  // The full export nests messages deeper: chats.list[i].messages[j]. Its opening says so;
  // if the guess from it is wrong, the file is read again the other way.
  const single = ['messages'];
  const nested = ['*', 'list', '*', 'messages'];
  const guess = /"personal_information"\s*:/.test(latin1.decode(bytes.subarray(0, 64 * 1024)));
  let read: JsonRead = readJson(bytes, { partial: true, itemsAt: guess ? nested : single });
  let root = read.value;
  const full = isObject(root) && isObject(own(root, 'chats'));
  if (full !== guess) {
    read = readJson(bytes, { partial: true, itemsAt: full ? nested : single });
    root = read.value;
  }
  const summary: ConversationSummary = {
    format: 'telegram',
    reader: TELEGRAM_READER,
    chatFile: null,
    title: '',
    messageCount: 0,
    dateOrder: null,
    dateOrderSource: null,
    timeZone: null,
    timeZoneSource: null,
    problems,
  };
  const messages: ReadMessage[] = [];
  const chats: TelegramChatInfo[] = [];
  if (read.error) {
    const e = read.error;
    problem(
      e.offset,
      `The file is not whole JSON at line ${e.line}, column ${e.column} (byte ${e.offset}): ${e.reason} Messages before that point are read.`,
    );
  }

  const sources: ChatSource[] = [];
  if (!isObject(root)) {
    problem(null, 'This is not a Telegram export: the file is not a JSON object.');
  } else if (full) {
    for (const [key, left] of [
      ['chats', false],
      ['left_chats', true],
    ] as const) {
      const group = own(root, key);
      const list = isObject(group) ? own(group, 'list') : undefined;
      if (group === undefined) continue;
      if (!Array.isArray(list)) {
        problem(null, `The export's ${key} has no list of chats.`);
        continue;
      }
      const spans = read.itemSpans(list) ?? [];
      list.forEach((chat, i) => {
        if (isObject(chat)) sources.push({ chat, left, listOffset: spans[i]?.offset ?? null });
        else
          problem(
            spans[i]?.offset ?? null,
            `Chat ${i + 1} in ${key} is not a chat object; left out.`,
          );
      });
    }
  } else {
    sources.push({ chat: root, left: false, listOffset: 0 });
  }

  const zoneUsed: ZoneUsed = { zone: null };
  let stopped = false;
  for (const { chat, left, listOffset } of sources) {
    const info: TelegramChatInfo = {
      name: wellFormedText(str(own(chat, 'name')) ?? '').text,
      type: str(own(chat, 'type')) ?? '',
      id: idText(own(chat, 'id')),
      left,
      firstIndex: messages.length,
      count: 0,
    };
    const list = own(chat, 'messages');
    if (!Array.isArray(list)) {
      if (!full || list !== undefined) {
        problem(
          listOffset,
          `${info.name ? `The chat ${quoteText(info.name)}` : 'A chat'} has no list of messages.`,
        );
      }
      chats.push(info);
      continue;
    }
    const spans = read.itemSpans(list) ?? [];
    for (let i = 0; i < spans.length && !stopped; i++) {
      if (messages.length >= CONVERSATION_LIMITS.maxMessages) {
        problem(
          spans[i]!.offset,
          `More than ${CONVERSATION_LIMITS.maxMessages} messages; the rest are not read.`,
        );
        stopped = true;
        break;
      }
      const m = readMessage(list[i]!, spans[i]!, messages.length, opts, zoneUsed, problem);
      if (!m) continue;
      if (full) m.details.chat = { name: info.name, type: info.type, id: info.id, left };
      messages.push(m);
      info.count++;
    }
    chats.push(info);
  }

  for (const n of read.notes) {
    problem(n.offset, n.message);
  }
  found.finish();

  if (zoneUsed.zone !== null) {
    summary.timeZone = zoneUsed.zone;
    summary.timeZoneSource = opts.timeZone ? 'given' : 'computer';
  }
  summary.messageCount = messages.length;
  summary.title = full
    ? `Telegram export: ${chats.length} chat${chats.length === 1 ? '' : 's'}`
    : chats[0]?.name || 'Telegram chat';
  return { messages, summary, chats };
}

function readMessage(
  v: JsonValue,
  span: JsonSpan,
  index: number,
  opts: ReadOptions,
  zoneUsed: ZoneUsed,
  problem: (offset: number | null, message: string) => void,
): ReadMessage | null {
  const at = span.offset;
  if (!isObject(v)) {
    problem(at, 'A message here is not a JSON object; left out.');
    return null;
  }
  const externalId = idText(own(v, 'id'));
  const label = externalId !== null ? `Message ${quoteText(externalId)}` : 'A message';
  const say = (what: string) => problem(at, `${label}: ${what}`);
  const type = str(own(v, 'type'));
  const service = type === 'service';
  if (type !== 'message' && !service) {
    say(`its type ${type === null ? '(none)' : quoteText(type)} is not known; read as a message.`);
  }
  const details: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(DETAIL_KEYS)) {
    const val = own(v, key);
    if (val !== undefined) details[name] = val;
  }
  const fromKey = service ? 'actor' : 'from';
  const rawFrom = own(v, fromKey);
  const senderId = idText(own(v, service ? 'actor_id' : 'from_id'));
  if (rawFrom !== undefined && rawFrom !== null && typeof rawFrom !== 'string') {
    say(`its sender (${fromKey}) is not text.`);
  }
  const sender = wellFormedText(str(rawFrom) ?? senderId ?? '').text;

  const t = messageTime(v, opts, zoneUsed);
  if (t.problem) say(t.problem);

  const edited = own(v, 'edited') !== undefined || own(v, 'edited_unixtime') !== undefined;
  if (edited) {
    const es = unixSeconds(own(v, 'edited_unixtime'));
    if (es !== null) details.editedAt = isoUtc(es * 1000);
  }

  let body = readText(own(v, 'text'));
  if (body.text === '' && own(v, 'text_entities') !== undefined) {
    const fromEntities = readText(own(v, 'text_entities'));
    if (fromEntities.text !== '' || body.problem) body = fromEntities;
  }
  if (body.problem) say(body.problem);
  if (body.links.length) details.links = body.links;

  let kind: MessageKind = 'message';
  let text = body.text;
  if (service) {
    const s = serviceText(v, sender);
    kind = s.kind;
    if (!s.known) say(`its service action is not one Dossier knows; shown by its name.`);
    text = body.text ? `${s.text}: ${body.text}` : s.text;
  }
  const safe = wellFormedText(text);
  if (safe.replaced) say('its text has half a character (a lone surrogate), shown as U+FFFD.');
  text = safe.text;
  if (text.length > CONVERSATION_LIMITS.maxMessageChars) {
    say(
      `its text is longer than ${CONVERSATION_LIMITS.maxMessageChars} characters and is cut there.`,
    );
    text = text.slice(0, CONVERSATION_LIMITS.maxMessageChars);
  }
  const replyTo = idText(own(v, 'reply_to_message_id'));
  const unsafe: string[] = [];
  const attachments = mediaOf(v, details, unsafe);
  for (const name of unsafe) {
    say(`its file path ${quoteText(name)} points outside the export folder; it is not opened.`);
  }
  return {
    index,
    kind,
    sender: service && !sender ? '' : sender,
    senderId,
    time: t.time,
    timeSource: t.source,
    text,
    edited,
    offset: span.offset,
    length: span.length,
    line: null,
    lineEnd: null,
    attachments,
    externalId,
    replyTo,
    details,
  };
}

// ---- The reader ingest calls ------------------------------------------------------------

export const telegramReader: ConversationReader = {
  format: 'telegram',
  detect: (head, name) => looksLikeTelegram(head, name),
  async open(file, opts): Promise<OpenedConversation> {
    if (file.size > CONVERSATION_LIMITS.maxChatFileBytes) {
      throw new DossierError(
        'USAGE',
        `This Telegram export is ${file.size} bytes; Dossier reads result.json files up to ${CONVERSATION_LIMITS.maxChatFileBytes} bytes. It is stored as a plain file.`,
      );
    }
    const { messages, summary } = readTelegram(await file.bytes(), opts);
    return { chatFile: null, messages, summary: () => summary, media: [] };
  },
};
