// How a blob is written whole (commitWith: one write and one fsync) and how a redacted copy's
// file is begun under its final name (createInPlace): the files are ordinary age files the
// reference CLI decrypts, a file not committed is removed by abort(), a committed one never is,
// and a file far larger than the size recorded is refused before it is read.
import { execFile } from 'node:child_process';
import { access, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { X25519Identity } from '../../main/core/age';
import { BlobStore } from '../../main/core/blobs/store';
import { newId } from '../../main/core/ids';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';

const run = promisify(execFile);
const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

async function store(): Promise<{ blobs: BlobStore; key: string }> {
  const root = await tempDir();
  const identity = X25519Identity.generate();
  const key = join(root, 'key.txt');
  await writeFile(key, `${identity.toString()}\n`, { mode: 0o600 });
  return { blobs: new BlobStore(join(root, 'vault'), identity.recipient(), identity), key };
}

/** Every file under the blob's folder, by name (no temp file may be left). */
async function shard(blobs: BlobStore, id: string): Promise<string[]> {
  return (await readdir(join(blobs.path(id), '..'))).sort();
}

describe('blobs written whole', () => {
  const noAge = missingTools(['age']);

  // Small (joined into one write), empty, exactly one chunk, and over the join limit.
  for (const size of [5_000, 0, 64 * 1024, 3 * 1024 * 1024 + 17]) {
    it.skipIf(noAge !== null)(
      skipTitle(`${size} bytes: commitWith gives an age file the reference CLI opens`, noAge),
      async () => {
        const { blobs, key } = await store();
        const plain = randomBytes(size);
        const w = await blobs.create(size);
        await w.commitWith(plain);
        const { stdout } = await run('age', ['-d', '-i', key, blobs.path(w.id)], {
          encoding: 'buffer',
          maxBuffer: 16 * 1024 * 1024,
        });
        expect(Buffer.compare(stdout, plain)).toBe(0);
        expect((await blobs.readWhole(w.id, size)).equals(plain)).toBe(true);
        expect(await shard(blobs, w.id)).toEqual([`${w.id}.age`]);
      },
    );
  }

  it.skipIf(noAge !== null)(
    skipTitle('begun in place: header first, then the rest; the reference CLI opens it', noAge),
    async () => {
      const { blobs, key } = await store();
      const id = newId();
      const w = await blobs.createInPlace(id);
      // Under its final name from the start, with its header only.
      expect(await shard(blobs, id)).toEqual([`${id}.age`]);
      expect((await stat(blobs.path(id))).size).toBeGreaterThan(0);
      const plain = randomBytes(200_000);
      await w.commitWith(plain);
      const { stdout } = await run('age', ['-d', '-i', key, blobs.path(id)], {
        encoding: 'buffer',
      });
      expect(Buffer.compare(stdout, plain)).toBe(0);
      // Committed: abort() leaves it; discard() removes it.
      await w.abort();
      expect(await exists(blobs.path(id))).toBe(true);
      await w.discard();
      expect(await exists(blobs.path(id))).toBe(false);
    },
  );

  it('begun in place and abandoned: abort() removes the file', async () => {
    const { blobs } = await store();
    const id = newId();
    const w = await blobs.createInPlace(id);
    await w.abort();
    await w.abort(); // twice is harmless
    expect(await shard(blobs, id)).toEqual([]);
  });

  it('a file far larger than the size recorded is refused before it is read', async () => {
    const { blobs } = await store();
    const w = await blobs.create(1000);
    await w.commitWith(randomBytes(1000));
    await expect(blobs.readWhole(w.id, 1000)).resolves.toHaveLength(1000);
    await truncate(blobs.path(w.id), 1024 * 1024 * 1024);
    await expect(blobs.readWhole(w.id, 1000)).rejects.toThrow(
      /far more than the 1,000 bytes it should hold/,
    );
  });
});
