import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * Every working key is derived from the 32-byte master key (MK) with HKDF-SHA256,
 * empty salt, and its own fixed info string (docs/vault-format.md lists them).
 * Changing the passphrase never changes MK, so these never change either.
 */
export const INFO = {
  sqlcipher: 'dossier/v1/sqlcipher-key',
  ageIdentity: 'dossier/v1/age-x25519-identity',
  signing: 'dossier/v1/ed25519-signing-key',
  custodyAnchor: 'dossier/v1/custody-anchor-mac',
} as const;

function derive(masterKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
}

/**
 * The working keys of an unlocked vault. wipe() zeroes every key buffer and drops the
 * Ed25519 KeyObject (Node cannot zero a KeyObject: docs/threat-model.md, "Keys in memory").
 */
export class VaultKeys {
  private signing: KeyObject | null;

  constructor(
    /** Raw SQLCipher key, 32 bytes. */
    readonly sqlcipherKey: Buffer,
    /** X25519 secret for the vault's age identity, 32 bytes. */
    readonly ageSecret: Buffer,
    signingKey: KeyObject,
    readonly signingPublicKey: KeyObject,
    /** HMAC-SHA256 key for dossier.json's record of the last signed checkpoint, 32 bytes. */
    readonly anchorKey: Buffer,
  ) {
    this.signing = signingKey;
  }

  get signingKey(): KeyObject {
    if (this.signing === null) throw new Error('The vault is locked: its signing key is gone.');
    return this.signing;
  }

  wipe(): void {
    this.sqlcipherKey.fill(0);
    this.ageSecret.fill(0);
    this.anchorKey.fill(0);
    this.signing = null;
  }
}

// PKCS#8 prefix for a raw Ed25519 seed (RFC 8410), so node:crypto can load it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveVaultKeys(masterKey: Buffer): VaultKeys {
  const seed = derive(masterKey, INFO.signing);
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
  seed.fill(0);
  let signingKey: KeyObject;
  try {
    signingKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
  return new VaultKeys(
    derive(masterKey, INFO.sqlcipher),
    derive(masterKey, INFO.ageIdentity),
    signingKey,
    createPublicKey(signingKey),
    derive(masterKey, INFO.custodyAnchor),
  );
}

/** SQLCipher's raw-key literal, as typed into `PRAGMA key` by the sqlcipher shell. */
export function sqlcipherKeyLiteral(key: Buffer): string {
  return `x'${key.toString('hex')}'`;
}
