import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';
import { nextBase, type OcrStatus } from './text-recognition-progress';

export { hasWork, type OcrStatus } from './text-recognition-progress';

/**
 * Reading text in pictures, as the workspace shows it: the queue's status, polled only while
 * the window is visible, often while there is work and seldom when there is none; pause
 * (which is the cancel: pictures not read stay queued) and resume.
 */
export type OcrLanguages = Result<'ocr.languages'>;

/** Polling while pictures wait or one is read, and while the queue is empty. */
export const BUSY_POLL_MS = 2000;
export const IDLE_POLL_MS = 30000;

interface TextRecognitionStore {
  status: OcrStatus | null;
  base: number;
  error: string | null;
  busy: boolean;
  /** The language pictures are read in and those installed (null until asked). */
  languages: OcrLanguages | null;
  loadLanguages(): Promise<void>;
  /** The language new pictures are read in (pictures read already keep their text). Throws. */
  setLanguage(language: string): Promise<void>;
  refresh(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Reads these pictures again (or every one, with a language): the core logs it. Throws. */
  readAgain(ids: string[] | null, language?: string): Promise<number>;
}

export const useTextRecognition = create<TextRecognitionStore>((set, get) => {
  const take = (status: OcrStatus) =>
    set((st) => ({ status, base: nextBase(st.status, st.base, status), error: null }));
  const act = async (work: () => Promise<OcrStatus>) => {
    set({ busy: true });
    try {
      take(await work());
    } catch (e) {
      set({ error: messageOf(e) });
    } finally {
      set({ busy: false });
    }
  };
  return {
    status: null,
    base: 0,
    error: null,
    busy: false,
    languages: null,
    async loadLanguages() {
      try {
        set({ languages: await api['ocr.languages']({}) });
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    async setLanguage(language) {
      set({ languages: await api['ocr.setLanguage']({ language }) });
    },
    async refresh() {
      try {
        take(await api['ocr.status']({}));
      } catch (e) {
        set({ error: messageOf(e) });
      }
    },
    pause: () => act(() => api['ocr.pause']({})),
    resume: () => act(() => api['ocr.resume']({})),
    async readAgain(ids, language) {
      const r = await api['ocr.readAgain']({ ids: ids ?? undefined, language });
      take(r.status);
      // Awaited, so the settings never show the old language once the change is confirmed.
      if (language) await get().loadLanguages();
      return r.queued;
    },
  };
});
