import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Vault } from '../../main/core';
import type { ExportResult } from '../../main/core/export/export';
import type { ReviewBundleRef, ReviewEntry } from '../../shared/review';
import {
  adviserKey,
  chainEntries,
  encryptedReview,
  resign,
  reviewFile,
  reviewZipFiles,
  viewerReviewJson,
  zipOf,
  type AdviserKey,
  type EntryDraft,
} from '../support/adviser-review';
import { tempDir } from '../support/tmp';
import { newVault } from '../support/vault';

describe('importing a review from the adviser', async () => {
  const root = await tempDir();
  let vault: Vault;
  let made: ExportResult;
  let bundle: ReviewBundleRef;
  let incidentId: string;
  let key: AdviserKey;
  let entries: ReviewEntry[];
  let n = 0;

  /** Writes bytes to a new file in the test folder and returns its path. */
  const file = async (bytes: Buffer, ext = '.zip'): Promise<string> => {
    const p = join(root, `review-${++n}${ext}`);
    await writeFile(p, bytes);
    return p;
  };
  const stored = (): { reviews: number; entries: number; log: number } => ({
    reviews: vault.adviserReviews.list().length,
    entries: vault.adviserReviews.list().reduce((s, r) => s + r.entries, 0),
    log: vault.log().length,
  });
  /** Refused with a message matching `message`, and nothing stored or logged. */
  const refused = async (path: string, message: RegExp, passphrase?: string): Promise<void> => {
    const before = stored();
    const err = await vault.importReview({ path }, { passphrase }).then(
      () => null,
      (e: Error) => e,
    );
    if (process.env.SHOW_REFUSALS) console.log(err?.message);
    expect(err?.message).toMatch(message);
    expect(stored()).toEqual(before);
  };

  beforeAll(async () => {
    ({ vault } = await newVault(join(root, 'vault')));
    await vault.addData({ name: 'threat.txt', data: Buffer.from('I know where you live.\n') });
    await vault.addData({ name: 'second.txt', data: Buffer.from('Another message.\n') });
    const [a, b] = vault.list();
    incidentId = vault.createIncident(
      { occurredAt: '2026-03-02T21:14:00Z', place: 'Email', summary: 'Threat by email' },
      { itemIds: [a!.id] },
    ).id;
    made = await vault.export({
      out: join(root, 'Harassment'),
      format: 'dir',
      selection: { all: true },
      caseName: 'Harassment',
    });
    expect(made.exhibits.map((e) => e.itemId).sort()).toEqual([a!.id, b!.id].sort());
    bundle = {
      tagManifestSha256: made.tagManifestSha256,
      bagName: basename(made.path),
      caseName: 'Harassment',
      signingKeyFingerprint: made.fingerprint,
    };
    key = adviserKey();
    entries = chainEntries(drafts());
  }, 60_000);

  function drafts(): EntryDraft[] {
    const [x, y] = made.exhibits;
    const ex = (e: typeof x) => ({
      kind: 'exhibit' as const,
      exhibit: e!.number,
      itemId: e!.itemId,
      sha256: e!.sha256,
    });
    return [
      { target: ex(x), op: 'status', value: 'need-original' },
      { target: ex(x), op: 'comment', value: 'Strong. We need the original email with headers.' },
      { target: ex(y), op: 'order', value: 1 },
      { target: { kind: 'incident', incidentId }, op: 'questions', value: ['Did you report it?'] },
      { target: { kind: 'bundle' }, op: 'comment', value: 'Overall a good bundle.' },
    ];
  }

  const signedZip = (review = reviewFile(bundle, entries), k = key): Promise<Buffer> =>
    zipOf(reviewZipFiles(review, k));

  describe('refusals (each leaves nothing stored and nothing logged)', () => {
    it('refuses a review of a bundle this vault did not export', async () => {
      const other = { ...bundle, tagManifestSha256: 'ab'.repeat(32) };
      await refused(
        await file(await signedZip(reviewFile(other, entries))),
        /bundle this vault did not export \(its tag manifest SHA-256 is abab/,
      );
    });

    it('refuses a review whose bundle names another signing key than this vault’s', async () => {
      const other = { ...bundle, signingKeyFingerprint: adviserKey().fingerprint };
      await refused(
        await file(await signedZip(reviewFile(other, entries))),
        /says the bundle was signed by the key .* but the bundle you exported was signed by this vault's key/,
      );
    });

    it('refuses a flipped byte in review.json, the PDF, the key or the signature', async () => {
      const flip = (b: Buffer, at: number): Buffer => {
        const c = Buffer.from(b);
        c[at] = c[at]! ^ 0x01;
        return c;
      };
      const good = reviewZipFiles(reviewFile(bundle, entries), key);
      const json = good['review.json']!;
      await refused(
        await file(await zipOf({ ...good, 'review.json': flip(json, json.indexOf('Strong')) })),
        /review\.json in review-\d+\.zip does not match manifest-sha256\.txt/,
      );
      await refused(
        await file(
          await zipOf({ ...good, 'review-summary.pdf': flip(good['review-summary.pdf']!, 12) }),
        ),
        /review-summary\.pdf in .* does not match manifest-sha256\.txt/,
      );
      const pem = good['adviser-public-key.pem']!;
      await refused(
        await file(await zipOf({ ...good, 'adviser-public-key.pem': flip(pem, 40) })),
        /adviser-public-key\.pem in .* does not match manifest-sha256\.txt/,
      );
      // Another key put in, with a manifest to match: the signature (by the first key) fails.
      const swapped = { ...good, 'adviser-public-key.pem': Buffer.from(adviserKey().pem) };
      const manifestOnly = resign(swapped, key);
      await refused(
        await file(
          await zipOf({
            ...manifestOnly,
            'manifest-sha256.txt.sig': good['manifest-sha256.txt.sig']!,
          }),
        ),
        /signature in .* does not match its manifest and key/,
      );
      await refused(
        await file(
          await zipOf({
            ...good,
            'manifest-sha256.txt.sig': flip(good['manifest-sha256.txt.sig']!, 7),
          }),
        ),
        /signature in .* does not match/,
      );
    });

    it('refuses a zip with a file too many or one missing, naming it', async () => {
      const good = reviewZipFiles(reviewFile(bundle, entries), key);
      await refused(
        await file(await zipOf({ ...good, 'notes.txt': Buffer.from('hello') })),
        /holds "review-Harassment-20261206\/notes\.txt", which a review from an adviser does not/,
      );
      const { 'review-summary.pdf': _gone, ...missing } = good;
      void _gone;
      await refused(await file(await zipOf(missing)), /has no review-summary\.pdf/);
      // A second folder beside the review's.
      const two = await zipOf({ ...good, 'x/extra.txt': Buffer.from('x') });
      await refused(await file(two), /x\/extra\.txt/);
    });

    it('refuses a wrong passphrase for a .zip.age, and imports with the right one', async () => {
      const age = await file(
        encryptedReview(await signedZip(), 'the adviser passphrase'),
        '.zip.age',
      );
      await refused(
        age,
        /That passphrase does not open review-\d+\.zip\.age/,
        'not the passphrase',
      );
      await refused(age, /is encrypted\. Give the passphrase/);
      const sealed = encryptedReview(await signedZip(), 'the adviser passphrase');
      sealed[sealed.length - 5] = sealed[sealed.length - 5]! ^ 1;
      await refused(
        await file(sealed, '.zip.age'),
        /damaged or was tampered with/,
        'the adviser passphrase',
      );
    });

    it('refuses a truncated zip', async () => {
      const zip = await signedZip();
      await refused(await file(zip.subarray(0, zip.length - 40)), /not a readable zip|damaged/);
      await refused(
        await file(zip.subarray(0, Math.floor(zip.length / 2))),
        /not a readable zip|damaged/,
      );
    });

    it('refuses hostile names inside the zip', async () => {
      const good = reviewZipFiles(reviewFile(bundle, entries), key);
      // yazl will not write these names: written with a placeholder of the same length, patched.
      for (const hostile of ['../../../../evil.txt', '/etc/passwd-review', 'bad\u202Etxt.exe']) {
        const placeholder = 'P'.repeat(Buffer.byteLength(hostile));
        const zip = await zipOf({ ...good, [placeholder]: Buffer.from('x') }, '');
        let at = zip.indexOf(placeholder);
        expect(at).toBeGreaterThan(-1);
        while (at !== -1) {
          zip.write(hostile, at);
          at = zip.indexOf(placeholder);
        }
        await refused(await file(zip), /cannot be read safely|unsafe|not a readable zip/);
      }
    });

    it('refuses an oversized file, in the zip and as a viewer review', async () => {
      const good = reviewZipFiles(reviewFile(bundle, entries), key);
      const big = Buffer.alloc(64 * 1024 * 1024 + 1, 0x20);
      await refused(
        await file(await zipOf(resign({ ...good, 'review-summary.pdf': big }, key))),
        /review-summary\.pdf.*(more than|expand)/,
      );
      const json = viewerReviewJson(reviewFile(bundle, entries));
      await refused(
        await file(Buffer.concat([json.subarray(0, -1), big, Buffer.from('}')]), '.json'),
        /larger than 64 MiB/,
      );
    });

    it('refuses a broken chain, naming the first bad entry, though the zip is signed', async () => {
      const changed = entries.map((e) =>
        e.seq === 2 ? ({ ...e, value: 'Weak. Drop it.' } as ReviewEntry) : e,
      );
      await refused(
        await file(await signedZip(reviewFile(bundle, changed))),
        /Entry 2 of the review was changed after it was written/,
      );
      const dropped = entries.filter((e) => e.seq !== 3);
      await refused(
        await file(await signedZip(reviewFile(bundle, dropped))),
        /Entry 3 of the review is numbered 4/,
      );
      const cut = { ...reviewFile(bundle, entries.slice(0, 3)), head: entries[4]!.hash };
      await refused(await file(await signedZip(cut)), /entries after 3 were removed/);
    });

    it('refuses targets the bundle did not hold', async () => {
      const [x] = made.exhibits;
      const wrongBytes = chainEntries([
        {
          target: {
            kind: 'exhibit',
            exhibit: x!.number,
            itemId: x!.itemId,
            sha256: 'cd'.repeat(32),
          },
          op: 'comment',
          value: 'about other bytes',
        },
      ]);
      await refused(
        await file(await signedZip(reviewFile(bundle, wrongBytes))),
        /Entry 1 .* the comment is about other bytes/,
      );
      const unknownIncident = chainEntries([
        { target: { kind: 'incident', incidentId: 'z'.repeat(26) }, op: 'comment', value: 'hm' },
      ]);
      await refused(
        await file(await signedZip(reviewFile(bundle, unknownIncident))),
        /incident z+, which this vault did not hold/,
      );
    });

    it('refuses a review.json made in Dossier on its own (its signature left behind)', async () => {
      const json = Buffer.from(JSON.stringify(reviewFile(bundle, entries)));
      await refused(await file(json, '.json'), /sends a review as a signed zip/);
    });
  });

  it('a failure after the custody entry is written leaves nothing: no entry, no key, no review', async () => {
    const before = stored();
    const append = vault.custody.append.bind(vault.custody);
    const spy = vi.spyOn(vault.custody, 'append').mockImplementationOnce((...args) => {
      append(...(args as Parameters<typeof append>));
      throw new Error('the disk is full');
    });
    const path = await file(await signedZip());
    await expect(vault.importReview({ path })).rejects.toThrow('the disk is full');
    spy.mockRestore();
    expect(stored()).toEqual(before);
    expect(vault.verifyLog().ok).toBe(true);
  });

  describe('a review that checks', () => {
    it('stores every entry and one custody entry, and shows the fingerprint as new', async () => {
      const before = vault.log().length;
      const result = await vault.importReview({ path: await file(await signedZip()) });
      expect(result).toMatchObject({
        outcome: 'imported',
        signed: true,
        madeIn: 'dossier',
        fingerprint: key.fingerprint,
        keySeenBefore: false,
        entriesAdded: 5,
        entries: 5,
      });
      expect(result.message).toContain(
        `a key this vault has not seen before: compare its fingerprint ${key.fingerprint}`,
      );
      const log = vault.log();
      expect(log.length).toBe(before + 1);
      const entry = log[log.length - 1]!;
      expect(entry.action).toBe('adviser-review-imported');
      expect(entry.details).toMatchObject({
        review: result.reviewId,
        signed: true,
        fingerprint: key.fingerprint,
        keySeenBefore: false,
        tagManifestSha256: made.tagManifestSha256,
        added: { from: 1, to: 5 },
        head: entries[4]!.hash,
      });
      expect(entry.subjects).toEqual([]);
      expect(vault.verifyLog().ok).toBe(true);
      expect(vault.adviserReviews.entries(result.reviewId)).toEqual(entries);

      const [x, y] = made.exhibits;
      const onX = vault.adviserReviews.about({ itemId: x!.itemId });
      expect(onX).toHaveLength(1);
      expect(onX[0]).toMatchObject({
        status: 'need-original',
        statusWords: 'Need the original',
        comment: 'Strong. We need the original email with headers.',
        reviewer: { name: 'A. Solicitor', organisation: 'Smith & Co' },
        signed: true,
      });
      expect(vault.adviserReviews.about({ itemId: y!.itemId })[0]).toMatchObject({ order: 1 });
      expect(vault.adviserReviews.about({ incidentId })[0]!.questions).toEqual([
        'Did you report it?',
      ]);
      expect(vault.adviserReviews.overall(result.reviewId)).toMatchObject({
        target: { kind: 'bundle' },
        comment: 'Overall a good bundle.',
      });
      expect(vault.adviserReviews.targetCounts(result.reviewId)).toEqual({
        exhibits: 2,
        incidents: 1,
        messages: 0,
      });
      // Her own notes are untouched: the comment is not one of the item's notes.
      expect(JSON.stringify(vault.itemDetail(x!.itemId))).not.toContain('Strong.');
    });

    it('importing the same review again is a no-op that says so', async () => {
      const before = stored();
      const again = await vault.importReview({ path: await file(await signedZip()) });
      expect(again.outcome).toBe('already-imported');
      expect(again.entriesAdded).toBe(0);
      expect(again.message).toMatch(/imported already/);
      expect(stored()).toEqual(before);
    });

    it('a later version adds its new entries; the key is now known; an earlier one adds nothing', async () => {
      const [x] = made.exhibits;
      const later = chainEntries(
        [
          {
            target: { kind: 'exhibit', exhibit: x!.number, itemId: x!.itemId, sha256: x!.sha256 },
            op: 'status',
            value: 'relevant',
          },
        ],
        entries,
      );
      const before = vault.log().length;
      const result = await vault.importReview({
        path: await file(await signedZip(reviewFile(bundle, later))),
      });
      expect(result).toMatchObject({
        outcome: 'extended',
        entriesAdded: 1,
        entries: 6,
        keySeenBefore: true,
      });
      expect(result.message).toContain('which this vault has seen before');
      expect(vault.log().length).toBe(before + 1);
      expect(vault.log().at(-1)!.details).toMatchObject({ added: { from: 6, to: 6 } });
      expect(vault.adviserReviews.list()).toHaveLength(1);
      expect(vault.adviserReviews.about({ itemId: x!.itemId })[0]!.status).toBe('relevant');

      const earlier = await vault.importReview({
        path: await file(await signedZip(reviewFile(bundle, entries.slice(0, 2)))),
      });
      expect(earlier.outcome).toBe('earlier-version');
      expect(vault.log().length).toBe(before + 1);
    });

    it('is never in a later bundle: the import entry is withheld there, and no comment goes out', async () => {
      const again = await vault.export({
        out: join(root, 'Later'),
        format: 'dir',
        selection: { all: true },
        caseName: 'Harassment',
      });
      const custody = await readFile(join(again.path, 'data/metadata/custody.jsonl'), 'utf8');
      expect(custody).not.toContain('adviser-review-imported');
      expect(custody).not.toContain('Smith & Co');
      expect(custody).toContain('"withheld"');
      const items = await readFile(join(again.path, 'data/metadata/items.json'), 'utf8');
      expect(items).not.toContain('Strong.');
    });

    it('a viewer review imports and says it carries no signature', async () => {
      const json = viewerReviewJson(
        reviewFile(bundle, entries, { name: 'Viewer Adviser', organisation: null }),
      );
      const result = await vault.importReview({ name: 'review-Harassment.json', data: json });
      expect(result).toMatchObject({
        outcome: 'imported',
        signed: false,
        fingerprint: null,
        keySeenBefore: null,
      });
      expect(result.message).toMatch(/carries no signature/);
      expect(vault.adviserReviews.list()).toHaveLength(2);
      expect(vault.log().at(-1)!.details).toMatchObject({ signed: false, madeIn: 'viewer' });
    });

    it('a .zip.age with the right passphrase imports (a review by another key)', async () => {
      const other = adviserKey();
      const age = encryptedReview(
        await signedZip(reviewFile(bundle, entries), other),
        'the adviser passphrase',
      );
      const result = await vault.importReview(
        { path: await file(age, '.zip.age') },
        { passphrase: 'the adviser passphrase' },
      );
      expect(result).toMatchObject({
        outcome: 'imported',
        fingerprint: other.fingerprint,
        keySeenBefore: false,
      });
      expect(vault.adviserReviews.about({ itemId: made.exhibits[0]!.itemId })).toHaveLength(3);
    });
  });
});

describe('a review about messages of an exported conversation', async () => {
  const root = await tempDir();
  const { vault } = await newVault(join(root, 'vault'));
  await vault.addData(
    {
      name: 'WhatsApp Chat with Alex.txt',
      data: Buffer.from(
        '13/02/2024, 10:00 - Alex: I know where you live\n13/02/2024, 10:01 - Alex: see you soon\n',
      ),
    },
    { dateOrder: 'dmy', timeZone: 'Europe/London' },
  );
  const chat = vault.list().find((i) => i.name === 'WhatsApp Chat with Alex.txt')!;
  const messages = vault.conversationMessages(chat.id, 0, 10);
  const made = await vault.export({
    out: join(root, 'Chat'),
    format: 'dir',
    selection: { itemIds: [chat.id] },
    caseName: 'Chat',
  });
  const bundle: ReviewBundleRef = {
    tagManifestSha256: made.tagManifestSha256,
    bagName: basename(made.path),
    caseName: 'Chat',
    signingKeyFingerprint: made.fingerprint,
  };
  const label = made.exhibits.find((e) => e.itemId === chat.id)!.number;
  const key = adviserKey();
  const zipPath = async (drafts: EntryDraft[], name: string): Promise<string> => {
    const p = join(root, name);
    await writeFile(p, await zipOf(reviewZipFiles(reviewFile(bundle, chainEntries(drafts)), key)));
    return p;
  };

  it('puts the comment beside the message', async () => {
    const m = messages[1]!;
    const path = await zipPath(
      [
        {
          target: { kind: 'message', messageId: m.id, exhibit: label, index: m.index },
          op: 'status',
          value: 'relevant',
        },
      ],
      'ok.zip',
    );
    expect((await vault.importReview({ path })).outcome).toBe('imported');
    expect(vault.adviserReviews.about({ messageId: m.id })[0]).toMatchObject({
      status: 'relevant',
    });
  });

  it('refuses a message at another place, or of an exhibit the bundle did not number so', async () => {
    const m = messages[0]!;
    const before = vault.log().length;
    const wrongIndex = await zipPath(
      [
        {
          target: { kind: 'message', messageId: m.id, exhibit: label, index: m.index + 1 },
          op: 'comment',
          value: 'x',
        },
      ],
      'index.zip',
    );
    await expect(vault.importReview({ path: wrongIndex })).rejects.toThrow(
      /which is not a message of that exhibit in this vault/,
    );
    const wrongExhibit = await zipPath(
      [
        {
          target: { kind: 'message', messageId: m.id, exhibit: 'ZZ9', index: m.index },
          op: 'comment',
          value: 'x',
        },
      ],
      'exhibit.zip',
    );
    await expect(vault.importReview({ path: wrongExhibit })).rejects.toThrow(
      /a message of exhibit ZZ9, which was not in the bundle/,
    );
    expect(vault.log().length).toBe(before);
  });
});
