/**
 * A plain-words judgement of a new passphrase. Not a password cracker's model: it rewards
 * length and several unrelated words, and catches the patterns people reach for first.
 */
export interface Strength {
  /** 0 (very weak) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  advice: string;
}

const COMMON = [
  'password',
  'passw0rd',
  'qwerty',
  'letmein',
  'welcome',
  'iloveyou',
  'dossier',
  'admin',
  'monkey',
  'dragon',
  'football',
  'abc123',
  '123456',
];

export const MIN_LENGTH = 8;

export function passphraseStrength(p: string): Strength {
  if (p.length === 0) return { score: 0, label: 'Empty', advice: 'Choose a passphrase.' };
  const lower = p.toLowerCase();
  if (p.length < MIN_LENGTH) {
    return {
      score: 0,
      label: 'Too short',
      advice: `Use at least ${MIN_LENGTH} characters; four or more unrelated words is better.`,
    };
  }
  if (
    COMMON.some((c) => lower.includes(c)) ||
    /^(.)\1+$/.test(p) ||
    /^(0123|1234|abcd)/.test(lower)
  ) {
    return {
      score: 1,
      label: 'Weak',
      advice: 'It contains a very common word or pattern. Pick words nobody would link to you.',
    };
  }
  const words = p
    .trim()
    .split(/[\s\-_.]+/)
    .filter((w) => w.length >= 3).length;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9\s]/].filter((r) => r.test(p)).length;
  let score = 1;
  if (p.length >= 12) score++;
  if (p.length >= 16 || words >= 3) score++;
  if ((p.length >= 20 && words >= 4) || (p.length >= 16 && classes >= 3)) score++;
  const s = Math.min(4, score) as Strength['score'];
  const advice = [
    'Weak: add more words.',
    'Weak: add more words.',
    'Fair: another unrelated word or two would make it much stronger.',
    'Good. Make sure you can remember it: nobody, not even us, can recover it without the recovery code.',
    'Strong. Make sure you can remember it: nobody can recover it without the recovery code.',
  ][s]!;
  return { score: s, label: ['Very weak', 'Weak', 'Fair', 'Good', 'Strong'][s]!, advice };
}
