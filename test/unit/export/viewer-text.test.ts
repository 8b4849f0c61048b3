/** How the offline viewer reads a text file exhibit's bytes (main/core/export/viewer/page). */
import { describe, expect, it } from 'vitest';
import { decodeText, MAX_SHOWN_CHARS } from '../../../main/core/export/viewer/page/text-decoding';

const utf16le = (s: string): Uint8Array =>
  new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]));

describe('viewer text files', () => {
  it('reads UTF-8, and UTF-8 or UTF-16 by their byte order marks', () => {
    expect(decodeText(new Uint8Array(Buffer.from('héllo')), false)).toEqual({
      text: 'héllo',
      encoding: 'UTF-8',
      truncated: false,
    });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), false).encoding).toBe(
      'UTF-8 (byte order mark)',
    );
    expect(decodeText(utf16le('wait outside'), false).text).toBe('wait outside');
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x41]);
    expect(decodeText(be, false)).toMatchObject({
      text: 'A',
      encoding: 'UTF-16BE (byte order mark)',
    });
  });

  it('says when bytes are not valid text, but not for a character cut at the end', () => {
    expect(decodeText(new Uint8Array([0x61, 0xff, 0x62]), false).encoding).toContain(
      'not valid text',
    );
    const cut = new Uint8Array(Buffer.from('ab€')).subarray(0, 4);
    expect(decodeText(cut, true)).toMatchObject({ encoding: 'UTF-8', truncated: true });
  });

  it('shows at most MAX_SHOWN_CHARS and says it is cut', () => {
    const big = new Uint8Array(MAX_SHOWN_CHARS + 10).fill(0x61);
    const r = decodeText(big, false);
    expect(r.text).toHaveLength(MAX_SHOWN_CHARS);
    expect(r.truncated).toBe(true);
  });
});
