import { create } from 'zustand';
import type { Result } from '../../../shared/contract';
import { api } from '../api/transport';
import { messageOf } from '../api/errors';
import { useSession } from './session';

/**
 * Settings: the auto-lock time, changing the passphrase, and the escape hatch that shows the
 * vault's keys. The keys live here only while the Settings screen shows them: hidden by the
 * person, on leaving the screen, and whenever the vault locks.
 */
export type RevealedKeys = Result<'keys.reveal'>;

export const AUTO_LOCK_CHOICES = [1, 2, 5, 10, 15, 30, 60, 120, 240] as const;

/** Where one action stands: nothing yet, working, or done with a message to show. */
export type ActionState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; message: string }
  | { status: 'failed'; message: string };

const IDLE: ActionState = { status: 'idle' };

interface SettingsStore {
  autoLockMinutes: number | null;
  loadError: string | null;
  autoLock: ActionState;
  passphrase: ActionState;
  reveal: ActionState;
  keys: RevealedKeys | null;
  load(): Promise<void>;
  saveAutoLock(minutes: number): Promise<void>;
  /** `current` is the passphrase now, or the recovery code: main checks it first. */
  changePassphrase(current: string, passphrase: string): Promise<boolean>;
  revealKeys(passphrase: string): Promise<void>;
  hideKeys(): void;
  /** Forgets messages and revealed keys (leaving the screen). */
  reset(): void;
}

export function minutesText(m: number): string {
  if (m % 60 === 0 && m >= 60) return `${m / 60} hour${m === 60 ? '' : 's'}`;
  return `${m} minute${m === 1 ? '' : 's'}`;
}

export const useSettings = create<SettingsStore>((set) => ({
  autoLockMinutes: null,
  loadError: null,
  autoLock: IDLE,
  passphrase: IDLE,
  reveal: IDLE,
  keys: null,

  async load() {
    try {
      const s = await api['settings.get']({});
      set({ autoLockMinutes: s.autoLockMinutes, loadError: null });
    } catch (e) {
      set({ loadError: `The auto-lock time could not be read. ${messageOf(e)}` });
    }
  },

  async saveAutoLock(minutes) {
    set({ autoLock: { status: 'busy' } });
    try {
      const s = await api['settings.update']({ autoLockMinutes: minutes });
      const saved = s?.autoLockMinutes ?? minutes;
      set({
        autoLockMinutes: saved,
        autoLock: {
          status: 'done',
          message: `Saved. Dossier will lock itself after ${minutesText(saved)} without use.`,
        },
      });
    } catch (e) {
      set({ autoLock: { status: 'failed', message: messageOf(e) } });
    }
  },

  async changePassphrase(current, passphrase) {
    set({ passphrase: { status: 'busy' } });
    try {
      await api['session.changePassphrase']({ current, passphrase });
      set({
        passphrase: {
          status: 'done',
          message:
            'Your passphrase has been changed. From now on, unlock Dossier with the new one: the old passphrase no longer works. Your recovery code still works as before.',
        },
      });
      return true;
    } catch (e) {
      set({ passphrase: { status: 'failed', message: messageOf(e) } });
      return false;
    }
  },

  async revealKeys(passphrase) {
    set({ reveal: { status: 'busy' }, keys: null });
    try {
      const keys = await api['keys.reveal']({ passphrase });
      set({ keys, reveal: IDLE });
    } catch (e) {
      set({ reveal: { status: 'failed', message: messageOf(e) } });
    }
  },

  hideKeys() {
    set({ keys: null, reveal: IDLE });
  },

  reset() {
    set({ keys: null, reveal: IDLE, autoLock: IDLE, passphrase: IDLE });
  },
}));

// Never keep keys past a lock, whatever is on screen.
useSession.subscribe((s) => {
  if (s.state !== 'unlocked' && useSettings.getState().keys) useSettings.getState().reset();
});
