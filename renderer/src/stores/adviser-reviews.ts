import { create } from 'zustand';
import type { Args, Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { codeOf, messageOf } from '../api/errors';

/**
 * Reviews from the person's adviser (docs/review-format.md, "Importing"): importing one, and
 * what they say about an item, an incident or a message. Kept apart from her own notes.
 */
export type ReviewImport = Result<'adviserReviews.import'>;
export type AdviserReview = Result<'adviserReviews.list'>[number];
export type AdviserComment = Result<'adviserReviews.about'>[number];
export type AdviserTarget = Args<'adviserReviews.about'>;

/** What an import gives back to the form: the result, or a message in plain words. */
export type ImportOutcome = { ok: true; value: ReviewImport } | { ok: false; message: string };

const targetKey = (t: AdviserTarget): string =>
  'itemId' in t
    ? `item:${t.itemId}`
    : 'incidentId' in t
      ? `incident:${t.incidentId}`
      : `message:${t.messageId}`;

interface AdviserReviewsStore {
  reviews: AdviserReview[];
  listError: string | null;
  /** Comments per target ("item:<id>" …), as last fetched. */
  about: Record<string, AdviserComment[]>;
  loadList(): Promise<void>;
  loadAbout(target: AdviserTarget): Promise<void>;
  /** The desktop app's dialog: the chosen path (null when closed), or a plain message. */
  chooseReview(): Promise<{ path: string | null } | { error: string }>;
  /** A file chosen in the desktop app's dialog (a path) or a browser's picker (its bytes). */
  importReview(
    file: { path: string } | { name: string; data: Uint8Array<ArrayBuffer> },
    passphrase?: string,
  ): Promise<ImportOutcome>;
}

export const useAdviserReviews = create<AdviserReviewsStore>((set, get) => ({
  reviews: [],
  listError: null,
  about: {},

  async loadList() {
    try {
      set({ reviews: await api['adviserReviews.list']({}), listError: null });
    } catch (e) {
      set({ listError: messageOf(e) });
    }
  },

  async loadAbout(target) {
    try {
      const comments = await api['adviserReviews.about'](target);
      set({ about: { ...get().about, [targetKey(target)]: comments } });
    } catch {
      // Shown as nothing: the panel is only there when a review says something.
      set({ about: { ...get().about, [targetKey(target)]: [] } });
    }
  },

  async chooseReview() {
    try {
      return { path: (await api['dialog.chooseReview']({})).path };
    } catch (e) {
      return {
        error:
          codeOf(e) === 'UNSUPPORTED'
            ? 'Choosing a file needs the Dossier desktop app.'
            : messageOf(e),
      };
    }
  },

  async importReview(file, passphrase) {
    try {
      const value = await api['adviserReviews.import']({
        ...file,
        ...(passphrase ? { passphrase } : {}),
      });
      // Every panel fetches again: the new comments show wherever they belong.
      set({ about: {} });
      await get().loadList();
      return { ok: true, value };
    } catch (e) {
      return { ok: false, message: messageOf(e) };
    }
  },
}));

export function commentsFor(
  about: Record<string, AdviserComment[]>,
  target: AdviserTarget,
): AdviserComment[] | undefined {
  return about[targetKey(target)];
}

// Nothing of one session's reviews stays on screen after the vault locks.
api.on('locked', () => useAdviserReviews.setState({ reviews: [], about: {}, listError: null }));
