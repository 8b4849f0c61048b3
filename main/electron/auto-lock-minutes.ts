import type { ApiHost } from '../core/api/host';

/** Used until the vault's own setting has been read (and whenever it cannot be). */
export const DEFAULT_AUTO_LOCK_MINUTES = 5;

/**
 * The idle time before auto-lock, from the vault's settings (settings.get, kept in the
 * encrypted database, so it is only readable while unlocked). Read again after each unlock
 * and each vault change, so a new value applies at once; a locked vault keeps the last one.
 */
export function autoLockMinutes(host: Pick<ApiHost, 'call' | 'isUnlocked' | 'onEvent'>): {
  minutes(): number;
  stop(): void;
} {
  let value = DEFAULT_AUTO_LOCK_MINUTES;
  let readWhileUnlocked = false;
  const refresh = async (): Promise<void> => {
    const reply = await host.call('settings.get', {}, null, () => undefined);
    if (!reply.ok) return;
    const minutes = (reply.value as { autoLockMinutes?: unknown }).autoLockMinutes;
    if (typeof minutes === 'number' && Number.isFinite(minutes) && minutes >= 0) value = minutes;
  };
  const stop = host.onEvent((event) => {
    if (event === 'vaultChanged') void refresh();
  });
  return {
    minutes() {
      if (!host.isUnlocked) readWhileUnlocked = false;
      else if (!readWhileUnlocked) {
        readWhileUnlocked = true;
        void refresh();
      }
      return value;
    },
    stop,
  };
}
