import { randomBytes } from 'node:crypto';

// Crockford base32, lower case: easy to read aloud and to type as a prefix.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A random 130-bit id (26 characters). Random, so an id says nothing about the content. */
export function newId(): string {
  const bytes = randomBytes(17);
  let out = '';
  for (let i = 0; i < 26; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const word = ((bytes[byte] ?? 0) << 8) | (bytes[byte + 1] ?? 0);
    out += ALPHABET[(word >> (11 - (bit & 7))) & 31];
  }
  return out;
}

export const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/;
