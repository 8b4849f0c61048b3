// Issue 10, point 9: export decrypts big files straight into the SHA-512 worker's shared
// slots, so a 1 GiB export allocates and copies no 1 MiB buffer per piece (the benchmark,
// test/bench/export-large.ts, measures the speed; this checks the path it relies on).
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgeEncryptor, AgeFileReader, X25519Identity } from '../../../main/core/age';
import { folderSink } from '../../../main/core/bagit/sink';
import { BagWriter } from '../../../main/core/bagit/writer';
import { tempDir } from '../../support/tmp';
import { newVault } from '../../support/vault';

const MiB = 1024 * 1024;
const hash = (alg: string, b: Buffer): string => createHash(alg).update(b).digest('hex');

async function ageFile(dir: string, name: string, plain: Buffer, id: X25519Identity) {
  const enc = new AgeEncryptor([id.recipient()]);
  const path = join(dir, name);
  await writeFile(path, Buffer.concat([enc.header, enc.push(plain), enc.final()]));
  return path;
}

describe('the export pipeline', () => {
  it('AgeFileReader.streamInto fills the buffers it is handed, in order, and nothing else', async () => {
    const dir = await tempDir();
    const id = X25519Identity.generate();
    for (const size of [0, 1, 65_536, MiB, MiB + 1, 5 * MiB + 12_345]) {
      const plain = randomBytes(size);
      const reader = await AgeFileReader.open(await ageFile(dir, `${size}.age`, plain, id), [id]);
      const handed: Buffer[] = [];
      const pieces: Buffer[] = [];
      for await (const piece of reader.streamInto(async () => {
        handed.push(Buffer.alloc(MiB));
        return handed.at(-1)!;
      })) {
        expect(piece.buffer).toBe(handed[pieces.length]!.buffer); // in place, not a copy
        pieces.push(Buffer.from(piece));
      }
      await reader.close();
      expect(Buffer.concat(pieces).equals(plain)).toBe(true);
      expect(pieces.slice(0, -1).every((p) => p.length === MiB)).toBe(true);
      expect(handed).toHaveLength(Math.ceil(size / MiB));
    }
  });

  it('hashes slots in place and gives every one back, file after file', async () => {
    const dir = await tempDir();
    const id = X25519Identity.generate();
    const sink = await folderSink(join(dir, 'bag'));
    const writer = new BagWriter(sink, { bagInfo: [] });
    const plains: Buffer[] = [];
    try {
      // Three files of 9 MiB: 27 slots in turn from a pool of 8, so slots must come back.
      for (const n of [1, 2, 3]) {
        const plain = randomBytes(9 * MiB + n);
        plains.push(plain);
        const reader = await AgeFileReader.open(await ageFile(dir, `${n}.age`, plain, id), [id]);
        const slots = writer.payloadBuffers(plain.length);
        expect(slots).not.toBeNull();
        const digest = await writer.addPayload(
          `data/f${n}.bin`,
          reader.streamInto(slots!),
          plain.length,
        );
        await reader.close();
        expect(digest).toEqual({
          sha256: hash('sha256', plain),
          sha512: hash('sha512', plain),
          size: plain.length,
        });
      }
      expect(writer.payloadBuffers(1000)).toBeNull(); // small files are hashed inline
      await writer.finish();
    } finally {
      await writer.dispose();
    }
    const bag = await sink.commit();
    for (const [i, plain] of plains.entries()) {
      expect((await readFile(join(bag, `data/f${i + 1}.bin`))).equals(plain)).toBe(true);
    }
  });

  it('hashes a big buffer that is not in the pool, bigger than the whole pool, on both workers', async () => {
    const dir = await tempDir();
    const writer = new BagWriter(await folderSink(join(dir, 'bag')), { bagInfo: [] });
    try {
      const plain = randomBytes(9 * MiB + 3); // the pool is 8 slots of 1 MiB
      expect(await writer.addPayload('data/whole.bin', plain, plain.length)).toEqual({
        sha256: hash('sha256', plain),
        sha512: hash('sha512', plain),
        size: plain.length,
      });
    } finally {
      await writer.dispose();
    }
  });

  it('exports a big item without allocating a buffer per MiB of it', async () => {
    const dir = await tempDir();
    const { vault } = await newVault(join(dir, 'vault'));
    const plain = randomBytes(16 * MiB + 7);
    await writeFile(join(dir, 'big.bin'), plain);
    await vault.add([join(dir, 'big.bin')]);
    let big = 0;
    const saved = { concat: Buffer.concat, allocUnsafe: Buffer.allocUnsafe };
    const count = <T extends (...a: never[]) => Buffer>(f: T): T =>
      ((...a: Parameters<T>) => {
        const b = f.apply(Buffer, a);
        if (b.length >= MiB) big++;
        return b;
      }) as T;
    Buffer.concat = count(saved.concat);
    Buffer.allocUnsafe = count(saved.allocUnsafe);
    let result;
    try {
      result = await vault.export({
        out: join(dir, 'out'),
        format: 'dir',
        selection: { all: true },
      });
    } finally {
      Object.assign(Buffer, saved);
      await vault.lock();
    }
    const exported = await readFile(join(result.path, result.exhibits[0]!.bagPath));
    expect(exported.equals(plain)).toBe(true);
    // The reader's two read-ahead buffers (2 here); before, two more for each MiB (34 here).
    expect(big).toBeLessThanOrEqual(4);
  });
});
