import { describe, expect, it } from 'vitest';
import { itemNameProblem, itemNameText } from '../../../shared/item-name';

/** Names a person gives an item (issue 10, B5: renaming): what is refused, and why. */
const problem = (name: string) => itemNameProblem(itemNameText(name));

describe('a new name for an item', () => {
  it('accepts ordinary names in any script, emoji sequences and joiners included', () => {
    for (const ok of [
      'Threat from Jo, 9 March.png',
      'Łódź zdjęcie.jpg',
      'زيد.txt',
      'می‌خواهم.txt', // Persian with a zero-width non-joiner
      'family 👨‍👩‍👧.png', // joined by zero-width joiners
      '.hidden',
      'é'.repeat(127), // 254 bytes
    ]) {
      expect(problem(ok), ok).toBeNull();
    }
  });

  it('refuses what could hide an extension, forge a line or leave the folder', () => {
    expect(problem('')).toMatch(/empty/);
    expect(problem(' \t ')).toMatch(/empty/);
    expect(problem('..')).toMatch(/"\." or "\.\."/);
    expect(problem('.')).toMatch(/"\." or "\.\."/);
    expect(problem('../etc/passwd')).toMatch(/cannot contain \//);
    expect(problem('C:\\evil')).toMatch(/cannot contain \//);
    for (const hidden of ['invoice\u202Egpj.exe', 'a\u2066b', 'a\u200Bb', 'a\u2028b', 'a\uFEFFb'])
      expect(problem(hidden), JSON.stringify(hidden)).toMatch(/direction overrides/);
    for (const control of ['two\nlines', 'bell\u0007', 'esc\u001b[2J', 'c1\u0085'])
      expect(problem(control), JSON.stringify(control)).toMatch(/control characters/);
    expect(problem('broken \uD800 pair')).toMatch(/control characters/);
  });

  it('counts bytes, not characters, against the 255-byte limit', () => {
    expect(problem('a'.repeat(255))).toBeNull();
    expect(problem('a'.repeat(256))).toMatch(/too long/);
    expect(problem('é'.repeat(128))).toMatch(/too long/); // 256 bytes
    // Decomposed input is composed first: e + combining acute is one 2-byte character.
    expect(itemNameText('e\u0301')).toBe('é');
    expect(problem('e\u0301'.repeat(127))).toBeNull();
  });
});
