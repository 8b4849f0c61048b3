import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import { api, connection } from '../api/transport';
import { messageOf } from '../api/errors';
import { decodeCharset, readEmailMessage, type ParsedEmail } from '../../../shared/email';
import { useCases } from './cases';
import { useExportChoice } from './export-choice';
import { useLibrary } from './library';
import { useSelection } from './selection';
import { useSession } from './session';

/**
 * The open item: its details, the text or email read from its original for the viewer, and
 * the changes a person makes to it (notes, tags, region marks). Every change is recorded by
 * the vault; the original file is never touched. After each one the details are read again
 * and the library refreshed, so tags and search stay right.
 */
export type ItemDetail = Result<'items.get'>;
export type Note = ItemDetail['notes'][number];
export type Region = ItemDetail['regions'][number];
export type CopyMade = Result<'items.makeRedactedCopy'>;
export type RedactionBoxArgs = Parameters<(typeof api)['items.makeRedactedCopy']>[0]['boxes'];
export type RedactionText = Result<'items.textForRedaction'>;
export type RedactionSpanArgs = Parameters<(typeof api)['items.makeRedactedTextCopy']>[0]['spans'];

/** Text files are shown up to this many bytes. */
export const TEXT_LIMIT = 1024 * 1024;
/** Emails are read up to this many bytes (attachments make them large). */
export const EMAIL_LIMIT = 25 * 1024 * 1024;

export interface LoadedText {
  text: string;
  /** The file is longer than what is shown. */
  truncated: boolean;
}

export interface LoadedEmail {
  email: ParsedEmail;
  truncated: boolean;
}

interface ItemStore {
  id: string | null;
  detail: ItemDetail | null;
  loading: boolean;
  /** Could not load the item at all. */
  loadError: string | null;
  /** The last change that failed, in plain words. */
  actionError: string | null;
  /** A change is being saved. */
  saving: boolean;
  /** Announced politely after a change ("Note added"). */
  status: string;
  content: { text: LoadedText | null; email: LoadedEmail | null; error: string | null };
  load(id: string): Promise<void>;
  reload(): Promise<void>;
  clear(): void;
  clearActionError(): void;
  loadText(): Promise<void>;
  loadEmail(): Promise<void>;
  addNote(body: string): Promise<boolean>;
  editNote(noteId: string, body: string): Promise<boolean>;
  addTag(tag: string): Promise<boolean>;
  removeTag(tag: string): Promise<boolean>;
  addRegion(
    rect: { x: number; y: number; w: number; h: number },
    comment: string,
  ): Promise<boolean>;
  removeRegion(regionId: string): Promise<boolean>;
  /** Gives the item a new name (the original name is kept by the vault). */
  rename(name: string): Promise<boolean>;
  /** Removes the item (its encrypted file is deleted) and closes it. */
  remove(reason: string): Promise<boolean>;
  /**
   * Makes a copy of the open picture for disclosure (a redacted copy with these boxes, or,
   * without boxes, a copy without location): the copy made, or an error in words. The
   * original is unchanged; the library is refreshed to show the new item.
   */
  makeCopy(boxes: RedactionBoxArgs | null): Promise<{ made: CopyMade } | { error: string }>;
  /** The text an email or text file is redacted in (items.textForRedaction), or an error. */
  redactionText(id: string): Promise<{ rendering: RedactionText } | { error: string }>;
  /** A redacted copy of the open email or text file, these passages covered (as makeCopy). */
  makeTextCopy(spans: RedactionSpanArgs): Promise<{ made: CopyMade } | { error: string }>;
}

const noContent = { text: null, email: null, error: null };

/** Reads the first `limit` bytes of the open item's original, over the evidence protocol. */
async function readOriginal(id: string, size: number, limit: number) {
  const headers: Record<string, string> = {};
  if (size > limit) headers.Range = `bytes=0-${limit - 1}`;
  const res = await fetch(connection.evidenceUrl(id, 'original'), { headers, cache: 'no-store' });
  if (res.status === 423) throw new Error('The vault is locked. Unlock it to see this item.');
  if (res.status === 403)
    throw new Error(
      'Dossier does not open this kind of file inside the window yet, so that nothing in it can run. The original is kept unchanged; you can export it to look at it elsewhere.',
    );
  if (!res.ok && res.status !== 206)
    throw new Error(
      'Dossier could not read this file from the vault. The original was not changed. Close it and open it again; if this keeps happening, run “Check the vault” in Settings.',
    );
  const bytes = new Uint8Array(await res.arrayBuffer());
  const shown = bytes.length > limit ? bytes.subarray(0, limit) : bytes;
  return { bytes: shown, truncated: size > shown.length };
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : messageOf(e));

export const useItem = create<ItemStore>((set, get) => {
  /** Bumped on every open, so a late answer for an item no longer open is dropped. */
  let generation = 0;

  const change = async (work: () => Promise<unknown>, done: string): Promise<boolean> => {
    const id = get().id;
    if (!id) return false;
    set({ saving: true, actionError: null, status: '' });
    try {
      await work();
      await get().reload();
      useLibrary.getState().reload();
      set({ status: done });
      return true;
    } catch (e) {
      set({ actionError: messageOf(e) });
      return false;
    } finally {
      set({ saving: false });
    }
  };

  /** A copy made for disclosure: the copy, or an error in words; the library shows it after. */
  const copy = async (
    make: (id: string) => Promise<CopyMade>,
  ): Promise<{ made: CopyMade } | { error: string }> => {
    const id = get().id;
    if (!id) return { error: 'No item is open.' };
    set({ saving: true, actionError: null, status: '' });
    try {
      const made = await make(id);
      useLibrary.getState().reload();
      return { made };
    } catch (e) {
      return { error: messageOf(e) };
    } finally {
      set({ saving: false });
    }
  };

  return {
    id: null,
    detail: null,
    loading: false,
    loadError: null,
    actionError: null,
    saving: false,
    status: '',
    content: noContent,

    async load(id) {
      const mine = ++generation;
      set({
        id,
        detail: null,
        loading: true,
        loadError: null,
        actionError: null,
        status: '',
        content: noContent,
      });
      try {
        const detail = await api['items.get']({ id });
        if (mine === generation) set({ detail, loading: false });
      } catch (e) {
        if (mine === generation) set({ loadError: messageOf(e), loading: false });
      }
    },

    async reload() {
      const { id } = get();
      if (!id) return;
      const mine = generation;
      try {
        const detail = await api['items.get']({ id });
        if (mine === generation) set({ detail, loadError: null });
      } catch (e) {
        if (mine === generation) set({ actionError: messageOf(e) });
      }
    },

    clear() {
      generation++;
      set({
        id: null,
        detail: null,
        loading: false,
        loadError: null,
        actionError: null,
        status: '',
        content: noContent,
      });
    },

    clearActionError() {
      set({ actionError: null });
    },

    async loadText() {
      const { detail } = get();
      if (!detail) return;
      const mine = generation;
      try {
        const { bytes, truncated } = await readOriginal(detail.id, detail.size, TEXT_LIMIT);
        const charset = /charset=([^;]+)/i.exec(detail.mime)?.[1];
        const text = decodeCharset(bytes, charset);
        if (mine === generation) set({ content: { ...noContent, text: { text, truncated } } });
      } catch (e) {
        if (mine === generation) set({ content: { ...noContent, error: errorText(e) } });
      }
    },

    async loadEmail() {
      const { detail } = get();
      if (!detail) return;
      const mine = generation;
      try {
        const { bytes, truncated } = await readOriginal(detail.id, detail.size, EMAIL_LIMIT);
        const outlook = detail.mime === 'application/vnd.ms-outlook';
        if (outlook && truncated) {
          throw new Error(
            'This Outlook message is too large to show here. The original is kept unchanged; you can export it to look at it elsewhere.',
          );
        }
        // The Outlook reader (and its code-page tables) loads only when one is opened.
        const email = outlook
          ? await (await import('../../../shared/outlook-msg')).readOutlookMessage(bytes)
          : await readEmailMessage(bytes);
        if (mine === generation) set({ content: { ...noContent, email: { email, truncated } } });
      } catch (e) {
        if (mine === generation) set({ content: { ...noContent, error: errorText(e) } });
      }
    },

    addNote(body) {
      const id = get().id!;
      return change(() => api['items.addNote']({ id, body }), 'Note added.');
    },
    editNote(noteId, body) {
      return change(() => api['items.editNote']({ noteId, body }), 'Note saved.');
    },
    addTag(tag) {
      const { detail } = get();
      const clean = tag.trim();
      if (!detail || !clean) return Promise.resolve(false);
      if (detail.tags.some((t) => t.toLowerCase() === clean.toLowerCase()))
        return Promise.resolve(true);
      return change(
        () => api['items.setTags']({ id: detail.id, tags: [...detail.tags, clean] }),
        `Tag “${clean}” added.`,
      );
    },
    removeTag(tag) {
      const { detail } = get();
      if (!detail) return Promise.resolve(false);
      return change(
        () => api['items.setTags']({ id: detail.id, tags: detail.tags.filter((t) => t !== tag) }),
        `Tag “${tag}” removed.`,
      );
    },
    addRegion(rect, comment) {
      const id = get().id!;
      return change(
        () => api['items.addRegion']({ id, ...rect, comment: comment.trim() }),
        'Region marked. The original image is unchanged.',
      );
    },
    removeRegion(regionId) {
      return change(() => api['items.removeRegion']({ regionId }), 'Region mark removed.');
    },
    rename(name) {
      const id = get().id!;
      return change(() => api['items.rename']({ id, name }), 'Renamed. The original name is kept.');
    },
    makeCopy(boxes) {
      return copy((id) =>
        boxes
          ? api['items.makeRedactedCopy']({ id, boxes })
          : api['items.makeCopyWithoutLocation']({ id }),
      );
    },
    async redactionText(id) {
      try {
        return { rendering: await api['items.textForRedaction']({ id }) };
      } catch (e) {
        return { error: messageOf(e) };
      }
    },
    makeTextCopy(spans) {
      return copy((id) => api['items.makeRedactedTextCopy']({ id, spans }));
    },
    async remove(reason) {
      const id = get().id;
      if (!id) return false;
      set({ saving: true, actionError: null, status: '' });
      try {
        await api['items.remove']({ id, reason });
      } catch (e) {
        set({ actionError: messageOf(e), saving: false });
        return false;
      }
      set({ saving: false });
      // It is gone: close it, and let the library (and its counts) and links catch up.
      useSelection.getState().open(null);
      useExportChoice.getState().forgetConversation(id);
      useLibrary.getState().reload();
      void useCases.getState().load();
      return true;
    },
  };
});

// Locking clears what was read from the vault and closes the item.
useSession.subscribe((s, before) => {
  if (s.state !== 'unlocked' && before.state === 'unlocked') {
    useItem.getState().clear();
    useSelection.getState().open(null);
  }
});
