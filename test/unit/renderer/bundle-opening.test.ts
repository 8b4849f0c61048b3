import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The start screen's "Open an evidence bundle for review" (stores/bundle-opening.ts) against a
 * fake review.open: what is refused before main is asked, a wrong passphrase said plainly, a
 * bundle found encrypted by its content, a cancelled open, and a good one making the session
 * `reviewing`. Also the sessionStorage hand-over from the unlocked app's "Review a bundle…".
 */
const fake = vi.hoisted(() => {
  const stored = new Map<string, string>();
  (globalThis as { sessionStorage?: unknown }).sessionStorage = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void stored.set(k, String(v)),
    removeItem: (k: string) => void stored.delete(k),
  };
  const reloads = { count: 0 };
  (globalThis as { window?: unknown }).window = { location: { reload: () => reloads.count++ } };
  return {
    stored,
    reloads,
    calls: [] as Array<{ method: string; args: unknown }>,
    /** What review.open does with its arguments and options. */
    open: null as
      | null
      | ((
          args: { path: string; passphrase?: string },
          options: {
            signal?: AbortSignal;
            onProgress?(p: { itemsDone: number; itemsTotal: number; bytesDone: number }): void;
          },
        ) => Promise<unknown>),
  };
});

vi.mock('../../../renderer/src/api/transport', () => {
  const summary = {
    name: 'bundle.zip.age',
    caseName: 'R v Unknown',
    bagName: 'R-v-Unknown-20261204',
    exporter: 'Jane Doe MP',
    exportedAt: '2026-12-04T10:00:00Z',
    exhibits: 4,
    incidents: 1,
    people: 1,
    messages: 2,
    fingerprint: '1a2b 3c4d',
    signed: true,
    verified: true,
    tagManifestSha256: 'f'.repeat(64),
    problems: [],
    failingExhibits: [],
  };
  return {
    connection: { surface: 'browser' },
    summary,
    api: {
      'review.open': async (args: never, options: never) => {
        fake.calls.push({ method: 'review.open', args });
        return fake.open!(args, options);
      },
      'review.close': async () => {
        fake.calls.push({ method: 'review.close', args: {} });
        return { state: 'no-vault', fingerprint: null, notices: [], recoveryCodePending: false };
      },
      'session.lock': async () => {
        fake.calls.push({ method: 'session.lock', args: {} });
        return { state: 'locked', fingerprint: null, notices: [], recoveryCodePending: false };
      },
      on: () => () => undefined,
    },
  };
});

/**
 * An error as the client throws it, from the module the page loaded (modules are loaded anew
 * for each page, and errors.ts tells an API error by its class).
 */
async function apiError(code: string, message: string): Promise<Error> {
  const { ApiCallError } = await import('../../../shared/client');
  return new ApiCallError(code, message);
}

/** A fresh page: the stores loaded anew, as after a window reload. */
async function page() {
  vi.resetModules();
  const opening = await import('../../../renderer/src/stores/bundle-opening');
  const { useSession } = await import('../../../renderer/src/stores/session');
  const transport = (await import('../../../renderer/src/api/transport')) as unknown as {
    summary: Record<string, unknown>;
  };
  return { ...opening, useSession, summary: transport.summary };
}

const reviewing = (summary: Record<string, unknown>) => ({
  state: 'reviewing',
  fingerprint: summary.fingerprint,
  notices: [],
  recoveryCodePending: false,
  review: summary,
});

describe('opening a bundle for review from the start screen', () => {
  beforeEach(() => {
    fake.stored.clear();
    fake.calls.length = 0;
    fake.reloads.count = 0;
    fake.open = null;
  });

  it('refuses an empty, relative or multi-line path in words, without asking main', async () => {
    const { useBundleOpening, pathProblem } = await page();
    expect(pathProblem('')).toMatch(/Type the full path of the bundle/);
    expect(pathProblem('Downloads/bundle.zip')).toMatch(/is not a full path/);
    expect(pathProblem('/home/a/bundle.zip\n/etc')).toMatch(/line break/);
    expect(pathProblem('/home/a/bundle.zip')).toBeNull();
    expect(pathProblem('C:\\Users\\a\\bundle.zip')).toBeNull();
    expect(await useBundleOpening.getState().open('bundle.zip', '')).toBe(false);
    expect(useBundleOpening.getState().error).toMatch(/"bundle\.zip" is not a full path/);
    expect(fake.calls).toEqual([]);
  });

  it('asks for the passphrase of a .zip.age before anything is opened', async () => {
    const { useBundleOpening, looksEncrypted } = await page();
    expect(looksEncrypted('/b/bundle.zip.age')).toBe(true);
    expect(looksEncrypted('/b/bundle.ZIP.AGE ')).toBe(true);
    expect(looksEncrypted('/b/bundle.zip')).toBe(false);
    expect(await useBundleOpening.getState().open('/b/bundle.zip.age', '')).toBe(false);
    expect(useBundleOpening.getState()).toMatchObject({ needsPassphrase: true });
    expect(useBundleOpening.getState().error).toMatch(/encrypted\. Type the passphrase/);
    expect(fake.calls).toEqual([]);
  });

  it('says plainly that a passphrase is wrong, and keeps asking for it', async () => {
    const { useBundleOpening, useSession } = await page();
    fake.open = async () => {
      throw await apiError(
        'WRONG_PASSPHRASE',
        'That passphrase does not open bundle.zip.age. Check it (capitals and spaces count) and try again.',
      );
    };
    expect(await useBundleOpening.getState().open(' /b/bundle.zip.age ', 'nope')).toBe(false);
    expect(fake.calls).toEqual([
      { method: 'review.open', args: { path: '/b/bundle.zip.age', passphrase: 'nope' } },
    ]);
    const s = useBundleOpening.getState();
    expect(s.error).toMatch(/^Wrong passphrase\. That passphrase does not open bundle\.zip\.age/);
    expect(s).toMatchObject({ wrongPassphrase: true, needsPassphrase: true, opening: false });
    expect(useSession.getState().state).toBe('starting');
  });

  it('asks for a passphrase when main finds the file encrypted whatever its name', async () => {
    const { useBundleOpening } = await page();
    fake.open = async (args) => {
      if (args.passphrase === undefined) {
        throw await apiError(
          'USAGE',
          'bundle.bin is encrypted. Give the passphrase it was exported with to check it.',
        );
      }
      throw await apiError('WRONG_PASSPHRASE', 'That passphrase does not open bundle.bin.');
    };
    expect(await useBundleOpening.getState().open('/b/bundle.bin', '')).toBe(false);
    expect(useBundleOpening.getState().needsPassphrase).toBe(true);
    // The next try sends the passphrase, though the name does not end in .age.
    await useBundleOpening.getState().open('/b/bundle.bin', 'secret words');
    expect(fake.calls[1]).toEqual({
      method: 'review.open',
      args: { path: '/b/bundle.bin', passphrase: 'secret words' },
    });
  });

  it('shows progress while main verifies, and a cancel says nothing was changed', async () => {
    const { useBundleOpening } = await page();
    let aborted = false;
    const cancelled = await apiError(
      'USAGE',
      'Opening the bundle was cancelled before it finished.',
    );
    fake.open = (_args, options) =>
      new Promise((_resolve, reject) => {
        options.onProgress?.({ itemsDone: 3, itemsTotal: 10, bytesDone: 4096 });
        options.signal?.addEventListener('abort', () => {
          aborted = true;
          reject(cancelled);
        });
      });
    const pending = useBundleOpening.getState().open('/b/folder', '');
    expect(useBundleOpening.getState()).toMatchObject({
      opening: true,
      progress: { filesDone: 3, filesTotal: 10, bytesDone: 4096 },
    });
    // Going back is not possible while it is being opened: cancel first.
    useBundleOpening.getState().hide();
    useBundleOpening.getState().cancel();
    expect(await pending).toBe(false);
    expect(aborted).toBe(true);
    expect(useBundleOpening.getState()).toMatchObject({
      opening: false,
      progress: null,
      error: 'Opening the bundle was cancelled. Nothing was changed.',
    });
    expect(fake.calls[0]!.args).toEqual({ path: '/b/folder' }); // no passphrase for a folder
  });

  it('a bundle that opens makes the session reviewing, with its summary', async () => {
    const { useBundleOpening, useSession, summary } = await page();
    fake.open = async () => reviewing(summary);
    useBundleOpening.getState().show();
    expect(await useBundleOpening.getState().open('/b/bundle.zip', '')).toBe(true);
    expect(useBundleOpening.getState()).toMatchObject({ shown: false, error: null });
    expect(useSession.getState()).toMatchObject({
      state: 'reviewing',
      fingerprint: '1a2b 3c4d',
      review: { caseName: 'R v Unknown', exporter: 'Jane Doe MP' },
    });
    // Close the bundle: main closes it, and the page reloads with nothing of it in memory.
    await useSession.getState().closeReview();
    expect(fake.calls.at(-1)!.method).toBe('review.close');
    expect(useSession.getState()).toMatchObject({ state: 'no-vault', review: null });
    expect(fake.reloads.count).toBe(1);
  });

  it('"Review a bundle…" in the unlocked app locks, and the reloaded start screen opens the form once', async () => {
    const first = await page();
    expect(first.useBundleOpening.getState().shown).toBe(false);
    await first.useSession.getState().lockToOpenBundle();
    expect(fake.calls.map((c) => c.method)).toEqual(['session.lock']);
    expect(fake.reloads.count).toBe(1);
    const afterReload = await page();
    expect(afterReload.useBundleOpening.getState().shown).toBe(true);
    const again = await page();
    expect(again.useBundleOpening.getState().shown).toBe(false);
  });
});
