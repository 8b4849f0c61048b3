import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm is an ambient const enum; Argon2id is 2.
const ARGON2ID = 2;
import { canonicalJson } from '../../../shared/canonical-json';
import { DossierError } from '../errors';

/**
 * Key slots wrap the master key (MK) under a key-encryption key (KEK) with
 * ChaCha20-Poly1305. The associated data binds a slot to its vault and its KDF
 * parameters, so a slot cannot be moved to another vault or silently weakened.
 */
export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** m = 256 MiB, t = 3 (issue floor); p = 2 uses both cores here: ≈0.2–0.5 s. */
export const DEFAULT_ARGON2: Argon2Params = { memoryKiB: 262_144, iterations: 3, parallelism: 2 };

export interface PassphraseSlot {
  type: 'passphrase';
  kdf: { name: 'argon2id'; version: 19; salt: string } & Argon2Params;
  nonce: string;
  wrappedKey: string;
}

export interface RecoverySlot {
  type: 'recovery';
  kdf: { name: 'hkdf-sha256'; salt: string };
  nonce: string;
  wrappedKey: string;
}

export type KeySlot = PassphraseSlot | RecoverySlot;

const RECOVERY_INFO = 'dossier/v1/recovery-kek';

/** The byte lengths every slot Dossier writes has, after base64 decoding. */
export const SLOT_BYTES = { salt: 16, nonce: 12, wrappedKey: 48 } as const;

/** Argon2id limits: what Dossier accepts in a header (the library's own floor is m ≥ 8 × p). */
export const ARGON2_LIMITS = {
  memoryKiB: { min: 8, max: 4 * 1024 * 1024 },
  iterations: { min: 1, max: 64 },
  parallelism: { min: 1, max: 64 },
} as const;

/** Standard padded base64 that decodes to exactly `bytes` bytes, or null. */
function decodedLength(text: string): number | null {
  const buf = Buffer.from(text, 'base64');
  return buf.toString('base64') === text ? buf.length : null;
}

/**
 * What is wrong with a slot that no Dossier could have written (lengths, Argon2 costs), in
 * words; null when it is well formed. A well-formed slot may still not open (wrong secret).
 */
export function slotDamage(slot: KeySlot): string | null {
  for (const [field, text] of [
    ['salt', slot.kdf.salt],
    ['nonce', slot.nonce],
    ['wrappedKey', slot.wrappedKey],
  ] as const) {
    const n = decodedLength(text);
    if (n === null) return `the ${slot.type} slot's ${field} is not base64`;
    if (n !== SLOT_BYTES[field])
      return `the ${slot.type} slot's ${field} is ${n} bytes long instead of ${SLOT_BYTES[field]}`;
  }
  if (slot.type === 'passphrase') {
    for (const k of ['memoryKiB', 'iterations', 'parallelism'] as const) {
      const v = slot.kdf[k];
      const { min, max } = ARGON2_LIMITS[k];
      if (!Number.isInteger(v) || v < min || v > max)
        return `the passphrase slot's ${k} is ${String(v)}, outside ${min} to ${max}`;
    }
    if (slot.kdf.memoryKiB < 8 * slot.kdf.parallelism)
      return `the passphrase slot's memoryKiB (${slot.kdf.memoryKiB}) is below 8 × parallelism (${slot.kdf.parallelism}), which Argon2 refuses`;
  }
  return null;
}

async function passphraseKek(passphrase: string, kdf: PassphraseSlot['kdf']): Promise<Buffer> {
  return hashRaw(passphrase.normalize('NFC'), {
    algorithm: ARGON2ID,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.iterations,
    parallelism: kdf.parallelism,
    outputLen: 32,
    salt: Buffer.from(kdf.salt, 'base64'),
  });
}

function recoveryKek(secret: Buffer, kdf: RecoverySlot['kdf']): Buffer {
  return Buffer.from(
    hkdfSync('sha256', secret, Buffer.from(kdf.salt, 'base64'), RECOVERY_INFO, 32),
  );
}

function slotAad(vaultId: string, slot: Pick<KeySlot, 'type' | 'kdf'>): Buffer {
  return Buffer.from(canonicalJson({ vaultId, type: slot.type, kdf: slot.kdf }));
}

/** Wraps MK under `kek`, then zeroes `kek` (each KEK wraps or opens one slot, once). */
function seal(kek: Buffer, aad: Buffer, masterKey: Buffer): { nonce: string; wrappedKey: string } {
  try {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('chacha20-poly1305', kek, nonce, { authTagLength: 16 });
    cipher.setAAD(aad, { plaintextLength: masterKey.length });
    const wrapped = Buffer.concat([cipher.update(masterKey), cipher.final(), cipher.getAuthTag()]);
    return { nonce: nonce.toString('base64'), wrappedKey: wrapped.toString('base64') };
  } finally {
    kek.fill(0);
  }
}

/** Returns MK, or null when the KEK is wrong (tag mismatch); zeroes `kek` either way. */
function open(kek: Buffer, aad: Buffer, slot: KeySlot): Buffer | null {
  try {
    const wrapped = Buffer.from(slot.wrappedKey, 'base64');
    // readHeader refuses such slots; this guard keeps a hand-built slot from throwing here.
    if (slotDamage(slot) !== null) return null;
    const decipher = createDecipheriv('chacha20-poly1305', kek, Buffer.from(slot.nonce, 'base64'), {
      authTagLength: 16,
    });
    decipher.setAAD(aad, { plaintextLength: 32 });
    decipher.setAuthTag(wrapped.subarray(32));
    // The one copy of MK: no concatenation that would leave another behind.
    const masterKey = decipher.update(wrapped.subarray(0, 32));
    try {
      decipher.final();
    } catch {
      masterKey.fill(0);
      return null;
    }
    return masterKey;
  } finally {
    kek.fill(0);
  }
}

export async function makePassphraseSlot(
  vaultId: string,
  masterKey: Buffer,
  passphrase: string,
  params: Argon2Params = DEFAULT_ARGON2,
): Promise<PassphraseSlot> {
  const kdf = {
    name: 'argon2id' as const,
    version: 19 as const,
    salt: randomBytes(16).toString('base64'),
    ...params,
  };
  const kek = await passphraseKek(passphrase, kdf);
  return {
    type: 'passphrase',
    kdf,
    ...seal(kek, slotAad(vaultId, { type: 'passphrase', kdf }), masterKey),
  };
}

export function makeRecoverySlot(vaultId: string, masterKey: Buffer, secret: Buffer): RecoverySlot {
  const kdf = { name: 'hkdf-sha256' as const, salt: randomBytes(16).toString('base64') };
  const kek = recoveryKek(secret, kdf);
  return {
    type: 'recovery',
    kdf,
    ...seal(kek, slotAad(vaultId, { type: 'recovery', kdf }), masterKey),
  };
}

export async function openPassphraseSlot(
  vaultId: string,
  slot: PassphraseSlot,
  passphrase: string,
): Promise<Buffer | null> {
  if (slotDamage(slot) !== null) return null;
  return open(await passphraseKek(passphrase, slot.kdf), slotAad(vaultId, slot), slot);
}

export function openRecoverySlot(
  vaultId: string,
  slot: RecoverySlot,
  secret: Buffer,
): Buffer | null {
  if (slotDamage(slot) !== null) return null;
  return open(recoveryKek(secret, slot.kdf), slotAad(vaultId, slot), slot);
}

export function assertPassphraseAcceptable(passphrase: string): void {
  if (passphrase.length < 8) {
    throw new DossierError(
      'USAGE',
      'That passphrase is too short. Use at least 8 characters; a few unrelated words are easy to remember and hard to guess.',
    );
  }
}
