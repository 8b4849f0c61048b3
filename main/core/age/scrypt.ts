/**
 * The scrypt recipient type (spec section "The scrypt recipient type"):
 * `-> scrypt <salt> <log2 N>`, body = ChaCha20-Poly1305(scrypt(passphrase,
 * label || salt, N, r=8, p=1), file key). It must be the header's only stanza.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { AgeError } from './errors';
import { b64Decode, b64Encode } from './format';
import { FILE_KEY_SIZE, openOnce, sealOnce, TAG_SIZE, wipe } from './primitives';
import { scryptLowMemory, tableSpacing } from './scrypt-low-memory';
import type { Identity, Recipient, Stanza } from './types';

const LABEL = Buffer.from('age-encryption.org/v1/scrypt', 'latin1');
const SALT_SIZE = 16;
const R = 8;
export const DEFAULT_LOG_N = 18;
/** Decryption refuses more work than this by default (2^22 needs 4 GiB and seconds). */
export const DEFAULT_MAX_LOG_N = 22;
// Above this no honest file exists; treat it as malformed rather than merely too costly.
const MAX_SANE_LOG_N = 63;

/**
 * What opening a file may spend on scrypt's table: 2^18 (age's default, and every file
 * Dossier writes) then needs 64 MiB instead of 256 MiB, for about 1.75 times the work (about
 * two seconds). The key is the same (scrypt-low-memory.ts); only the opener's memory changes,
 * so a 1 GiB `.zip.age` opens for review in under 256 MiB in all.
 */
export const OPEN_TABLE_BYTES = 64 * 1024 * 1024;
/** One block kept in at most this many: about 1.75 times the work, never more. */
const MAX_OPEN_SPACING = 4;

function deriveKey(passphrase: Buffer, salt: Buffer, logN: number): Buffer {
  const N = 2 ** logN;
  // scrypt needs 128 * r * N bytes; leave headroom over Node's 32 MiB default.
  return scryptSync(passphrase, Buffer.concat([LABEL, salt]), 32, {
    N,
    r: R,
    p: 1,
    maxmem: 256 * R * N + 16 * 1024 * 1024,
  });
}

function checkLogN(logN: number, what: string): void {
  if (!Number.isInteger(logN) || logN < 1 || logN > 40) {
    throw new RangeError(`age: ${what} must be an integer from 1 to 40`);
  }
}

export class ScryptRecipient implements Recipient {
  private readonly passphrase: Buffer;

  constructor(
    passphrase: string,
    private readonly logN = DEFAULT_LOG_N,
  ) {
    if (passphrase.length === 0) throw new TypeError('age: empty passphrase');
    checkLogN(logN, 'scrypt work factor');
    this.passphrase = Buffer.from(passphrase, 'utf8');
  }

  wrap(fileKey: Buffer): Stanza[] {
    if (fileKey.length !== FILE_KEY_SIZE) throw new TypeError('age: file key must be 16 bytes');
    const salt = randomBytes(SALT_SIZE);
    const key = deriveKey(this.passphrase, salt, this.logN);
    try {
      return [
        {
          type: 'scrypt',
          args: [b64Encode(salt), String(this.logN)],
          body: sealOnce(key, fileKey),
        },
      ];
    } finally {
      wipe(key);
    }
  }

  /** Zeroes this object's copy of the passphrase (the caller's string cannot be). */
  wipe(): void {
    wipe(this.passphrase);
  }
}

export class ScryptIdentity implements Identity {
  private readonly passphrase: Buffer;

  constructor(
    passphrase: string,
    private readonly maxLogN = DEFAULT_MAX_LOG_N,
  ) {
    checkLogN(maxLogN, 'maximum scrypt work factor');
    this.passphrase = Buffer.from(passphrase, 'utf8');
  }

  unwrap(stanzas: readonly Stanza[]): Buffer | null {
    const s = stanzas.find((st) => st.type === 'scrypt');
    if (s === undefined) return null;
    // Alone, so a passphrase file cannot be silently re-encrypted to extra recipients.
    if (stanzas.length !== 1) {
      throw new AgeError('HEADER', 'A passphrase-encrypted file must have no other recipients.');
    }
    const [saltArg, logNArg, ...extra] = s.args;
    const salt = saltArg === undefined ? null : b64Decode(saltArg);
    if (salt === null || salt.length !== SALT_SIZE || logNArg === undefined || extra.length > 0) {
      throw new AgeError('HEADER', 'The passphrase stanza in the header is malformed.');
    }
    // Canonical decimal only: no sign, no leading zero, no hex or octal.
    const logN = /^[1-9][0-9]?$/.test(logNArg) ? Number(logNArg) : NaN;
    if (!(logN <= MAX_SANE_LOG_N)) {
      throw new AgeError('HEADER', 'The passphrase stanza has an invalid work factor.');
    }
    if (s.body.length !== FILE_KEY_SIZE + TAG_SIZE) {
      throw new AgeError('HEADER', 'The passphrase stanza body has the wrong size.');
    }
    if (logN > this.maxLogN) {
      throw new AgeError(
        'UNSUPPORTED',
        `This file's passphrase work factor (2^${logN}) is above the allowed limit (2^${this.maxLogN}).`,
      );
    }
    // Above 2^18 (no file Dossier writes) the trade-off would cost many times the work: a
    // hostile file claiming 2^22 would hold the opener for minutes, so it gets the full table.
    const key =
      tableSpacing(logN, R, OPEN_TABLE_BYTES) <= MAX_OPEN_SPACING
        ? scryptLowMemory(
            this.passphrase,
            Buffer.concat([LABEL, salt]),
            logN,
            R,
            32,
            OPEN_TABLE_BYTES,
          )
        : deriveKey(this.passphrase, salt, logN);
    try {
      return openOnce(key, s.body);
    } finally {
      wipe(key);
    }
  }

  /** Zeroes this object's copy of the passphrase (the caller's string cannot be). */
  wipe(): void {
    wipe(this.passphrase);
  }
}
