import { describe, expect, it } from 'vitest';
import { MIN_LENGTH, passphraseStrength } from '../../../renderer/src/passphrase-strength';

describe('the passphrase strength shown while choosing one', () => {
  it('says an empty or short passphrase is not enough, with the minimum', () => {
    expect(passphraseStrength('')).toMatchObject({ score: 0, label: 'Empty' });
    expect(passphraseStrength('a'.repeat(MIN_LENGTH - 1))).toMatchObject({
      score: 0,
      label: 'Too short',
      advice: expect.stringContaining(`at least ${MIN_LENGTH} characters`),
    });
  });

  it('calls common words and patterns weak, whatever their length', () => {
    for (const p of [
      'Password2026!!',
      'zzzzzzzzzzzzzzzz',
      '12345678901234567',
      'my dossier vault',
    ]) {
      expect(passphraseStrength(p), p).toMatchObject({ score: 1, label: 'Weak' });
    }
  });

  it('rewards length and several unrelated words', () => {
    expect(passphraseStrength('kettle19').score).toBe(1);
    expect(passphraseStrength('kettlebridge').score).toBe(2);
    expect(passphraseStrength('kettle bridge lantern').score).toBe(3);
    expect(passphraseStrength('kettle bridge lantern orchard').score).toBe(4);
    expect(passphraseStrength('Kettle-Bridge-77!').score).toBe(4);
  });

  it('always gives advice in plain words, and reminds that it cannot be recovered', () => {
    const strong = passphraseStrength('kettle bridge lantern orchard');
    expect(strong.label).toBe('Strong');
    expect(strong.advice).toMatch(/recovery code/);
    expect(passphraseStrength('kettlebridge').advice).toMatch(/^Fair|^Weak/);
  });
});
