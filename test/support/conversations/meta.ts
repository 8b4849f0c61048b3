// Instagram and Facebook "Download your information" message_N.json fixtures, written the way
// Meta writes them: UTF-8 text read as Latin-1 and escaped (\u00c3\u00a9 for "é"), newest first.
import type { MessageKind } from '../../../main/core/conversations/types';

/** What Meta does to text: each UTF-8 byte becomes the Latin-1 character of that number. */
export function mojibake(s: string): string {
  return String.fromCharCode(...new TextEncoder().encode(s));
}

function mangle(v: unknown): unknown {
  if (typeof v === 'string') return mojibake(v);
  if (Array.isArray(v)) return v.map(mangle);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mangle(x)]));
  }
  return v;
}

/** JSON as Meta writes it: two-space indent, every character above 0x7f as a \u00XX escape. */
export function metaJson(root: unknown): string {
  return JSON.stringify(mangle(root), null, 2).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export interface MetaExpected {
  kind: MessageKind;
  sender: string;
  time: string;
  text: string;
  attachments?: string[];
  details?: Record<string, unknown>;
}

export interface MetaFileFixture {
  name: string;
  text: string;
  bytes: Uint8Array;
  /** The messages as written (newest first), each with what it must read as. */
  rows: { msg: Record<string, unknown>; expected: MetaExpected }[];
}

const ms = (iso: string) => Date.parse(iso);

export const ZOE = 'Zoë Ångström';
export const SAM = 'Sam Okafor';
export const ALEX = 'Alex Müller';

/** participants first, then messages, then the rest, in the order Meta writes them. */
function file(
  name: string,
  head: Record<string, unknown>,
  rows: { msg: Record<string, unknown>; expected: MetaExpected }[],
  tail: Record<string, unknown>,
): MetaFileFixture {
  const text = metaJson({ ...head, messages: rows.map((r) => r.msg), ...tail });
  return { name, text, bytes: new TextEncoder().encode(text), rows };
}

const IG_DIR = 'your_instagram_activity/messages/inbox/zoe_1234567890';

/** An Instagram thread in two files: message_1.json (newest) and message_2.json. */
export function instagramThread(): MetaFileFixture[] {
  const head = {
    participants: [{ name: ZOE }, { name: SAM }],
  };
  const tail = {
    title: ZOE,
    is_still_participant: true,
    thread_path: 'inbox/zoe_1234567890',
    magic_words: [],
  };
  const one = [
    {
      msg: {
        sender_name: ZOE,
        timestamp_ms: ms('2024-05-02T10:00:03.250Z'),
        content: 'Je sais où tu habites 😡',
        is_geoblocked_for_viewer: false,
      },
      expected: {
        kind: 'message',
        sender: ZOE,
        time: '2024-05-02T10:00:03.250Z',
        text: 'Je sais où tu habites 😡',
      },
    },
    {
      // Two messages in the same millisecond: the one written later in the file is older.
      msg: {
        sender_name: SAM,
        timestamp_ms: ms('2024-05-02T10:00:00Z'),
        content: 'Stop.',
        is_geoblocked_for_viewer: false,
      },
      expected: { kind: 'message', sender: SAM, time: '2024-05-02T10:00:00Z', text: 'Stop.' },
    },
    {
      msg: {
        sender_name: ZOE,
        timestamp_ms: ms('2024-05-02T10:00:00Z'),
        photos: [{ uri: `${IG_DIR}/photos/4455_n.jpg`, creation_timestamp: 1714644000 }],
        is_geoblocked_for_viewer: false,
      },
      expected: {
        kind: 'message',
        sender: ZOE,
        time: '2024-05-02T10:00:00Z',
        text: '',
        attachments: [`${IG_DIR}/photos/4455_n.jpg`],
      },
    },
  ] satisfies { msg: Record<string, unknown>; expected: MetaExpected }[];
  const two = [
    {
      msg: {
        sender_name: SAM,
        timestamp_ms: ms('2024-05-01T09:05:00Z'),
        content: 'ok',
        reactions: [{ reaction: '❤', actor: ZOE }],
        is_geoblocked_for_viewer: false,
      },
      expected: {
        kind: 'message',
        sender: SAM,
        time: '2024-05-01T09:05:00Z',
        text: 'ok',
        details: { reactions: [{ reaction: '❤', actor: ZOE }] },
      },
    },
    {
      msg: {
        sender_name: ZOE,
        timestamp_ms: ms('2024-05-01T09:01:00Z'),
        content: 'Zoë started an audio call',
        call_duration: 0,
        is_geoblocked_for_viewer: false,
      },
      expected: {
        kind: 'call',
        sender: ZOE,
        time: '2024-05-01T09:01:00Z',
        text: 'Zoë started an audio call',
        details: { callDuration: 0 },
      },
    },
    {
      msg: {
        sender_name: ZOE,
        timestamp_ms: ms('2024-05-01T09:00:00Z'),
        content: 'Première fois. Ça va?',
        is_geoblocked_for_viewer: false,
      },
      expected: {
        kind: 'message',
        sender: ZOE,
        time: '2024-05-01T09:00:00Z',
        text: 'Première fois. Ça va?',
      },
    },
  ] satisfies { msg: Record<string, unknown>; expected: MetaExpected }[];
  return [file('message_1.json', head, one, tail), file('message_2.json', head, two, tail)];
}

const FB_DIR = 'your_facebook_activity/messages/inbox/alexmuller_abc123';

/** A Facebook thread in two files, with an unsent message, a call, a photo and a join. */
export function facebookThread(): MetaFileFixture[] {
  const head = { participants: [{ name: ALEX }, { name: SAM }] };
  const tail = {
    title: ALEX,
    is_still_participant: true,
    thread_path: 'inbox/alexmuller_abc123',
    magic_words: [],
    joinable_mode: { mode: 1, link: '' },
  };
  const one = [
    {
      msg: {
        sender_name: ALEX,
        timestamp_ms: ms('2024-06-10T20:00:00Z'),
        content: 'Alex Müller called you.',
        call_duration: 95,
        type: 'Call',
        is_taken_down: false,
      },
      expected: {
        kind: 'call',
        sender: ALEX,
        time: '2024-06-10T20:00:00Z',
        text: 'Alex Müller called you.',
        details: { callDuration: 95 },
      },
    },
    {
      msg: {
        sender_name: ALEX,
        timestamp_ms: ms('2024-06-10T19:59:00Z'),
        is_unsent: true,
        type: 'Generic',
        is_taken_down: false,
      },
      expected: { kind: 'deleted', sender: ALEX, time: '2024-06-10T19:59:00Z', text: '' },
    },
  ] satisfies { msg: Record<string, unknown>; expected: MetaExpected }[];
  const two = [
    {
      msg: {
        sender_name: ALEX,
        timestamp_ms: ms('2024-06-09T08:00:00Z'),
        content: 'Schöne Grüße 👋',
        photos: [
          { uri: `${FB_DIR}/photos/1.jpg`, creation_timestamp: 1717920000 },
          { uri: `${FB_DIR}/photos/2.jpg`, creation_timestamp: 1717920000 },
        ],
        type: 'Generic',
        is_taken_down: false,
      },
      expected: {
        kind: 'message',
        sender: ALEX,
        time: '2024-06-09T08:00:00Z',
        text: 'Schöne Grüße 👋',
        attachments: [`${FB_DIR}/photos/1.jpg`, `${FB_DIR}/photos/2.jpg`],
      },
    },
    {
      msg: {
        sender_name: SAM,
        timestamp_ms: ms('2024-06-09T07:00:00Z'),
        content: 'Sam Okafor added Alex Müller to the group.',
        users: [{ name: ALEX }],
        type: 'Subscribe',
        is_taken_down: false,
      },
      expected: {
        kind: 'system',
        sender: SAM,
        time: '2024-06-09T07:00:00Z',
        text: 'Sam Okafor added Alex Müller to the group.',
        details: { users: [{ name: ALEX }] },
      },
    },
  ] satisfies { msg: Record<string, unknown>; expected: MetaExpected }[];
  return [file('message_1.json', head, one, tail), file('message_2.json', head, two, tail)];
}
