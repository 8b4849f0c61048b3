import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import {
  REVIEW_LIMITS,
  reviewState,
  reviewTargetKey,
  type ReviewChange,
  type ReviewStatus,
  type ReviewTarget,
  type ReviewTargetState,
} from '../../../shared/review';
import { api } from '../api/transport';
import { callRunner } from '../api/errors';

/**
 * The adviser's own review of the bundle open for review (docs/review-format.md): their
 * review store (unlocked with their passphrase, kept outside the bundle) and the entries of
 * this bundle's review. Every change is one `review.record` call, one hash-chained entry:
 * nothing is edited in place. The client's side (imported reviews) is adviser-reviews.ts.
 */
export type AdviserState = Result<'review.state'>;
export type BundleExhibit = AdviserState['exhibits'][number];
export type SentReview = Result<'review.send'>;

/** What the adviser can set on one target, as the controls edit it. */
export interface ReviewDraft {
  status: ReviewStatus | null;
  comment: string;
  /** Exhibits only; typed text, '' for none. */
  order: string;
  /** One question a line, as typed. */
  questions: string;
}

export const EMPTY_DRAFT: ReviewDraft = { status: null, comment: '', order: '', questions: '' };

/** The draft the controls start from: the target's current state, or nothing set. */
export function draftOf(s: ReviewTargetState | undefined): ReviewDraft {
  if (!s) return EMPTY_DRAFT;
  return {
    status: s.status,
    comment: s.comment,
    order: s.order === null ? '' : String(s.order),
    questions: s.questions.join('\n'),
  };
}

/** Typed questions, one a line: trimmed, empty lines dropped. */
export function questionsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((q) => q.trim())
    .filter((q) => q !== '');
}

/**
 * The changes a draft makes to the target's current state, in a fixed order (status, order,
 * comment, questions), each only if it differs; or a plain-words reason nothing can be saved.
 * A change equal to the current value makes no entry, so saving twice adds nothing.
 */
export function changesOf(
  target: ReviewTarget,
  current: ReviewTargetState | undefined,
  draft: ReviewDraft,
): { changes: ReviewChange[] } | { error: string } {
  const was = current ?? null;
  const changes: ReviewChange[] = [];
  if (target.kind !== 'bundle' && draft.status !== (was?.status ?? null)) {
    changes.push({ op: 'status', value: draft.status });
  }
  if (target.kind === 'exhibit') {
    const typed = draft.order.trim();
    let order: number | null = null;
    if (typed !== '') {
      if (!/^\d{1,7}$/.test(typed) || Number(typed) < 1) {
        return { error: 'The proposed place in the exhibit order must be a whole number from 1.' };
      }
      order = Number(typed);
    }
    if (order !== (was?.order ?? null)) changes.push({ op: 'order', value: order });
  }
  const comment = draft.comment.replace(/\r\n/g, '\n');
  if (comment.length > REVIEW_LIMITS.comment) {
    return {
      error: `The comment is too long: ${REVIEW_LIMITS.comment.toLocaleString('en-GB')} characters at most.`,
    };
  }
  if (comment !== (was?.comment ?? '')) changes.push({ op: 'comment', value: comment });
  const questions = questionsOf(draft.questions);
  if (questions.length > REVIEW_LIMITS.questions) {
    return { error: `Too many questions: ${REVIEW_LIMITS.questions} at most.` };
  }
  const long = questions.findIndex((q) => q.length > REVIEW_LIMITS.question);
  if (long !== -1) {
    return {
      error: `Question ${long + 1} is too long: ${REVIEW_LIMITS.question.toLocaleString('en-GB')} characters at most.`,
    };
  }
  const before = was?.questions ?? [];
  if (questions.length !== before.length || questions.some((q, i) => q !== before[i])) {
    changes.push({ op: 'questions', value: questions });
  }
  return { changes };
}

/** The exhibit target of a bundle exhibit, as review.record names it. */
export function exhibitTarget(e: BundleExhibit): ReviewTarget {
  return { kind: 'exhibit', exhibit: e.label, itemId: e.itemId, sha256: e.sha256 };
}

/** The exhibit beside `itemId` in the bundle's order (+1 next, -1 previous), or null. */
export function neighbourExhibit(
  exhibits: readonly BundleExhibit[],
  itemId: string,
  step: 1 | -1,
): BundleExhibit | null {
  const at = exhibits.findIndex((e) => e.itemId === itemId);
  if (at === -1) return null;
  return exhibits[at + step] ?? null;
}

/** Each exhibit's status now, by item id (an exhibit with none is absent). */
export function statusByItem(entries: AdviserState['entries']): Map<string, ReviewStatus> {
  const out = new Map<string, ReviewStatus>();
  for (const s of reviewState(entries).values()) {
    if (s.target.kind === 'exhibit' && s.status) out.set(s.target.itemId, s.status);
  }
  return out;
}

/** The library's filter: a status, or the exhibits with none yet. */
export type StatusFilter = ReviewStatus | 'none';

/** The item ids a status filter lets through, in the bundle's order. */
export function itemsWithStatus(
  exhibits: readonly BundleExhibit[],
  statuses: ReadonlyMap<string, ReviewStatus>,
  filter: StatusFilter,
): string[] {
  return exhibits
    .filter((e) =>
      filter === 'none' ? !statuses.has(e.itemId) : statuses.get(e.itemId) === filter,
    )
    .map((e) => e.itemId);
}

interface ReviewingStore {
  state: AdviserState | null;
  /** Target key → its current state, from `state.entries`. */
  targets: Map<string, ReviewTargetState>;
  statuses: Map<string, ReviewStatus>;
  loading: boolean;
  busy: boolean;
  error: string | null;
  errorCode: string | null;
  /** The library's filter by review status; null shows every exhibit. */
  statusFilter: StatusFilter | null;
  /** Said to screen readers after a change (a status set by a key, a save). */
  announcement: string;
  /** What a review form holds that is not saved yet ("the comment on JD3"), else null. */
  unsaved: string | null;
  setUnsaved(what: string | null): void;
  load(): Promise<void>;
  unlock(passphrase: string, create: boolean): Promise<boolean>;
  setReviewer(name: string, organisation: string): Promise<boolean>;
  /** Records each change in turn; false (with `error`) at the first refused one. */
  record(target: ReviewTarget, changes: ReviewChange[], said?: string): Promise<boolean>;
  send(out: string, passphrase?: string): Promise<SentReview | null>;
  setStatusFilter(filter: StatusFilter | null): void;
  announce(text: string): void;
  clearError(): void;
}

function derived(state: AdviserState): Pick<ReviewingStore, 'state' | 'targets' | 'statuses'> {
  const targets = reviewState(state.entries);
  return { state, targets, statuses: statusByItem(state.entries) };
}

/** The state of one target now (undefined: nothing recorded about it). */
export function targetStateOf(
  targets: ReadonlyMap<string, ReviewTargetState>,
  target: ReviewTarget,
): ReviewTargetState | undefined {
  return targets.get(reviewTargetKey(target));
}

export const useReviewing = create<ReviewingStore>((set, get) => {
  const run = callRunner(set);
  return {
    state: null,
    targets: new Map(),
    statuses: new Map(),
    loading: false,
    busy: false,
    error: null,
    errorCode: null,
    statusFilter: null,
    announcement: '',
    unsaved: null,
    setUnsaved(unsaved) {
      if (get().unsaved !== unsaved) set({ unsaved });
    },
    async load() {
      set({ loading: true });
      try {
        const state = await run(() => api['review.state']({}));
        if (state) set(derived(state));
      } finally {
        set({ loading: false });
      }
    },
    async unlock(passphrase, createStore) {
      const state = await run(() =>
        api['review.unlock']({ passphrase, ...(createStore ? { create: true } : {}) }),
      );
      if (!state) return false;
      set(derived(state));
      get().announce('Your review store is open.');
      return true;
    },
    async setReviewer(name, organisation) {
      const state = await run(() =>
        api['review.setReviewer']({
          name: name.trim() || null,
          organisation: organisation.trim() || null,
        }),
      );
      if (!state) return false;
      set(derived(state));
      return true;
    },
    async record(target, changes, said) {
      if (changes.length === 0) {
        get().announce('Nothing changed: nothing new was saved.');
        return true;
      }
      const ok = await run(async () => {
        for (const change of changes) set(derived(await api['review.record']({ target, change })));
        return true;
      });
      if (ok) get().announce(said ?? 'Saved in your review.');
      return ok === true;
    },
    async send(out, passphrase) {
      return run(() => api['review.send']({ out, ...(passphrase ? { passphrase } : {}) }));
    },
    setStatusFilter(statusFilter) {
      set({ statusFilter });
    },
    announce(announcement) {
      // The same words twice are said twice: clear first, then set.
      set({ announcement: '' });
      setTimeout(() => set({ announcement }), 50);
    },
    clearError() {
      set({ error: null, errorCode: null });
    },
  };
});

/** The words for each proposed change's success, for the screen reader. */
export function savedWords(changes: readonly ReviewChange[]): string {
  return changes.length === 1
    ? 'Saved in your review: 1 change.'
    : `Saved in your review: ${changes.length} changes.`;
}
