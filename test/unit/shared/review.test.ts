import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  REVIEW_GENESIS,
  reviewChainBreak,
  reviewEntryPreimage,
  reviewState,
  type ReviewChange,
  type ReviewEntry,
  type ReviewTarget,
} from '../../../shared/review';
import { reviewEntrySchema, reviewFileSchema } from '../../../shared/review-schema';

const sha = (t: string): string => createHash('sha256').update(t, 'utf8').digest('hex');
const JD1: ReviewTarget = {
  kind: 'exhibit',
  exhibit: 'JD1',
  itemId: 'item-1',
  sha256: 'a'.repeat(64),
};

function chain(changes: [ReviewTarget, ReviewChange][]): ReviewEntry[] {
  const out: ReviewEntry[] = [];
  let prev = REVIEW_GENESIS;
  changes.forEach(([target, change], i) => {
    const body = { seq: i + 1, at: `2026-12-06T10:00:0${i}.000Z`, target, ...change, prev };
    const hash = sha(reviewEntryPreimage(body));
    out.push({ ...body, hash } as ReviewEntry);
    prev = hash;
  });
  return out;
}

describe('review entries', () => {
  const entries = chain([
    [JD1, { op: 'status', value: 'need-original' }],
    [JD1, { op: 'comment', value: 'Ask for the .eml' }],
    [{ kind: 'bundle' }, { op: 'comment', value: 'Overall: strong.' }],
    [JD1, { op: 'status', value: 'relevant' }],
  ]);

  it('hashes the canonical JSON of every field but the hash, keys sorted', () => {
    const e = entries[0]!;
    expect(reviewEntryPreimage(e)).toBe(
      `{"at":"2026-12-06T10:00:00.000Z","op":"status","prev":"${REVIEW_GENESIS}","seq":1,"target":{"exhibit":"JD1","itemId":"item-1","kind":"exhibit","sha256":"${'a'.repeat(64)}"},"value":"need-original"}`,
    );
  });

  it('folds to each target’s last value per operation', () => {
    const state = reviewState(entries);
    expect(state.get('exhibit:item-1')).toMatchObject({
      status: 'relevant',
      comment: 'Ask for the .eml',
    });
    expect(state.get('bundle')?.comment).toBe('Overall: strong.');
  });

  it('finds a whole chain whole, and names the first changed, dropped or reordered entry', () => {
    const head = entries.at(-1)!.hash;
    expect(reviewChainBreak(entries, head, sha)).toBeNull();
    const changed = entries.map((e) => ({ ...e }));
    (changed[1] as { value: string }).value = 'Ask for nothing';
    expect(reviewChainBreak(changed, head, sha)).toMatch(/Entry 2 .* changed/);
    expect(reviewChainBreak([entries[0]!, entries[2]!, entries[3]!], head, sha)).toMatch(
      /Entry 2 .*numbered 3/,
    );
    expect(reviewChainBreak(entries.slice(0, 3), head, sha)).toMatch(/after 3 were removed/);
    expect(reviewChainBreak([], head, sha)).toMatch(/holds none/);
  });

  it('refuses an operation on a target it is not for, and fields Dossier does not write', () => {
    const [first] = chain([
      [
        { kind: 'incident', incidentId: 'inc-1' },
        { op: 'order', value: 2 },
      ],
    ]);
    const r = reviewEntrySchema.safeParse(first);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(
      /"order" can be set on an exhibit, not on an incident/,
    );
    expect(reviewEntrySchema.safeParse({ ...entries[0], extra: 1 }).success).toBe(false);
    expect(reviewEntrySchema.safeParse({ ...entries[0], value: 'probably' }).success).toBe(false);
    expect(reviewEntrySchema.safeParse(entries[0]).success).toBe(true);
  });

  it('reads a whole review file and refuses another format', () => {
    const file = {
      format: 'dossier-review',
      version: 1,
      madeIn: 'viewer',
      bundle: {
        tagManifestSha256: 'b'.repeat(64),
        bagName: 'Case-20261206',
        caseName: 'Case',
        signingKeyFingerprint: Array(16).fill('1a2b').join(' '),
      },
      reviewer: { name: null, organisation: null },
      savedAt: '2026-12-06T10:00:00.000Z',
      entries,
      head: entries.at(-1)!.hash,
    };
    expect(reviewFileSchema.safeParse(file).success).toBe(true);
    expect(reviewFileSchema.safeParse({ ...file, version: 2 }).success).toBe(false);
    expect(reviewFileSchema.safeParse({ ...file, madeIn: 'elsewhere' }).success).toBe(false);
  });
});
