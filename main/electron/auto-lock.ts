import type { GlobalShortcut, PowerMonitor } from 'electron';

/**
 * Locks the vault when the person steps away: after a configurable idle time (the OS's idle
 * time, so typing in another app counts as activity), when the computer sleeps, when the
 * screen locks, and on a panic shortcut. Locking drops the keys, closes the database and
 * reloads the window so nothing decrypted stays in its memory (done by `lock`).
 */
export type LockReason = 'idle' | 'suspend' | 'screen-lock' | 'panic';

export const PANIC_SHORTCUT = 'CommandOrControl+Shift+L';
const CHECK_EVERY_MS = 15_000;

export interface AutoLockDeps {
  powerMonitor: Pick<PowerMonitor, 'on' | 'removeListener' | 'getSystemIdleTime'>;
  globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister'>;
  /** Minutes of inactivity before locking; 0 turns the idle lock off. Read each time, so settings apply at once. */
  idleMinutes(): number;
  /** True while a vault is unlocked (nothing to do otherwise). */
  isUnlocked(): boolean;
  lock(reason: LockReason): void | Promise<void>;
}

export function startAutoLock(deps: AutoLockDeps): () => void {
  const lockIfOpen = (reason: LockReason): void => {
    if (deps.isUnlocked()) void deps.lock(reason);
  };
  const onSuspend = (): void => lockIfOpen('suspend');
  const onScreenLock = (): void => lockIfOpen('screen-lock');
  deps.powerMonitor.on('suspend', onSuspend);
  deps.powerMonitor.on('lock-screen', onScreenLock);
  const panicRegistered = deps.globalShortcut.register(PANIC_SHORTCUT, () => lockIfOpen('panic'));
  const timer = setInterval(() => {
    const minutes = deps.idleMinutes();
    if (minutes > 0 && deps.powerMonitor.getSystemIdleTime() >= minutes * 60) lockIfOpen('idle');
  }, CHECK_EVERY_MS);
  timer.unref?.();
  return () => {
    clearInterval(timer);
    deps.powerMonitor.removeListener('suspend', onSuspend);
    deps.powerMonitor.removeListener('lock-screen', onScreenLock);
    if (panicRegistered) deps.globalShortcut.unregister(PANIC_SHORTCUT);
  };
}
