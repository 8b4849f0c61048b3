/** Interoperability with typage (npm age-encryption), the reference TypeScript age. */
import { randomBytes } from 'node:crypto';
import {
  armor,
  Decrypter,
  Encrypter,
  generateX25519Identity,
  identityToRecipient,
} from 'age-encryption';
import { describe, expect, it } from 'vitest';
import {
  armorDecode,
  armorEncode,
  decrypt,
  encrypt,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  X25519Recipient,
} from '../../../main/core/age/index';

const SIZES = [0, 1, 65535, 65536, 65537, 2 * 65536 + 1];

describe('typage interop: X25519', () => {
  it('keys: typage identity parses with ours to the same recipient, and back', async () => {
    const theirs = await generateX25519Identity();
    const ours = X25519Identity.parse(theirs);
    expect(ours.toString()).toBe(theirs);
    expect(ours.recipient().toString()).toBe(await identityToRecipient(theirs));
    const mine = X25519Identity.generate();
    expect(await identityToRecipient(mine.toString())).toBe(mine.recipient().toString());
  });

  it.each(SIZES)('ours -> typage, %i bytes', async (n) => {
    const id = X25519Identity.generate();
    const plain = randomBytes(n);
    const d = new Decrypter();
    d.addIdentity(id.toString());
    const out = await d.decrypt(encrypt(plain, [id.recipient()]));
    expect(Buffer.from(out).equals(plain)).toBe(true);
  });

  it.each(SIZES)('typage -> ours, %i bytes', async (n) => {
    const id = X25519Identity.generate();
    const plain = randomBytes(n);
    const e = new Encrypter();
    e.addRecipient(id.recipient().toString());
    const file = Buffer.from(await e.encrypt(plain));
    expect(decrypt(file, [id]).equals(plain)).toBe(true);
  });

  it('typage multi-recipient file opens with ours', async () => {
    const ids = [X25519Identity.generate(), X25519Identity.generate()];
    const e = new Encrypter();
    for (const i of ids) e.addRecipient(X25519Recipient.parse(i.recipient().toString()).toString());
    const plain = randomBytes(5000);
    const file = Buffer.from(await e.encrypt(plain));
    for (const i of ids) expect(decrypt(file, [i]).equals(plain)).toBe(true);
  });
});

describe('typage interop: scrypt', () => {
  it.each([0, 65536, 65537])('ours -> typage, %i bytes', async (n) => {
    const plain = randomBytes(n);
    const d = new Decrypter();
    d.addPassphrase('correct horse battery staple');
    const file = encrypt(plain, [new ScryptRecipient('correct horse battery staple', 10)]);
    expect(Buffer.from(await d.decrypt(file)).equals(plain)).toBe(true);
  });

  it.each([0, 65536, 65537])('typage -> ours, %i bytes', async (n) => {
    const plain = randomBytes(n);
    const e = new Encrypter();
    e.setPassphrase('pässphrase ✓'); // non-ASCII: both sides use UTF-8 bytes
    e.setScryptWorkFactor(10);
    const file = Buffer.from(await e.encrypt(plain));
    expect(decrypt(file, [new ScryptIdentity('pässphrase ✓')]).equals(plain)).toBe(true);
  });
});

describe('typage interop: armor', () => {
  it('both directions', async () => {
    const id = X25519Identity.generate();
    const plain = randomBytes(3000);
    const ours = armorEncode(encrypt(plain, [id.recipient()]));
    const d = new Decrypter();
    d.addIdentity(id.toString());
    expect(Buffer.from(await d.decrypt(armor.decode(ours))).equals(plain)).toBe(true);

    const e = new Encrypter();
    e.addRecipient(id.recipient().toString());
    const theirs = armor.encode(await e.encrypt(plain));
    expect(decrypt(Buffer.from(theirs), [id]).equals(plain)).toBe(true);
    expect(armorDecode(theirs).length).toBeGreaterThan(plain.length);
  });
});
