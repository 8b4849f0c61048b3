/**
 * The verifier catches every kind of tampering, in a folder bag and in a zip bag alike,
 * and opens .zip.age bundles without writing plaintext to disk.
 */
import {
  appendFile,
  cp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  openBagSource,
  verifyBag,
  type BagProblem,
  type BagReport,
} from '../../../main/core/bagit/verify';
import { zipSink } from '../../../main/core/bagit/sink';
import { BagWriter } from '../../../main/core/bagit/writer';
import { isDossierError } from '../../../main/core/errors';
import yazl from 'yazl';
import { tempDir } from '../../support/tmp';
import { EVIDENCE, ITEMS, KEY_FILE, sampleFolderBag, sampleZipBag, zipFolder } from './helpers';

async function verifyPath(
  path: string,
  passphrase?: string,
  onProgress?: (p: { filesDone: number }) => void,
): Promise<BagReport> {
  const src = await openBagSource(path, { passphrase });
  try {
    return await verifyBag(src, { onProgress });
  } finally {
    await src.close();
  }
}

async function flipByte(path: string, at: number | ((b: Buffer) => number)): Promise<void> {
  const b = await readFile(path);
  const i = typeof at === 'number' ? at : at(b);
  b[i] = (b[i] ?? 0) ^ 0x01;
  await writeFile(path, b);
}

const errors = (r: BagReport): BagProblem[] => r.problems.filter((p) => p.severity === 'error');

interface Case {
  name: string;
  tamper: (bag: string) => Promise<void>;
  /** Every one of these must be among the errors: [file, message pattern]. */
  expect: [string | null, RegExp][];
}

const CASES: Case[] = [
  {
    name: 'a changed byte in a payload file',
    tamper: (bag) => flipByte(join(bag, EVIDENCE), 5),
    expect: [
      [EVIDENCE, /its SHA-256 does not match manifest-sha256\.txt \(the file was changed\)/],
    ],
  },
  {
    name: 'a changed byte in a metadata file in the payload',
    tamper: (bag) => flipByte(join(bag, ITEMS), 3),
    expect: [[ITEMS, /its SHA-512 does not match manifest-sha512\.txt/]],
  },
  {
    name: 'a changed byte in a tag file',
    tamper: (bag) => flipByte(join(bag, KEY_FILE), 30),
    expect: [[KEY_FILE, /does not match tagmanifest-sha256\.txt \(the file was changed after/]],
  },
  {
    name: 'a changed byte in a manifest',
    tamper: (bag) => flipByte(join(bag, 'manifest-sha256.txt'), 10),
    expect: [
      ['manifest-sha256.txt', /does not match tagmanifest-sha256\.txt/],
      [EVIDENCE, /SHA-256 does not match manifest-sha256\.txt/],
    ],
  },
  {
    name: 'a changed byte in bag-info.txt',
    tamper: async (bag) => {
      const p = join(bag, 'bag-info.txt');
      await writeFile(p, (await readFile(p, 'utf8')).replace('A. Person', 'B. Person'));
    },
    expect: [['bag-info.txt', /does not match tagmanifest-sha256\.txt/]],
  },
  {
    name: 'a missing payload file',
    tamper: (bag) => unlink(join(bag, EVIDENCE)),
    expect: [
      [EVIDENCE, /listed in manifest-sha256\.txt but missing from the bag/],
      ['bag-info.txt', /payload has 3 file\(s\) \(Payload-Oxum 3042\.3\), but it has 2/],
    ],
  },
  {
    name: 'a missing tag file',
    tamper: (bag) => unlink(join(bag, KEY_FILE)),
    expect: [[KEY_FILE, /listed in tagmanifest-sha256\.txt but missing/]],
  },
  {
    name: 'an extra payload file',
    tamper: (bag) => writeFile(join(bag, 'data/evidence/JD-3_new.png'), 'added later'),
    expect: [['data/evidence/JD-3_new.png', /in no manifest: a file was added/]],
  },
  {
    name: 'a file listed twice with different hashes',
    tamper: (bag) =>
      appendFile(join(bag, 'manifest-sha256.txt'), `${'ab'.repeat(32)}  ${EVIDENCE}\n`),
    expect: [[EVIDENCE, /listed twice in manifest-sha256\.txt with different checksums/]],
  },
  {
    name: 'a manifest path escaping the bag',
    tamper: async (bag) => {
      await appendFile(
        join(bag, 'manifest-sha256.txt'),
        `${'cd'.repeat(32)}  data/../../outside.txt\n`,
      );
      await appendFile(join(bag, 'manifest-sha512.txt'), `${'cd'.repeat(64)}  /etc/passwd\n`);
      await appendFile(join(bag, 'tagmanifest-sha256.txt'), `${'cd'.repeat(32)}  ~/secrets\n`);
    },
    expect: [
      ['manifest-sha256.txt', /"data\/\.\.\/\.\.\/outside\.txt" is not allowed: it uses "\.\."/],
      ['manifest-sha512.txt', /"\/etc\/passwd" is not allowed: it is an absolute path/],
      ['tagmanifest-sha256.txt', /"~\/secrets" is not allowed: it starts with "~"/],
    ],
  },
  {
    name: 'a fetch.txt path escaping the bag',
    tamper: (bag) => writeFile(join(bag, 'fetch.txt'), 'https://example.org/x - ../../x\n'),
    expect: [['fetch.txt', /fetch\.txt line 1: "\.\.\/\.\.\/x" is not allowed/]],
  },
  {
    name: 'a payload file renamed in letter case',
    tamper: (bag) => rename(join(bag, EVIDENCE), join(bag, EVIDENCE.replace('a.png', 'A.png'))),
    expect: [
      [
        EVIDENCE,
        /listed in manifest-sha256\.txt but missing from the bag\. The bag holds data\/evidence\/JD-1_A\.png instead, a name that differs only in letter case/,
      ],
      ['data/evidence/JD-1_A.png', /in no manifest/],
    ],
  },
  {
    name: 'a bagit.txt with a BOM',
    tamper: async (bag) => {
      const p = join(bag, 'bagit.txt');
      await writeFile(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await readFile(p)]));
    },
    expect: [['bagit.txt', /byte-order mark/]],
  },
];

describe('verifyBag detects tampering', async () => {
  const dir = await tempDir('bagit-verify-');
  const pristine = await sampleFolderBag(dir, 'pristine');

  it('accepts the untouched bag as a folder and as a zip (with progress)', async () => {
    const seen: number[] = [];
    const r = await verifyPath(pristine, undefined, (p) => seen.push(p.filesDone));
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(true);
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(8); // 3 payload + bag-info, bagit, 2 manifests, key
    const zip = await zipFolder(pristine, join(dir, 'pristine.zip'), 'pristine');
    expect((await verifyPath(zip)).problems).toEqual([]);
    const rootZip = await zipFolder(pristine, join(dir, 'root.zip'), '');
    expect((await verifyPath(rootZip)).valid).toBe(true);
  });

  for (const form of ['folder', 'zip'] as const) {
    describe(`in a ${form} bag`, () => {
      it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
        const bag = join(dir, `${form}-${name.replace(/\W+/g, '-')}`);
        await cp(pristine, bag, { recursive: true });
        await c.tamper(bag);
        let target = bag;
        if (form === 'zip') {
          target = await zipFolder(bag, `${bag}.zip`, 'Case-20240506');
          await rm(bag, { recursive: true });
        }
        const r = await verifyPath(target);
        expect(r.valid).toBe(false);
        for (const [file, pattern] of c.expect) {
          expect(errors(r), `${file} ${String(pattern)}`).toContainEqual(
            expect.objectContaining({ file, message: expect.stringMatching(pattern) }),
          );
        }
      });
    });
  }

  it('catches a byte flipped inside a zip written by zipSink (stored entry)', async () => {
    const d = await tempDir('bagit-zflip-');
    const zip = await sampleZipBag(d, 'Case.zip');
    await flipByte(zip, (b) => b.indexOf('fake image') + 2);
    const r = await verifyPath(zip);
    expect(errors(r)).toContainEqual(
      expect.objectContaining({
        file: EVIDENCE,
        message: expect.stringMatching(/SHA-256 does not match/),
      }),
    );
  });

  it('reports a bag whose missing file is in fetch.txt as valid but not complete', async () => {
    const bag = join(dir, 'holey');
    await cp(pristine, bag, { recursive: true });
    const size = (await readFile(join(bag, EVIDENCE))).length;
    await unlink(join(bag, EVIDENCE));
    await writeFile(join(bag, 'fetch.txt'), `https://example.org/a.png ${size} ${EVIDENCE}\n`);
    const r = await verifyPath(bag);
    expect(errors(r)).toEqual([]);
    expect(r).toMatchObject({
      valid: true,
      complete: false,
      absent: [{ path: EVIDENCE, why: 'fetch' }],
    });
    expect((await verifyPath(pristine)).complete).toBe(true);
  });

  it('lists the files outside data/ no tag manifest covers, and zip entries outside the bag', async () => {
    const r = await verifyPath(pristine);
    expect(r.untaggedFiles).toEqual(['VERIFY.txt', 'signature/tagmanifest-sha256.txt.sig']);
    expect(r.bagInfo).toContainEqual({ label: 'Contact-Name', value: 'A. Person' });
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('x'), 'stray.txt');
    await zipFolder(pristine, join(dir, 'outside.zip'), 'Case-20240506', zip);
    const z = await verifyPath(join(dir, 'outside.zip'));
    expect(z.valid).toBe(true);
    expect(z.outsideBag).toEqual(['stray.txt']);
  });

  it('reports a symbolic link in a folder bag instead of following it', async () => {
    const bag = join(dir, 'with-link');
    await cp(pristine, bag, { recursive: true });
    await symlink('/etc/passwd', join(bag, 'data/evidence/link'));
    const r = await verifyPath(bag);
    expect(errors(r)).toContainEqual(
      expect.objectContaining({
        file: 'data/evidence/link',
        message: expect.stringMatching(/symbolic link/),
      }),
    );
  });
});

describe('.zip.age bundles', async () => {
  const dir = await tempDir('bagit-age-');
  const pass = 'it is a secret';
  const original = await sampleZipBag(dir, 'Case.zip.age', {
    encryptToPassphrase: pass,
    scryptLogN: 10,
    bigFile: 400_000,
  });
  const copy = async (name: string): Promise<string> => {
    const p = join(dir, name);
    await cp(original, p);
    return p;
  };

  it('verifies with the right passphrase, without writing anything to disk', async () => {
    const before = await readdir(dir);
    const r = await verifyPath(original, pass);
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(true);
    expect(await readdir(dir)).toEqual(before);
  });

  it('refuses a wrong passphrase with a clear error', async () => {
    const e = await openBagSource(original, { passphrase: 'not it' }).catch((x: unknown) => x);
    expect(isDossierError(e, 'WRONG_PASSPHRASE')).toBe(true);
    expect((e as Error).message).toMatch(/That passphrase does not open Case\.zip\.age/);
  });

  it('reports a byte flipped anywhere in the encrypted payload as damage', async () => {
    const size = (await readFile(original)).length;
    const start = (await readFile(original)).indexOf('\n--- ') + 60;
    for (let at = start; at < size; at += 16_384) {
      const p = await copy(`flipped-${at}.zip.age`);
      await flipByte(p, at);
      const outcome = await verifyPath(p, pass).then(
        (r) => ({ r, e: null }),
        (e: unknown) => ({ r: null, e }),
      );
      if (outcome.e !== null) {
        expect(isDossierError(outcome.e, 'INTEGRITY'), `at ${at}: ${String(outcome.e)}`).toBe(true);
        expect((outcome.e as Error).message).toMatch(/damaged or was tampered with/);
      } else {
        expect(outcome.r?.valid, `byte ${at}`).toBe(false);
        expect(errors(outcome.r!)).toContainEqual(
          expect.objectContaining({
            message: expect.stringMatching(/damaged or was tampered with/),
          }),
        );
      }
      await rm(p);
    }
  });

  it('authenticates the parts of the .age no bag check reads (an unlisted tag file)', async () => {
    const path = join(dir, 'Unlisted.zip.age');
    const sink = await zipSink(path, { encryptToPassphrase: pass, scryptLogN: 10 });
    const w = new BagWriter(sink, { bagInfo: [] });
    await w.addPayload('data/a.txt', Buffer.from('evidence'));
    await w.finish();
    await w.addUnlistedTagFile('signature/extra.bin', randomBytes(300_000));
    await sink.commit();
    expect((await verifyPath(path, pass)).valid).toBe(true);
    await flipByte(path, (b) => b.length - 150_000);
    const r = await verifyPath(path, pass);
    expect(r.valid).toBe(false);
    expect(errors(r)).toContainEqual({
      severity: 'error',
      file: 'Unlisted.zip.age',
      message: expect.stringMatching(/^Unlisted\.zip\.age is damaged or was tampered with/),
    });
  });

  it('refuses a flipped byte in the header MAC or the last chunk as damage', async () => {
    const mac = (b: Buffer): number => b.indexOf('\n--- ') + 8;
    const end = (b: Buffer): number => b.length - 3;
    for (const [name, at] of [
      ['flipped-mac.zip.age', mac],
      ['flipped-end.zip.age', end],
    ] as const) {
      const p = await copy(name);
      await flipByte(p, at);
      const e = await openBagSource(p, { passphrase: pass }).catch((x: unknown) => x);
      expect(isDossierError(e, 'INTEGRITY'), `${name}: ${String(e)}`).toBe(true);
      expect((e as Error).message).toMatch(
        /^flipped-(mac|end)\.zip\.age is damaged or was tampered with/,
      );
    }
  });

  it('refuses to guess: a .zip.age without a passphrase, and a non-bag file', async () => {
    await expect(openBagSource(original)).rejects.toThrow(/encrypted/);
    const junk = join(dir, 'junk.bin');
    await writeFile(junk, 'hello');
    await expect(openBagSource(junk)).rejects.toThrow(/not a bag/);
  });
});
