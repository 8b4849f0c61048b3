/** Key encodings (bech32), identities and recipients, scrypt limits, and armor. */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AgeError,
  armorDecode,
  armorEncode,
  decrypt,
  encrypt,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  X25519Recipient,
} from '../../../main/core/age/index';
import { bech32Decode, bech32Encode } from '../../../main/core/age/bech32';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgeError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('bech32 (BIP173 vectors)', () => {
  it.each([
    'A12UEL5L',
    'a12uel5l',
    'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
    'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
    'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
    '?1ezyfcl',
    // Over 90 characters: invalid in BIP173, valid for age (long post-quantum keys).
    'an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx',
  ])('accepts %s', (s) => {
    expect(() => bech32Decode(s)).not.toThrow();
  });

  it.each([
    '\x201nwldj5', // HRP character out of range
    '\x7f1axkwrx',
    'a12uel5m', // bad checksum
    'pzry9x0s0muk', // no separator
    '1pzry9x0s0muk', // empty HRP
    'x1b4n0q5v', // invalid data character
    'li1dgmt3', // checksum too short
    'de1lg7wt\xff', // invalid character in checksum
    'A1G7SGD8', // checksum made with an uppercase HRP
    '10a06t8', // empty HRP
    '1qzzfhee', // empty HRP
    'A12uEL5L', // mixed case
  ])('rejects %j', (s) => {
    expect(() => bech32Decode(s)).toThrow();
  });

  it('round-trips any bytes, with no 90-character limit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const s = bech32Encode('age', bytes);
        const d = bech32Decode(s);
        expect(d.hrp).toBe('age');
        expect(Buffer.from(bytes).equals(d.data)).toBe(true);
        expect(bech32Decode(s.toUpperCase()).data.equals(d.data)).toBe(true);
      }),
    );
  });
});

describe('X25519 keys', () => {
  // RFC 7748 section 6.1, Alice's key pair.
  const alice = Buffer.from(
    '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
    'hex',
  );
  const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';

  it('fromSecret is deterministic and matches RFC 7748', () => {
    const a = X25519Identity.fromSecret(alice);
    expect(a.publicKey.toString('hex')).toBe(alicePub);
    expect(X25519Identity.fromSecret(alice).toString()).toBe(a.toString());
    expect(a.recipient().toString()).toBe(X25519Identity.fromSecret(alice).recipient().toString());
  });

  it('encodes as AGE-SECRET-KEY-1… and age1…, and parses back', () => {
    const k = X25519Identity.generate();
    const s = k.toString();
    expect(s).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(X25519Identity.parse(s).toString()).toBe(s);
    expect(X25519Identity.parse(s.toLowerCase()).toString()).toBe(s);
    const r = k.recipient().toString();
    expect(r).toMatch(/^age1[0-9a-z]{58}$/);
    expect(X25519Recipient.parse(r).toString()).toBe(r);
  });

  it('parses the cctv-age test identity', () => {
    const s = 'AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0';
    expect(X25519Identity.parse(s).toString()).toBe(s);
  });

  it('rejects malformed key strings with code KEY', () => {
    const k = X25519Identity.generate();
    const s = k.toString();
    const r = k.recipient().toString();
    expect(codeOf(() => X25519Identity.parse(r))).toBe('KEY'); // a recipient is not an identity
    expect(codeOf(() => X25519Recipient.parse(s))).toBe('KEY');
    expect(codeOf(() => X25519Identity.parse(s.slice(0, -1) + (s.endsWith('Q') ? 'P' : 'Q')))).toBe(
      'KEY',
    );
    expect(codeOf(() => X25519Recipient.parse(r.slice(0, 10) + r.slice(10).toUpperCase()))).toBe(
      'KEY',
    );
    expect(codeOf(() => X25519Recipient.parse(bech32Encode('age', randomBytes(31))))).toBe('KEY');
    expect(codeOf(() => X25519Recipient.parse('age1'))).toBe('KEY');
    expect(() => X25519Identity.fromSecret(randomBytes(31))).toThrow(TypeError);
  });

  it('multiple recipients: each identity opens the file, others do not', () => {
    const ids = [X25519Identity.generate(), X25519Identity.generate(), X25519Identity.generate()];
    const plain = randomBytes(1000);
    const file = encrypt(
      plain,
      ids.map((i) => i.recipient()),
    );
    for (const i of ids) expect(decrypt(file, [i]).equals(plain)).toBe(true);
    expect(codeOf(() => decrypt(file, [X25519Identity.generate()]))).toBe('NO_IDENTITY');
    expect(codeOf(() => decrypt(file, []))).toBe('NO_IDENTITY');
    expect(
      decrypt(file, [X25519Identity.generate(), new ScryptIdentity('x'), ids[2]!]).equals(plain),
    ).toBe(true);
  });
});

describe('scrypt', () => {
  it('round-trips, and a wrong passphrase is NO_IDENTITY', () => {
    const plain = randomBytes(70_000);
    const file = encrypt(plain, [new ScryptRecipient('correct horse', 10)]);
    expect(file.toString('latin1')).toMatch(/\n-> scrypt [A-Za-z0-9+/]{22} 10\n/);
    expect(decrypt(file, [new ScryptIdentity('correct horse')]).equals(plain)).toBe(true);
    expect(codeOf(() => decrypt(file, [new ScryptIdentity('wrong')]))).toBe('NO_IDENTITY');
  });

  it('refuses a work factor above the identity limit as UNSUPPORTED', () => {
    const file = encrypt(Buffer.from('x'), [new ScryptRecipient('pw', 12)]);
    expect(codeOf(() => decrypt(file, [new ScryptIdentity('pw', 11)]))).toBe('UNSUPPORTED');
    expect(decrypt(file, [new ScryptIdentity('pw', 12)]).toString()).toBe('x');
  });

  it('cannot be combined with other recipients', () => {
    const r = X25519Identity.generate().recipient();
    expect(() => encrypt(Buffer.from('x'), [new ScryptRecipient('pw', 10), r])).toThrow(TypeError);
    expect(() => encrypt(Buffer.from('x'), [])).toThrow(TypeError);
  });

  it('opens a work factor above 18 with the whole table (2^18 is opened by every .zip.age test)', () => {
    const file = encrypt(Buffer.from('at 19'), [new ScryptRecipient('pw', 19)]);
    expect(decrypt(file, [new ScryptIdentity('pw')]).toString()).toBe('at 19');
  });

  it('defaults to work factor 18', () => {
    const [s] = new ScryptRecipient('pw').wrap(randomBytes(16));
    expect(s?.args[1]).toBe('18');
  });
});

describe('armor', () => {
  it('round-trips any bytes, in 64-column lines', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        const text = armorEncode(Buffer.from(bytes));
        for (const line of text.split('\n').slice(1, -2))
          expect(line.length).toBeLessThanOrEqual(64);
        expect(armorDecode(text).equals(Buffer.from(bytes))).toBe(true);
        expect(armorDecode(text.replace(/\n/g, '\r\n')).equals(Buffer.from(bytes))).toBe(true);
        expect(armorDecode(`\n \t${text}\n\n`).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('decrypt() detects armored input', () => {
    const k = X25519Identity.generate();
    const plain = randomBytes(100_000);
    const armored = Buffer.from(armorEncode(encrypt(plain, [k.recipient()])));
    expect(decrypt(armored, [k]).equals(plain)).toBe(true);
    expect(codeOf(() => decrypt(armored, [k], { armored: false }))).toBe('HEADER');
    expect(codeOf(() => decrypt(encrypt(plain, [k.recipient()]), [k], { armored: true }))).toBe(
      'ARMOR',
    );
  });
});
