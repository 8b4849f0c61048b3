import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PANIC_SHORTCUT, startAutoLock, type LockReason } from '../../../main/electron/auto-lock';

function setup(unlocked = true, idleMinutes = 5) {
  const power = Object.assign(new EventEmitter(), {
    idle: 0,
    getSystemIdleTime() {
      return this.idle;
    },
  });
  const shortcuts = new Map<string, () => void>();
  const locks: LockReason[] = [];
  const stop = startAutoLock({
    powerMonitor: power as never,
    globalShortcut: {
      register: (k: string, fn: () => void) => (shortcuts.set(k, fn), true),
      unregister: (k: string) => void shortcuts.delete(k),
    } as never,
    idleMinutes: () => idleMinutes,
    isUnlocked: () => unlocked,
    lock: (r) => void locks.push(r),
  });
  return { power, shortcuts, locks, stop };
}

describe('auto-lock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks on suspend, on screen lock and on the panic shortcut', () => {
    const { power, shortcuts, locks } = setup();
    power.emit('suspend');
    power.emit('lock-screen');
    shortcuts.get(PANIC_SHORTCUT)!();
    expect(locks).toEqual(['suspend', 'screen-lock', 'panic']);
  });

  it('locks after the idle time, using the system idle clock', () => {
    const { power, locks } = setup(true, 5);
    power.idle = 299;
    vi.advanceTimersByTime(15_000);
    expect(locks).toEqual([]);
    power.idle = 300;
    vi.advanceTimersByTime(15_000);
    expect(locks).toEqual(['idle']);
  });

  it('does nothing while locked, with the idle lock off, or after it is stopped', () => {
    const locked = setup(false);
    locked.power.emit('suspend');
    locked.power.idle = 10_000;
    vi.advanceTimersByTime(60_000);
    expect(locked.locks).toEqual([]);
    const off = setup(true, 0);
    off.power.idle = 10_000;
    vi.advanceTimersByTime(60_000);
    expect(off.locks).toEqual([]);
    const stopped = setup();
    stopped.stop();
    stopped.power.emit('suspend');
    expect(stopped.shortcuts.has(PANIC_SHORTCUT)).toBe(false);
    expect(stopped.locks).toEqual([]);
  });
});
