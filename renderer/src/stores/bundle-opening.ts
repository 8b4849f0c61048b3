import { create } from 'zustand';
import { api, connection } from '../api/transport';
import { codeOf, messageOf } from '../api/errors';
import { takeOpenBundleRequest, useSession } from './session';

/**
 * "Open an evidence bundle for review" from the start screen: a bundle folder, a .zip, or a
 * .zip.age with its passphrase. Main verifies everything first (review.open, with progress);
 * this store holds the attempt, its progress and its outcome in words.
 */
export interface OpeningProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
}

interface BundleOpeningStore {
  /** The start screen shows the open form instead of Create / Unlock. */
  shown: boolean;
  opening: boolean;
  progress: OpeningProgress | null;
  error: string | null;
  /** The last try needs a passphrase: the bundle is encrypted, or the one given was wrong. */
  needsPassphrase: boolean;
  wrongPassphrase: boolean;
  show(): void;
  hide(): void;
  /** True when the desktop dialog exists (the bridge in a browser has none: a typed path). */
  readonly onDesktop: boolean;
  /** The desktop dialog for a folder or a file: its path, null if none, or an error in words. */
  choose(kind: 'folder' | 'file'): Promise<{ path: string | null } | { error: string }>;
  open(path: string, passphrase: string): Promise<boolean>;
  cancel(): void;
}

/** A .zip.age (or any .age) asks for its passphrase before it is opened. */
export function looksEncrypted(path: string): boolean {
  return /\.age$/i.test(path.trim());
}

/** A full path: /… on Linux and macOS; C:\… or \\server\… on Windows. */
export function isFullPath(path: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path);
}

/** What is wrong with a typed path before anything is asked of main, or null. */
export function pathProblem(path: string): string | null {
  const p = path.trim();
  if (!p) return 'Type the full path of the bundle: its folder, or its .zip or .zip.age file.';
  // eslint-disable-next-line no-control-regex -- a pasted path with a line break in it
  if (/[\u0000-\u001f\u007f]/.test(p)) {
    return 'The path has a line break or another invisible character in it. Type or paste it again, on one line.';
  }
  if (!isFullPath(p)) {
    return `"${p.slice(0, 200)}" is not a full path. Give the whole path, starting with / (or a drive letter such as C:\\ on Windows).`;
  }
  return null;
}

let controller: AbortController | null = null;

export const useBundleOpening = create<BundleOpeningStore>((set, get) => ({
  // After "Open a bundle for review…" locked the vault, the page reloads here.
  shown: takeOpenBundleRequest(),
  opening: false,
  progress: null,
  error: null,
  needsPassphrase: false,
  wrongPassphrase: false,
  onDesktop: connection.surface === 'desktop',
  show() {
    set({ shown: true, error: null, wrongPassphrase: false });
  },
  hide() {
    if (get().opening) return;
    set({ shown: false, error: null, needsPassphrase: false, wrongPassphrase: false });
  },

  async choose(kind) {
    try {
      return { path: (await api['dialog.chooseBundle']({ kind })).path };
    } catch (e) {
      return { error: messageOf(e) };
    }
  },

  async open(rawPath, passphrase) {
    if (get().opening) return false;
    const path = rawPath.trim();
    const problem = pathProblem(path);
    if (problem) {
      set({ error: problem, wrongPassphrase: false });
      return false;
    }
    const encrypted = looksEncrypted(path) || get().needsPassphrase;
    if (encrypted && !passphrase) {
      set({
        needsPassphrase: true,
        wrongPassphrase: false,
        error:
          'This bundle is encrypted. Type the passphrase the person who sent it gave you (by phone or in person).',
      });
      return false;
    }
    controller = new AbortController();
    const signal = controller.signal;
    set({ opening: true, progress: null, error: null, wrongPassphrase: false });
    try {
      const s = await api['review.open'](
        { path, ...(encrypted ? { passphrase } : {}) },
        {
          signal,
          onProgress: (p) =>
            set({
              progress: {
                filesDone: p.itemsDone,
                filesTotal: p.itemsTotal,
                bytesDone: p.bytesDone,
              },
            }),
        },
      );
      set({ opening: false, progress: null, shown: false, needsPassphrase: false });
      useSession.getState().reviewing(s);
      return true;
    } catch (e) {
      const message = messageOf(e);
      const code = codeOf(e);
      if (signal.aborted) {
        set({ error: 'Opening the bundle was cancelled. Nothing was changed.' });
      } else if (code === 'WRONG_PASSPHRASE') {
        set({
          needsPassphrase: true,
          wrongPassphrase: true,
          error: `Wrong passphrase. ${message}`,
        });
      } else if (/is encrypted/i.test(message)) {
        // Recognised by its content, whatever its name: ask for the passphrase.
        set({
          needsPassphrase: true,
          error: `${message} Type the passphrase the person who sent it gave you.`,
        });
      } else set({ error: message });
      return false;
    } finally {
      controller = null;
      set({ opening: false, progress: null });
    }
  },

  cancel() {
    controller?.abort();
  },
}));
