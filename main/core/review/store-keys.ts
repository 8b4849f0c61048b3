/**
 * The adviser's keys (docs/review-format.md, "The adviser's review store"): every one is
 * derived from the store's 32-byte master key with HKDF-SHA256, empty salt and its own info
 * string, as a vault's are (docs/vault-format.md §4), with info strings of its own so that no
 * key is ever the same as a vault's.
 */
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { X25519Identity } from '../age';
import { canonicalJson } from '../../../shared/canonical-json';

export const REVIEW_STORE_INFO = {
  ageIdentity: 'dossier/v1/review-store-age-identity',
  signing: 'dossier/v1/review-store-signing-key',
  mac: 'dossier/v1/review-store-mac',
} as const;

// PKCS#8 prefix for a raw Ed25519 seed (RFC 8410), so node:crypto can load it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function derive(masterKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
}

/** SHA-256 of the raw 32-byte Ed25519 public key, hex in groups of four (the bundle's kind). */
export function keyFingerprint(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').match(/.{4}/g)!.join(' ');
}

/** The unlocked store's keys. wipe() zeroes the buffers and drops the key objects. */
export class ReviewStoreKeys {
  private signing: KeyObject | null;
  private readonly macKey: Buffer;
  readonly identity: X25519Identity;
  readonly signingPublicKey: KeyObject;

  constructor(masterKey: Buffer) {
    const secret = derive(masterKey, REVIEW_STORE_INFO.ageIdentity);
    this.identity = X25519Identity.fromSecret(secret);
    secret.fill(0);
    const seed = derive(masterKey, REVIEW_STORE_INFO.signing);
    const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
    seed.fill(0);
    try {
      this.signing = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
    this.signingPublicKey = createPublicKey(this.signing);
    this.macKey = derive(masterKey, REVIEW_STORE_INFO.mac);
  }

  get signingKey(): KeyObject {
    if (this.signing === null) throw new Error('The review store is locked: its keys are gone.');
    return this.signing;
  }

  /** HMAC-SHA256 of a value's canonical JSON, hex: what makes a stored file the store's own. */
  mac(value: unknown): string {
    if (this.signing === null) throw new Error('The review store is locked: its keys are gone.');
    return createHmac('sha256', this.macKey).update(canonicalJson(value), 'utf8').digest('hex');
  }

  wipe(): void {
    this.macKey.fill(0);
    this.identity.wipe();
    this.signing = null;
  }
}
