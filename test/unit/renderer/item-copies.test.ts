// The item view's words for copies made for disclosure (renderer/src/screens/item/copies.ts):
// the note over a copy, and the check of the boxes before a redacted copy is previewed.
import { describe, expect, it } from 'vitest';
import {
  copyNoteText,
  coverBoxesArgs,
  coverBoxesProblem,
  type CopyOf,
  type CoverBox,
} from '../../../renderer/src/screens/item/copies';

const area = (reason: CopyOf['areas'][number]['reason'], otherReason: string | null = null) => ({
  x: 0.1,
  y: 0.1,
  w: 0.2,
  h: 0.2,
  reason,
  otherReason,
});
const copy = (over: Partial<CopyOf>): CopyOf => ({
  kind: 'redacted',
  originalId: '0123456789abcdefghjkmnpqrs',
  originalName: 'reply.png',
  originalSha256: 'ab'.repeat(32),
  areas: [],
  removed: [],
  lossless: false,
  madeAt: '2026-12-06T23:00:00.000Z',
  ...over,
});
const box = (over: Partial<CoverBox>): CoverBox => ({
  x: 0.1,
  y: 0.2,
  w: 0.3,
  h: 0.1,
  reason: 'address',
  otherReason: '',
  ...over,
});

describe('copyNoteText', () => {
  it('says of which original, how many areas and each reason once, in order', () => {
    expect(
      copyNoteText(copy({ areas: [area('address'), area('children'), area('address')] })),
    ).toBe('Redacted copy of reply.png: 3 areas covered (Personal address; Children’s details)');
    expect(copyNoteText(copy({ areas: [area('other', 'her workplace')] }))).toBe(
      'Redacted copy of reply.png: 1 area covered (Other: her workplace)',
    );
  });

  it('names a copy without location, and an original no longer there, and escapes the name', () => {
    expect(copyNoteText(copy({ kind: 'without-location', originalName: 'doorstep.jpg' }))).toBe(
      'Copy of doorstep.jpg without its location and device details',
    );
    expect(copyNoteText(copy({ originalName: null, areas: [area('privileged')] }))).toBe(
      'Redacted copy of an item no longer in the vault: 1 area covered (Privileged)',
    );
    const hostile = copyNoteText(
      copy({ originalName: 'a\u202eb.png', areas: [area('other', 'gnp.\u202eexe')] }),
    );
    expect(hostile).not.toContain('\u202e');
    expect(hostile).toBe(
      'Redacted copy of a\\u{202e}b.png: 1 area covered (Other: gnp.\\u{202e}exe)',
    );
  });
});

describe('coverBoxesProblem', () => {
  it('wants a box, a reason for each, and words for "other" on one line', () => {
    expect(coverBoxesProblem([])).toMatch(/Draw at least one box/);
    expect(coverBoxesProblem([box({}), box({ reason: '' })])).toBe(
      'Box 2 has no reason yet: choose why it is covered.',
    );
    expect(coverBoxesProblem([box({ reason: 'other', otherReason: '  ' })])).toBe(
      'Box 1 is covered for another reason: say which, in words.',
    );
    expect(coverBoxesProblem([box({ reason: 'other', otherReason: 'a\nb' })])).toMatch(/one line/);
    expect(coverBoxesProblem([box({ reason: 'other', otherReason: 'x'.repeat(501) })])).toMatch(
      /longer than 500/,
    );
    expect(
      coverBoxesProblem([box({}), box({ reason: 'other', otherReason: ' her workplace ' })]),
    ).toBeNull();
  });

  it('gives the API the boxes with trimmed words for "other" and null for the rest', () => {
    expect(
      coverBoxesArgs([
        box({ otherReason: 'left over' }),
        box({ reason: 'other', otherReason: ' her workplace ' }),
      ]),
    ).toEqual([
      { x: 0.1, y: 0.2, w: 0.3, h: 0.1, reason: 'address', otherReason: null },
      { x: 0.1, y: 0.2, w: 0.3, h: 0.1, reason: 'other', otherReason: 'her workplace' },
    ]);
  });
});
