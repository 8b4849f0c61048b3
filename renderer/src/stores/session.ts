import { create } from 'zustand';
import { api } from '../api/transport';
import { callRunner } from '../api/errors';
import type { Result } from '../../../shared/contract';

/** The bundle open for review (session.status's `review`): who made it, whether it verifies. */
export type ReviewSummary = NonNullable<Result<'session.status'>['review']>;

/**
 * Session: is there a vault, is it unlocked, and the one-time recovery code after creation.
 * The lock screen shows whenever main reports a lock (Lock button, idle, sleep, panic key).
 * `reviewing`: a bundle is open for review, read-only (session.status's `review`).
 */
export type SessionState = 'starting' | 'no-vault' | 'locked' | 'unlocked' | 'reviewing';

interface SessionStore {
  state: SessionState;
  fingerprint: string | null;
  /** The bundle open for review, while `state` is reviewing; else null. */
  review: ReviewSummary | null;
  busy: boolean;
  error: string | null;
  errorCode: string | null;
  /**
   * A recovery code waiting to be confirmed (after Create, or a new one from Settings). Main
   * keeps it sealed until then, so a reload shows the same code; nothing else is usable.
   */
  recoveryCode: string | null;
  /** Main says a code waits for confirmation (shown even if the code itself cannot be read). */
  recoveryCodePending: boolean;
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
  /** Types back group `group` (1–8) of the code on screen; true when it matched. */
  confirmRecoveryCode(group: number, typed: string): Promise<boolean>;
  /** A new recovery code (needs the passphrase); it is then shown like the first one. */
  newRecoveryCode(current: string): Promise<boolean>;
  lock(): Promise<void>;
  /** Locks the vault, then shows the start screen's "Open an evidence bundle for review". */
  lockToOpenBundle(): Promise<void>;
  /** Now reviewing this bundle (review.open's answer). */
  reviewing(s: Result<'review.open'>): void;
  /** Closes the bundle; the page reloads to the start screen with nothing of it in memory. */
  closeReview(): Promise<void>;
  clearError(): void;
}

const LOCK_REASON_KEY = 'dossier.lock-reason';
/** Set just before locking to open a bundle: after the reload the start screen offers it. */
const OPEN_BUNDLE_KEY = 'dossier.open-bundle-next';
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

/** True once after a lock asked for by "Open a bundle for review…" in the unlocked app. */
export function takeOpenBundleRequest(): boolean {
  const asked = sessionStorage.getItem(OPEN_BUNDLE_KEY) === '1';
  sessionStorage.removeItem(OPEN_BUNDLE_KEY);
  return asked;
}

function takeLockReason(): string | null {
  const reason = sessionStorage.getItem(LOCK_REASON_KEY);
  sessionStorage.removeItem(LOCK_REASON_KEY);
  return reason;
}

export const useSession = create<SessionStore>((set, get) => {
  const run = callRunner(set);
  /** The code kept since Create (or since Settings made a new one), when there is one. */
  const fetchPendingCode = async (s: Result<'session.status'>): Promise<void> => {
    set({ recoveryCodePending: s.state === 'unlocked' && s.recoveryCodePending });
    if (s.state !== 'unlocked' || !s.recoveryCodePending) return;
    const r = await run(() => api['session.recoveryCode']({}));
    if (r) set({ recoveryCode: r.recoveryCode });
  };
  /** A fresh unlock: its own notices, none of them dismissed yet. */
  const startSession = async (s: Result<'session.unlock'>): Promise<void> => {
    writeDismissed([]);
    set({
      state: s.state,
      fingerprint: s.fingerprint,
      lockReason: null,
      notices: s.notices,
      dismissedNotices: [],
    });
    await fetchPendingCode(s);
  };
  return {
    state: 'starting',
    fingerprint: null,
    review: null,
    busy: false,
    error: null,
    errorCode: null,
    recoveryCode: null,
    recoveryCodePending: false,
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
      if (!s) return;
      // The code screen comes before anything else, after a reload too.
      await fetchPendingCode(s);
      set({
        state: s.state,
        fingerprint: s.fingerprint,
        notices: s.notices,
        review: s.state === 'reviewing' ? (s.review ?? null) : null,
      });
    },
    async create(passphrase) {
      const r = await run(() => api['session.create']({ passphrase }));
      if (r) {
        writeDismissed([]);
        set({ recoveryCode: r.recoveryCode, recoveryCodePending: true, dismissedNotices: [] });
      }
      await get().refresh();
    },
    async unlock(passphrase) {
      const s = await run(() => api['session.unlock']({ passphrase }));
      if (s) await startSession(s);
      return s !== null;
    },
    async unlockWithRecoveryCode(code) {
      const s = await run(() => api['session.unlockWithRecoveryCode']({ code }));
      if (s) await startSession(s);
      return s !== null;
    },
    async confirmRecoveryCode(group, typed) {
      const s = await run(() => api['session.confirmRecoveryCode']({ group, typed }));
      if (!s) return false;
      set({
        recoveryCode: null,
        recoveryCodePending: false,
        review: null,
        state: s.state,
        fingerprint: s.fingerprint,
        notices: s.notices,
      });
      return true;
    },
    async newRecoveryCode(current) {
      const r = await run(() => api['session.newRecoveryCode']({ current }));
      if (r) set({ recoveryCode: r.recoveryCode, recoveryCodePending: true });
      return r !== null;
    },
    async lock() {
      const s = await run(() => api['session.lock']({}));
      if (s) {
        set({ state: s.state, fingerprint: null, notices: [] });
        reloadAfterLock('user');
      }
    },
    async lockToOpenBundle() {
      sessionStorage.setItem(OPEN_BUNDLE_KEY, '1');
      const s = await run(() => api['session.lock']({}));
      if (s) {
        set({ state: s.state, fingerprint: null, notices: [] });
        reloadAfterLock('user');
      } else sessionStorage.removeItem(OPEN_BUNDLE_KEY);
    },
    reviewing(s) {
      set({
        state: s.state,
        fingerprint: s.fingerprint,
        notices: [],
        review: s.state === 'reviewing' ? (s.review ?? null) : null,
        lockReason: null,
        error: null,
        errorCode: null,
      });
    },
    async closeReview() {
      const s = await run(() => api['review.close']({}));
      if (s) {
        set({ state: s.state, fingerprint: null, review: null, notices: [] });
        // Nothing read from the bundle stays in this page's memory.
        window.location.reload();
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
  useSession.setState({
    state: 'locked',
    fingerprint: null,
    review: null,
    lockReason: reason,
    notices: [],
  });
  reloadAfterLock(reason);
});

/**
 * A bundle is open for review: every control that would change something is hidden, so the
 * adviser never meets a refusal (main refuses anyway: READ_ONLY).
 */
export function useReadOnly(): boolean {
  return useSession((s) => s.state === 'reviewing');
}
