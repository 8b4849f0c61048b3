/** The spec's primitives (section "Conventions"), on node:crypto. */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';

export const FILE_KEY_SIZE = 16;
export const TAG_SIZE = 16;
const ZERO_NONCE = Buffer.alloc(12);

/** Overwrites key material that is no longer needed (see docs/threat-model.md, "Keys in memory"). */
export function wipe(...buffers: (Uint8Array | null | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

export function hkdf(ikm: Buffer, salt: Buffer, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** ChaCha20-Poly1305 with an all-zero nonce: safe only because each key wraps one file key. */
export function sealOnce(key: Buffer, plain: Buffer): Buffer {
  const c = createCipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: TAG_SIZE });
  const ct = c.update(plain);
  c.final();
  return Buffer.concat([ct, c.getAuthTag()]);
}

/** Returns null when the tag does not verify (the stanza is for someone else). */
export function openOnce(key: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < TAG_SIZE) return null;
  const d = createDecipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: TAG_SIZE });
  d.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const pt = d.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    d.final();
  } catch {
    wipe(pt);
    return null;
  }
  return pt;
}
