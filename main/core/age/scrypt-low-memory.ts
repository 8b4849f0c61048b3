/**
 * scrypt (RFC 7914) computed in a quarter of its usual memory, for opening age files.
 *
 * scrypt's second loop reads back blocks V[j] the first loop wrote. Keeping only every
 * `spacing`-th block and recomputing the others from the nearest kept one (at most
 * spacing − 1 BlockMix calls) gives exactly the same key with 1/spacing of the table, for
 * about (spacing + 3) / 4 times the work (RFC 7914 §2 notes this trade-off). Opening a
 * `.zip.age` at age's work factor 2^18 then needs 64 MiB instead of 256 MiB, so a reviewer's
 * laptop is not asked for a quarter of a gigabyte to check a passphrase. The file format, the
 * work factor and the cost to someone guessing passphrases are unchanged.
 */
import { endianness } from 'node:os';
import { pbkdf2Sync } from 'node:crypto';

/** Words (32-bit) in one 64-byte Salsa20 block. */
const BLOCK_WORDS = 16;

/**
 * scrypt(passphrase, salt, N = 2^logN, r, p = 1, dkLen) keeping at most `tableBytes` of the
 * table (rounded down to a power-of-two spacing; never below one kept block in 2^logN).
 */
export function scryptLowMemory(
  passphrase: Uint8Array,
  salt: Uint8Array,
  logN: number,
  r: number,
  dkLen: number,
  tableBytes: number,
): Buffer {
  if (endianness() !== 'LE') throw new Error('scryptLowMemory: little-endian machines only');
  if (!Number.isInteger(logN) || logN < 1 || logN > 31) throw new RangeError('scrypt: logN');
  if (!Number.isInteger(r) || r < 1 || r > 64) throw new RangeError('scrypt: r');
  const N = 2 ** logN;
  const words = 32 * r; // 128 * r bytes
  const spacing = tableSpacing(logN, r, tableBytes);

  const b = pbkdf2Sync(passphrase, salt, 1, 128 * r, 'sha256');
  const x = new Uint32Array(words);
  // Word by word: a view would need the buffer 4-byte aligned, which Node does not promise.
  for (let w = 0; w < words; w++) x[w] = b.readUInt32LE(w * 4);
  const table = new Uint32Array((N / spacing) * words);
  const scratch = new Uint32Array(words);
  const y = new Uint32Array(words);
  const t = new Uint32Array(BLOCK_WORDS);

  for (let i = 0; i < N; i++) {
    if (i % spacing === 0) table.set(x, (i / spacing) * words);
    blockMix(x, y, t, r);
  }
  const mask = N - 1;
  const last = (2 * r - 1) * BLOCK_WORDS;
  for (let i = 0; i < N; i++) {
    const j = x[last]! & mask;
    const kept = j - (j % spacing);
    scratch.set(table.subarray((kept / spacing) * words, (kept / spacing + 1) * words));
    for (let k = kept; k < j; k++) blockMix(scratch, y, t, r);
    for (let w = 0; w < words; w++) x[w]! ^= scratch[w]!;
    blockMix(x, y, t, r);
  }
  table.fill(0);
  scratch.fill(0);
  y.fill(0);
  const out = Buffer.from(x.buffer, x.byteOffset, words * 4);
  try {
    return pbkdf2Sync(passphrase, out, 1, dkLen, 'sha256');
  } finally {
    out.fill(0);
    b.fill(0);
  }
}

/** Every how many blocks one is kept: the smallest power of two whose table fits. */
export function tableSpacing(logN: number, r: number, tableBytes: number): number {
  const N = 2 ** logN;
  let spacing = 1;
  while (spacing < N && (N / spacing) * 128 * r > tableBytes) spacing *= 2;
  return spacing;
}

/** scryptBlockMix (RFC 7914 §4), in place on `b`; `y` and `t` are scratch. */
function blockMix(b: Uint32Array, y: Uint32Array, t: Uint32Array, r: number): void {
  t.set(b.subarray((2 * r - 1) * BLOCK_WORDS, 2 * r * BLOCK_WORDS));
  for (let i = 0; i < 2 * r; i++) {
    const off = i * BLOCK_WORDS;
    for (let w = 0; w < BLOCK_WORDS; w++) t[w]! ^= b[off + w]!;
    salsa208(t);
    // Even blocks to the first half, odd blocks to the second.
    y.set(t, ((i >> 1) + (i & 1) * r) * BLOCK_WORDS);
  }
  b.set(y);
}

/** The Salsa20/8 core (RFC 7914 §3), in place. */
function salsa208(s: Uint32Array): void {
  let x0 = s[0]!,
    x1 = s[1]!,
    x2 = s[2]!,
    x3 = s[3]!,
    x4 = s[4]!,
    x5 = s[5]!,
    x6 = s[6]!,
    x7 = s[7]!,
    x8 = s[8]!,
    x9 = s[9]!,
    x10 = s[10]!,
    x11 = s[11]!,
    x12 = s[12]!,
    x13 = s[13]!,
    x14 = s[14]!,
    x15 = s[15]!;
  let u: number;
  for (let i = 0; i < 8; i += 2) {
    u = (x0 + x12) | 0;
    x4 ^= (u << 7) | (u >>> 25);
    u = (x4 + x0) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x4) | 0;
    x12 ^= (u << 13) | (u >>> 19);
    u = (x12 + x8) | 0;
    x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x1) | 0;
    x9 ^= (u << 7) | (u >>> 25);
    u = (x9 + x5) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x9) | 0;
    x1 ^= (u << 13) | (u >>> 19);
    u = (x1 + x13) | 0;
    x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x6) | 0;
    x14 ^= (u << 7) | (u >>> 25);
    u = (x14 + x10) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x14) | 0;
    x6 ^= (u << 13) | (u >>> 19);
    u = (x6 + x2) | 0;
    x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x11) | 0;
    x3 ^= (u << 7) | (u >>> 25);
    u = (x3 + x15) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x3) | 0;
    x11 ^= (u << 13) | (u >>> 19);
    u = (x11 + x7) | 0;
    x15 ^= (u << 18) | (u >>> 14);
    u = (x0 + x3) | 0;
    x1 ^= (u << 7) | (u >>> 25);
    u = (x1 + x0) | 0;
    x2 ^= (u << 9) | (u >>> 23);
    u = (x2 + x1) | 0;
    x3 ^= (u << 13) | (u >>> 19);
    u = (x3 + x2) | 0;
    x0 ^= (u << 18) | (u >>> 14);
    u = (x5 + x4) | 0;
    x6 ^= (u << 7) | (u >>> 25);
    u = (x6 + x5) | 0;
    x7 ^= (u << 9) | (u >>> 23);
    u = (x7 + x6) | 0;
    x4 ^= (u << 13) | (u >>> 19);
    u = (x4 + x7) | 0;
    x5 ^= (u << 18) | (u >>> 14);
    u = (x10 + x9) | 0;
    x11 ^= (u << 7) | (u >>> 25);
    u = (x11 + x10) | 0;
    x8 ^= (u << 9) | (u >>> 23);
    u = (x8 + x11) | 0;
    x9 ^= (u << 13) | (u >>> 19);
    u = (x9 + x8) | 0;
    x10 ^= (u << 18) | (u >>> 14);
    u = (x15 + x14) | 0;
    x12 ^= (u << 7) | (u >>> 25);
    u = (x12 + x15) | 0;
    x13 ^= (u << 9) | (u >>> 23);
    u = (x13 + x12) | 0;
    x14 ^= (u << 13) | (u >>> 19);
    u = (x14 + x13) | 0;
    x15 ^= (u << 18) | (u >>> 14);
  }
  s[0] = (s[0]! + x0) | 0;
  s[1] = (s[1]! + x1) | 0;
  s[2] = (s[2]! + x2) | 0;
  s[3] = (s[3]! + x3) | 0;
  s[4] = (s[4]! + x4) | 0;
  s[5] = (s[5]! + x5) | 0;
  s[6] = (s[6]! + x6) | 0;
  s[7] = (s[7]! + x7) | 0;
  s[8] = (s[8]! + x8) | 0;
  s[9] = (s[9]! + x9) | 0;
  s[10] = (s[10]! + x10) | 0;
  s[11] = (s[11]! + x11) | 0;
  s[12] = (s[12]! + x12) | 0;
  s[13] = (s[13]! + x13) | 0;
  s[14] = (s[14]! + x14) | 0;
  s[15] = (s[15]! + x15) | 0;
}
