import { create } from 'zustand';
import { api } from '../api/transport';
import { codeOf, messageOf } from '../api/errors';
import type { Result } from '../../../shared/contract';

/**
 * Session: is there a vault, is it unlocked, and the one-time recovery code after creation.
 * The lock screen shows whenever main reports a lock (Lock button, idle, sleep, panic key).
 */
export type SessionState = 'starting' | 'no-vault' | 'locked' | 'unlocked';

interface SessionStore {
  state: SessionState;
  fingerprint: string | null;
  busy: boolean;
  error: string | null;
  errorCode: string | null;
  /** Shown once after creating a vault, until the person confirms they saved it. */
  recoveryCode: string | null;
  lockReason: string | null;
  /** What opening the vault reported (quarantined files, a read-only session…), in order. */
  notices: string[];
  /** Positions in `notices` the person dismissed: hidden for the rest of this session. */
  dismissedNotices: number[];
  dismissNotice(index: number): void;
  refresh(): Promise<void>;
  create(passphrase: string): Promise<void>;
  unlock(passphrase: string): Promise<boolean>;
  unlockWithRecoveryCode(code: string): Promise<boolean>;
  confirmRecoverySaved(): void;
  lock(): Promise<void>;
  clearError(): void;
}

const LOCK_REASON_KEY = 'dossier.lock-reason';
/**
 * Dismissed notices survive a reload while unlocked. A notice is named by its position in
 * the session's list (it only grows), so no notice text — it may hold a file name — is kept.
 */
const DISMISSED_KEY = 'dossier.dismissed-notices';

function readDismissed(): number[] {
  try {
    const raw: unknown = JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter((n): n is number => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}

function writeDismissed(list: number[]): void {
  if (list.length) sessionStorage.setItem(DISMISSED_KEY, JSON.stringify(list));
  else sessionStorage.removeItem(DISMISSED_KEY);
}

/**
 * After any lock the page reloads, so no decrypted name, note or image stays in its memory
 * (main also reloads the desktop window). Why it locked survives the reload, for the screen.
 */
function reloadAfterLock(reason: string): void {
  sessionStorage.setItem(LOCK_REASON_KEY, reason);
  writeDismissed([]);
  window.location.reload();
}

function takeLockReason(): string | null {
  const reason = sessionStorage.getItem(LOCK_REASON_KEY);
  sessionStorage.removeItem(LOCK_REASON_KEY);
  return reason;
}

export const useSession = create<SessionStore>((set, get) => {
  const run = async <T>(work: () => Promise<T>): Promise<T | null> => {
    set({ busy: true, error: null, errorCode: null });
    try {
      return await work();
    } catch (e) {
      set({ error: messageOf(e), errorCode: codeOf(e) });
      return null;
    } finally {
      set({ busy: false });
    }
  };
  /** A fresh unlock: its own notices, none of them dismissed yet. */
  const startSession = (s: Result<'session.unlock'>): void => {
    writeDismissed([]);
    set({
      state: s.state,
      fingerprint: s.fingerprint,
      lockReason: null,
      notices: s.notices,
      dismissedNotices: [],
    });
  };
  return {
    state: 'starting',
    fingerprint: null,
    busy: false,
    error: null,
    errorCode: null,
    recoveryCode: null,
    lockReason: takeLockReason(),
    notices: [],
    dismissedNotices: readDismissed(),
    dismissNotice(index) {
      const dismissedNotices = [...new Set([...get().dismissedNotices, index])];
      writeDismissed(dismissedNotices);
      set({ dismissedNotices });
    },
    async refresh() {
      const s = await run(() => api['session.status']({}));
      if (s) set({ state: s.state, fingerprint: s.fingerprint, notices: s.notices });
    },
    async create(passphrase) {
      const r = await run(() => api['session.create']({ passphrase }));
      if (r) {
        writeDismissed([]);
        set({ recoveryCode: r.recoveryCode, dismissedNotices: [] });
      }
      await get().refresh();
    },
    async unlock(passphrase) {
      const s = await run(() => api['session.unlock']({ passphrase }));
      if (s) startSession(s);
      return s !== null;
    },
    async unlockWithRecoveryCode(code) {
      const s = await run(() => api['session.unlockWithRecoveryCode']({ code }));
      if (s) startSession(s);
      return s !== null;
    },
    confirmRecoverySaved() {
      set({ recoveryCode: null });
    },
    async lock() {
      const s = await run(() => api['session.lock']({}));
      if (s) {
        set({ state: s.state, fingerprint: null, notices: [] });
        reloadAfterLock('user');
      }
    },
    clearError() {
      set({ error: null, errorCode: null });
    },
  };
});

// Main locks on its own (idle, sleep, screen lock, panic key, a crash): show the lock screen.
api.on('locked', (payload) => {
  const reason = (payload as { reason?: string }).reason ?? 'user';
  useSession.setState({ state: 'locked', fingerprint: null, lockReason: reason, notices: [] });
  reloadAfterLock(reason);
});
