import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SNIFF_HEAD_BYTES, sniffMime } from '../../../main/core/evidence/sniff';
import { HOSTILE_NAME, makeEvidenceFixtures } from '../../fixtures/evidence';

const dir = await mkdtemp(join(tmpdir(), 'dossier-sniff-'));
const fx = await makeEvidenceFixtures(dir);
afterAll(() => rm(dir, { recursive: true, force: true }));

const sniffFile = async (path: string, name = 'whatever') => sniffMime(await readFile(path), name);
const sniffText = (text: string) => sniffMime(Buffer.from(text, 'utf8'), 'x');

describe('sniffMime', () => {
  it('goes by the bytes, not the name: a PNG called .txt is a PNG', async () => {
    expect(await sniffFile(fx.pngNamedTxt, 'not-really.txt')).toEqual({
      mime: 'image/png',
      ext: 'png',
    });
    expect(await sniffFile(fx.plainJpeg, 'report.pdf')).toEqual({ mime: 'image/jpeg', ext: 'jpg' });
    expect(await sniffFile(fx.text, 'holiday.jpg')).toEqual({ mime: 'text/plain', ext: 'txt' });
  });

  it('gives the same answer whatever the name, hostile ones included', async () => {
    const png = await readFile(fx.screenshotPng);
    const expected = await sniffMime(png, 'screenshot.png');
    expect((await sniffMime(png, HOSTILE_NAME)).mime).toBe('image/png');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (name) => {
        expect(await sniffMime(png, name)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('knows the common evidence formats by their magic bytes', async () => {
    expect(await sniffFile(fx.screenshotPng)).toEqual({ mime: 'image/png', ext: 'png' });
    expect(await sniffFile(fx.pdf)).toEqual({ mime: 'application/pdf', ext: 'pdf' });
    // A damaged file is still its type: the damage is found later.
    expect((await sniffFile(fx.truncatedPng)).mime).toBe('image/png');
  });

  it('calls an empty file application/x-empty', async () => {
    expect(await sniffFile(fx.empty)).toEqual({ mime: 'application/x-empty', ext: null });
    expect(await sniffMime(new Uint8Array(0), '')).toEqual({
      mime: 'application/x-empty',
      ext: null,
    });
  });

  it('calls UTF-8 text text/plain, and bytes that are not text application/octet-stream', async () => {
    expect(await sniffFile(fx.text)).toEqual({ mime: 'text/plain', ext: 'txt' });
    expect(await sniffFile(fx.randomBytes)).toEqual({
      mime: 'application/octet-stream',
      ext: null,
    });
    // A NUL byte means binary even when every byte is ASCII.
    expect((await sniffText('abc\0def')).mime).toBe('application/octet-stream');
    // Invalid UTF-8 (a lone continuation byte).
    expect((await sniffMime(Buffer.from([0x61, 0x80, 0x62]), 'x')).mime).toBe(
      'application/octet-stream',
    );
    // A UTF-8 byte order mark is fine.
    expect((await sniffText('\ufeffhello')).mime).toBe('text/plain');
  });

  it('recognises an e-mail by its RFC 5322 header block', async () => {
    expect(await sniffFile(fx.eml)).toEqual({ mime: 'message/rfc822', ext: 'eml' });
    expect((await sniffText('From: a@b.example\nTo: c@d.example\n\nhi\n')).mime).toBe(
      'message/rfc822',
    );
    expect(
      (await sniffText('Received: from x\n  by y; Sat, 9 Mar 2024\nDate: Sat, 9 Mar 2024\n\nb'))
        .mime,
    ).toBe('message/rfc822');
  });

  it('does not take a note that starts like a header for an e-mail', async () => {
    expect((await sniffText('Date: 9 March\nHe was outside the house again.\n')).mime).toBe(
      'text/plain',
    );
    expect((await sniffText('Subject: the car\nDate: 9 March\n\nnotes')).mime).toBe('text/plain');
    expect((await sniffText('From: memory\n')).mime).toBe('text/plain');
  });

  it('recognises HTML by its doctype or <html> tag, in any case', async () => {
    expect(await sniffFile(fx.html)).toEqual({ mime: 'text/html', ext: 'html' });
    expect((await sniffText('\n  <HTML><body>x</body></HTML>')).mime).toBe('text/html');
    expect((await sniffText('<!doctype HTML><p>x')).mime).toBe('text/html');
    expect((await sniffText('<p>not a document</p>')).mime).toBe('text/plain');
  });

  it('allows a character cut in half at the 64 KiB mark, but not at the real end', async () => {
    const e = Buffer.from('é', 'utf8');
    const cut = Buffer.concat([Buffer.alloc(SNIFF_HEAD_BYTES - 1, 'a'), e.subarray(0, 1)]);
    expect((await sniffMime(cut, 'x')).mime).toBe('text/plain');
    const short = Buffer.concat([Buffer.from('abc'), e.subarray(0, 1)]);
    expect((await sniffMime(short, 'x')).mime).toBe('application/octet-stream');
  });

  it('looks at no more than the first 64 KiB', async () => {
    const big = Buffer.concat([Buffer.alloc(SNIFF_HEAD_BYTES, 'a'), Buffer.from([0])]);
    expect((await sniffMime(big, 'x')).mime).toBe('text/plain');
  });

  it('never throws, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.string(), async (bytes, name) => {
        const s = await sniffMime(bytes, name);
        expect(typeof s.mime).toBe('string');
        expect(s.mime).toMatch(/^[a-z]+\/[\w.+-]+$/);
      }),
      { numRuns: 300 },
    );
  });
});
