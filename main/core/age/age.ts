/** Whole-file encryption and decryption: header, then payload (spec section "Encryption"). */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { armorDecode, looksArmored } from './armor';
import { AgeError } from './errors';
import { encodeHeader, headerMac, parseHeader } from './format';
import type { ParsedHeader } from './format';
import { FILE_KEY_SIZE, TAG_SIZE, wipe } from './primitives';
import {
  CHUNK_SIZE,
  NONCE_SIZE,
  PayloadOpener,
  PayloadSealer,
  payloadKey,
  payloadLayout,
  SEALED_CHUNK_SIZE,
} from './stream';
import type { Identity, Recipient } from './types';

/** Size of the payload (nonce included) that encrypting `plainSize` bytes produces. */
export function encryptedPayloadSize(plainSize: number): number {
  const chunks = Math.max(1, Math.ceil(plainSize / CHUNK_SIZE));
  return NONCE_SIZE + plainSize + chunks * TAG_SIZE;
}

/**
 * Finds the file key with the first identity that matches, then checks the header MAC.
 * Identities only see a header that parsed; the MAC is checked after, as the key is needed.
 */
export function unlockHeader(header: ParsedHeader, identities: readonly Identity[]): Buffer {
  if (header.stanzas.length > 1 && header.stanzas.some((s) => s.type === 'scrypt')) {
    throw new AgeError('HEADER', 'A passphrase-encrypted file must have no other recipients.');
  }
  let fileKey: Buffer | null = null;
  for (const identity of identities) {
    fileKey = identity.unwrap(header.stanzas);
    if (fileKey !== null) break;
  }
  if (fileKey === null) {
    throw new AgeError('NO_IDENTITY', 'None of the given keys or passphrases can open this file.');
  }
  if (fileKey.length !== FILE_KEY_SIZE) {
    throw new AgeError('HEADER', 'The file key in the header has the wrong size.');
  }
  if (!timingSafeEqual(headerMac(fileKey, header.macInput), header.mac)) {
    wipe(fileKey);
    throw new AgeError('HEADER_MAC', 'The file header was altered: its MAC does not match.');
  }
  return fileKey;
}

/**
 * Encrypts in one pass over pushed pieces, buffering at most one 64 KiB chunk.
 * Output is `header` (which ends with the 16-byte payload nonce), then every push()
 * result in order, then final().
 */
export class AgeEncryptor {
  /** The header, MAC line and payload nonce: write it first. */
  readonly header: Buffer;
  /** The STREAM key, for sealing chunks elsewhere (the seal worker) with sealChunks. */
  readonly payloadKey: Buffer;
  private readonly sealer: PayloadSealer;

  constructor(recipients: readonly Recipient[]) {
    if (recipients.length === 0) throw new TypeError('age: at least one recipient is needed');
    const fileKey = randomBytes(FILE_KEY_SIZE);
    const stanzas = recipients.flatMap((r) => r.wrap(fileKey));
    if (stanzas.length > 1 && stanzas.some((s) => s.type === 'scrypt')) {
      throw new TypeError('age: a passphrase cannot be combined with other recipients');
    }
    const nonce = randomBytes(NONCE_SIZE);
    this.header = Buffer.concat([encodeHeader(stanzas, fileKey), nonce]);
    this.payloadKey = payloadKey(fileKey, nonce);
    wipe(fileKey);
    this.sealer = new PayloadSealer(this.payloadKey);
  }

  /** Zeroes the STREAM key (done, or abandoned): nothing more can be sealed. */
  wipe(): void {
    wipe(this.payloadKey);
  }

  /** Ciphertext of every chunk completed so far (often empty). */
  push(plain: Buffer): Buffer {
    return this.sealer.push(plain);
  }

  /** The remaining ciphertext, ending with the chunk marked last. */
  final(): Buffer {
    return this.sealer.final();
  }
}

export function encrypt(plain: Buffer, recipients: readonly Recipient[]): Buffer {
  const enc = new AgeEncryptor(recipients);
  return Buffer.concat([enc.header, enc.push(plain), enc.final()]);
}

export interface DecryptOptions {
  /** true: input must be armored; false: binary only; default: detect. */
  armored?: boolean;
}

/** Decrypts a whole file held in memory; returns nothing unless every chunk verified. */
export function decrypt(
  file: Buffer,
  identities: readonly Identity[],
  options: DecryptOptions = {},
): Buffer {
  const armored = options.armored ?? looksArmored(file);
  const bin = armored ? armorDecode(file) : file;
  const header = parseHeader(bin);
  if (header === null) {
    throw new AgeError('HEADER', 'The age header is incomplete: the file is truncated or empty.');
  }
  const fileKey = unlockHeader(header, identities);
  const rest = bin.subarray(header.length);
  if (rest.length < NONCE_SIZE) {
    wipe(fileKey);
    throw new AgeError('TRUNCATED', 'The file is truncated: it ends inside the payload nonce.');
  }
  const key = payloadKey(fileKey, rest.subarray(0, NONCE_SIZE));
  wipe(fileKey);
  try {
    const sealed = rest.subarray(NONCE_SIZE);
    const layout = payloadLayout(sealed.length);
    const opener = new PayloadOpener(key, layout);
    const out = Buffer.allocUnsafe(layout.plainSize);
    for (let i = 0; i < layout.chunkCount; i++) {
      const from = i * SEALED_CHUNK_SIZE;
      opener.open(i, sealed.subarray(from, from + SEALED_CHUNK_SIZE)).copy(out, i * CHUNK_SIZE);
    }
    return out;
  } finally {
    wipe(key);
  }
}
