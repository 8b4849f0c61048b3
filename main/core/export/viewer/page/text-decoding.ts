/** Reading a file's bytes as text, the way a text editor would. */

/** Text beyond this many characters is not shown (the whole file is in the bundle). */
export const MAX_SHOWN_CHARS = 2_000_000;

export interface DecodedText {
  text: string;
  encoding: string;
  truncated: boolean;
}

/** By its byte order mark, else UTF-8; damaged bytes become U+FFFD (and are said to be). */
export function decodeText(bytes: Uint8Array, cut: boolean): DecodedText {
  let label = 'utf-8';
  let name = 'UTF-8';
  let skip = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    skip = 3;
    name = 'UTF-8 (byte order mark)';
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    label = 'utf-16le';
    skip = 2;
    name = 'UTF-16LE (byte order mark)';
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    label = 'utf-16be';
    skip = 2;
    name = 'UTF-16BE (byte order mark)';
  }
  let text = new TextDecoder(label).decode(bytes.subarray(skip));
  // A file cut short may end inside a character: that is not damage in the file.
  const checked = cut ? text.slice(0, -2) : text;
  if (checked.indexOf('\ufffd') >= 0) {
    name += ', with bytes that are not valid text shown as \ufffd';
  }
  let truncated = cut;
  if (text.length > MAX_SHOWN_CHARS) {
    text = text.slice(0, MAX_SHOWN_CHARS);
    truncated = true;
  }
  return { text, encoding: name, truncated };
}
