/**
 * The C2SP/CCTV age test vectors (npm `cctv-age`), each decrypted in memory and through
 * AgeFileReader. Vectors needing a recipient type we do not implement are listed below
 * and reported as skipped, never dropped.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import * as cctv from 'cctv-age';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AgeError,
  AgeFileReader,
  decrypt,
  ScryptIdentity,
  X25519Identity,
} from '../../../main/core/age/index';
import type { AgeErrorCode, Identity } from '../../../main/core/age/index';
import { armorDecode } from '../../../main/core/age/armor';
import { parseHeader, reencodeHeader } from '../../../main/core/age/format';

type Expect =
  'success' | 'no match' | 'HMAC failure' | 'header failure' | 'armor failure' | 'payload failure';

interface Vector {
  name: string;
  expect: Expect;
  payload: string | undefined;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  file: Buffer;
  unknownKeys: string[];
}

const KNOWN_KEYS = new Set([
  'expect',
  'payload',
  'file key',
  'identity',
  'passphrase',
  'armored',
  'compressed',
  'comment',
]);

function parseVector(name: string, bytes: Uint8Array): Vector {
  const raw = Buffer.from(bytes);
  const split = raw.indexOf('\n\n');
  const v: Vector = {
    name,
    expect: 'success',
    payload: undefined,
    identities: [],
    passphrases: [],
    armored: false,
    file: raw.subarray(split + 2),
    unknownKeys: [],
  };
  let compressed = false;
  for (const line of raw.toString('utf8', 0, split).split('\n')) {
    const at = line.indexOf(': ');
    const key = line.slice(0, at);
    const value = line.slice(at + 2);
    if (!KNOWN_KEYS.has(key)) v.unknownKeys.push(key);
    if (key === 'expect') v.expect = value as Expect;
    if (key === 'payload') v.payload = value;
    if (key === 'identity') v.identities.push(value);
    if (key === 'passphrase') v.passphrases.push(value);
    if (key === 'armored') v.armored = value === 'yes';
    if (key === 'compressed') compressed = value === 'zlib';
  }
  if (compressed) v.file = inflateSync(v.file);
  return v;
}

/**
 * Vectors for the ML-KEM-768 + X25519 hybrid (post-quantum) recipient type, which this
 * implementation does not support: every one of them needs an AGE-SECRET-KEY-PQ-1
 * identity, so none can be decrypted, nor its failure attributed, without that type.
 */
const EXCLUDED_HYBRID = [
  'armor_hybrid',
  'hybrid',
  'hybrid_and_x25519',
  'hybrid_bad_tag',
  'hybrid_currupted_enc_mlkem',
  'hybrid_currupted_enc_x25519',
  'hybrid_extra_argument',
  'hybrid_grease',
  'hybrid_identity',
  'hybrid_long_file_key',
  'hybrid_long_share',
  'hybrid_low_order',
  'hybrid_multiple_recipients',
  'hybrid_no_match',
  'hybrid_not_canonical_body',
  'hybrid_not_canonical_enc',
  'hybrid_short_share',
  'hybrid_uppercase',
  'hybrid_x25519_arg',
];
const HYBRID_REASON = 'needs the post-quantum hybrid recipient type (not implemented)';

/**
 * Where our error code is more specific than the vector's category: an unknown version
 * or a work factor above our limit is UNSUPPORTED, and a missing nonce is TRUNCATED.
 */
const CODE_OVERRIDES: Record<string, AgeErrorCode> = {
  version_unsupported: 'UNSUPPORTED',
  scrypt_work_factor_23: 'UNSUPPORTED',
  stream_no_nonce: 'TRUNCATED',
  stream_short_nonce: 'TRUNCATED',
};

function expectedCodes(v: Vector): AgeErrorCode[] {
  const override = CODE_OVERRIDES[v.name];
  if (override !== undefined) return [override];
  switch (v.expect) {
    case 'no match':
      return ['NO_IDENTITY'];
    case 'HMAC failure':
      return ['HEADER_MAC'];
    case 'header failure':
      return ['HEADER'];
    case 'armor failure':
      return ['ARMOR'];
    case 'payload failure':
      return ['PAYLOAD', 'TRUNCATED'];
    case 'success':
      return [];
  }
}

const all = Object.entries(cctv as Record<string, Uint8Array>)
  .filter(([, bytes]) => bytes instanceof Uint8Array)
  .map(([name, bytes]) => parseVector(name, bytes))
  .sort((a, b) => a.name.localeCompare(b.name));

const excluded: { name: string; reason: string }[] = [];
const applicable: Vector[] = [];
for (const v of all) {
  if (EXCLUDED_HYBRID.includes(v.name)) excluded.push({ name: v.name, reason: HYBRID_REASON });
  else if (v.unknownKeys.length > 0) {
    excluded.push({ name: v.name, reason: `unknown vector keys: ${v.unknownKeys.join(', ')}` });
  } else applicable.push(v);
}

function identitiesOf(v: Vector): Identity[] {
  return [
    ...v.identities.map((s) => X25519Identity.parse(s)),
    ...v.passphrases.map((p) => new ScryptIdentity(p)),
  ];
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AgeError) return e.code;
    throw e;
  }
  return 'no error';
}

async function codeOfAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AgeError) return e.code;
    throw e;
  }
  return 'no error';
}

const dir = mkdtempSync(join(tmpdir(), 'age-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cctv-age vectors', () => {
  it('covers every vector: applicable + documented exclusions', () => {
    console.log(
      `cctv-age: ${all.length} vectors, ${applicable.length} applicable, ${excluded.length} excluded`,
    );
    expect(applicable.length + excluded.length).toBe(all.length);
    expect(applicable.length).toBeGreaterThanOrEqual(124);
    // Every hybrid vector, and only those, is excluded; a new one must be looked at.
    const pq = all.filter((v) => v.identities.some((s) => s.startsWith('AGE-SECRET-KEY-PQ-')));
    expect(pq.map((v) => v.name).sort()).toEqual([...EXCLUDED_HYBRID].sort());
  });

  it.each(applicable)('decrypt: $name ($expect)', (v) => {
    if (v.expect === 'success') {
      const out = decrypt(v.file, identitiesOf(v), { armored: v.armored });
      expect(sha256(out)).toBe(v.payload);
      if (v.armored) expect(decrypt(v.file, identitiesOf(v)).equals(out)).toBe(true);
      return;
    }
    expect(expectedCodes(v)).toContain(
      codeOf(() => decrypt(v.file, identitiesOf(v), { armored: v.armored })),
    );
  });

  it.each(applicable.filter((v) => !v.armored))('AgeFileReader: $name ($expect)', async (v) => {
    const path = join(dir, `${v.name}.age`);
    writeFileSync(path, v.file);
    const run = async (): Promise<Buffer> => {
      const r = await AgeFileReader.open(path, identitiesOf(v));
      try {
        const parts: Buffer[] = [];
        for await (const b of r.stream({ highWaterMark: 3 * 65536 })) parts.push(b);
        const whole = Buffer.concat(parts);
        expect(whole.length).toBe(r.size);
        expect((await r.read(0, r.size)).equals(whole)).toBe(true);
        return whole;
      } finally {
        await r.close();
      }
    };
    if (v.expect === 'success') {
      expect(sha256(await run())).toBe(v.payload);
    } else {
      expect(expectedCodes(v)).toContain(await codeOfAsync(run));
    }
  });

  // README: any vector that is not a header failure must round-trip through the encoder.
  it.each(applicable.filter((v) => v.expect !== 'header failure' && v.expect !== 'armor failure'))(
    'header re-encodes byte for byte: $name',
    (v) => {
      const bin = v.armored ? armorDecode(v.file) : v.file;
      const h = parseHeader(bin);
      expect(h).not.toBeNull();
      if (h !== null) expect(reencodeHeader(h).equals(bin.subarray(0, h.length))).toBe(true);
    },
  );

  it.skip.each(excluded)('excluded: $name — $reason', () => {});
});
