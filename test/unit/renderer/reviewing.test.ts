import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewChange, ReviewEntry, ReviewTarget } from '../../../shared/review';
import { chainEntries } from '../../support/adviser-review';

/**
 * The adviser's side of a review in the app (stores/reviewing.ts, screens/review/review-keys.ts):
 * what a saved form records (only what changed, one entry each, checked against the format's
 * limits), the bundle's order for next/previous, the library's status badges and filter, the
 * keys (never while typing), and the store against a fake review.record.
 */
const fake = vi.hoisted(() => ({
  recorded: [] as Array<{ target: unknown; change: { op: string; value: unknown } }>,
  refuseOp: null as string | null,
  entries: [] as unknown[],
}));

vi.mock('../../../renderer/src/api/transport', async () => {
  const { chainEntries: chain } = await import('../../support/adviser-review');
  const state = () => ({
    store: 'unlocked',
    folder: '/home/adviser/Reviews',
    fingerprint: 'aaaa bbbb',
    reviewer: { name: null, organisation: null },
    entries: fake.entries,
    head: null,
    exhibits: [],
  });
  return {
    connection: { surface: 'browser' },
    api: {
      'review.record': async (args: { target: never; change: { op: string; value: unknown } }) => {
        if (fake.refuseOp === args.change.op) {
          const { ApiCallError } = await import('../../../shared/client');
          throw new ApiCallError('USAGE', `Refused ${args.change.op}: the review says no.`);
        }
        fake.recorded.push(args);
        fake.entries = chain(
          [{ target: args.target, op: args.change.op, value: args.change.value } as never],
          fake.entries as never,
        );
        return state();
      },
      'review.state': async () => state(),
      on: () => () => undefined,
    },
  };
});

const { changesOf, draftOf, EMPTY_DRAFT, itemsWithStatus, neighbourExhibit, statusByItem } =
  await import('../../../renderer/src/stores/reviewing');
const { reviewKeyAction } = await import('../../../renderer/src/screens/review/review-keys');
const { reviewState, reviewTargetKey } = await import('../../../shared/review');

const exhibits = ['JD1', 'JD2', 'JD3'].map((label, i) => ({
  label,
  itemId: `item-${i + 1}`,
  sha256: String(i + 1).repeat(64),
  name: `${label}.png`,
}));
const jd2: ReviewTarget = {
  kind: 'exhibit',
  exhibit: 'JD2',
  itemId: 'item-2',
  sha256: '2'.repeat(64),
};

function stateOf(entries: ReviewEntry[], target: ReviewTarget) {
  return reviewState(entries).get(reviewTargetKey(target));
}

describe('what saving the review form records', () => {
  it('records only what differs from the current state, in a fixed order', () => {
    const r = changesOf(jd2, undefined, {
      status: 'need-original',
      comment: 'Strong.\r\nBring the email.',
      order: ' 4 ',
      questions: '  Who sent it?\n\n When?  \n',
    });
    expect(r).toEqual({
      changes: [
        { op: 'status', value: 'need-original' },
        { op: 'order', value: 4 },
        { op: 'comment', value: 'Strong.\nBring the email.' },
        { op: 'questions', value: ['Who sent it?', 'When?'] },
      ],
    });
  });

  it('saving the same thing again records nothing; a change is one new entry', () => {
    const entries = chainEntries([
      { target: jd2, op: 'comment', value: 'Strong.' },
      { target: jd2, op: 'questions', value: ['Who sent it?'] },
      { target: jd2, op: 'order', value: 2 },
    ]);
    const now = stateOf(entries, jd2);
    const draft = draftOf(now);
    expect(draft).toEqual({
      status: null,
      comment: 'Strong.',
      order: '2',
      questions: 'Who sent it?',
    });
    expect(changesOf(jd2, now, draft)).toEqual({ changes: [] });
    expect(changesOf(jd2, now, { ...draft, order: '' })).toEqual({
      changes: [{ op: 'order', value: null }],
    });
    expect(changesOf(jd2, now, { ...draft, questions: 'Who sent it?\nWhy?' })).toEqual({
      changes: [{ op: 'questions', value: ['Who sent it?', 'Why?'] }],
    });
  });

  it('refuses in words what the format would refuse, before main is asked', () => {
    for (const order of ['0', '-1', '2.5', 'three', '12345678']) {
      expect(changesOf(jd2, undefined, { ...EMPTY_DRAFT, order })).toEqual({
        error: 'The proposed place in the exhibit order must be a whole number from 1.',
      });
    }
    expect(changesOf(jd2, undefined, { ...EMPTY_DRAFT, comment: 'x'.repeat(20_001) })).toEqual({
      error: 'The comment is too long: 20,000 characters at most.',
    });
    const many = Array.from({ length: 51 }, (_, i) => `Q${i}`).join('\n');
    expect(changesOf(jd2, undefined, { ...EMPTY_DRAFT, questions: many })).toEqual({
      error: 'Too many questions: 50 at most.',
    });
    expect(
      changesOf(jd2, undefined, { ...EMPTY_DRAFT, questions: `ok\n${'q'.repeat(4001)}` }),
    ).toEqual({ error: 'Question 2 is too long: 4,000 characters at most.' });
  });

  it('makes no status or order change where the format has none (the bundle, an incident)', () => {
    const draft = {
      status: 'relevant' as const,
      comment: 'Overall fine.',
      order: '3',
      questions: '',
    };
    expect(changesOf({ kind: 'bundle' }, undefined, draft)).toEqual({
      changes: [{ op: 'comment', value: 'Overall fine.' }],
    });
    expect(changesOf({ kind: 'incident', incidentId: 'inc-1' }, undefined, draft)).toEqual({
      changes: [
        { op: 'status', value: 'relevant' },
        { op: 'comment', value: 'Overall fine.' },
      ],
    });
  });
});

describe("the bundle's order, badges and the status filter", () => {
  it('goes to the next and previous exhibit in the bundle order, and stops at the ends', () => {
    expect(neighbourExhibit(exhibits, 'item-1', 1)?.label).toBe('JD2');
    expect(neighbourExhibit(exhibits, 'item-2', -1)?.label).toBe('JD1');
    expect(neighbourExhibit(exhibits, 'item-3', 1)).toBeNull();
    expect(neighbourExhibit(exhibits, 'item-1', -1)).toBeNull();
    expect(neighbourExhibit(exhibits, 'not-an-exhibit', 1)).toBeNull();
  });

  it("gives each exhibit's last status, a cleared one none, and filters by it", () => {
    const target = (i: number): ReviewTarget => ({
      kind: 'exhibit',
      exhibit: exhibits[i]!.label,
      itemId: exhibits[i]!.itemId,
      sha256: exhibits[i]!.sha256,
    });
    const entries = chainEntries([
      { target: target(0), op: 'status', value: 'relevant' },
      { target: target(1), op: 'status', value: 'privileged' },
      { target: target(0), op: 'status', value: 'not-relevant' },
      { target: target(1), op: 'status', value: null },
      { target: target(2), op: 'status', value: 'not-relevant' },
      { target: { kind: 'incident', incidentId: 'inc-1' }, op: 'status', value: 'relevant' },
    ]);
    const statuses = statusByItem(entries);
    expect([...statuses]).toEqual([
      ['item-1', 'not-relevant'],
      ['item-3', 'not-relevant'],
    ]);
    expect(itemsWithStatus(exhibits, statuses, 'not-relevant')).toEqual(['item-1', 'item-3']);
    expect(itemsWithStatus(exhibits, statuses, 'none')).toEqual(['item-2']);
    expect(itemsWithStatus(exhibits, statuses, 'relevant')).toEqual([]);
  });
});

describe('the adviser keys in the item view', () => {
  const key = (k: string, target: unknown = { tagName: 'BUTTON' }, mods = {}) =>
    reviewKeyAction({
      key: k,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      target: target as EventTarget,
      ...mods,
    });

  it('1 to 5 set the statuses, N and P move; other keys do nothing', () => {
    expect(['1', '2', '3', '4', '5'].map((k) => key(k))).toEqual([
      { kind: 'status', status: 'relevant' },
      { kind: 'status', status: 'not-relevant' },
      { kind: 'status', status: 'need-original' },
      { kind: 'status', status: 'need-context' },
      { kind: 'status', status: 'privileged' },
    ]);
    expect(key('n')).toEqual({ kind: 'next' });
    expect(key('N')).toEqual({ kind: 'next' });
    expect(key('p')).toEqual({ kind: 'previous' });
    // 0 is the picture's zoom reset, 6 nothing.
    expect(key('0')).toBeNull();
    expect(key('6')).toBeNull();
    expect(key('Escape')).toBeNull();
  });

  it('never fires while typing, nor with a modifier held', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT']) {
      expect(key('1', { tagName, type: 'text' })).toBeNull();
      expect(key('n', { tagName, type: 'search' })).toBeNull();
    }
    expect(key('2', { tagName: 'DIV', isContentEditable: true })).toBeNull();
    expect(key('2', { tagName: 'SPAN', closest: () => ({}) })).toBeNull();
    // A radio or checkbox takes no text: the key is the adviser's.
    expect(key('3', { tagName: 'INPUT', type: 'radio' })).toEqual({
      kind: 'status',
      status: 'need-original',
    });
    expect(key('1', undefined, { ctrlKey: true })).toBeNull();
    expect(key('n', undefined, { metaKey: true })).toBeNull();
    expect(key('p', undefined, { altKey: true })).toBeNull();
  });
});

describe('the review store in the renderer', () => {
  beforeEach(() => {
    fake.recorded.length = 0;
    fake.refuseOp = null;
    fake.entries = [];
  });

  it('records each change as its own call, and holds the state main gives back', async () => {
    const { useReviewing } = await import('../../../renderer/src/stores/reviewing');
    const changes: ReviewChange[] = [
      { op: 'status', value: 'relevant' },
      { op: 'comment', value: 'Keep this one.' },
    ];
    expect(await useReviewing.getState().record(jd2, changes)).toBe(true);
    expect(fake.recorded.map((r) => r.change)).toEqual(changes);
    const s = useReviewing.getState();
    expect(s.state?.entries).toHaveLength(2);
    expect(s.statuses.get('item-2')).toBe('relevant');
    expect(s.targets.get('exhibit:item-2')?.comment).toBe('Keep this one.');
    expect(s.error).toBeNull();
  });

  it('stops at a refused change with its words; what was recorded before it stays', async () => {
    const { useReviewing } = await import('../../../renderer/src/stores/reviewing');
    fake.refuseOp = 'comment';
    const ok = await useReviewing.getState().record(jd2, [
      { op: 'status', value: 'privileged' },
      { op: 'comment', value: 'never' },
      { op: 'questions', value: ['never asked'] },
    ]);
    expect(ok).toBe(false);
    expect(fake.recorded.map((r) => r.change.op)).toEqual(['status']);
    const s = useReviewing.getState();
    expect(s.error).toBe('Refused comment: the review says no.');
    expect(s.statuses.get('item-2')).toBe('privileged');
    expect(s.busy).toBe(false);
  });
});
