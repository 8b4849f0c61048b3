import { randomFillSync } from 'node:crypto';

// Crockford base32, lower case: easy to read aloud and to type as a prefix.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const ID_BYTES = 17;
// One call to the system's random source per 256 ids, not per id: a mailbox gives each of
// its 100,000 messages an id, and each call costs far more than the 17 bytes it returns.
const pool = Buffer.alloc(ID_BYTES * 256);
let used = pool.length;

/** A random 130-bit id (26 characters). Random, so an id says nothing about the content. */
export function newId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = pool.subarray(used, used + ID_BYTES);
  used += ID_BYTES;
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
