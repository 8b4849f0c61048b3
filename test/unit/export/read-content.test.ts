// The loader behind the court bundle's exhibit pages: it reads only what it needs from an
// original (never a whole 2 GB video), always closes it, and names what it cannot show.
import { describe, expect, it } from 'vitest';
import {
  otherContent,
  readExhibitContent,
  type OriginalReader,
} from '../../../main/core/export/bundle/read-content';
import {
  MAX_BUFFERED_EMAIL_BYTES,
  MAX_BUFFERED_TEXT_BYTES,
} from '../../../main/core/evidence/text';
import type { Exhibit } from '../../../main/core/export/model';
import { previewOf, testExhibit } from '../../support/exhibit';

const BOX = { width: 483, height: 690 };

/** An original of `size` bytes ("aaa…") that records every read. */
function fakeOriginal(size: number) {
  const log = { opened: 0, closed: 0, reads: [] as [number, number][] };
  const open = async (): Promise<OriginalReader> => {
    log.opened++;
    return {
      size,
      read: async (start, end) => {
        log.reads.push([start, end]);
        return Buffer.alloc(end - start, 0x61);
      },
      close: async () => {
        log.closed++;
      },
    };
  };
  return { open, log };
}

function read(ex: Exhibit, original: ReturnType<typeof fakeOriginal>, pixels = true) {
  return readExhibitContent(ex, original.open, BOX, { pixels });
}

describe('readExhibitContent', () => {
  it('never opens a recording, a document or an unknown file', async () => {
    for (const mime of ['video/mp4', 'audio/ogg', 'application/pdf', 'application/zip']) {
      const original = fakeOriginal(2 * 1024 ** 3);
      const c = await read(testExhibit({ mime, size: 2 * 1024 ** 3 }), original);
      expect(c.kind).toBe('other');
      expect(original.log.opened).toBe(0);
    }
  });

  it('reads only the start of a huge email or text file, and says so', async () => {
    const size = 2 * 1024 ** 3;
    const email = fakeOriginal(size);
    const e = await read(testExhibit({ mime: 'message/rfc822', size }), email);
    expect(email.log.reads).toEqual([[0, MAX_BUFFERED_EMAIL_BYTES]]);
    expect(email.log.closed).toBe(1);
    expect(e.kind === 'email' && e.problems.join(' ')).toMatch(/only its first 32 MiB were read/);

    const text = fakeOriginal(size);
    const t = await read(testExhibit({ mime: 'text/plain; charset=utf-8', size }), text);
    expect(text.log.reads).toEqual([[0, MAX_BUFFERED_TEXT_BYTES]]);
    expect(t).toMatchObject({ kind: 'text', truncated: true });
  });

  it('counts an image’s pages without opening it, and never opens one it will not show', async () => {
    const ex = testExhibit({
      mime: 'image/png',
      width: 1170,
      height: 9000,
      preview: previewOf(Buffer.from('x')),
    });
    const original = fakeOriginal(100);
    const c = await read(ex, original, false);
    expect(c.kind === 'image' && c.slices.length).toBeGreaterThan(1);
    const bomb = testExhibit({ mime: 'image/png', width: 100_000, height: 100_000 });
    expect((await read(bomb, original, true)).kind).toBe('other');
    expect(original.log.opened).toBe(0);
  });

  it('shows UTF-16 text that the type sniffer called binary, and reads no more of a binary', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Notepad\r\nnote', 'utf16le'),
    ]);
    const opener = (bytes: Buffer) => async (): Promise<OriginalReader> => ({
      size: bytes.length,
      read: async (start, end) => bytes.subarray(start, end),
      close: async () => {},
    });
    const ex = (b: Buffer) => testExhibit({ mime: 'application/octet-stream', size: b.length });
    expect(await readExhibitContent(ex(utf16), opener(utf16), BOX, { pixels: true })).toEqual({
      kind: 'text',
      text: 'Notepad\nnote',
      encoding: 'UTF-16LE (byte order mark)',
      truncated: false,
    });
    // A binary that happens to start like UTF-16 but is full of controls is not text.
    const binary = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.alloc(200, 0)]);
    expect((await readExhibitContent(ex(binary), opener(binary), BOX, { pixels: true })).kind).toBe(
      'other',
    );
    const big = fakeOriginal(2 * 1024 ** 3);
    const c = await read(
      testExhibit({ mime: 'application/octet-stream', size: 2 * 1024 ** 3 }),
      big,
    );
    expect(c.kind).toBe('other');
    expect(big.log.reads).toEqual([[0, 2]]);
    expect(big.log.closed).toBe(1);
  });

  it('closes the original even when reading it fails, and lets the failure through', async () => {
    let closed = 0;
    const open = async (): Promise<OriginalReader> => ({
      size: 10,
      read: () => Promise.reject(new Error('disk gone')),
      close: async () => {
        closed++;
      },
    });
    await expect(
      readExhibitContent(testExhibit({ mime: 'text/plain' }), open, BOX, { pixels: true }),
    ).rejects.toThrow('disk gone');
    expect(closed).toBe(1);
  });
});

describe('otherContent', () => {
  it('says in plain words what the file is and to open the original', () => {
    const reasons = Object.fromEntries(
      [
        'audio/mpeg',
        'video/mp4',
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.ms-excel',
        'application/vnd.ms-outlook',
        'application/mbox',
        'application/zip',
        'application/octet-stream',
      ].map((m) => [m, otherContent(m).reason]),
    );
    expect(reasons).toEqual({
      'audio/mpeg': 'a sound recording: play the original',
      'video/mp4': 'a video: play the original',
      'application/pdf': 'a PDF document: open the original',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
        'a Word document: open the original',
      'application/vnd.ms-excel': 'a spreadsheet: open the original',
      'application/vnd.ms-outlook':
        'an Outlook message file (.msg), which Dossier cannot show as text: open the original',
      'application/mbox': 'a mailbox file, which may hold many emails: open the original',
      'application/zip': 'a zip archive: open the original',
      'application/octet-stream': 'a file of a kind Dossier cannot show: open the original',
    });
  });
});
