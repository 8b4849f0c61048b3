import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import { DossierError } from '../errors';

/**
 * A recovery code not yet confirmed as written down, kept in dossier.json so that a reload,
 * a crash or a restart shows the same code again instead of losing it. Sealed with
 * ChaCha20-Poly1305 under a key derived from the master key (so only someone who can unlock
 * reads it), bound to the vault and to the recovery slot it opens. Removed once confirmed.
 */
export interface PendingRecoveryCode {
  nonce: string;
  sealed: string;
}

const INFO = 'dossier/v1/pending-recovery-code';

function key(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), INFO, 32));
}

/** The recovery slot's salt names the slot: a code kept for a replaced slot no longer opens. */
function aad(vaultId: string, slotSalt: string): Buffer {
  return Buffer.from(canonicalJson({ vaultId, purpose: 'pending-recovery-code', slotSalt }));
}

export function sealPendingCode(
  masterKey: Buffer,
  vaultId: string,
  slotSalt: string,
  secret: Buffer,
): PendingRecoveryCode {
  const k = key(masterKey);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('chacha20-poly1305', k, nonce, { authTagLength: 16 });
  cipher.setAAD(aad(vaultId, slotSalt), { plaintextLength: secret.length });
  const sealed = Buffer.concat([cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
  k.fill(0);
  return { nonce: nonce.toString('base64'), sealed: sealed.toString('base64') };
}

/** The recovery secret, or a CORRUPT error when the record was altered or belongs elsewhere. */
export function openPendingCode(
  masterKey: Buffer,
  vaultId: string,
  slotSalt: string,
  pending: PendingRecoveryCode,
): Buffer {
  const sealed = Buffer.from(pending.sealed, 'base64');
  const nonce = Buffer.from(pending.nonce, 'base64');
  const k = key(masterKey);
  try {
    if (nonce.length !== 12 || sealed.length < 17) throw new Error('wrong length');
    const decipher = createDecipheriv('chacha20-poly1305', k, nonce, { authTagLength: 16 });
    decipher.setAAD(aad(vaultId, slotSalt), { plaintextLength: sealed.length - 16 });
    decipher.setAuthTag(sealed.subarray(-16));
    return Buffer.concat([decipher.update(sealed.subarray(0, -16)), decipher.final()]);
  } catch {
    throw new DossierError(
      'CORRUPT',
      'The recovery code kept until you confirm it cannot be read: dossier.json was altered. Your vault is intact; make a new recovery code (Settings, or `dossier recovery --new`).',
    );
  } finally {
    k.fill(0);
  }
}
