import { describe, expect, it, vi } from 'vitest';

/** The vault's language, changed by ocr.readAgain; ocr.languages answers after a delay. */
const vault = vi.hoisted(() => ({ language: 'eng' }));

vi.mock('../../../renderer/src/api/transport', () => {
  const status = { queued: 2, done: 0, failed: 0, running: null, secondsLeft: 4, paused: false };
  return {
    api: {
      'ocr.languages': async () => {
        await new Promise((r) => setTimeout(r, 20));
        return {
          language: vault.language,
          installed: [
            { code: 'eng', name: 'English' },
            { code: 'ukr', name: 'Ukrainian' },
          ],
        };
      },
      'ocr.readAgain': async (a: { language?: string }) => {
        if (a.language) vault.language = a.language;
        return { queued: 2, status };
      },
    },
  };
});

const { useTextRecognition } = await import('../../../renderer/src/stores/text-recognition');

describe('text recognition store', () => {
  it('reading again in another language resolves only once the store holds that language', async () => {
    const store = useTextRecognition.getState;
    await store().loadLanguages();
    expect(store().languages?.language).toBe('eng');
    // The settings screen shows the store's language as soon as this resolves.
    expect(await store().readAgain(null, 'ukr')).toBe(2);
    expect(store().languages?.language).toBe('ukr');
    expect(store().status?.queued).toBe(2);
  });
});
