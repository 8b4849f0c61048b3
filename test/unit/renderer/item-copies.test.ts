// The item view's words for copies made for disclosure (renderer/src/screens/item/copies.ts):
// the note over a copy, and the check of the boxes before a redacted copy is previewed.
import { describe, expect, it } from 'vitest';
import {
  copyNoteText,
  coverBoxesArgs,
  coverBoxesProblem,
  coverSpansArgs,
  passageExcerpt,
  redactableAsText,
  selectionProblem,
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
  spans: [],
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

describe('redacted copies of emails and text files', () => {
  const passage = (
    reason: CopyOf['spans'][number]['reason'],
    otherReason: string | null = null,
  ) => ({
    start: 3,
    end: 9,
    reason,
    otherReason,
  });

  it('says how many passages a text copy covers, with each reason once', () => {
    expect(
      copyNoteText(
        copy({
          originalName: 'x.eml',
          spans: [passage('address'), passage('children'), passage('address')],
        }),
      ),
    ).toBe('Redacted copy of x.eml: 3 passages covered (Personal address; Children’s details)');
    expect(copyNoteText(copy({ originalName: 'x.eml', spans: [passage('privileged')] }))).toBe(
      'Redacted copy of x.eml: 1 passage covered (Privileged)',
    );
  });

  it('offers emails and text files, not mailboxes or pictures', () => {
    expect(redactableAsText('message/rfc822')).toBe(true);
    expect(redactableAsText('application/vnd.ms-outlook')).toBe(true);
    expect(redactableAsText('text/plain; charset=utf-8')).toBe(true);
    expect(redactableAsText('application/mbox')).toBe(false);
    expect(redactableAsText('image/png')).toBe(false);
    expect(redactableAsText('application/pdf')).toBe(false);
  });

  it('refuses an empty selection or one over a passage already covered', () => {
    const listed = [{ start: 10, end: 20, reason: 'address' as const, otherReason: '' }];
    expect(selectionProblem(listed, 5, 5)).toMatch(/Select the words to cover first/);
    expect(selectionProblem(listed, 15, 25)).toMatch(/overlaps passage 1/);
    expect(selectionProblem(listed, 5, 11)).toMatch(/overlaps passage 1/);
    expect(selectionProblem(listed, 20, 25)).toBeNull();
    expect(selectionProblem(listed, 0, 10)).toBeNull();
  });

  it('lists a passage by its words on one line, cut short, and gives the API them in text order', () => {
    expect(passageExcerpt('ab\n\ncd   ef', { start: 0, end: 11 })).toBe('ab cd ef');
    expect(passageExcerpt('x'.repeat(100), { start: 0, end: 100 }, 10)).toBe('xxxxxxxxx…');
    expect(
      coverSpansArgs([
        { start: 30, end: 40, reason: 'other', otherReason: ' a name ' },
        { start: 1, end: 5, reason: 'address', otherReason: 'left over' },
      ]),
    ).toEqual([
      { start: 1, end: 5, reason: 'address', otherReason: null },
      { start: 30, end: 40, reason: 'other', otherReason: 'a name' },
    ]);
  });
});
