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

/** Characters of a sequence's shared random prefix (80 bits) and of its count (50 bits). */
const SEQUENCE_PREFIX = 16;
const SEQUENCE_COUNT = 26 - SEQUENCE_PREFIX;

/**
 * Ids for rows made together (a conversation's messages): a random 80-bit prefix shared by the
 * sequence, then a 50-bit count from zero, so consecutive ids sort next to each other. A
 * mailbox's 100,000 messages then go into the indexes on their ids side by side, not at
 * random places (docs/vault-format.md §2). The same alphabet and length as newId().
 */
export function idSequence(): () => string {
  const prefix = newId().slice(0, SEQUENCE_PREFIX);
  let next = 0;
  return () => {
    if (next >= 32 ** SEQUENCE_COUNT) throw new Error('An id sequence ran out of ids.');
    let count = '';
    for (let v = next++, i = 0; i < SEQUENCE_COUNT; i++, v = Math.floor(v / 32)) {
      count = ALPHABET[v % 32]! + count;
    }
    return prefix + count;
  };
}

export const ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/;
