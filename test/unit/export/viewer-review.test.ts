/**
 * The viewer's review, without a browser: the entries its controls make (page/review-log.ts)
 * and the bundle a saved review names (page/bag-reference.ts). The Chromium test
 * (test/e2e/viewer-review.e2e.test.ts) drives the controls themselves.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bagInfoValue,
  bundleReference,
  parseManifest,
  type BagTagFiles,
} from '../../../main/core/export/viewer/page/bag-reference';
import {
  ReviewLog,
  reviewFileName,
  sha256Text,
} from '../../../main/core/export/viewer/page/review-log';
import { REVIEW_GENESIS, reviewChainBreak, type ReviewTarget } from '../../../shared/review';
import { reviewFileSchema } from '../../../shared/review-schema';

const sha = (t: string | Uint8Array): string => createHash('sha256').update(t).digest('hex');
const JD1: ReviewTarget = {
  kind: 'exhibit',
  exhibit: 'JD1',
  itemId: 'item-1',
  sha256: 'a'.repeat(64),
};
const JD2: ReviewTarget = {
  kind: 'exhibit',
  exhibit: 'JD2',
  itemId: 'item-2',
  sha256: 'b'.repeat(64),
};
const FINGERPRINT =
  '3f2a 9c1b 77de 0a41 5b6c 8e90 12ab cdef 3f2a 9c1b 77de 0a41 5b6c 8e90 12ab cdef';
const BUNDLE = {
  tagManifestSha256: 'c'.repeat(64),
  bagName: 'R-v-Unknown-20261206',
  caseName: 'R v Unknown',
  signingKeyFingerprint: FINGERPRINT,
};

/** A clock that ticks one millisecond a call, so each entry's time is known. */
function clock(): () => string {
  let t = Date.parse('2026-12-06T10:00:00.000Z');
  return () => new Date(t++).toISOString();
}

describe('the viewer’s review log', () => {
  it('hashes UTF-8 text as node:crypto does', () => {
    for (const t of ['', 'abc', 'Need the original \u2014 \u00e9\u{1F600}', 'x'.repeat(1000)]) {
      expect(sha256Text(t)).toBe(sha(Buffer.from(t, 'utf8')));
    }
  });

  it('makes each change an entry, chained from the genesis, that the import’s schema and chain check accept', () => {
    const log = new ReviewLog(clock());
    expect(log.head).toBe(REVIEW_GENESIS);
    log.set(JD1, { op: 'status', value: 'need-original' });
    log.set(JD1, { op: 'comment', value: 'Ask for the .eml' });
    log.set({ kind: 'bundle' }, { op: 'comment', value: 'Overall: strong.' });
    log.set(JD1, { op: 'status', value: 'relevant' });
    const file = log.file(
      BUNDLE,
      { name: ' A. Solicitor ', organisation: '' },
      '2026-12-06T11:00:00.000Z',
    );
    expect(reviewFileSchema.parse(JSON.parse(JSON.stringify(file)))).toEqual(file);
    expect(file.madeIn).toBe('viewer');
    expect(file.reviewer).toEqual({ name: 'A. Solicitor', organisation: null });
    expect(file.entries.map((e) => [e.seq, e.at, e.op, e.value])).toEqual([
      [1, '2026-12-06T10:00:00.000Z', 'status', 'need-original'],
      [2, '2026-12-06T10:00:00.001Z', 'comment', 'Ask for the .eml'],
      [3, '2026-12-06T10:00:00.002Z', 'comment', 'Overall: strong.'],
      [4, '2026-12-06T10:00:00.003Z', 'status', 'relevant'],
    ]);
    expect(file.entries[0]!.prev).toBe(REVIEW_GENESIS);
    expect(
      reviewChainBreak(file.entries, file.head, (t) => sha(Buffer.from(t, 'utf8'))),
    ).toBeNull();
    expect(file.head).toBe(file.entries[3]!.hash);
    expect(log.stateOf(JD1)).toMatchObject({ status: 'relevant', comment: 'Ask for the .eml' });
    expect(log.stateOf(JD2)).toBeNull();
  });

  it('records nothing for a value the target already has', () => {
    const log = new ReviewLog(clock());
    expect(log.set(JD1, { op: 'status', value: null })).toBeNull();
    expect(log.set(JD1, { op: 'comment', value: '' })).toBeNull();
    expect(log.set(JD1, { op: 'status', value: 'privileged' })).not.toBeNull();
    expect(log.set(JD1, { op: 'status', value: 'privileged' })).toBeNull();
    // Cleared is a change: the client sees that the status was taken back.
    expect(log.set(JD1, { op: 'status', value: null })).toMatchObject({ seq: 2, value: null });
    expect(log.entries).toHaveLength(2);
  });

  it('keeps a pasted lone surrogate and CR LF from breaking the hash: text is made well-formed', () => {
    const log = new ReviewLog(clock());
    const e = log.set(JD2, { op: 'comment', value: 'line 1\r\nline 2\ud800' })!;
    expect(e.value).toBe('line 1\nline 2\ufffd');
    expect(reviewChainBreak(log.entries, log.head, (t) => sha(Buffer.from(t, 'utf8')))).toBeNull();
  });

  it('refuses, in words, a comment over the format’s limit', () => {
    const log = new ReviewLog(clock());
    expect(() => log.set(JD1, { op: 'comment', value: 'x'.repeat(20_001) })).toThrow(
      'A comment holds at most 20,000 characters; this one has 20,001.',
    );
    expect(log.entries).toHaveLength(0);
    expect(() =>
      log.file(BUNDLE, { name: 'n'.repeat(201), organisation: null }, '2026-12-06T11:00:00.000Z'),
    ).toThrow('Your name holds at most 200 characters; it has 201.');
  });

  it('is unsaved after a change or new reviewer words, and saved after markSaved', () => {
    const log = new ReviewLog(clock());
    const who = { name: null, organisation: null };
    expect(log.dirty(who)).toBe(false);
    log.set(JD1, { op: 'status', value: 'relevant' });
    expect(log.dirty(who)).toBe(true);
    const file = log.file(BUNDLE, who, '2026-12-06T11:00:00.000Z');
    log.markSaved(file);
    expect(log.dirty(who)).toBe(false);
    expect(log.dirty({ name: 'A. Solicitor', organisation: null })).toBe(true);
    expect(log.dirty({ name: '  ', organisation: '' })).toBe(false);
    log.set(JD1, { op: 'comment', value: 'More.' });
    expect(log.dirty(who)).toBe(true);
    // A later save holds the earlier entries as they were, then the new ones.
    const later = log.file(BUNDLE, who, '2026-12-06T12:00:00.000Z');
    expect(later.entries.slice(0, 1)).toEqual(file.entries);
    expect(later.entries[1]!.prev).toBe(file.head);
  });

  it('names the file review-<bag name>-<YYYYMMDD>.json, a hostile bag name made harmless', () => {
    expect(reviewFileName('R-v-Unknown-20261206', '2026-12-07T00:30:00.000Z')).toBe(
      'review-R-v-Unknown-20261206-20261207.json',
    );
    expect(reviewFileName('../../etc/passwd\u202Egnp.exe', '2026-12-07T00:30:00.000Z')).toBe(
      'review-etc-passwd-gnp.exe-20261207.json',
    );
    expect(reviewFileName('', '2026-12-07T00:30:00.000Z')).toBe('review-bundle-20261207.json');
  });
});

describe('the bundle a viewer review names', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const payload = [
    { path: 'data/evidence/JD-1_a.png', sha256: sha('a') },
    { path: 'data/metadata/items.json', sha256: sha('items') },
  ];
  const island = { signingKeyFingerprint: FINGERPRINT, manifest: payload };

  function bag(
    over: { bagInfo?: string; manifestLines?: string[]; tagLines?: (t: string[]) => string[] } = {},
  ): BagTagFiles {
    const bagInfo = enc(
      over.bagInfo ??
        `Source-Organization: Dossier (self-produced evidence bundle)\nExternal-Identifier: R-v-Unknown-20261206\nCase-Name: R v Unknown\n  (second line)\nSigning-Key-Fingerprint: ${FINGERPRINT}\n`,
    );
    const manifest = enc(
      (
        over.manifestLines ?? [
          ...payload.map((p) => `${p.sha256}  ${p.path}`),
          `${sha('page')}  data/viewer/index.html`,
        ]
      ).join('\n') + '\n',
    );
    const lines = [
      `${sha('bagit')}  bagit.txt`,
      `${sha(bagInfo)}  bag-info.txt`,
      `${sha(manifest)}  manifest-sha256.txt`,
    ];
    const tagManifest = enc((over.tagLines ? over.tagLines(lines) : lines).join('\n') + '\n');
    return { tagManifest, bagInfo, manifest };
  }

  it('is the SHA-256 of tagmanifest-sha256.txt, with bag-info.txt’s name, case and key', () => {
    const files = bag();
    expect(bundleReference(files, island)).toEqual({
      ref: {
        tagManifestSha256: sha(files.tagManifest),
        bagName: 'R-v-Unknown-20261206',
        caseName: 'R v Unknown (second line)',
        signingKeyFingerprint: FINGERPRINT,
      },
    });
  });

  it('is refused when the folder’s bag-info.txt or manifest is not the one its tag manifest lists', () => {
    const files = bag();
    const changed = {
      ...files,
      bagInfo: enc(new TextDecoder().decode(files.bagInfo).replace('R v', 'S v')),
    };
    expect(bundleReference(changed, island)).toEqual({
      problem:
        'The folder you chose is not the bundle this page came from, or it was changed since it was made: its bag-info.txt is not the one its tagmanifest-sha256.txt lists.',
    });
    const unlisted = bag({ tagLines: (l) => l.filter((x) => !x.endsWith('manifest-sha256.txt')) });
    expect(bundleReference(unlisted, island)).toEqual({
      problem: 'tagmanifest-sha256.txt in the folder you chose does not list manifest-sha256.txt.',
    });
  });

  it('is refused for another bundle: another key, a file listed differently, one more or one fewer', () => {
    const otherKey = FINGERPRINT.replace('3f2a', '0000');
    expect(
      bundleReference(bag({ bagInfo: `Signing-Key-Fingerprint: ${otherKey}\n` }), island),
    ).toMatchObject({
      problem: expect.stringContaining(`names the signing key "${otherKey}"`) as unknown,
    });
    const changed = bag({
      manifestLines: [
        `${sha('b')}  data/evidence/JD-1_a.png`,
        `${sha('items')}  data/metadata/items.json`,
      ],
    });
    expect(bundleReference(changed, island)).toMatchObject({
      problem: expect.stringContaining(
        'lists data/evidence/JD-1_a.png with another fingerprint',
      ) as unknown,
    });
    const fewer = bag({ manifestLines: [`${sha('a')}  data/evidence/JD-1_a.png`] });
    expect(bundleReference(fewer, island)).toMatchObject({
      problem: expect.stringContaining('does not list data/metadata/items.json') as unknown,
    });
    const more = bag({
      manifestLines: [
        ...payload.map((p) => `${p.sha256}  ${p.path}`),
        `${sha('x')}  data/evidence/JD-2_x.png`,
      ],
    });
    expect(bundleReference(more, island)).toMatchObject({
      problem: expect.stringContaining(
        'lists data/evidence/JD-2_x.png, which this page does not',
      ) as unknown,
    });
  });

  it('reads manifests and bag-info as BagIt writes them, and says which line is wrong', () => {
    expect(parseManifest(`${'A'.repeat(64)} \tdata/a%25b%0Ac.txt\r\n`, 'm')).toEqual(
      new Map([['data/a%b\nc.txt', 'a'.repeat(64)]]),
    );
    expect(() =>
      parseManifest(`${'a'.repeat(64)}  x\nnot a line\n`, 'manifest-sha256.txt'),
    ).toThrow('Line 2 of manifest-sha256.txt is not "<SHA-256>  <path>".');
    expect(bagInfoValue('case-name: A\n\tB\nCase-Name: C\n', 'Case-Name')).toBe('A B');
    expect(bagInfoValue('Contact-Name: x\n', 'Case-Name')).toBeNull();
    expect(
      bundleReference({ ...bag(), tagManifest: new Uint8Array([0xff, 0xfe]) }, island),
    ).toEqual({
      problem: 'tagmanifest-sha256.txt in the folder you chose is not UTF-8 text.',
    });
  });
});
