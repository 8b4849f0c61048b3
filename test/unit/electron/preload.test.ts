import { describe, expect, it, vi } from 'vitest';
import { channel, methodNames } from '../../../shared/contract';

const exposed: Record<string, unknown> = {};
const invoked: { ch: string; payload: unknown }[] = [];
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value),
  },
  webUtils: { getPathForFile: (f: { fakePath: string }) => f.fakePath },
  ipcRenderer: {
    invoke: async (ch: string, payload: unknown) => {
      invoked.push({ ch, payload });
      return { ok: true, value: null };
    },
    send: (ch: string, payload: unknown) => void invoked.push({ ch, payload }),
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

describe('preload', () => {
  it('exposes window.dossier with a route to every contract method, and nothing else', async () => {
    await import('../../../main/preload/index');
    const api = exposed.dossier as {
      call(n: string, a: unknown, j: string | null): Promise<unknown>;
      cancel(j: string): void;
    };
    expect(Object.keys(api).sort()).toEqual(['call', 'cancel', 'on', 'pathForFile']);
    const dropped = { fakePath: '/home/a/shot.png' } as unknown as File;
    expect((exposed.dossier as { pathForFile(f: File): string }).pathForFile(dropped)).toBe(
      '/home/a/shot.png',
    );
    expect(Object.isFrozen(api)).toBe(true);
    for (const m of methodNames) await api.call(m, { x: 1 }, null);
    expect(invoked.map((i) => i.ch)).toEqual(methodNames.map((m) => channel(m)));
    expect(invoked[0]!.payload).toEqual({ args: { x: 1 }, jobId: null });
    expect(await api.call('constructor', {}, null)).toMatchObject({ ok: false });
    api.cancel('job-1');
    expect(invoked.at(-1)).toEqual({ ch: channel('jobs.cancel'), payload: 'job-1' });
  });
});
