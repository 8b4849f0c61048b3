import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_PASSPHRASE,
  MIN_BITS,
  MIN_LENGTH,
  passphraseStrength,
  weakPassphraseMessage,
} from '../../../shared/passphrase-strength';

describe('the passphrase strength shown while choosing one, and the minimum a vault accepts', () => {
  it('refuses the passphrases people reach for first, with the reason', () => {
    for (const p of ['password', 'Summer2024!', 'p@ssw0rd123', 'Password2026!!', 'letmein1']) {
      const s = passphraseStrength(p);
      expect(s.acceptable, p).toBe(false);
      expect(s.reason, p).toMatch(/very common word/);
    }
    for (const p of [
      'zzzzzzzzzzzzzzzz',
      '12345678901234567',
      'abcdefghijklmnop',
      'kettle'.repeat(4),
    ])
      expect(passphraseStrength(p), p).toMatchObject({ acceptable: false, score: 0 });
    expect(passphraseStrength('12345678901234567').reason).toMatch(/sequence or a repeat/);
  });

  it('says an empty or short passphrase is not enough, with the minimum', () => {
    expect(passphraseStrength('')).toMatchObject({ score: 0, label: 'Empty', acceptable: false });
    expect(passphraseStrength('x7#Qv!')).toMatchObject({
      acceptable: false,
      reason: expect.stringContaining(`shorter than ${MIN_LENGTH} characters`),
    });
  });

  it('rewards several unrelated words: four are accepted, fewer are not', () => {
    expect(passphraseStrength('kettle19').acceptable).toBe(false);
    expect(passphraseStrength('kettlebridge').acceptable).toBe(false);
    expect(passphraseStrength('kettle bridge lantern').acceptable).toBe(false);
    expect(passphraseStrength('Kettle-Bridge-77!').acceptable).toBe(false);
    const four = passphraseStrength('kettle bridge lantern orchard');
    expect(four.acceptable).toBe(true);
    expect(four.bits).toBeGreaterThanOrEqual(MIN_BITS);
    expect(passphraseStrength('kettle bridge lantern orchard pepper tundra').score).toBe(4);
  });

  it('refuses the example it prints, however it is spaced or capitalised', () => {
    expect(passphraseStrength(EXAMPLE_PASSPHRASE).acceptable).toBe(false);
    expect(passphraseStrength(`  ${EXAMPLE_PASSPHRASE.toUpperCase()} `).acceptable).toBe(false);
  });

  it('never repeats the label in the advice ("Weak. Weak: …")', () => {
    for (const p of [
      '',
      'password',
      'kettlebridge',
      'kettle bridge lantern',
      'the second passphrase',
      'kettle bridge lantern orchard',
      'kettle bridge lantern orchard pepper tundra',
    ]) {
      const s = passphraseStrength(p);
      expect(s.advice.toLowerCase(), p).not.toContain(s.label.toLowerCase());
    }
    expect(passphraseStrength('kettle bridge lantern orchard').advice).toMatch(/recovery code/);
  });

  it('gives the refusal in words with an example of a strong passphrase, or null', () => {
    const message = weakPassphraseMessage('Summer2024!');
    expect(message).toMatch(new RegExp(`at least ${MIN_BITS}`));
    expect(message).toMatch(/four or more unrelated words, for example/);
    expect(weakPassphraseMessage('kettle bridge lantern orchard')).toBeNull();
  });

  it('is linear: 128 KiB of text is judged at once', () => {
    // A quadratic scan would take minutes here; the suite's timeout would catch it.
    const s = passphraseStrength('ab1!Qz9-'.repeat(16_384));
    expect(s.acceptable).toBe(true);
  });
});
