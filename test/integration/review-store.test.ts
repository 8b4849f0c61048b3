// The adviser's review store (issue 14, docs/review-format.md "The adviser's review store"):
// encrypted at rest, every change a durable hash-chained entry, and every failure a clear
// error that loses nothing.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isDossierError } from '../../main/core/errors';
import { ReviewStore, STORE_HEADER_FILE, REVIEWER_FILE } from '../../main/core/review/store';
import { REVIEW_LIMITS, reviewChainBreak, type ReviewTarget } from '../../shared/review';
import { handMadeBundle } from '../support/hand-made-reviewed-bundle';
import { tempDir } from '../support/tmp';
import { canMountTmpfs, fillDisk } from '../support/tmpfs';
import { missingTools, skipTitle } from '../support/tools';
import { PASSPHRASE, TEST_KDF } from '../support/vault';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/review-store-child.ts', import.meta.url));
const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

async function newStore(dir?: string): Promise<{ store: ReviewStore; dir: string }> {
  const d = dir ?? join(await tempDir('dossier-review-'), 'Reviews');
  return { store: await ReviewStore.create(d, PASSPHRASE, { kdf: TEST_KDF }), dir: d };
}

const bundle = handMadeBundle();
const exhibit = (i: number): ReviewTarget => {
  const x = bundle.exhibits[i]!;
  return { kind: 'exhibit', exhibit: x.label, itemId: x.itemId, sha256: x.sha256 };
};

async function flipByte(path: string, at: (size: number) => number): Promise<void> {
  const b = await readFile(path);
  const i = at(b.length);
  b[i] = b[i]! ^ 0x01;
  await writeFile(path, b);
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
}

describe('the review store', () => {
  it('keeps every change as a hash-chained entry across locking and unlocking', async () => {
    const { store, dir } = await newStore();
    await store.setReviewer({ name: 'A. Solicitor', organisation: 'Smith & Co' });
    const review = await store.openReview(bundle);
    await review.record(exhibit(0), { op: 'status', value: 'relevant' });
    await review.record(exhibit(0), { op: 'comment', value: 'Strong: dated and signed.' });
    await review.record(exhibit(1), { op: 'status', value: 'need-original' });
    await review.record(exhibit(1), { op: 'order', value: 1 });
    await review.record({ kind: 'bundle' }, { op: 'comment', value: 'Overall: a good start.' });
    // Setting what is set already writes nothing.
    expect(await review.record(exhibit(0), { op: 'status', value: 'relevant' })).toBeNull();
    const fingerprint = store.fingerprint;
    store.lock();
    expect(() => store.fingerprint).toThrow(/locked/);

    const again = await ReviewStore.unlock(dir, PASSPHRASE);
    expect(again.fingerprint).toBe(fingerprint);
    expect(again.reviewer).toEqual({ name: 'A. Solicitor', organisation: 'Smith & Co' });
    const r = await again.openReview(bundle);
    const entries = r.entries();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(reviewChainBreak(entries, r.head, sha256Hex)).toBeNull();
    const state = r.state();
    expect(state.get('exhibit:item-1')).toMatchObject({
      status: 'relevant',
      comment: 'Strong: dated and signed.',
    });
    expect(state.get('exhibit:item-2')).toMatchObject({ status: 'need-original', order: 1 });
    expect(state.get('bundle')?.comment).toBe('Overall: a good start.');
    expect(await again.list()).toEqual([
      expect.objectContaining({ tagManifestSha256: bundle.ref.tagManifestSha256, entries: 5 }),
    ]);
    // One signing key for every review of this adviser, in another bundle too.
    const other = await again.openReview(handMadeBundle('bundle two'));
    await other.record(exhibit(2), { op: 'status', value: 'privileged' });
    expect(again.fingerprint).toBe(fingerprint);
    again.lock();
  });

  it('refuses a wrong passphrase in words, and changes nothing', async () => {
    const { store, dir } = await newStore();
    store.lock();
    const before = await readFile(join(dir, STORE_HEADER_FILE));
    const err = await errorOf(ReviewStore.unlock(dir, 'not the passphrase'));
    expect(isDossierError(err, 'WRONG_PASSPHRASE')).toBe(true);
    expect((err as Error).message).toMatch(/passphrase does not open this review store/);
    expect(await readFile(join(dir, STORE_HEADER_FILE))).toEqual(before);
  });

  it('changes the passphrase without changing the keys or any review', async () => {
    const { store, dir } = await newStore();
    await (await store.openReview(bundle)).record(exhibit(0), { op: 'comment', value: 'kept' });
    const fingerprint = store.fingerprint;
    const header = join(dir, STORE_HEADER_FILE);
    const before = await readFile(header);
    const wrong = await errorOf(
      store.changePassphrase('not the passphrase', 'a new passphrase here'),
    );
    expect(isDossierError(wrong, 'WRONG_PASSPHRASE')).toBe(true);
    expect(await readFile(header)).toEqual(before);
    await store.changePassphrase(PASSPHRASE, 'a new passphrase here', { kdf: TEST_KDF });
    store.lock();
    expect(
      isDossierError(await errorOf(ReviewStore.unlock(dir, PASSPHRASE)), 'WRONG_PASSPHRASE'),
    ).toBe(true);
    const s = await ReviewStore.unlock(dir, 'a new passphrase here');
    expect(s.fingerprint).toBe(fingerprint);
    expect((await s.openReview(bundle)).state().get('exhibit:item-1')?.comment).toBe('kept');
    s.lock();
  });

  it('refuses a folder that holds no store, and a second store over one', async () => {
    const { store, dir } = await newStore();
    store.lock();
    expect(
      isDossierError(await errorOf(ReviewStore.unlock(tmpdir(), PASSPHRASE)), 'NOT_FOUND'),
    ).toBe(true);
    const err = await errorOf(ReviewStore.create(dir, PASSPHRASE, { kdf: TEST_KDF }));
    expect((err as Error).message).toMatch(/already a review store/);
  });

  it('names a flipped byte in the store header, in a review, or in the reviewer file, and loses nothing', async () => {
    const { store, dir } = await newStore();
    await store.setReviewer({ name: 'A. Solicitor', organisation: null });
    const one = await store.openReview(bundle);
    await one.record(exhibit(0), { op: 'comment', value: 'first' });
    const otherBundle = handMadeBundle('bundle two');
    const two = await store.openReview(otherBundle);
    await two.record(exhibit(1), { op: 'status', value: 'relevant' });
    store.lock();
    const reviewFile = join(dir, `${bundle.ref.tagManifestSha256}.age`);

    // The header: damage, not "wrong passphrase".
    const header = join(dir, STORE_HEADER_FILE);
    const headerBytes = await readFile(header);
    const text = headerBytes.toString('utf8');
    const at = text.indexOf('"wrappedKey": "') + 20;
    await flipByte(header, () => at);
    let err = await errorOf(ReviewStore.unlock(dir, PASSPHRASE));
    expect(isDossierError(err, 'CORRUPT')).toBe(true);
    expect((err as Error).message).toContain(header);
    expect((err as Error).message).toMatch(/damaged/);
    await writeFile(header, headerBytes);

    // A byte in the middle of a review's payload, then one in its age header.
    for (const where of [(n: number) => n - 40, () => 30]) {
      const good = await readFile(reviewFile);
      await flipByte(reviewFile, where);
      const damaged = await readFile(reviewFile);
      const s = await ReviewStore.unlock(dir, PASSPHRASE);
      err = await errorOf(s.openReview(bundle));
      expect(isDossierError(err, 'CORRUPT')).toBe(true);
      expect((err as Error).message).toContain(reviewFile);
      // The other review still opens, whole.
      expect((await s.openReview(otherBundle)).entries()).toHaveLength(1);
      expect(await s.list()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            tagManifestSha256: bundle.ref.tagManifestSha256,
            damaged: expect.stringMatching(/damaged/),
          }),
        ]),
      );
      s.lock();
      // Nothing rewrote the damaged file: restoring it restores the review.
      expect(await readFile(reviewFile)).toEqual(damaged);
      await writeFile(reviewFile, good);
    }

    // The reviewer file.
    const reviewer = join(dir, REVIEWER_FILE);
    const good = await readFile(reviewer);
    await flipByte(reviewer, (n) => n - 5);
    err = await errorOf(ReviewStore.unlock(dir, PASSPHRASE));
    expect(isDossierError(err, 'CORRUPT')).toBe(true);
    expect((err as Error).message).toContain(reviewer);
    await writeFile(reviewer, good);

    const s = await ReviewStore.unlock(dir, PASSPHRASE);
    expect((await s.openReview(bundle)).state().get('exhibit:item-1')?.comment).toBe('first');
    s.lock();
  });

  it('refuses a review file moved from another bundle or another store', async () => {
    const { store, dir } = await newStore();
    await (await store.openReview(bundle)).record(exhibit(0), { op: 'comment', value: 'a' });
    const other = handMadeBundle('bundle two');
    // The file of one bundle put under the other's name.
    await writeFile(
      join(dir, `${other.ref.tagManifestSha256}.age`),
      await readFile(join(dir, `${bundle.ref.tagManifestSha256}.age`)),
    );
    expect(((await errorOf(store.openReview(other))) as Error).message).toMatch(
      /review of another bundle/,
    );
    // And one from another adviser's store.
    const { store: stranger } = await newStore();
    const theirs = await stranger.openReview(handMadeBundle('bundle three'));
    await theirs.record(exhibit(0), { op: 'comment', value: 'b' });
    await writeFile(
      join(dir, `${handMadeBundle('bundle three').ref.tagManifestSha256}.age`),
      await readFile(
        join(stranger.dir, `${handMadeBundle('bundle three').ref.tagManifestSha256}.age`),
      ),
    );
    expect(
      ((await errorOf(store.openReview(handMadeBundle('bundle three')))) as Error).message,
    ).toMatch(/not encrypted to this review store/);
    store.lock();
    stranger.lock();
  });

  it('refuses, without reading it, a review file that is a link or far too large', async () => {
    const { store, dir } = await newStore();
    const link = handMadeBundle('a link');
    await symlink('/dev/zero', join(dir, `${link.ref.tagManifestSha256}.age`));
    let e = await errorOf(store.openReview(link));
    expect(isDossierError(e, 'CORRUPT'), String(e)).toBe(true);
    expect((e as Error).message).toMatch(/symbolic link/);
    const big = handMadeBundle('too big');
    // Sparse: 64 MiB and a byte, without writing them.
    const bigFile = join(dir, `${big.ref.tagManifestSha256}.age`);
    await writeFile(bigFile, '');
    await truncate(bigFile, REVIEW_LIMITS.fileBytes + 1);
    e = await errorOf(store.openReview(big));
    expect(isDossierError(e, 'CORRUPT'), String(e)).toBe(true);
    expect((e as Error).message).toMatch(/more than Dossier writes/);
    store.lock();
  });

  it('refuses to open a review of a bundle whose names a review could not carry', async () => {
    const { store } = await newStore();
    const long = handMadeBundle('long case');
    long.ref.caseName = 'c'.repeat(501);
    let e = await errorOf(store.openReview(long));
    expect(isDossierError(e, 'USAGE'), String(e)).toBe(true);
    expect((e as Error).message).toMatch(/cannot be reviewed.*caseName/);
    const odd = handMadeBundle('odd key');
    odd.ref.signingKeyFingerprint = 'not a fingerprint';
    e = await errorOf(store.openReview(odd));
    expect((e as Error).message).toMatch(/signingKeyFingerprint.*not a key fingerprint/);
    expect(await readdir(store.dir)).not.toContain(`${long.ref.tagManifestSha256}.age`);
    store.lock();
  });

  it('kill -9 in the middle of writes leaves the last complete review readable', async () => {
    const { store, dir } = await newStore();
    store.lock();
    let lastDone = 0;
    for (const stopAfter of [3, 11, 17]) {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const killed = new Promise<void>((resolve) => child.on('close', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const done = [...out.matchAll(/DONE (\d+)\n/g)].map((m) => Number(m[1]));
          if (done.length >= stopAfter) {
            // Mid-write of the next: the child writes without pause.
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('close', (code) => reject(new Error(`child ended by itself (${code}): ${err}`)));
      });
      await killed;
      const done = [...out.matchAll(/DONE (\d+)\n/g)].map((m) => Number(m[1]));
      lastDone = Math.max(...done);
      const s = await ReviewStore.unlock(dir, PASSPHRASE);
      const r = await s.openReview(bundle);
      const entries = r.entries();
      // Every change reported done is there; at most the one being written besides.
      expect(entries.length).toBeGreaterThanOrEqual(lastDone);
      expect(entries.length).toBeLessThanOrEqual(lastDone + 1);
      expect(reviewChainBreak(entries, r.head, sha256Hex)).toBeNull();
      expect(r.state().get('exhibit:item-1')?.comment).toMatch(
        new RegExp(`^comment ${entries.length} `),
      );
      s.lock();
      // No half-written copy is left behind after the next unlock.
      expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    }
  }, 120_000);

  it('never puts a comment, a question or the reviewer on disk in plaintext', async () => {
    const started = Date.now() - 1000;
    const marker = `MARKER-${sha256Hex(String(Math.random())).slice(0, 16)}`;
    const { store, dir } = await newStore();
    await store.setReviewer({ name: `${marker} name`, organisation: `${marker} org` });
    const review = await store.openReview(bundle);
    await review.record(exhibit(0), { op: 'comment', value: `${marker} comment` });
    await review.record(exhibit(0), { op: 'questions', value: [`${marker} question?`] });
    await review.record({ kind: 'bundle' }, { op: 'comment', value: `${marker} overall` });
    store.lock();
    const needles = [marker, Buffer.from(marker, 'utf16le').toString('latin1')];
    const hits: string[] = [];
    const grep = async (root: string, since: number): Promise<void> => {
      for (const e of await readdir(root, { withFileTypes: true, recursive: true }).catch(
        () => [],
      )) {
        if (!e.isFile()) continue;
        const p = join(e.parentPath, e.name);
        const st = await stat(p).catch(() => null);
        if (!st || st.mtimeMs < since || st.size > 64 * 1024 * 1024) continue;
        const b = await readFile(p).catch(() => null);
        if (b && needles.some((n) => b.includes(Buffer.from(n, 'latin1')))) hits.push(p);
      }
    };
    await grep(dir, 0);
    // The temp dir: every file written there since this test began.
    await grep(tmpdir(), started);
    expect(hits).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(
      [`${bundle.ref.tagManifestSha256}.age`, REVIEWER_FILE, STORE_HEADER_FILE].sort(),
    );
  });

  it('stores hostile text exactly, and refuses text over the limits in words', async () => {
    const { store, dir } = await newStore();
    const review = await store.openReview(bundle);
    const hostile =
      'ok\u0000\u001b[31mred\u001b[0m \u202egpj.exe\u202c \u2066iso\u2069 \r\n\ttab \u200b\ufeff 😀 e\u0301 ' +
      'z'.repeat(REVIEW_LIMITS.comment - 60);
    expect(hostile.length).toBeLessThanOrEqual(REVIEW_LIMITS.comment);
    await review.record(exhibit(0), { op: 'comment', value: hostile });
    const questions = Array.from(
      { length: REVIEW_LIMITS.questions },
      (_, i) => `Q${i} \u202e? ${'q'.repeat(3990)}`,
    );
    await review.record(exhibit(0), { op: 'questions', value: questions });
    await store.setReviewer({
      name: '\u202eSmith\u0007',
      organisation: 'o'.repeat(REVIEW_LIMITS.name),
    });

    const refused = async (p: Promise<unknown>, words: RegExp): Promise<void> => {
      const e = await errorOf(p);
      expect(isDossierError(e, 'USAGE'), String(e)).toBe(true);
      expect((e as Error).message).toMatch(words);
    };
    await refused(
      review.record(exhibit(1), { op: 'comment', value: 'y'.repeat(REVIEW_LIMITS.comment + 1) }),
      /The comment is 20,001 characters long; at most 20,000/,
    );
    await refused(
      review.record(exhibit(1), { op: 'questions', value: [...questions, 'one more'] }),
      /There are 51 questions; at most 50/,
    );
    await refused(
      review.record(exhibit(1), {
        op: 'questions',
        value: ['ok', 'q'.repeat(REVIEW_LIMITS.question + 1)],
      }),
      /Question 2 is 4,001 characters long; at most 4,000/,
    );
    await refused(
      review.record(exhibit(1), { op: 'questions', value: ['ok', ''] }),
      /Question 2 is empty/,
    );
    await refused(
      review.record(
        { kind: 'bundle' },
        {
          op: 'fingerprint-checked',
          value: { fingerprint: bundle.ref.signingKeyFingerprint, how: 'h'.repeat(201) },
        },
      ),
      /at most 200 are allowed/,
    );
    await refused(
      review.record(exhibit(1), { op: 'comment', value: 'half \ud800 pair' }),
      /broken character/,
    );
    await refused(
      store.setReviewer({ name: 'n'.repeat(REVIEW_LIMITS.name + 1), organisation: null }),
      /at most 200/,
    );
    await refused(
      store.setReviewer({ name: 'bad \udc00', organisation: null }),
      /broken character/,
    );
    store.lock();

    const s = await ReviewStore.unlock(dir, PASSPHRASE);
    const st = (await s.openReview(bundle)).state().get('exhibit:item-1')!;
    expect(st.comment).toBe(hostile);
    expect(st.questions).toEqual(questions);
    expect(s.reviewer).toEqual({
      name: '\u202eSmith\u0007',
      organisation: 'o'.repeat(REVIEW_LIMITS.name),
    });
    expect((await s.openReview(bundle)).entries()).toHaveLength(2);
    s.lock();
  });

  it('refuses a target the bundle does not hold, and a change that does not fit its target', async () => {
    const { store } = await newStore();
    const review = await store.openReview(bundle);
    const x = bundle.exhibits[0]!;
    const cases: [ReviewTarget, Parameters<typeof review.record>[1], RegExp][] = [
      [
        { kind: 'exhibit', exhibit: 'JD1', itemId: 'item-9', sha256: x.sha256 },
        { op: 'status', value: 'relevant' },
        /no exhibit with the id item-9/,
      ],
      [
        { kind: 'exhibit', exhibit: 'JD2', itemId: x.itemId, sha256: x.sha256 },
        { op: 'status', value: 'relevant' },
        /is JD1 in this bundle, not JD2/,
      ],
      [
        { kind: 'exhibit', exhibit: 'JD1', itemId: x.itemId, sha256: 'f'.repeat(64) },
        { op: 'status', value: 'relevant' },
        /has the SHA-256/,
      ],
      [
        { kind: 'incident', incidentId: 'inc-9' },
        { op: 'comment', value: 'x' },
        /no incident with the id inc-9/,
      ],
      [
        { kind: 'message', messageId: 'msg-1', exhibit: 'JD3', index: 5 },
        { op: 'comment', value: 'x' },
        /is message 5 of JD3 \(index 4\) in this bundle, not index 5/,
      ],
      [
        { kind: 'message', messageId: 'msg-9', exhibit: 'JD3', index: 4 },
        { op: 'comment', value: 'x' },
        /no message with the id msg-9/,
      ],
      [
        { kind: 'incident', incidentId: 'inc-1' },
        { op: 'order', value: 2 },
        /"order" can be set on an exhibit/,
      ],
      [
        { kind: 'bundle' },
        {
          op: 'fingerprint-checked',
          value: { fingerprint: '0000 '.repeat(16).trim(), how: 'by phone' },
        },
        /not this bundle's signing-key fingerprint/,
      ],
      [exhibit(0), { op: 'status', value: 'maybe' } as never, /not valid/],
      [
        { kind: 'exhibit', exhibit: 'JD1' } as never,
        { op: 'status', value: 'relevant' },
        /not valid/,
      ],
    ];
    for (const [target, change, words] of cases) {
      const e = await errorOf(review.record(target, change));
      expect(isDossierError(e, 'USAGE'), String(e)).toBe(true);
      expect((e as Error).message).toMatch(words);
    }
    expect(review.entries()).toEqual([]);
    // The ones that fit are taken.
    await review.record(
      { kind: 'incident', incidentId: 'inc-1' },
      { op: 'status', value: 'need-context' },
    );
    await review.record(
      { kind: 'message', messageId: 'msg-1', exhibit: 'JD3', index: 4 },
      { op: 'questions', value: ['Who is X?'] },
    );
    await review.record(
      { kind: 'bundle' },
      {
        op: 'fingerprint-checked',
        value: { fingerprint: bundle.ref.signingKeyFingerprint, how: 'by phone' },
      },
    );
    expect(review.entries()).toHaveLength(3);
    store.lock();
  });

  it('refuses to overwrite a change made by another window on the same review', async () => {
    const { store, dir } = await newStore();
    const mine = await store.openReview(bundle);
    await mine.record(exhibit(0), { op: 'comment', value: 'one' });
    const elsewhere = await ReviewStore.unlock(dir, PASSPHRASE);
    await (await elsewhere.openReview(bundle)).record(exhibit(1), { op: 'comment', value: 'two' });
    const e = await errorOf(mine.record(exhibit(2), { op: 'comment', value: 'three' }));
    expect((e as Error).message).toMatch(/changed by another Dossier window/);
    const s = await ReviewStore.unlock(dir, PASSPHRASE);
    expect((await s.openReview(bundle)).entries().map((x) => x.value)).toEqual(['one', 'two']);
    for (const x of [store, elsewhere, s]) x.lock();
  });

  const noAge = missingTools(['age']);
  it.skipIf(noAge !== null)(
    skipTitle('age -d -i with the revealed identity opens a review file', noAge),
    async () => {
      const { store, dir } = await newStore();
      await (
        await store.openReview(bundle)
      ).record(exhibit(0), { op: 'comment', value: 'readable by age' });
      const id = join(dir, '..', 'identity.txt');
      await writeFile(id, `${store.revealAgeIdentity()}\n`, { mode: 0o600 });
      const { stdout } = await run('age', [
        '-d',
        '-i',
        id,
        join(dir, `${bundle.ref.tagManifestSha256}.age`),
      ]);
      const content = JSON.parse(stdout) as {
        format: string;
        entries: { value: unknown }[];
        mac: string;
      };
      expect(content.format).toBe('dossier-review-draft');
      expect(content.entries[0]!.value).toBe('readable by age');
      await rm(id);
      store.lock();
    },
  );
});

describe('a full disk', async () => {
  const mountable = await canMountTmpfs();
  it.skipIf(!mountable)(
    'gives a clear error and keeps the review as it was (needs root to mount a small tmpfs)',
    async () => {
      const root = await tempDir();
      const disk = join(root, 'small-disk');
      await mkdir(disk);
      await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk]);
      try {
        const { store, dir } = await newStore(join(disk, 'Reviews'));
        const review = await store.openReview(bundle);
        await review.record(exhibit(0), { op: 'comment', value: 'before the disk filled' });
        await fillDisk(join(disk, 'filler'));
        const e = await errorOf(
          review.record(exhibit(0), { op: 'comment', value: 'x'.repeat(10_000) }),
        );
        expect(isDossierError(e, 'NO_SPACE'), String(e)).toBe(true);
        expect((e as Error).message).toMatch(/disk is full/);
        expect(review.entries()).toHaveLength(1);
        const e2 = await errorOf(store.setReviewer({ name: 'n'.repeat(200), organisation: null }));
        expect(isDossierError(e2, 'NO_SPACE'), String(e2)).toBe(true);
        store.lock();
        const s = await ReviewStore.unlock(dir, PASSPHRASE);
        const r = await s.openReview(bundle);
        expect(r.state().get('exhibit:item-1')?.comment).toBe('before the disk filled');
        expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
        // With room again, the next change is taken.
        await rm(join(disk, 'filler'));
        await r.record(exhibit(0), { op: 'comment', value: 'after' });
        expect(r.entries()).toHaveLength(2);
        s.lock();
      } finally {
        await run('umount', ['-l', disk]).catch(() => undefined);
      }
    },
  );
});
