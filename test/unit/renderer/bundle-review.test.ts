import { describe, expect, it } from 'vitest';
import {
  bannerTitle,
  compareText,
  failingFiles,
  failingLabels,
  problemText,
} from '../../../renderer/src/screens/review/bundle-review';
import type { ReviewSummary } from '../../../renderer/src/stores/session';

/** The banner's words and the failing-exhibit marks for a bundle open for review. */
const summary = (over: Partial<ReviewSummary> = {}): ReviewSummary => ({
  name: 'bundle.zip',
  caseName: 'R v Unknown',
  bagName: 'R-v-Unknown-20261204',
  exporter: 'Jane Doe MP',
  exportedAt: '2026-12-04T10:00:00Z',
  exhibits: 4,
  incidents: 1,
  people: 1,
  messages: 2,
  fingerprint: '1a2b 3c4d',
  signed: true,
  verified: true,
  tagManifestSha256: null,
  problems: [],
  failingExhibits: [],
  ...over,
});

const tampered = summary({
  verified: false,
  failingExhibits: ['JD3'],
  problems: [
    {
      severity: 'error',
      file: 'data/exhibits/JD3 email.txt',
      message: 'the SHA-256 does not match manifest-sha256.txt',
      exhibits: ['JD3'],
    },
    { severity: 'error', file: 'data/extra.txt', message: 'is not in the manifest', exhibits: [] },
    { severity: 'warning', file: null, message: 'no viewer', exhibits: [] },
  ],
});

describe('a bundle open for review, in words', () => {
  it('names the case, the exporter and the day, and says it is read-only', () => {
    expect(bannerTitle(summary())).toBe(
      'Reviewing R v Unknown — a bundle made by Jane Doe MP on 4 Dec 2026; read-only',
    );
    expect(compareText(summary())).toBe(
      'Compare this fingerprint with the one Jane Doe MP gave you by phone or letter.',
    );
  });

  it('says so when the bundle names no exporter or date, and escapes hostile text', () => {
    const s = summary({ exporter: null, exportedAt: null, caseName: 'Evil\u001b[2J\u202eCase' });
    expect(bannerTitle(s)).toBe(
      'Reviewing Evil\\u{001b}[2J\\u{202e}Case — a bundle made by an exporter the bundle does not name; read-only',
    );
    expect(compareText(s)).toMatch(/with the one the exporter gave you/);
    expect(bannerTitle(summary({ exportedAt: 'soon\u001b[31m' }))).toBe(
      'Reviewing R v Unknown — a bundle made by Jane Doe MP on soon\\u{001b}[31m; read-only',
    );
  });

  it('names each problem with its file and exhibit', () => {
    expect(problemText(tampered.problems[0]!)).toBe(
      'data/exhibits/JD3 email.txt (exhibit JD3): the SHA-256 does not match manifest-sha256.txt',
    );
    expect(problemText(tampered.problems[2]!)).toBe('no viewer');
    // A message that starts with its file says the file once.
    expect(
      problemText({
        severity: 'error',
        file: 'data/evidence/JD-003_email.txt',
        message: 'data/evidence/JD-003_email.txt: its SHA-256 does not match manifest-sha256.txt',
        exhibits: ['JD3'],
      }),
    ).toBe(
      'data/evidence/JD-003_email.txt (exhibit JD3): its SHA-256 does not match manifest-sha256.txt',
    );
    expect(
      problemText({ severity: 'error', file: 'a\u0007.txt', message: 'x\u001b', exhibits: [] }),
    ).toBe('a\\u{0007}.txt: x\\u{001b}');
  });

  it('marks only the exhibits whose file an error is about', () => {
    expect([...failingFiles(tampered)]).toEqual([['data/exhibits/JD3 email.txt', ['JD3']]]);
    expect(failingLabels(tampered, { blob: 'data/exhibits/JD3 email.txt' })).toEqual(['JD3']);
    expect(failingLabels(tampered, { blob: 'data/exhibits/JD1 reply.png' })).toBeNull();
    expect(failingLabels(tampered, { blob: 'data/extra.txt' })).toBeNull();
    // Not reviewing, or a bundle that verifies: nothing is marked.
    expect(failingLabels(null, { blob: 'data/exhibits/JD3 email.txt' })).toBeNull();
    expect(failingLabels(summary(), { blob: 'data/exhibits/JD3 email.txt' })).toBeNull();
  });
});
