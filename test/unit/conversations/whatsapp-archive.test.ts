// WhatsApp exports as zips (main/core/conversations/whatsapp.ts, readWhatsAppExport) and the
// generic zip reader under them (archive.ts): chat text found by name in each language, media
// matched to messages, and hostile zips refused entry by entry with a reason.

import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../main/core/conversations/archive';
import {
  readWhatsAppExport,
  whatsAppDateOrderCheck,
  whatsappReader,
} from '../../../main/core/conversations/whatsapp';
import { DossierError, isDossierError } from '../../../main/core/errors';
import {
  ANDROID_US,
  buildChat,
  IOS_UK,
  renameInZip,
  zipHeaders,
  zipOf,
} from '../../support/conversations/whatsapp';
import { tempDir } from '../../support/tmp';

const UTC = { defaultTimeZone: 'UTC' };
const LRM = '\u200e';
const PHOTO = '00000012-PHOTO-2024-01-13-09-06-00.jpg';
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 0xff, 0xd9]);

const iosChat = buildChat(IOS_UK, [
  { at: [2024, 1, 13, 9, 5, 0], sender: 'Alice', text: 'Look' },
  { at: [2024, 1, 13, 9, 6, 0], sender: 'Alice', text: `${LRM}<attached: ${PHOTO}>` },
  {
    at: [2024, 1, 13, 9, 7, 0],
    sender: 'Alice',
    text: `${LRM}<attached: 00000013-AUDIO-missing.opus>`,
  },
]);

describe('readWhatsAppExport: zips', () => {
  it('reads an iOS zip: _chat.txt, the photo as media, offsets into the chat text', async () => {
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes },
      { name: PHOTO, data: JPEG, store: true },
    ]);
    const read = await readWhatsAppExport(zip, 'WhatsApp Chat - Alice.zip', UTC);
    expect(read.summary.chatFile).toBe('_chat.txt');
    expect(read.summary.title).toBe('WhatsApp Chat - Alice');
    expect(Buffer.from(read.chatBytes!)).toEqual(Buffer.from(iosChat.bytes));
    expect(read.messages.map((m) => [m.offset, m.length])).toEqual(
      iosChat.expected.map((e) => [e.offset, e.length]),
    );
    expect(read.media.map((m) => [m.name, m.size])).toEqual([[PHOTO, JPEG.length]]);
    expect(Buffer.from(await read.media[0]!.read())).toEqual(Buffer.from(JPEG));
    expect(read.messages[1]!.attachments).toEqual([{ name: PHOTO, omitted: false }]);
    // The missing voice note is reported against its line, not guessed at.
    expect(read.summary.problems).toEqual([
      {
        line: 3,
        offset: iosChat.expected[2]!.offset,
        message:
          'The message on line 3 names the file "00000013-AUDIO-missing.opus", which is not in the zip.',
      },
    ]);
  });

  it('finds the chat text under its Android name in other languages', async () => {
    const chat = buildChat(ANDROID_US, [{ at: [2024, 1, 13, 9, 5, 0], sender: 'Bob', text: 'hi' }]);
    for (const name of [
      'WhatsApp Chat with Bob.txt',
      'WhatsApp-Chat mit Bob.txt',
      'Discussion WhatsApp avec Bob.txt',
      'Chat de WhatsApp con Bob.txt',
      'Conversa do WhatsApp com Bob.txt',
      'WhatsApp-chat met Bob.txt',
      'WhatsApp_Chat_with_Bob.txt',
    ]) {
      const zip = await zipOf([
        { name: 'notes.txt', data: 'not the chat' },
        { name, data: chat.bytes },
      ]);
      const read = await readWhatsAppExport(zip, 'export.zip', UTC);
      expect(read.summary.chatFile).toBe(name);
      expect(read.messages.map((m) => m.text)).toEqual(['hi']);
      expect(read.media.map((m) => m.name)).toEqual(['notes.txt']);
    }
  });

  it('finds the chat text inside a single top folder, and its media beside it', async () => {
    const zip = await zipOf([
      { name: 'WhatsApp Chat - Alice/_chat.txt', data: iosChat.bytes },
      { name: `WhatsApp Chat - Alice/${PHOTO}`, data: JPEG },
    ]);
    const read = await readWhatsAppExport(zip, 'Alice.zip', UTC);
    expect(read.summary.chatFile).toBe('WhatsApp Chat - Alice/_chat.txt');
    expect(read.messages).toHaveLength(3);
    expect(read.messages[1]!.attachments).toEqual([
      { name: `WhatsApp Chat - Alice/${PHOTO}`, omitted: false },
    ]);
    expect(read.media.map((m) => m.name)).toEqual([`WhatsApp Chat - Alice/${PHOTO}`]);
  });

  it('keeps a zip with no chat text: no messages, a problem, every file still offered', async () => {
    const zip = await zipOf([
      { name: 'IMG-20240101-WA0001.jpg', data: JPEG },
      { name: 'a.txt', data: 'one' },
      { name: 'b.txt', data: 'two' },
    ]);
    const read = await readWhatsAppExport(zip, 'WhatsApp Chat - X.zip', UTC);
    expect(read.messages).toEqual([]);
    expect(read.summary.chatFile).toBeNull();
    expect(read.summary.problems.at(-1)!.message).toMatch(
      /more than one chat text \("a.txt", "b.txt"\)/,
    );
    expect(read.media.map((m) => m.name)).toEqual(['IMG-20240101-WA0001.jpg', 'a.txt', 'b.txt']);
    const none = await readWhatsAppExport(
      await zipOf([{ name: 'x.jpg', data: JPEG }]),
      'x.zip',
      UTC,
    );
    expect(none.summary.problems[0]!.message).toMatch(
      /No chat text was found in the zip .*holds 1 file\./,
    );
  });

  it('keeps a damaged zip as a problem, never a crash', async () => {
    const zip = await zipOf([{ name: '_chat.txt', data: iosChat.bytes }]);
    const cut = zip.subarray(0, zip.length - 10);
    const read = await readWhatsAppExport(cut, 'broken.zip', UTC);
    expect(read.messages).toEqual([]);
    expect(read.summary.problems[0]!.message).toMatch(/not a readable zip file/);
  });

  it('asks for the date order from a zip too', async () => {
    const chat = '01/02/2024, 10:00 - A: one\n';
    const zip = await zipOf([{ name: 'WhatsApp Chat with A.txt', data: chat }]);
    await expect(readWhatsAppExport(zip, 'x.zip', UTC)).rejects.toMatchObject({
      code: 'NEEDS_CHOICE',
    });
    expect(await whatsAppDateOrderCheck(zip)).toMatchObject({ needed: true, proven: null });
    const given = await readWhatsAppExport(zip, 'x.zip', { ...UTC, dateOrder: 'mdy' });
    expect(given.messages[0]!.time).toBe('2024-01-02T10:00:00+00:00');
  });

  it('is detected by the chat text among its entries, or by its name; not any zip', async () => {
    const android = await zipOf([
      { name: 'IMG-20240101-WA0001.jpg', data: JPEG },
      { name: 'WhatsApp Chat with Bob.txt', data: '01/13/24, 10:00 - Bob: hi\n' },
    ]);
    expect(whatsappReader.detect(android, 'renamed.zip', 'application/zip')).toBe(true);
    const photos = await zipOf([{ name: 'IMG-20240101-WA0001.jpg', data: JPEG }]);
    expect(whatsappReader.detect(photos, 'WhatsApp Images.zip', 'application/zip')).toBe(false);
    expect(whatsappReader.detect(photos, 'WhatsApp Chat with Bob.zip', 'application/zip')).toBe(
      true,
    );
  });

  it('is opened by whatsappReader with its media', async () => {
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes },
      { name: PHOTO, data: JPEG },
    ]);
    expect(whatsappReader.detect(zip.subarray(0, 65536), 'export.zip', 'application/zip')).toBe(
      true,
    );
    const ranges: number[] = [];
    const opened = await whatsappReader.open(
      {
        name: 'WhatsApp Chat - Alice.zip',
        size: zip.length,
        head: zip.subarray(0, 65536),
        // A zip is read in place, in ranges, never whole: one of any size opens.
        bytes: () => Promise.reject(new Error('a zip must not be read whole')),
        chunks: async function* () {
          yield zip;
        },
        readRange: async (start, end) => {
          ranges.push(end - start);
          return zip.subarray(start, end);
        },
      },
      UTC,
    );
    expect([...(opened.messages as Iterable<unknown>)]).toHaveLength(3);
    expect(opened.summary()).toMatchObject({ chatFile: '_chat.txt', messageCount: 3 });
    expect(opened.media.map((m) => m.name)).toEqual([PHOTO]);
    expect(Buffer.from(await opened.media[0]!.read())).toEqual(Buffer.from(JPEG));
    expect(ranges.length).toBeGreaterThan(0);
  });
});

describe('openArchive: hostile zips', () => {
  it('refuses a zip bomb by its compression ratio, and says so', async () => {
    const zeros = new Uint8Array(32 * 1024 * 1024);
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes },
      { name: 'bomb.bin', data: zeros },
    ]);
    const archive = await openArchive(zip, 'The zip');
    const bomb = archive.entries.find((e) => e.name === 'bomb.bin')!;
    expect(bomb.refused).toMatch(/expand more than 200 times/);
    expect(archive.find('bomb.bin')).toBeUndefined();
    await expect(archive.read(bomb)).rejects.toMatchObject({ code: 'USAGE' });
    const read = await readWhatsAppExport(zip, 'x.zip', UTC);
    expect(read.media).toEqual([]);
    expect(read.summary.problems[0]!.message).toMatch(
      /"bomb.bin" in The zip was not read: .*zip bomb/,
    );
    expect(read.messages).toHaveLength(3);
  });

  it('refuses an entry that holds more than it declares', async () => {
    const body = 'x'.repeat(5000);
    const zip = await zipOf([{ name: 'liar.txt', data: body }]);
    const { central } = zipHeaders(zip);
    // Central directory: uncompressed size at +24. Declare 100 bytes instead of 5000.
    zip.writeUInt32LE(100, central[0]! + 24);
    const archive = await openArchive(zip, 'The zip');
    const entry = archive.entries[0]!;
    expect(entry.size).toBe(100);
    let error: unknown;
    try {
      await archive.read(entry);
    } catch (e) {
      error = e;
    }
    expect(isDossierError(error, 'CORRUPT')).toBe(true);
    expect((error as Error).message).toMatch(
      /"liar.txt" in The zip is damaged or was tampered with/,
    );
  });

  it('checks CRC-32: a changed chat text is read and reported, a changed photo refused', async () => {
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes, store: true },
      { name: PHOTO, data: JPEG, store: true },
    ]);
    // "Look" becomes "Book" in the stored chat text; a byte of the photo changes too.
    const at = zip.indexOf('Alice: Look');
    zip[at + 7] = 0x42;
    zip[zip.indexOf(Buffer.from(JPEG)) + 5] = 0x99;
    const read = await readWhatsAppExport(zip, 'x.zip', UTC);
    expect(read.messages[0]!.text).toBe('Book');
    expect(read.summary.problems[0]!.message).toMatch(
      /^The chat text "_chat.txt" does not match the checksum the zip records/,
    );
    await expect(read.media[0]!.read()).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringMatching(/do not match the checksum/),
    });
  });

  it('refuses to read past the size asked for', async () => {
    const zip = await zipOf([{ name: 'big.txt', data: 'y'.repeat(2000) }]);
    const archive = await openArchive(zip, 'The zip');
    await expect(archive.read(archive.entries[0]!, 1000)).rejects.toMatchObject({ code: 'USAGE' });
    expect((await archive.read(archive.entries[0]!, 2000)).length).toBe(2000);
  });

  it('refuses a zip with more entries than the limit', async () => {
    const zip = await zipOf([1, 2, 3, 4, 5].map((n) => ({ name: `${n}.txt`, data: 'x' })));
    const limits = {
      maxEntries: 4,
      maxEntryBytes: 1000,
      maxTotalBytes: 10_000,
      maxRatio: 200,
      ratioFloorBytes: 1,
    };
    await expect(openArchive(zip, 'The zip', limits)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/holds 5 files, more than the 4/),
    });
    const total = await openArchive(zip, 'The zip', {
      ...limits,
      maxEntries: 10,
      maxTotalBytes: 3,
    });
    expect(total.entries.map((e) => e.refused === null)).toEqual([true, true, true, false, false]);
  });

  it('keeps hostile names as data and refuses them: traversal, absolute, control characters', async () => {
    const zip = renameInZip(
      renameInZip(
        renameInZip(
          await zipOf([
            { name: '_chat.txt', data: iosChat.bytes },
            { name: 'xx/evil.jpg', data: JPEG },
            { name: 'aetc/passwd', data: 'root' },
            { name: 'bell_x.jpg', data: JPEG },
            { name: 'rlo__y.jpg', data: JPEG },
          ]),
          'xx/evil.jpg',
          '../evil.jpg',
        ),
        'aetc/passwd',
        '/etc/passwd',
      ),
      'bell_x.jpg',
      'bell\u0007x.jpg',
    );
    const archive = await openArchive(renameInZip(zip, 'rlo__y', 'rl\u202ey'), 'The zip');
    expect(archive.entries.map((e) => [e.name, e.refused])).toEqual([
      ['_chat.txt', null],
      ['../evil.jpg', 'its name climbs out of the archive ("..")'],
      ['/etc/passwd', 'its name is an absolute path'],
      ['bell\u0007x.jpg', 'its name has control characters'],
      ['rl\u202ey.jpg', 'its name has text-direction overrides'],
    ]);
    // Problems show the names escaped, never raw.
    const messages = archive.problems.map((p) => p.message).join('\n');
    expect(messages).toContain('"bell\\u0007x.jpg"');
    expect(messages).toContain('"rl\\u202ey.jpg"');
    expect(messages).not.toContain('\u0007');
    expect(messages).not.toContain('\u202e');
  });

  it('refuses an encrypted entry; an encrypted chat text gives no messages and says why', async () => {
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes },
      { name: PHOTO, data: JPEG },
    ]);
    const { central, local } = zipHeaders(zip);
    // General purpose flag bit 0 (encrypted): central +8, local +6.
    zip.writeUInt16LE(zip.readUInt16LE(central[0]! + 8) | 1, central[0]! + 8);
    zip.writeUInt16LE(zip.readUInt16LE(local[0]! + 6) | 1, local[0]! + 6);
    const read = await readWhatsAppExport(zip, 'x.zip', UTC);
    expect(read.messages).toEqual([]);
    expect(read.summary.problems.map((p) => p.message)).toEqual([
      '"_chat.txt" in The zip was not read: it is encrypted with the zip format\'s own password.',
      expect.stringMatching(/^No chat text was found/),
    ]);
    expect(read.media.map((m) => m.name)).toEqual([PHOTO]);
  });

  it('refuses both copies of a name that appears twice', async () => {
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes },
      { name: 'dup.jpg', data: JPEG },
      { name: 'dup.jpg', data: new Uint8Array([1, 2, 3]) },
    ]);
    const archive = await openArchive(zip, 'The zip');
    expect(archive.entries.map((e) => e.refused)).toEqual([
      null,
      'the name appears 2 times in the zip',
      'the name appears 2 times in the zip',
    ]);
    expect(archive.find('dup.jpg')).toBeUndefined();
  });

  it('refuses entries whose data overlap (one stream claimed by two names)', async () => {
    const zip = await zipOf([
      { name: 'one.bin', data: 'a'.repeat(100) },
      { name: 'two.bin', data: 'b'.repeat(100) },
    ]);
    const { central } = zipHeaders(zip);
    // Point the second entry at the first entry's local header (offset at +42).
    zip.writeUInt32LE(zip.readUInt32LE(central[0]! + 42), central[1]! + 42);
    const archive = await openArchive(zip, 'The zip');
    expect(archive.entries.map((e) => e.refused)).toEqual([
      expect.stringMatching(/overlaps another file/),
      expect.stringMatching(/overlaps another file/),
    ]);
  });

  it('opens a zip from a file on disk as well as from bytes', async () => {
    const dir = await tempDir();
    const path = join(dir, 'export.zip');
    writeFileSync(path, await zipOf([{ name: '_chat.txt', data: iosChat.bytes }]));
    const archive = await openArchive({ path }, 'export.zip');
    expect(await archive.read(archive.find('_chat.txt')!)).toEqual(Buffer.from(iosChat.bytes));
    archive.close();
  });

  it('says clearly when the file is not a zip at all', async () => {
    await expect(openArchive(new Uint8Array([1, 2, 3]), 'notes.zip')).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringMatching(/^notes.zip is not a readable zip file/),
    });
  });
});

describe('readWhatsAppExport on damaged zips', () => {
  it('never throws but clear DossierErrors, whatever bytes of a real export are changed', async () => {
    const zip = await zipOf([
      { name: '_chat.txt', data: iosChat.bytes },
      { name: PHOTO, data: JPEG },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: zip.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat({ max: zip.length }),
        async (changes, cut) => {
          const damaged = Buffer.from(zip.subarray(0, Math.max(4, cut)));
          for (const [at, value] of changes)
            if (at >= 4 && at < damaged.length) damaged[at] = value;
          try {
            const read = await readWhatsAppExport(damaged, 'x.zip', { ...UTC, dateOrder: 'dmy' });
            for (const m of read.media) {
              try {
                await m.read();
              } catch (e) {
                expect(e).toBeInstanceOf(DossierError);
              }
            }
            if (read.chatBytes !== null) {
              for (const m of read.messages) {
                expect(m.offset + m.length).toBeLessThanOrEqual(read.chatBytes.length);
              }
            } else {
              expect(read.messages).toEqual([]);
              expect(read.summary.problems.length).toBeGreaterThan(0);
            }
          } catch (e) {
            expect(e).toBeInstanceOf(DossierError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
