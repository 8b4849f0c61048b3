/**
 * The age header (spec section "Header"): version line, stanzas, MAC line.
 * Parsing is strict: only canonical encodings are accepted, so every header has exactly
 * one byte representation and the MAC covers what was parsed.
 */
import { createHmac } from 'node:crypto';
import { AgeError } from './errors';
import { hkdf, wipe } from './primitives';
import type { Stanza } from './types';

export const VERSION_LINE = 'age-encryption.org/v1';
const MAGIC = 'age-encryption.org/';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');
const COLUMNS = 64;
const MAC_SIZE = 32;

const B64_CHARS = /^[A-Za-z0-9+/]*$/;

/** Unpadded standard base64, as the header uses. */
export function b64Encode(buf: Uint8Array): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('base64');
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  return s.slice(0, end);
}

/** Strict unpadded base64: null for padding, stray characters or non-zero trailing bits. */
export function b64Decode(s: string): Buffer | null {
  if (s.length % 4 === 1 || !B64_CHARS.test(s)) return null;
  const buf = Buffer.from(s, 'base64');
  return b64Encode(buf) === s ? buf : null;
}

export interface ParsedHeader {
  stanzas: Stanza[];
  mac: Buffer;
  /** The bytes the MAC covers: everything up to and including "---". */
  macInput: Buffer;
  /** Length of the header in bytes, including the MAC line's newline. */
  length: number;
}

function headerError(message: string): AgeError {
  return new AgeError('HEADER', message);
}

/** Checks that a header line is printable ASCII (which also rules out CR). */
function isPrintable(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i] ?? 0;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Parses the header at the start of `buf`. Returns null when `buf` ends before the header
 * does (so a streaming reader can read more); throws AgeError for a malformed header.
 */
export function parseHeader(buf: Buffer): ParsedHeader | null {
  const probe = Math.min(buf.length, MAGIC_BYTES.length);
  if (!buf.subarray(0, probe).equals(MAGIC_BYTES.subarray(0, probe))) {
    throw headerError('This is not an age-encrypted file.');
  }

  let pos = 0;
  const nextLine = (): { text: string; start: number } | null => {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) return null;
    const start = pos;
    if (!isPrintable(buf, start, nl)) {
      throw headerError('The age header contains a character that is not printable ASCII.');
    }
    pos = nl + 1;
    return { text: buf.toString('latin1', start, nl), start };
  };

  const version = nextLine();
  if (version === null) return null;
  if (version.text !== VERSION_LINE) {
    throw new AgeError(
      'UNSUPPORTED',
      `This file uses an unsupported age version (${version.text}).`,
    );
  }

  const stanzas: Stanza[] = [];
  for (;;) {
    const line = nextLine();
    if (line === null) return null;

    if (line.text.startsWith('---')) {
      const m = /^--- ([A-Za-z0-9+/]{43})$/.exec(line.text);
      const mac = m?.[1] === undefined ? null : b64Decode(m[1]);
      if (mac === null || mac.length !== MAC_SIZE) {
        throw headerError('The age header MAC line is malformed.');
      }
      if (stanzas.length === 0) throw headerError('The age header has no recipients.');
      return {
        stanzas,
        mac,
        macInput: buf.subarray(0, line.start + 3),
        length: pos,
      };
    }

    if (!line.text.startsWith('-> ')) {
      throw headerError('The age header has a line that is neither a stanza nor the MAC.');
    }
    const [type, ...args] = line.text.slice(3).split(' ');
    if (type === undefined || type === '' || args.some((a) => a === '')) {
      throw headerError('An age header stanza has an empty argument.');
    }

    const parts: Buffer[] = [];
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === null) return null;
      const decoded = bodyLine.text.length > COLUMNS ? null : b64Decode(bodyLine.text);
      if (decoded === null)
        throw headerError(
          'An age header stanza body is malformed (it must be canonical base64 in 64-column lines).',
        );
      parts.push(decoded);
      // A short line (possibly empty) ends the body.
      if (bodyLine.text.length < COLUMNS) break;
    }
    stanzas.push({ type, args, body: Buffer.concat(parts) });
  }
}

export function headerMac(fileKey: Buffer, macInput: Buffer): Buffer {
  const key = hkdf(fileKey, Buffer.alloc(0), 'header');
  try {
    return createHmac('sha256', key).update(macInput).digest();
  } finally {
    wipe(key);
  }
}

const VCHARS = /^[\x21-\x7e]+$/;

/** The header text before "---": version line and stanzas, bodies wrapped at 64 columns. */
function encodeStanzas(stanzas: readonly Stanza[]): string {
  let text = VERSION_LINE + '\n';
  for (const s of stanzas) {
    text += `-> ${[s.type, ...s.args].join(' ')}\n`;
    const b64 = b64Encode(s.body);
    for (let i = 0; i < b64.length; i += COLUMNS) text += b64.slice(i, i + COLUMNS) + '\n';
    // The body always ends with a short line, which is empty when the last one was full.
    if (b64.length % COLUMNS === 0) text += '\n';
  }
  return text;
}

/** Serialises stanzas and appends the MAC keyed by the file key. */
export function encodeHeader(stanzas: readonly Stanza[], fileKey: Buffer): Buffer {
  if (stanzas.length === 0) throw new TypeError('age: a header needs at least one stanza');
  for (const s of stanzas) {
    for (const a of [s.type, ...s.args]) {
      if (!VCHARS.test(a)) throw new TypeError(`age: invalid stanza argument ${JSON.stringify(a)}`);
    }
  }
  const macInput = Buffer.from(encodeStanzas(stanzas) + '---', 'latin1');
  const mac = headerMac(fileKey, macInput);
  return Buffer.concat([macInput, Buffer.from(` ${b64Encode(mac)}\n`, 'latin1')]);
}

/** Re-encodes a parsed header byte for byte (for round-trip tests). */
export function reencodeHeader(h: ParsedHeader): Buffer {
  return Buffer.from(`${encodeStanzas(h.stanzas)}--- ${b64Encode(h.mac)}\n`, 'latin1');
}
