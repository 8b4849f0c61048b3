import { describe, expect, it } from 'vitest';
import type { Envelope, EventName } from '../../../shared/contract';
import {
  autoLockMinutes,
  DEFAULT_AUTO_LOCK_MINUTES,
} from '../../../main/electron/auto-lock-minutes';

function fakeHost(reply: () => Envelope<unknown>) {
  const listeners = new Set<(e: EventName, p: unknown) => void>();
  const calls: string[] = [];
  return {
    isUnlocked: false,
    calls,
    call: async (name: string) => {
      calls.push(name);
      return reply();
    },
    onEvent: (l: (e: EventName, p: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    fire: (e: EventName) => {
      for (const l of listeners) l(e, {});
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('auto-lock minutes from the vault settings', () => {
  it('reads the setting after an unlock and after each change, not while locked', async () => {
    let stored = 12;
    const host = fakeHost(() => ({ ok: true, value: { autoLockMinutes: stored } }));
    const setting = autoLockMinutes(host);
    expect(setting.minutes()).toBe(DEFAULT_AUTO_LOCK_MINUTES);
    expect(host.calls).toEqual([]);
    host.isUnlocked = true;
    setting.minutes();
    await tick();
    expect(setting.minutes()).toBe(12);
    expect(host.calls).toEqual(['settings.get']);
    stored = 1;
    host.fire('vaultChanged');
    await tick();
    expect(setting.minutes()).toBe(1);
    host.isUnlocked = false;
    expect(setting.minutes()).toBe(1); // the last value survives a lock
    setting.stop();
  });

  it('keeps the last good value when the setting cannot be read', async () => {
    const host = fakeHost(() => ({ ok: false, error: { code: 'LOCKED', message: 'locked' } }));
    host.isUnlocked = true;
    const setting = autoLockMinutes(host);
    setting.minutes();
    await tick();
    expect(setting.minutes()).toBe(DEFAULT_AUTO_LOCK_MINUTES);
  });
});
