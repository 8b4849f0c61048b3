/**
 * ASCII armor (spec section "ASCII armor"): strict PEM with padded base64 in 64-column
 * lines. Only whitespace around the armor and CRLF line endings are tolerated.
 */
import { AgeError } from './errors';

const BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
const END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const LINE_CHARS = /^[A-Za-z0-9+/=]+$/;
const PADDED_B64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** True when the input, after leading whitespace, starts like a PEM block. */
export function looksArmored(input: Buffer): boolean {
  let i = 0;
  while (i < input.length && isSpace(input[i] ?? 0)) i++;
  return input.toString('latin1', i, i + 10) === '-----BEGIN';
}

export function armorEncode(data: Buffer): string {
  const b64 = data.toString('base64');
  let out = BEGIN + '\n';
  for (let i = 0; i < b64.length; i += COLUMNS) out += b64.slice(i, i + COLUMNS) + '\n';
  return out + END + '\n';
}

function armorError(message: string): AgeError {
  return new AgeError('ARMOR', `The armored (text) age file is malformed: ${message}.`);
}

export function armorDecode(input: Buffer | string): Buffer {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;

  const lines = text.slice(start, end).split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const l = lines[i] ?? '';
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  if (lines[0] !== BEGIN) throw armorError('it does not start with the BEGIN line');
  if (lines.length < 2 || lines[lines.length - 1] !== END) {
    throw armorError('it does not end with the END line');
  }

  const body = lines.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const l = body[i] ?? '';
    if (!LINE_CHARS.test(l)) throw armorError(`line ${i + 2} is not base64`);
    const last = i === body.length - 1;
    if (last ? l.length > COLUMNS : l.length !== COLUMNS) {
      throw armorError(`line ${i + 2} has the wrong length`);
    }
  }
  const b64 = body.join('');
  if (b64.length % 4 !== 0 || !PADDED_B64.test(b64)) throw armorError('the base64 is invalid');
  const data = Buffer.from(b64, 'base64');
  if (data.toString('base64') !== b64) throw armorError('the base64 is not canonical');
  return data;
}
