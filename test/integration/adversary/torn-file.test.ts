import { randomBytes } from 'node:crypto';
import { openSync, readdirSync, writeSync, closeSync, utimesSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AddProgress } from '../../../main/core';
import { tempDir } from '../../support/tmp';
import { newVault, sha256 } from '../../support/vault';

const MiB = 1024 * 1024;

/**
 * A writer that rewrites `path` in place once the import has read its first chunk: called
 * from the progress callback, so it runs between two chunks of the same read, every time.
 * `times` is how many reads of the file it spoils (a re-read starts over from 0 bytes).
 */
function rewriteDuringRead(
  path: string,
  times: number,
  rewrite: (fd: number, round: number) => void,
): { onProgress: (p: AddProgress) => void; rewrites: () => number } {
  let rewrites = 0;
  let armed = true;
  let last = 0;
  return {
    onProgress: (p) => {
      if (p.bytesDone < last) armed = true; // a re-read started over
      last = p.bytesDone;
      if (armed && p.bytesDone > 0 && rewrites < times) {
        armed = false;
        const fd = openSync(path, 'r+');
        try {
          rewrite(fd, rewrites);
        } finally {
          closeSync(fd);
        }
        rewrites++;
      }
    },
    rewrites: () => rewrites,
  };
}

function tempsUnder(dir: string): string[] {
  return (readdirSync(join(dir, 'blobs'), { recursive: true }) as string[]).filter((n) =>
    n.endsWith('.tmp'),
  );
}

// Both read paths: inline hashing (under 4 MiB) and the hash and seal workers (over).
for (const size of [2 * MiB + 4321, 6 * MiB + 4321]) {
  describe(`a file rewritten while it is imported (${(size / MiB).toFixed(1)} MiB)`, () => {
    it('changed once: it is read again, and what is stored is the new version, whole', async () => {
      const root = await tempDir();
      const file = join(root, 'chat-export.txt');
      await writeFile(file, randomBytes(size));
      const dir = join(root, 'vault');
      const { vault } = await newVault(dir);
      // Same size, new bytes in the middle: only the times say it changed.
      const patch = randomBytes(64 * 1024);
      const writer = rewriteDuringRead(file, 1, (fd) =>
        writeSync(fd, patch, 0, patch.length, MiB + 100),
      );
      const report = await vault.add([file], { onProgress: writer.onProgress });
      expect(writer.rewrites()).toBe(1);
      expect(report).toMatchObject({ added: 1, failed: 0 });
      const final = await readFile(file);
      const [item] = vault.list();
      expect(item!.sha256).toBe(sha256(final));
      expect(item!.size).toBe(final.length);
      expect((await vault.check()).problems).toEqual([]);
      expect(tempsUnder(dir)).toEqual([]);
      await vault.lock();
    });

    it('appended to while read: read again, stored whole at its new length', async () => {
      const root = await tempDir();
      const file = join(root, 'log.txt');
      await writeFile(file, randomBytes(size));
      const { vault } = await newVault(join(root, 'vault'));
      const more = randomBytes(3 * MiB);
      const writer = rewriteDuringRead(file, 1, (fd) => writeSync(fd, more, 0, more.length, size));
      const report = await vault.add([file], { onProgress: writer.onProgress });
      expect(report).toMatchObject({ added: 1, failed: 0 });
      const final = await readFile(file);
      expect(final.length).toBe(size + more.length);
      expect(vault.list()[0]!.sha256).toBe(sha256(final));
      await vault.lock();
    });

    it('changed on every read: refused in words, nothing stored, nothing left behind', async () => {
      const root = await tempDir();
      const file = join(root, 'being-written.bin');
      // The next file goes through the same buffers after the refusal, and is stored whole.
      const other = join(root, 'steady.bin');
      const steady = randomBytes(size);
      await writeFile(file, randomBytes(size));
      await writeFile(other, steady);
      const dir = join(root, 'vault');
      const { vault } = await newVault(dir);
      const writer = rewriteDuringRead(file, 10, (fd, round) => {
        const b = Buffer.alloc(4096, round + 1);
        writeSync(fd, b, 0, b.length, 2 * 4096);
      });
      const report = await vault.add([file, other], {
        onProgress: writer.onProgress,
        concurrency: 1,
      });
      expect(writer.rewrites()).toBe(2); // read twice, then refused
      expect(report).toMatchObject({ added: 1, failed: 1 });
      const failed = report.results.find((r) => r.status === 'failed')!;
      expect(failed).toMatchObject({ path: file, code: 'IO' });
      expect(failed.status === 'failed' && failed.error).toBe(
        `${file} changed while it was being read; it was not added. Close the program writing it and add it again.`,
      );
      expect(vault.list().map((i) => [i.name, i.sha256])).toEqual([['steady.bin', sha256(steady)]]);
      expect((await vault.blobs.scan()).blobs).toHaveLength(1);
      expect(tempsUnder(dir)).toEqual([]);
      expect(vault.log().filter((e) => e.action === 'ingest')).toHaveLength(1);
      expect((await vault.check()).ok).toBe(true);
      await vault.lock();
    });

    it('a file whose times were set back before import still counts as unchanged when untouched', async () => {
      const root = await tempDir();
      const file = join(root, 'old-photo.bin');
      const bytes = randomBytes(size);
      await writeFile(file, bytes);
      utimesSync(file, new Date('2019-05-01T10:00:00Z'), new Date('2019-05-01T10:00:00Z'));
      const { vault } = await newVault(join(root, 'vault'));
      const report = await vault.add([file]);
      expect(report).toMatchObject({ added: 1, failed: 0 });
      expect(vault.list()[0]!.sha256).toBe(sha256(bytes));
      expect(vault.item(vault.list()[0]!.id).sourceTimes.mtime).toBe('2019-05-01T10:00:00.000Z');
      await vault.lock();
    });
  });
}
