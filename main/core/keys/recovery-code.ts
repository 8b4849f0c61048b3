import { randomBytes } from 'node:crypto';
import { DossierError } from '../errors';

// Crockford base32 without I, L, O, U: no letters that look like digits.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BYTES = 20; // 160 bits: no slow KDF is needed to make guessing hopeless.
const GROUP = 4;

/** A new recovery code, e.g. `7K3Q-…` (8 groups of 4), shown to the person once. */
export function newRecoveryCode(): { code: string; secret: Buffer } {
  const secret = randomBytes(CODE_BYTES);
  return { code: formatRecoveryCode(secret), secret };
}

export function formatRecoveryCode(secret: Buffer): string {
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of secret) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

/** Accepts the code as typed: any case, with or without dashes or spaces, O/I/L read as 0/1/1. */
export function parseRecoveryCode(typed: string): Buffer {
  const clean = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const expected = Math.ceil((CODE_BYTES * 8) / 5);
  if (clean.length !== expected || [...clean].some((c) => !ALPHABET.includes(c))) {
    throw new DossierError(
      'WRONG_PASSPHRASE',
      `That is not a recovery code: it should be ${expected} letters and digits in groups of ${GROUP}, as shown when the vault was created.`,
    );
  }
  const out = Buffer.alloc(CODE_BYTES);
  let bits = 0;
  let acc = 0;
  let i = 0;
  for (const c of clean) {
    acc = ((acc << 5) | ALPHABET.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
