/**
 * Interoperability with Debian's age and age-keygen (the Go reference implementation).
 * Skipped, with a message, when the binaries are not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { noPty, onPty } from '../../support/pty';
import { missingTools, skipTitle } from '../../support/tools';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AgeError,
  AgeFileReader,
  armorEncode,
  decrypt,
  encrypt,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
} from '../../../main/core/age/index';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const noCli = missingTools(['age', 'age-keygen']);
function withPassphrase(passphrase: string, args: string[]): void {
  const r = onPty(passphrase, [AGE, ...args]);
  if (r.status !== 0) throw new Error(`age ${args.join(' ')} failed: ${r.output}`);
}

const SIZES = [0, 1, 65535, 65536, 65537, 2 * 65536, 2 * 65536 + 1];

const title = skipTitle('Debian age CLI interop', noCli);
if (noCli) console.warn(title);

describe.skipIf(noCli !== null)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'age-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const id = X25519Identity.generate();
  const keyFile = join(dir, 'key.txt');
  writeFileSync(keyFile, `# test key\n${id.toString()}\n`, { mode: 0o600 });

  const ageDecrypt = (file: Buffer): Buffer =>
    execFileSync(AGE, ['-d', '-i', keyFile], { input: file, maxBuffer: 1 << 26 });

  it.each(SIZES)('ours -> age -d, %i bytes', (n) => {
    const plain = randomBytes(n);
    expect(ageDecrypt(encrypt(plain, [id.recipient()])).equals(plain)).toBe(true);
  });

  it('ours armored -> age -d', () => {
    const plain = randomBytes(100_000);
    const armored = Buffer.from(armorEncode(encrypt(plain, [id.recipient()])));
    expect(ageDecrypt(armored).equals(plain)).toBe(true);
  });

  it.each(SIZES)('age -e -r -> ours, %i bytes', (n) => {
    const plain = randomBytes(n);
    const file = execFileSync(AGE, ['-e', '-r', id.recipient().toString()], { input: plain });
    expect(decrypt(file, [id]).equals(plain)).toBe(true);
  });

  it('age -e -a -r -> ours (armor detected) and AgeFileReader', async () => {
    const plain = randomBytes(200_000);
    const armored = execFileSync(AGE, ['-e', '-a', '-r', id.recipient().toString()], {
      input: plain,
    });
    expect(armored.toString('latin1')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    expect(decrypt(armored, [id]).equals(plain)).toBe(true);

    const path = join(dir, 'cli.age');
    execFileSync(AGE, ['-e', '-r', id.recipient().toString(), '-o', path], { input: plain });
    const r = await AgeFileReader.open(path, [id]);
    try {
      expect(r.size).toBe(plain.length);
      expect((await r.read(65530, 140_000)).equals(plain.subarray(65530, 140_000))).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('age-keygen key parses with ours to the same recipient, and works', () => {
    const text = execFileSync(AGE_KEYGEN, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const secret = /^(AGE-SECRET-KEY-1[0-9A-Z]+)$/m.exec(text)?.[1] ?? '';
    const pub = /^# public key: (age1[0-9a-z]+)$/m.exec(text)?.[1] ?? '';
    const theirs = X25519Identity.parse(secret);
    expect(theirs.toString()).toBe(secret);
    expect(theirs.recipient().toString()).toBe(pub);
    const plain = randomBytes(70_000);
    const file = execFileSync(AGE, ['-e', '-r', pub], { input: plain });
    expect(decrypt(file, [theirs]).equals(plain)).toBe(true);
  });

  it('our key gives the same recipient under age-keygen -y', () => {
    const recipient = execFileSync(AGE_KEYGEN, ['-y', keyFile]).toString().trim();
    expect(recipient).toBe(id.recipient().toString());
  });

  it('multiple recipients: age opens with the second key', () => {
    const other = X25519Identity.generate();
    const otherKey = join(dir, 'other.txt');
    writeFileSync(otherKey, `${other.toString()}\n`, { mode: 0o600 });
    const plain = randomBytes(1000);
    const file = encrypt(plain, [id.recipient(), other.recipient()]);
    expect(execFileSync(AGE, ['-d', '-i', otherKey], { input: file }).equals(plain)).toBe(true);
  });

  it('a file truncated at a chunk boundary fails in both', () => {
    const file = encrypt(randomBytes(2 * 65536), [id.recipient()]);
    const cut = file.subarray(0, file.length - 65552);
    const r = spawnSync(AGE, ['-d', '-i', keyFile], { input: cut });
    expect(r.status).not.toBe(0);
    expect(() => decrypt(cut, [id])).toThrow(AgeError);
  });

  describe.skipIf(noPty !== null)(skipTitle('scrypt via a pseudo-terminal', noPty), () => {
    it('ours (scrypt) -> age -d', () => {
      const plain = randomBytes(70_000);
      const inPath = join(dir, 'pw.age');
      const outPath = join(dir, 'pw.out');
      writeFileSync(inPath, encrypt(plain, [new ScryptRecipient('correct horse', 12)]));
      withPassphrase('correct horse', ['-d', '-o', outPath, inPath]);
      expect(readFileSync(outPath).equals(plain)).toBe(true);
    });

    it('age -e -p -> ours (scrypt)', () => {
      const plain = randomBytes(70_000);
      const inPath = join(dir, 'plain.bin');
      const outPath = join(dir, 'p.age');
      writeFileSync(inPath, plain);
      withPassphrase('correct horse', ['-e', '-p', '-o', outPath, inPath]);
      const file = readFileSync(outPath);
      expect(file.toString('latin1')).toMatch(/\n-> scrypt /);
      expect(decrypt(file, [new ScryptIdentity('correct horse')]).equals(plain)).toBe(true);
    });
  });
});
