/**
 * BIP173 Bech32 (not Bech32m), as age uses it for keys: no 90-character limit,
 * because post-quantum keys are longer, and all-lower or all-upper case only.
 */

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

const CHARSET_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) CHARSET_REV[CHARSET.charCodeAt(i)] = i;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) {
      if ((top >>> i) & 1) chk ^= GENERATORS[i] ?? 0;
    }
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

/** Regroups bits; when decoding, leftover bits must be fewer than `from` and all zero. */
function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ?? 0;
    acc = ((acc << from) | v) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    throw new Error('bech32: invalid padding');
  }
  return out;
}

/** Encodes in lowercase; callers wanting uppercase (secret keys) uppercase the result. */
export function bech32Encode(hrp: string, data: Uint8Array): string {
  const lowerHrp = hrp.toLowerCase();
  if (lowerHrp.length === 0) throw new Error('bech32: empty prefix');
  for (let i = 0; i < lowerHrp.length; i++) {
    const c = lowerHrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new Error('bech32: invalid prefix character');
  }
  const values = convertBits(data, 8, 5, true);
  const mod = polymod([...hrpExpand(lowerHrp), ...values, 0, 0, 0, 0, 0, 0]) ^ 1;
  let out = lowerHrp + '1';
  for (const v of values) out += CHARSET[v];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  return out;
}

/** Returns the lowercase prefix and the data bytes; throws on any invalid input. */
export function bech32Decode(s: string): { hrp: string; data: Buffer } {
  const lower = s.toLowerCase();
  if (lower !== s && s.toUpperCase() !== s) throw new Error('bech32: mixed case');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) throw new Error('bech32: invalid character');
  }
  const pos = lower.lastIndexOf('1');
  if (pos < 1 || pos + 7 > lower.length) throw new Error('bech32: separator misplaced');
  const hrp = lower.slice(0, pos);
  const values: number[] = [];
  for (let i = pos + 1; i < lower.length; i++) {
    const v = CHARSET_REV[lower.charCodeAt(i)] ?? -1;
    if (v < 0) throw new Error('bech32: invalid data character');
    values.push(v);
  }
  if (polymod([...hrpExpand(hrp), ...values]) !== 1) throw new Error('bech32: bad checksum');
  return { hrp, data: Buffer.from(convertBits(values.slice(0, -6), 5, 8, false)) };
}
