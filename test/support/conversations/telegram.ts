// Telegram Desktop result.json fixtures, written the way Telegram Desktop writes them (one-space
// indentation, UTF-8 text unescaped), with what each message must read as.
import type { ExportFile, MessageKind, TimeSource } from '../../../main/core/conversations/types';

export interface TelegramExpected {
  kind: MessageKind;
  sender: string;
  senderId: string | null;
  time: string | null;
  timeSource: TimeSource;
  text: string;
  edited?: boolean;
  replyTo?: string | null;
  attachments?: { name: string; omitted: boolean }[];
  details?: Record<string, unknown>;
}

export interface TelegramFixture {
  bytes: Uint8Array;
  text: string;
  /** The message objects as written, in order. */
  messages: Record<string, unknown>[];
  expected: TelegramExpected[];
}

/** `date` as Telegram writes it: the exporting computer's wall clock, no zone. */
function dates(utc: string, offsetMinutes: number) {
  const ms = Date.parse(utc);
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  return { date: wall, date_unixtime: String(ms / 1000) };
}

export const ALEX = { from: 'Alex Mercer', from_id: 'user111' };
export const SAM = { from: 'Sam Okafor', from_id: 'user222' };
export const OMITTED = '(File not included. Change data exporting settings to download.)';

/** A single chat with every shape the reader must read, in London winter time (+00:00) and summer (+01:00). */
export function telegramSingleChat(): TelegramFixture {
  const rows: [Record<string, unknown>, TelegramExpected][] = [
    [
      {
        id: 101,
        type: 'message',
        ...dates('2024-03-01T21:14:05Z', 0),
        ...ALEX,
        text: 'I know where you live.',
        text_entities: [{ type: 'plain', text: 'I know where you live.' }],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-03-01T21:14:05+00:00',
        timeSource: 'export-instant',
        text: 'I know where you live.',
      },
    ],
    [
      {
        id: 102,
        type: 'message',
        ...dates('2024-03-01T21:15:00Z', 0),
        ...ALEX,
        text: [
          'Look at ',
          { type: 'text_link', text: 'this', href: 'https://evil.example/x' },
          ' ',
          { type: 'bold', text: 'now' },
          ' @sam',
        ],
        text_entities: [
          { type: 'plain', text: 'Look at ' },
          { type: 'text_link', text: 'this', href: 'https://evil.example/x' },
          { type: 'plain', text: ' ' },
          { type: 'bold', text: 'now' },
          { type: 'plain', text: ' @sam' },
        ],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-03-01T21:15:00+00:00',
        timeSource: 'export-instant',
        text: 'Look at this now @sam',
        details: { links: [{ text: 'this', href: 'https://evil.example/x' }] },
      },
    ],
    [
      {
        id: 103,
        type: 'message',
        ...dates('2024-03-01T21:16:30Z', 0),
        ...SAM,
        reply_to_message_id: 101,
        text: 'Please stop messaging me.',
        text_entities: [],
      },
      {
        kind: 'message',
        ...sender(SAM),
        time: '2024-03-01T21:16:30+00:00',
        timeSource: 'export-instant',
        text: 'Please stop messaging me.',
        replyTo: '101',
      },
    ],
    [
      {
        id: 104,
        type: 'message',
        ...dates('2024-03-01T21:20:00Z', 0),
        ...ALEX,
        forwarded_from: 'Anon Channel',
        text: 'Everyone knows about you',
        text_entities: [],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-03-01T21:20:00+00:00',
        timeSource: 'export-instant',
        text: 'Everyone knows about you',
        details: { forwardedFrom: 'Anon Channel' },
      },
    ],
    [
      {
        id: 105,
        type: 'message',
        ...dates('2024-03-01T21:25:00Z', 0),
        edited: '2024-03-01T21:27:10',
        edited_unixtime: '1709328430',
        ...ALEX,
        text: 'You will regret it',
        text_entities: [],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-03-01T21:25:00+00:00',
        timeSource: 'export-instant',
        text: 'You will regret it',
        edited: true,
        details: { editedAt: '2024-03-01T21:27:10Z' },
      },
    ],
    [
      {
        id: 106,
        type: 'message',
        ...dates('2024-04-02T08:00:00Z', 60),
        ...ALEX,
        photo: 'photos/photo_1@02-04-2024_09-00-00.jpg',
        width: 1280,
        height: 960,
        text: 'Your car',
        text_entities: [],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-04-02T09:00:00+01:00',
        timeSource: 'export-instant',
        text: 'Your car',
        attachments: [{ name: 'photos/photo_1@02-04-2024_09-00-00.jpg', omitted: false }],
      },
    ],
    [
      {
        id: 107,
        type: 'message',
        ...dates('2024-04-02T08:01:00Z', 60),
        ...ALEX,
        file: OMITTED,
        media_type: 'voice_message',
        mime_type: 'audio/ogg',
        duration_seconds: 12,
        text: '',
        text_entities: [],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-04-02T09:01:00+01:00',
        timeSource: 'export-instant',
        text: '',
        attachments: [{ name: 'voice_message', omitted: true }],
        details: { mediaType: 'voice_message', fileOmitted: OMITTED },
      },
    ],
    [
      {
        id: 108,
        type: 'service',
        ...dates('2024-04-02T23:59:00Z', 60),
        actor: 'Alex Mercer',
        actor_id: 'user111',
        action: 'phone_call',
        discard_reason: 'missed',
        text: '',
        text_entities: [],
      },
      {
        kind: 'call',
        ...sender(ALEX),
        time: '2024-04-03T00:59:00+01:00',
        timeSource: 'export-instant',
        text: 'Missed call',
        details: { discardReason: 'missed' },
      },
    ],
    [
      {
        id: 109,
        type: 'service',
        ...dates('2024-04-03T00:10:00Z', 60),
        actor: 'Alex Mercer',
        actor_id: 'user111',
        action: 'phone_call',
        duration_seconds: 125,
        discard_reason: 'hangup',
        text: '',
        text_entities: [],
      },
      {
        kind: 'call',
        ...sender(ALEX),
        time: '2024-04-03T01:10:00+01:00',
        timeSource: 'export-instant',
        text: 'Call, 2 min 5 s',
      },
    ],
    [
      {
        id: 110,
        type: 'service',
        ...dates('2024-04-03T00:11:00Z', 60),
        actor: 'Sam Okafor',
        actor_id: 'user222',
        action: 'pin_message',
        message_id: 101,
        text: '',
        text_entities: [],
      },
      {
        kind: 'system',
        ...sender(SAM),
        time: '2024-04-03T01:11:00+01:00',
        timeSource: 'export-instant',
        text: 'Sam Okafor pinned a message',
        details: { pinnedMessageId: 101 },
      },
    ],
    [
      {
        id: 111,
        type: 'message',
        ...dates('2024-04-03T07:00:00Z', 60),
        ...ALEX,
        text: 'Ça va? 😀 \u202eevil',
        text_entities: [],
      },
      {
        kind: 'message',
        ...sender(ALEX),
        time: '2024-04-03T08:00:00+01:00',
        timeSource: 'export-instant',
        text: 'Ça va? 😀 \u202eevil',
      },
    ],
  ];
  const messages = rows.map((r) => r[0]);
  const chat = { name: 'Alex Mercer', type: 'personal_chat', id: 111, messages };
  const text = JSON.stringify(chat, null, 1);
  return { bytes: new TextEncoder().encode(text), text, messages, expected: rows.map((r) => r[1]) };
}

function sender(who: { from: string; from_id: string }) {
  return { sender: who.from, senderId: who.from_id };
}

/** The full account export: about, personal_information, then chats.list and left_chats.list. */
export function telegramFullExport(
  chats: Record<string, unknown>[],
  left: Record<string, unknown>[] = [],
) {
  const root = {
    about: 'Here is the data you requested. Remember: Telegram is ad free.',
    personal_information: {
      user_id: 222,
      first_name: 'Sam',
      last_name: 'Okafor',
      phone_number: '+44 0000 000000',
      bio: '',
    },
    contacts: { about: 'contacts', list: [] },
    chats: { about: 'chats', list: chats },
    left_chats: { about: 'left', list: left },
  };
  const text = JSON.stringify(root, null, 1);
  return { text, bytes: new TextEncoder().encode(text) };
}

/** An export file as ingest hands it to a reader, from bytes in memory. */
export function exportFile(name: string, bytes: Uint8Array): ExportFile {
  return {
    name,
    size: bytes.length,
    head: bytes.subarray(0, 64 * 1024),
    bytes: async () => bytes,
    async *chunks() {
      yield bytes;
    },
    readRange: async (start, end) => bytes.subarray(start, end),
  };
}
