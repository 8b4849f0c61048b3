/**
 * The X25519 recipient type (spec section "The X25519 recipient type"):
 * `-> X25519 <ephemeral share>`, body = ChaCha20-Poly1305(HKDF(shared secret,
 * share || recipient, label), file key).
 */
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { bech32Decode, bech32Encode } from './bech32';
import { AgeError } from './errors';
import { b64Decode, b64Encode } from './format';
import { FILE_KEY_SIZE, hkdf, openOnce, sealOnce, TAG_SIZE, wipe } from './primitives';
import type { Identity, Recipient, Stanza } from './types';

const LABEL = 'age-encryption.org/v1/X25519';
const KEY_SIZE = 32;
const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';
// DER wrappers that turn raw X25519 keys into KeyObjects (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function privateKeyFromRaw(secret: Buffer): KeyObject {
  const der = Buffer.concat([PKCS8_PREFIX, secret]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    wipe(der);
  }
}

function publicKeyFromRaw(point: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - KEY_SIZE));
}

/** X25519, or null when the result is all zeros (a low-order point). */
function sharedSecret(privateKey: KeyObject, point: Buffer): Buffer | null {
  let shared: Buffer;
  try {
    // OpenSSL itself refuses an all-zero result; both cases mean a low-order point.
    shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(point) });
  } catch {
    return null;
  }
  return shared.every((b) => b === 0) ? null : shared;
}

function checkFileKey(fileKey: Buffer): void {
  if (fileKey.length !== FILE_KEY_SIZE) throw new TypeError('age: file key must be 16 bytes');
}

export class X25519Recipient implements Recipient {
  private keyObject: KeyObject | undefined;

  /** @param publicKey the raw 32-byte Curve25519 point */
  constructor(readonly publicKey: Buffer) {
    if (publicKey.length !== KEY_SIZE) throw new TypeError('age: X25519 key must be 32 bytes');
    this.publicKey = Buffer.from(publicKey);
  }

  static parse(s: string): X25519Recipient {
    let decoded: { hrp: string; data: Buffer };
    try {
      decoded = bech32Decode(s);
    } catch (cause) {
      throw new AgeError('KEY', 'This is not a valid age recipient (age1…).', { cause });
    }
    if (decoded.hrp !== RECIPIENT_HRP || decoded.data.length !== KEY_SIZE) {
      throw new AgeError('KEY', 'This is not a valid age X25519 recipient (age1…).');
    }
    return new X25519Recipient(decoded.data);
  }

  toString(): string {
    return bech32Encode(RECIPIENT_HRP, this.publicKey);
  }

  wrap(fileKey: Buffer): Stanza[] {
    checkFileKey(fileKey);
    this.keyObject ??= publicKeyFromRaw(this.publicKey);
    // Made inside OpenSSL: the secret never sits in a JS buffer, and it is four times
    // quicker than a KeyObject from raw bytes (one per derived file at import).
    const { privateKey: ephemeral, publicKey } = generateKeyPairSync('x25519');
    const share = rawPublicKey(publicKey);
    let shared: Buffer;
    try {
      shared = diffieHellman({ privateKey: ephemeral, publicKey: this.keyObject });
    } catch (cause) {
      throw new AgeError('KEY', 'This age recipient is not a usable public key.', { cause });
    }
    if (shared.every((b) => b === 0)) {
      throw new AgeError('KEY', 'This age recipient is not a usable public key.');
    }
    const wrapKey = hkdf(shared, Buffer.concat([share, this.publicKey]), LABEL);
    wipe(shared);
    try {
      return [{ type: 'X25519', args: [b64Encode(share)], body: sealOnce(wrapKey, fileKey) }];
    } finally {
      wipe(wrapKey);
    }
  }
}

/**
 * An age X25519 key pair. It owns its copy of the secret: wipe() zeroes it and drops the
 * KeyObject made from it (which Node cannot zero; see docs/threat-model.md).
 */
export class X25519Identity implements Identity {
  private privateKey: KeyObject | null;
  /** The raw 32-byte public point. */
  readonly publicKey: Buffer;

  private constructor(private readonly secret: Buffer) {
    this.privateKey = privateKeyFromRaw(secret);
    this.publicKey = rawPublicKey(createPublicKey(this.privateKey));
  }

  /** Zeroes the secret and forgets the private key; the identity is unusable afterwards. */
  wipe(): void {
    wipe(this.secret);
    this.privateKey = null;
  }

  private key(): KeyObject {
    if (this.privateKey === null) throw new Error('age: this identity was wiped');
    return this.privateKey;
  }

  static generate(): X25519Identity {
    return new X25519Identity(randomBytes(KEY_SIZE));
  }

  /** Deterministic: the same 32 bytes always give the same key pair. */
  static fromSecret(secret32: Buffer): X25519Identity {
    if (secret32.length !== KEY_SIZE) throw new TypeError('age: X25519 secret must be 32 bytes');
    return new X25519Identity(Buffer.from(secret32));
  }

  static parse(s: string): X25519Identity {
    let decoded: { hrp: string; data: Buffer };
    try {
      decoded = bech32Decode(s.trim());
    } catch (cause) {
      throw new AgeError('KEY', 'This is not a valid age secret key (AGE-SECRET-KEY-1…).', {
        cause,
      });
    }
    if (decoded.hrp !== IDENTITY_HRP || decoded.data.length !== KEY_SIZE) {
      throw new AgeError('KEY', 'This is not a valid age X25519 secret key (AGE-SECRET-KEY-1…).');
    }
    return new X25519Identity(decoded.data);
  }

  toString(): string {
    this.key();
    return bech32Encode(IDENTITY_HRP, this.secret).toUpperCase();
  }

  recipient(): X25519Recipient {
    return new X25519Recipient(this.publicKey);
  }

  unwrap(stanzas: readonly Stanza[]): Buffer | null {
    for (const s of stanzas) {
      if (s.type !== 'X25519') continue;
      const share = s.args.length === 1 && s.args[0] !== undefined ? b64Decode(s.args[0]) : null;
      if (share === null || share.length !== KEY_SIZE) {
        throw new AgeError('HEADER', 'An X25519 stanza in the header is malformed.');
      }
      // Checked before decrypting, so an over-long body can never yield a wrong-size key.
      if (s.body.length !== FILE_KEY_SIZE + TAG_SIZE) {
        throw new AgeError(
          'HEADER',
          'An X25519 stanza in the header has a body of the wrong size.',
        );
      }
      const shared = sharedSecret(this.key(), share);
      if (shared === null) {
        throw new AgeError(
          'HEADER',
          'An X25519 stanza in the header uses an invalid (low-order) share.',
        );
      }
      const wrapKey = hkdf(shared, Buffer.concat([share, this.publicKey]), LABEL);
      wipe(shared);
      const fileKey = openOnce(wrapKey, s.body);
      wipe(wrapKey);
      if (fileKey !== null) return fileKey;
    }
    return null;
  }
}
