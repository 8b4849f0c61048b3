// The WhatsApp chat reader (main/core/conversations/whatsapp.ts).
//
// Line shapes and several vectors below (the "formats" list, 12-hour marks such as "p. m.",
// the "<attached>" and "(Datei angehängt)" attachments, a continuation line that starts with
// a date) come from whatsapp-chat-parser by Loris Bettazza (Pustur/whatsapp-chat-parser,
// MIT, tests/parser.test.ts and tests/time.test.ts). Only the vectors were taken; the reader
// is Dossier's own, and these tests add what that parser does not give: byte spans, lines,
// a proven day/month order, zones and daylight-saving changes.

import { describe, expect, it } from 'vitest';
import {
  checkWhatsAppDateOrder,
  readWhatsAppChat,
  whatsappReader,
} from '../../../main/core/conversations/whatsapp';
import type { ConversationMessage, ReadOptions } from '../../../main/core/conversations/types';
import { WHATSAPP_LOCALES } from '../../../main/core/conversations/whatsapp-locales';
import { isDossierError } from '../../../main/core/errors';
import {
  ANDROID_US,
  buildChat,
  IOS_UK,
  type ChatStyle,
  type ExpectedMessage,
  type FixtureMessage,
} from '../../support/conversations/whatsapp';

const UTC: ReadOptions = { defaultTimeZone: 'UTC' };
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { ignoreBOM: true });

function bytesOf(s: string): Uint8Array {
  return enc.encode(s);
}

/** Every message's span cut from the original gives exactly its header and text. */
function expectSpans(
  bytes: Uint8Array,
  messages: ConversationMessage[],
  expected: ExpectedMessage[],
): void {
  expect(messages.length).toBe(expected.length);
  messages.forEach((m, i) => {
    const e = expected[i]!;
    expect({ offset: m.offset, length: m.length, line: m.line, lineEnd: m.lineEnd }).toEqual({
      offset: e.offset,
      length: e.length,
      line: e.line,
      lineEnd: e.lineEnd,
    });
    const cut = dec.decode(bytes.subarray(m.offset, m.offset + m.length));
    expect(cut).toBe(e.raw);
    expect(cut.endsWith(m.text)).toBe(true);
    expect(m.text).toBe(e.text);
    expect(m.index).toBe(i);
  });
}

/** Times in UTC: the wall clock as shown, with +00:00. */
function expectWallTimes(messages: ConversationMessage[], expected: ExpectedMessage[]): void {
  messages.forEach((m, i) => expect(m.time).toBe(`${expected[i]!.wall}+00:00`));
}

const A = 'Alice Smith';
const B = '+44 7700 900123';
const LRM = '\u200e';

// Days above 12 prove the order in the day-first fixtures; 13 and 25 in the month-first ones.
const CONVERSATION: FixtureMessage[] = [
  {
    at: [2024, 1, 13, 9, 5, 7],
    sender: A,
    text: `${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
  },
  { at: [2024, 1, 13, 9, 6, 0], sender: A, text: 'Stop ignoring me.' },
  {
    at: [2024, 1, 13, 23, 59, 59],
    sender: B,
    text: 'Leave me alone.\n\nI mean it.\n  Indented line',
  },
  { at: [2024, 2, 25, 0, 0, 0], sender: A, text: 'I know where you live' },
  { at: [2024, 2, 25, 12, 30, 0], sender: A, text: 'Hello: with a colon inside' },
];

describe('WhatsApp chat text: iOS', () => {
  it('reads an iOS export (24-hour, day first, BOM): sender, time, text, spans, lines', () => {
    const style: ChatStyle = { ...IOS_UK, bom: true };
    const chat = buildChat(style, [
      ...CONVERSATION,
      {
        at: [2024, 2, 26, 8, 0, 0],
        sender: A,
        text: `${LRM}<attached: 00000012-PHOTO-2024-02-26-08-00-00.jpg>`,
      },
      { at: [2024, 2, 26, 8, 1, 0], sender: A, text: `${LRM}image omitted` },
      { at: [2024, 2, 26, 8, 2, 0], sender: A, text: `${LRM}This message was deleted.` },
      { at: [2024, 2, 26, 8, 3, 0], sender: B, text: `${LRM}You deleted this message.` },
      {
        at: [2024, 2, 26, 8, 4, 0],
        sender: A,
        text: `I did not say that ${LRM}<This message was edited>`,
      },
      { at: [2024, 2, 26, 8, 5, 0], sender: A, text: `${LRM}Missed voice call` },
      {
        at: [2024, 2, 26, 8, 6, 0],
        sender: A,
        text: `${LRM}Missed video call, ${LRM}Tap to call back`,
      },
    ]);
    const { summary, messages } = readWhatsAppChat(
      chat.bytes,
      UTC,
      'WhatsApp Chat - Alice Smith.zip',
    );
    expectSpans(chat.bytes, messages, chat.expected);
    expectWallTimes(messages, chat.expected);
    expect(messages.map((m) => [m.kind, m.sender, m.senderId])).toEqual([
      ['system', '', null],
      ['message', A, A],
      ['message', B, B],
      ['message', A, A],
      ['message', A, A],
      ['message', A, A],
      ['message', A, A],
      ['deleted', A, A],
      ['deleted', B, B],
      ['message', A, A],
      ['call', A, A],
      ['call', A, A],
    ]);
    expect(messages[0]!.details).toEqual({ shownAs: A });
    expect(messages[2]!.text).toBe('Leave me alone.\n\nI mean it.\n  Indented line');
    expect(messages[4]!.text).toBe('Hello: with a colon inside');
    expect(messages[5]!.attachments).toEqual([
      { name: '00000012-PHOTO-2024-02-26-08-00-00.jpg', omitted: false },
    ]);
    expect(messages[6]!.attachments).toEqual([{ name: '', omitted: true }]);
    expect(messages.map((m) => m.edited)).toEqual(messages.map((_, i) => i === 9));
    expect(messages.every((m) => m.timeSource === 'export-local-assumed')).toBe(true);
    expect(summary).toMatchObject({
      format: 'whatsapp',
      title: 'WhatsApp Chat - Alice Smith',
      messageCount: 12,
      dateOrder: 'dmy',
      dateOrderSource: 'proven',
      timeZone: 'UTC',
      timeZoneSource: 'computer',
      problems: [],
    });
  });

  it('reads a 12-hour iOS export with U+202F before PM and month first', () => {
    const style: ChatStyle = { ...IOS_UK, clock: 12, order: 'mdy', ampmSpace: '\u202f' };
    const chat = buildChat(style, CONVERSATION);
    expect(chat.text).toContain('[01/13/2024, 9:05:07\u202fAM]');
    expect(chat.text).toContain('[02/25/2024, 12:00:00\u202fAM]');
    const { summary, messages } = readWhatsAppChat(chat.bytes, UTC);
    expectSpans(chat.bytes, messages, chat.expected);
    expectWallTimes(messages, chat.expected);
    expect(summary.dateOrder).toBe('mdy');
    expect(summary.title).toBe(`WhatsApp chat: ${A}, ${B}`);
  });
});

describe('WhatsApp chat text: Android', () => {
  it('reads an Android export (12-hour with U+202F, month first, 2-digit years)', () => {
    const chat = buildChat(ANDROID_US, [
      ...CONVERSATION.slice(1),
      {
        at: [2024, 2, 25, 13, 0, 0],
        sender: B,
        text: 'IMG-20240225-WA0001.jpg (file attached)\nLook at this',
      },
      { at: [2024, 2, 25, 13, 1, 0], sender: B, text: '<Media omitted>' },
      { at: [2024, 2, 25, 13, 2, 0], sender: A, text: 'This message was deleted' },
      { at: [2024, 2, 25, 13, 3, 0], sender: A, text: 'Fine <This message was edited>' },
      { at: [2024, 2, 25, 13, 4, 0], text: 'Alice Smith added Carol' },
      { at: [2024, 2, 25, 13, 5, 0], text: 'Alice Smith changed the subject from "a: b" to "Us"' },
      { at: [2024, 2, 25, 13, 6, 0], text: 'You left' },
      { at: [2024, 2, 25, 13, 7, 0], text: 'Missed voice call' },
    ]);
    expect(chat.text).toContain('1/13/24, 9:06\u202fAM - Alice Smith: Stop ignoring me.');
    const { summary, messages } = readWhatsAppChat(chat.bytes, { ...UTC, timeZone: 'UTC' });
    // Android writes no seconds.
    chat.expected.forEach((e) => (e.wall = `${e.wall.slice(0, 17)}00`));
    expectSpans(chat.bytes, messages, chat.expected);
    expectWallTimes(messages, chat.expected);
    expect(messages.map((m) => m.kind)).toEqual([
      'message',
      'message',
      'message',
      'message',
      'message',
      'message',
      'deleted',
      'message',
      'system',
      'system',
      'system',
      'call',
    ]);
    expect(messages[4]!.attachments).toEqual([{ name: 'IMG-20240225-WA0001.jpg', omitted: false }]);
    expect(messages[4]!.text).toBe('IMG-20240225-WA0001.jpg (file attached)\nLook at this');
    expect(messages[5]!.attachments).toEqual([{ name: '', omitted: true }]);
    expect(messages[7]!.edited).toBe(true);
    expect(messages.slice(8).every((m) => m.sender === '' && m.senderId === null)).toBe(true);
    expect(messages.every((m) => m.timeSource === 'export-local-confirmed')).toBe(true);
    expect(summary.timeZoneSource).toBe('given');
    expect(summary.dateOrder).toBe('mdy');
    expect(summary.problems).toEqual([]);
  });

  it('reads a German Android export (24-hour, dots, day first, CRLF)', () => {
    const style: ChatStyle = {
      ...ANDROID_US,
      order: 'dmy',
      clock: 24,
      dateSep: '.',
      year: 4,
      lineBreak: '\r\n',
    };
    const chat = buildChat(style, [
      {
        at: [2023, 12, 24, 18, 0, 0],
        text: 'Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen.',
      },
      {
        at: [2023, 12, 24, 18, 1, 0],
        sender: 'Jürgen',
        text: 'Frohe Weihnachten?\nDu weißt, was du getan hast.',
      },
      {
        at: [2023, 12, 24, 18, 2, 0],
        sender: 'Jürgen',
        text: '4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angehängt)\nDir auch frohe Ostern.',
      },
      { at: [2023, 12, 24, 18, 3, 0], sender: 'Jürgen', text: '<Medien ausgeschlossen>' },
      { at: [2023, 12, 24, 18, 4, 0], sender: 'Jürgen', text: 'Diese Nachricht wurde gelöscht.' },
      {
        at: [2023, 12, 24, 18, 5, 0],
        sender: 'Jürgen',
        text: 'Komm raus <Diese Nachricht wurde bearbeitet>',
      },
      { at: [2023, 12, 24, 18, 6, 0], text: 'Jürgen hat Anna hinzugefügt' },
      {
        at: [2023, 12, 24, 18, 7, 0],
        text: 'Jürgen hat den Betreff von „Familie“ zu „Wir“ geändert',
      },
      { at: [2023, 12, 24, 18, 8, 0], text: 'Verpasster Sprachanruf' },
    ]);
    expect(chat.text).toContain('24.12.2023, 18:01 - Jürgen: Frohe Weihnachten?\r\nDu weißt');
    const { summary, messages } = readWhatsAppChat(chat.bytes, UTC);
    chat.expected.forEach((e) => (e.wall = `${e.wall.slice(0, 17)}00`));
    expectSpans(chat.bytes, messages, chat.expected);
    expectWallTimes(messages, chat.expected);
    expect(messages.map((m) => m.kind)).toEqual([
      'system',
      'message',
      'message',
      'message',
      'deleted',
      'message',
      'system',
      'system',
      'call',
    ]);
    expect(messages[1]!.text).toBe('Frohe Weihnachten?\r\nDu weißt, was du getan hast.');
    expect(messages[2]!.attachments).toEqual([
      { name: '4f2680f1db95a8454775cc2eefc95bfc.jpg', omitted: false },
    ]);
    expect(messages[3]!.attachments).toEqual([{ name: '', omitted: true }]);
    expect(messages[5]!.edited).toBe(true);
    expect(summary.problems).toEqual([]);
    expect(summary.dateOrder).toBe('dmy');
  });
});

describe('WhatsApp line shapes', () => {
  // [line as written, the wall clock it must give]; day first unless the line proves otherwise.
  const shapes: [string, string][] = [
    // whatsapp-chat-parser's formats (tests/parser.test.ts), with our expected times.
    ['3/6/18, 1:55 p.m. - a: m', '2018-06-03T13:55:00'],
    ['03-06-2018, 01.55 PM - a: m', '2018-06-03T13:55:00'],
    ['13.06.18 21.25.15: a: m', '2018-06-13T21:25:15'],
    ['13.6.2018 klo 21.25.15 - a: m', '2018-06-13T21:25:15'],
    ['[3/6/18 1:55:00 p. m.] a: m', '2018-06-03T13:55:00'],
    ['\u200e[3/6/18 1:55:00 p. m.] a: m', '2018-06-03T13:55:00'],
    ['[2018/06/13, 21:25:15] a: m', '2018-06-13T21:25:15'],
    ['3/6/2018 1:55\u00a0p.\u00a0m. - a: m', '2018-06-03T13:55:00'],
    ['3/6/18, 1:55\u202fPM - a: m', '2018-06-03T13:55:00'],
    // Ours: 12 AM is midnight, 12 PM is noon, lower case, U+00A0 before AM.
    ['[13/06/2018, 12:00:00 AM] a: m', '2018-06-13T00:00:00'],
    ['[13/06/2018, 12:30:00\u00a0pm] a: m', '2018-06-13T12:30:00'],
    ['2018-06-13, 07:05 - a: m', '2018-06-13T07:05:00'],
    ['[13. 6. 2018. 21:25:15] a: m', '2018-06-13T21:25:15'],
    // Korean writes the half of the day before the time.
    ['2018. 6. 13. 오후 9:25 - a: m', '2018-06-13T21:25:00'],
    ['[2018. 6. 13. 오전 9:25:15] a: m', '2018-06-13T09:25:15'],
  ];
  for (const [line, wall] of shapes) {
    it(`reads ${JSON.stringify(line)}`, () => {
      const bytes = bytesOf(`${line}\n`);
      const { messages, summary } = readWhatsAppChat(bytes, { ...UTC, dateOrder: 'dmy' });
      expect(summary.problems).toEqual([]);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        sender: 'a',
        text: 'm',
        time: `${wall}+00:00`,
        offset: 0,
        length: bytesOf(line).length,
      });
    });
  }

  it('reports a word before the time it does not know, once, instead of guessing', () => {
    const text = '13/06/2018 zz 9:25 - a: m\n13/06/2018 zz 9:26 - a: n\n';
    const { messages, summary } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages.map((m) => m.time)).toEqual([
      '2018-06-13T09:25:00+00:00',
      '2018-06-13T09:26:00+00:00',
    ]);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]!.message).toContain('"zz" before the time on line 1');
  });

  it('keeps a continuation line that starts with a date in its message', () => {
    const text =
      '23/06/2018, 01:55 p.m. - Loris: one\ntwo\n2016-04-29 10:30:00\n13/06/2018 12:00 no dash\n';
    const { messages } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe('one\ntwo\n2016-04-29 10:30:00\n13/06/2018 12:00 no dash');
    expect(messages[0]!.lineEnd).toBe(4);
  });

  it('reads French iOS, which puts a space before the colon', () => {
    const text =
      '[12/03/2024, 14:23:11] Claire : <Médias omis>\n[13/03/2024, 14:24:00] Claire : Salut\n';
    const { messages } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages.map((m) => [m.sender, m.text, m.attachments])).toEqual([
      ['Claire', '<Médias omis>', [{ name: '', omitted: true }]],
      ['Claire', 'Salut', []],
    ]);
  });

  it('reads an empty message and a sender with bidi marks around a number', () => {
    const text = '03/02/17, 18:42 - Luke: \n13/02/17, 18:43 - \u202a+44 7700 900123\u202c: hi\n';
    const { messages } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages.map((m) => [m.sender, m.senderId, m.text])).toEqual([
      ['Luke', 'Luke', ''],
      ['+44 7700 900123', '+44 7700 900123', 'hi'],
    ]);
  });

  it('reports a line it cannot classify, and lines before the first message, keeping both', () => {
    const text =
      'garbage before\nmore garbage\n13/01/2024, 10:00 - Something odd happened here\n13/01/2024, 10:01 - Alice: ok\n';
    const { messages, summary } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages.map((m) => [m.kind, m.line, m.lineEnd, m.text, m.time])).toEqual([
      ['system', 1, 2, 'garbage before\nmore garbage', null],
      ['system', 3, 3, 'Something odd happened here', '2024-01-13T10:00:00+00:00'],
      ['message', 4, 4, 'ok', '2024-01-13T10:01:00+00:00'],
    ]);
    expect(summary.problems.map((p) => p.line)).toEqual([1, 3]);
    expect(summary.problems[1]!.message).toMatch(/Line 3 has no sender .*system message/);
  });

  it('escapes control characters of an unclassified line in its problem', () => {
    const text = '13/01/2024, 10:00 - \u001b[31mred\u202eevil\n';
    const { summary } = readWhatsAppChat(bytesOf(text), UTC);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]!.message).not.toContain('\u001b');
    expect(summary.problems[0]!.message).not.toContain('\u202e');
    expect(summary.problems[0]!.message).toContain('\\u001b[31mred\\u202eevil');
  });

  it('reports dates that do not exist and keeps the message without a time', () => {
    const text =
      '31/02/2024, 10:00 - A: no such day\n13/01/2024, 25:00 - A: no such hour\n13/01/2024, 13:00 PM - A: not 12-hour\n';
    const { messages, summary } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages.map((m) => [m.time, m.timeSource, m.text])).toEqual([
      [null, 'none', 'no such day'],
      [null, 'none', 'no such hour'],
      [null, 'none', 'not 12-hour'],
    ]);
    expect(summary.problems.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(summary.problems[0]!.message).toContain('there is no day 31 in month 2 of 2024');
  });

  it('reports bytes that are not UTF-8 and keeps them in the span', () => {
    const bytes = new Uint8Array([...bytesOf('13/01/2024, 10:00 - A: caf'), 0xe9, 0x0a]);
    const { messages, summary } = readWhatsAppChat(bytes, UTC);
    expect(messages[0]!.text).toBe('caf\ufffd');
    expect(messages[0]!.length).toBe(bytes.length - 1);
    expect(summary.problems[0]!.message).toContain('not valid UTF-8');
  });

  it('reads no messages from an empty file, and says so', () => {
    const { messages, summary } = readWhatsAppChat(new Uint8Array(), UTC);
    expect(messages).toEqual([]);
    expect(summary.problems[0]!.message).toBe('The chat text holds no messages.');
  });
});

describe('WhatsApp locales', () => {
  // For each language: a deleted message, an edited one, media omitted (Android), a file
  // attached, an iOS attachment, a missed voice call and the first system phrase.
  const samples: Record<
    string,
    {
      deleted: string;
      edited: string;
      omitted: string;
      file: string;
      ios: string;
      call: string;
      system: string;
    }
  > = {
    en: {
      deleted: 'This message was deleted',
      edited: 'x <This message was edited>',
      omitted: '<Media omitted>',
      file: 'a.jpg (file attached)',
      ios: '<attached: a.jpg>',
      call: 'Missed voice call',
      system: 'Bob created group "G"',
    },
    de: {
      deleted: 'Diese Nachricht wurde gelöscht.',
      edited: 'x <Diese Nachricht wurde bearbeitet>',
      omitted: '<Medien ausgeschlossen>',
      file: 'a.jpg (Datei angehängt)',
      ios: '<Anhang: a.jpg>',
      call: 'Verpasster Sprachanruf',
      system: 'Bob hat die Gruppe „G“ erstellt',
    },
    fr: {
      deleted: 'Ce message a été supprimé',
      edited: 'x <Ce message a été modifié>',
      omitted: '<Médias omis>',
      file: 'a.jpg (fichier joint)',
      ios: '<pièce jointe : a.jpg>',
      call: 'Appel vocal manqué',
      system: 'Bob a créé le groupe « G »',
    },
    es: {
      deleted: 'Se eliminó este mensaje.',
      edited: 'x <Se editó este mensaje.>',
      omitted: '<Multimedia omitido>',
      file: 'a.jpg (archivo adjunto)',
      ios: '<adjunto: a.jpg>',
      call: 'Llamada perdida',
      system: 'Bob creó el grupo "G"',
    },
    it: {
      deleted: 'Questo messaggio è stato eliminato',
      edited: 'x <Questo messaggio è stato modificato>',
      omitted: '<Media omessi>',
      file: 'a.jpg (file allegato)',
      ios: '<allegato: a.jpg>',
      call: 'Chiamata vocale persa',
      system: 'Bob ha creato il gruppo "G"',
    },
    pt: {
      deleted: 'Esta mensagem foi apagada',
      edited: 'x <Esta mensagem foi editada>',
      omitted: '<Mídia oculta>',
      file: 'a.jpg (arquivo anexado)',
      ios: '<anexado: a.jpg>',
      call: 'Chamada de voz perdida',
      system: 'Bob criou o grupo "G"',
    },
    nl: {
      deleted: 'Dit bericht is verwijderd',
      edited: 'x <Dit bericht is bewerkt>',
      omitted: '<Media weggelaten>',
      file: 'a.jpg (bestand bijgevoegd)',
      ios: '<bijgevoegd: a.jpg>',
      call: 'Gemiste spraakoproep',
      system: "Bob heeft groep 'G' aangemaakt",
    },
  };

  it('has a table for each of the seven languages', () => {
    expect(WHATSAPP_LOCALES.map((l) => l.language).sort()).toEqual(Object.keys(samples).sort());
  });

  for (const [lang, s] of Object.entries(samples)) {
    it(`reads ${lang}: deleted, edited, media, attachments, calls, system lines`, () => {
      const lines = [
        `13/01/2024, 10:00 - Bob: ${s.deleted}`,
        `13/01/2024, 10:01 - Bob: ${s.edited}`,
        `13/01/2024, 10:02 - Bob: ${s.omitted}`,
        `13/01/2024, 10:03 - Bob: ${s.file}`,
        `[13/01/2024, 10:04:00] Bob: ${LRM}${s.ios}`,
        `[13/01/2024, 10:05:00] Bob: ${LRM}${s.call}`,
        `13/01/2024, 10:06 - ${s.system}`,
      ];
      const { messages, summary } = readWhatsAppChat(bytesOf(lines.join('\n')), UTC);
      expect(summary.problems).toEqual([]);
      expect(messages.map((m) => m.kind)).toEqual([
        'deleted',
        'message',
        'message',
        'message',
        'message',
        'call',
        'system',
      ]);
      expect(messages[1]!.edited).toBe(true);
      expect(messages[2]!.attachments).toEqual([{ name: '', omitted: true }]);
      expect(messages[3]!.attachments).toEqual([{ name: 'a.jpg', omitted: false }]);
      expect(messages[4]!.attachments).toEqual([{ name: 'a.jpg', omitted: false }]);
    });
  }

  it("does not take a sender's words for a system line or a call", () => {
    const text =
      '13/01/2024, 10:00 - Bob: Alice added Carol\n13/01/2024, 10:01 - Bob: Missed voice call\n13/01/2024, 10:02 - Bob: This message was deleted, ha\n';
    const { messages } = readWhatsAppChat(bytesOf(text), UTC);
    expect(messages.map((m) => [m.kind, m.sender])).toEqual([
      ['message', 'Bob'],
      ['message', 'Bob'],
      ['message', 'Bob'],
    ]);
  });
});

describe('WhatsApp day/month order', () => {
  const ambiguous = '01/02/2024, 10:00 - A: one\n03/04/2024, 10:00 - A: two\n';

  it('stops with NEEDS_CHOICE naming the flag and an ambiguous date from the file', () => {
    let error: unknown;
    try {
      readWhatsAppChat(bytesOf(ambiguous), UTC);
    } catch (e) {
      error = e;
    }
    expect(isDossierError(error, 'NEEDS_CHOICE')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('--date-order dmy');
    expect(message).toContain('--date-order mdy');
    expect(message).toContain('"01/02/2024, 10:00" on line 1');
    expect(message).toContain('2024-02-01 (day first) or 2024-01-02 (month first)');
  });

  it('gives the app the question: needed, with examples', () => {
    expect(checkWhatsAppDateOrder(bytesOf(ambiguous))).toEqual({
      proven: null,
      needed: true,
      examples: [
        { line: 1, written: '01/02/2024, 10:00', dmy: '2024-02-01', mdy: '2024-01-02' },
        { line: 2, written: '03/04/2024, 10:00', dmy: '2024-04-03', mdy: '2024-03-04' },
      ],
      dayFirstLine: null,
      monthFirstLine: null,
    });
    const proven = checkWhatsAppDateOrder(bytesOf(`${ambiguous}13/04/2024, 10:00 - A: three\n`));
    expect(proven).toMatchObject({ proven: 'dmy', needed: false, dayFirstLine: 3 });
  });

  it('uses the order given, and says it was given', () => {
    const dmy = readWhatsAppChat(bytesOf(ambiguous), { ...UTC, dateOrder: 'dmy' });
    expect(dmy.messages.map((m) => m.time)).toEqual([
      '2024-02-01T10:00:00+00:00',
      '2024-04-03T10:00:00+00:00',
    ]);
    expect(dmy.summary).toMatchObject({ dateOrder: 'dmy', dateOrderSource: 'given' });
    const mdy = readWhatsAppChat(bytesOf(ambiguous), { ...UTC, dateOrder: 'mdy' });
    expect(mdy.messages[0]!.time).toBe('2024-01-02T10:00:00+00:00');
  });

  it('refuses an order other than dmy or mdy', () => {
    const opts = { ...UTC, dateOrder: 'ymd' } as unknown as ReadOptions;
    expect(() => readWhatsAppChat(bytesOf(ambiguous), opts)).toThrow(
      /must be dmy \(day first\) or mdy \(month first\), not "ymd"/,
    );
  });

  it('does not need a choice when no date reads two ways (day = month)', () => {
    const { summary } = readWhatsAppChat(bytesOf('05/05/2024, 10:00 - A: x\n'), UTC);
    expect(summary.problems).toEqual([]);
    expect(summary).toMatchObject({ dateOrder: null, dateOrderSource: null });
  });

  it('treats contradicting dates as a problem, never a guess', () => {
    const text = '13/01/2024, 10:00 - A: day first\n01/13/2024, 10:00 - A: month first\n';
    expect(() => readWhatsAppChat(bytesOf(text), UTC)).toThrow(/contradict.*line 1.*line 2/);
    const given = readWhatsAppChat(bytesOf(text), { ...UTC, dateOrder: 'dmy' });
    expect(given.messages.map((m) => m.time)).toEqual(['2024-01-13T10:00:00+00:00', null]);
    expect(given.summary.problems.map((p) => p.line)).toEqual([2, 2]);
  });
});

describe('WhatsApp time zones and daylight saving', () => {
  it('refuses a zone Intl does not know, with a clear USAGE error', () => {
    const bytes = bytesOf('13/01/2024, 10:00 - A: x\n');
    for (const zone of ['Europe/Londn', 'GMT+1; rm -rf', '']) {
      let error: unknown;
      try {
        readWhatsAppChat(bytes, { ...UTC, timeZone: zone });
      } catch (e) {
        error = e;
      }
      expect(isDossierError(error, 'USAGE')).toBe(true);
      expect((error as Error).message).toMatch(/not a time zone .* such as Europe\/London/);
    }
  });

  it('places times in the zone with the offset of the day', () => {
    const text = '13/01/2024, 10:00 - A: winter\n13/07/2024, 10:00 - A: summer\n';
    const london = readWhatsAppChat(bytesOf(text), { defaultTimeZone: 'Europe/London' });
    expect(london.messages.map((m) => m.time)).toEqual([
      '2024-01-13T10:00:00+00:00',
      '2024-07-13T10:00:00+01:00',
    ]);
    const ny = readWhatsAppChat(bytesOf(text), {
      defaultTimeZone: 'UTC',
      timeZone: 'America/New_York',
    });
    expect(ny.messages.map((m) => m.time)).toEqual([
      '2024-01-13T10:00:00-05:00',
      '2024-07-13T10:00:00-04:00',
    ]);
    const kolkata = readWhatsAppChat(bytesOf(text), { defaultTimeZone: 'Asia/Kolkata' });
    expect(kolkata.messages[0]!.time).toBe('2024-01-13T10:00:00+05:30');
  });

  it('moves a time in the spring-forward gap forward by the gap, and says so', () => {
    // Europe/London, 31 March 2024: 01:00 GMT became 02:00 BST; 01:30 never happened.
    const text =
      '31/03/2024, 00:59 - A: before\n31/03/2024, 01:30 - A: in the gap\n31/03/2024, 02:00 - A: after\n';
    const { messages, summary } = readWhatsAppChat(bytesOf(text), {
      defaultTimeZone: 'Europe/London',
      timeZone: 'Europe/London',
    });
    expect(messages.map((m) => m.time)).toEqual([
      '2024-03-31T00:59:00+00:00',
      '2024-03-31T02:30:00+01:00',
      '2024-03-31T02:00:00+01:00',
    ]);
    expect(summary.problems).toHaveLength(1);
    expect(summary.problems[0]).toMatchObject({ line: 2, offset: 30 });
    expect(summary.problems[0]!.message).toContain('did not exist in Europe/London');
  });

  it('takes the first of a repeated autumn time, unless the order proves the second', () => {
    // Europe/London, 27 October 2024: 02:00 BST became 01:00 GMT; 01:00–01:59 happened twice.
    const text =
      '27/10/2024, 01:10 - A: first pass\n27/10/2024, 01:50 - A: still BST\n27/10/2024, 01:05 - A: after the change\n27/10/2024, 02:30 - A: later\n';
    const { messages, summary } = readWhatsAppChat(bytesOf(text), {
      defaultTimeZone: 'Europe/London',
    });
    expect(messages.map((m) => m.time)).toEqual([
      '2024-10-27T01:10:00+01:00',
      '2024-10-27T01:50:00+01:00',
      '2024-10-27T01:05:00+00:00',
      '2024-10-27T02:30:00+00:00',
    ]);
    expect(summary.problems.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(summary.problems[0]!.message).toContain('first (+01:00) was used');
    expect(summary.problems[2]!.message).toContain('second (+00:00) was used');
  });
});

describe('whatsappReader', () => {
  it('detects chat text and WhatsApp zips, not other files', () => {
    const head = bytesOf('[13/01/2024, 10:00:00] Alice: hi\n');
    expect(whatsappReader.detect(head, '_chat.txt', 'text/plain')).toBe(true);
    expect(
      whatsappReader.detect(
        bytesOf('\ufeff13/01/2024, 10:00 - A: x'),
        'WhatsApp Chat with A.txt',
        'text/plain',
      ),
    ).toBe(true);
    expect(whatsappReader.detect(bytesOf('Dear Sir,\n'), 'letter.txt', 'text/plain')).toBe(false);
    expect(whatsappReader.detect(head, 'chat.eml', 'message/rfc822')).toBe(false);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(60).fill(0)]);
    expect(whatsappReader.detect(zip, 'WhatsApp Chat - Alice.zip', 'application/zip')).toBe(true);
    expect(whatsappReader.detect(zip, 'holiday.zip', 'application/zip')).toBe(false);
  });

  it('opens an export: messages, summary and no media for a text file', async () => {
    const chat = buildChat(IOS_UK, CONVERSATION);
    const opened = await whatsappReader.open(
      {
        name: '_chat.txt',
        size: chat.bytes.length,
        head: chat.bytes.subarray(0, 65536),
        bytes: async () => chat.bytes,
        chunks: async function* () {
          yield chat.bytes;
        },
        readRange: async (start, end) => chat.bytes.subarray(start, end),
      },
      { defaultTimeZone: 'UTC', dateOrder: 'dmy' },
    );
    const messages = [...(opened.messages as Iterable<ConversationMessage>)];
    expectSpans(chat.bytes, messages, chat.expected);
    expect(opened.media).toEqual([]);
    expect(opened.summary()).toMatchObject({
      messageCount: 5,
      dateOrderSource: 'given',
      chatFile: null,
    });
  });
});
