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

export interface VaultKeys {
  /** Raw SQLCipher key, 32 bytes. */
  sqlcipherKey: Buffer;
  /** X25519 secret for the vault's age identity, 32 bytes. */
  ageSecret: Buffer;
  signingKey: KeyObject;
  signingPublicKey: KeyObject;
  /** HMAC-SHA256 key for dossier.json's record of the last signed checkpoint, 32 bytes. */
  anchorKey: Buffer;
}

// PKCS#8 prefix for a raw Ed25519 seed (RFC 8410), so node:crypto can load it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function deriveVaultKeys(masterKey: Buffer): VaultKeys {
  const seed = derive(masterKey, INFO.signing);
  const signingKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  seed.fill(0);
  return {
    sqlcipherKey: derive(masterKey, INFO.sqlcipher),
    ageSecret: derive(masterKey, INFO.ageIdentity),
    signingKey,
    signingPublicKey: createPublicKey(signingKey),
    anchorKey: derive(masterKey, INFO.custodyAnchor),
  };
}

/** SQLCipher's raw-key literal, as typed into `PRAGMA key` by the sqlcipher shell. */
export function sqlcipherKeyLiteral(key: Buffer): string {
  return `x'${key.toString('hex')}'`;
}
