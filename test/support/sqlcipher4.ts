import { createDecipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

/**
 * An independent reader for the SQLCipher 4 page format (defaults: 4096-byte pages,
 * AES-256-CBC, HMAC-SHA512 over ciphertext+IV+page number (little-endian), 80 reserved
 * bytes per page, HMAC key = PBKDF2-HMAC-SHA512(key, salt ^ 0x3a, 2 iterations)),
 * written from the published format and sharing no code with SQLCipher or Dossier.
 * With a raw key it turns the vault database into a plain SQLite file, which proves
 * the format and the revealed key are what docs/vault-format.md says.
 */
const PAGE = 4096;
const RESERVE = 80;
const IV = 16;
const HMAC = 64;

export function decryptSqlcipher4(file: Buffer, rawKey: Buffer): Buffer {
  if (file.length % PAGE !== 0)
    throw new Error(`file size ${file.length} is not a multiple of ${PAGE}`);
  const salt = file.subarray(0, 16);
  const hmacSalt = Buffer.from(salt.map((b) => b ^ 0x3a));
  const hmacKey = pbkdf2Sync(rawKey, hmacSalt, 2, 32, 'sha512');
  const out = Buffer.alloc(file.length);
  for (let pgno = 1; pgno * PAGE <= file.length; pgno++) {
    const page = file.subarray((pgno - 1) * PAGE, pgno * PAGE);
    const offset = pgno === 1 ? 16 : 0;
    const body = page.subarray(offset, PAGE - RESERVE);
    const iv = page.subarray(PAGE - RESERVE, PAGE - RESERVE + IV);
    const tag = page.subarray(PAGE - RESERVE + IV, PAGE - RESERVE + IV + HMAC);
    const pg = Buffer.alloc(4);
    pg.writeUInt32LE(pgno);
    const mac = createHmac('sha512', hmacKey).update(body).update(iv).update(pg).digest();
    if (!timingSafeEqual(mac, tag))
      throw new Error(`page ${pgno}: HMAC mismatch (wrong key or damaged page)`);
    const d = createDecipheriv('aes-256-cbc', rawKey, iv).setAutoPadding(false);
    const plain = Buffer.concat([d.update(body), d.final()]);
    const target = out.subarray((pgno - 1) * PAGE, pgno * PAGE);
    if (pgno === 1) target.write('SQLite format 3\0', 0, 'latin1');
    plain.copy(target, offset);
  }
  return out;
}
