/**
 * A plain-words judgement of a new passphrase, shared by the app (the meter) and the API and
 * CLI (which refuse a weak one). Not a password cracker's model: it estimates how many
 * guesses a passphrase costs (in bits) from the patterns people reach for first — common
 * words and passwords, letters swapped for digits, years, sequences, repeats — and counts
 * each other run of letters as a dictionary word. One pass over the text: linear in its length.
 * docs/threat-model.md states the minimum and why.
 */
export interface Strength {
  /** 0 (very weak) to 4 (strong); 0 and 1 are refused. */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  /** What to do next, in words; never repeats the label. */
  advice: string;
  /** The estimate: log2 of the guesses it would take. */
  bits: number;
  /** At least MIN_BITS: a vault accepts it. */
  acceptable: boolean;
  /** Why it is weak, or null when it is not. */
  reason: string | null;
}

/** The stated minimum for a vault passphrase (docs/threat-model.md). */
export const MIN_BITS = 45;
/** Shorter than this is refused outright (it is also far below MIN_BITS). */
export const MIN_LENGTH = 8;
/** The only words that accept a weak passphrase (API `acceptWeakPassphrase`, CLI flag). */
export const WEAK_PASSPHRASE_OVERRIDE = 'I understand';
/** The form of a strong passphrase, shown as an example. It is refused itself: it is printed. */
export const EXAMPLE_PASSPHRASE = 'walnut ferry cobalt whisper';

const EXAMPLE_ADVICE = `Use four or more unrelated words, for example “${EXAMPLE_PASSPHRASE}” (not that one: it is printed here).`;

// What people reach for first (and words that name this app), after digit-for-letter swaps.
const COMMON = [
  'password',
  'passwort',
  'qwerty',
  'qwertz',
  'azerty',
  'asdf',
  'zxcv',
  'letmein',
  'welcome',
  'iloveyou',
  'loveyou',
  'love',
  'dossier',
  'vault',
  'evidence',
  'admin',
  'login',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'soccer',
  'sunshine',
  'princess',
  'shadow',
  'master',
  'secret',
  'hello',
  'freedom',
  'whatever',
  'trustno',
  'starwars',
  'computer',
  'superman',
  'batman',
  'charlie',
  'michael',
  'jesus',
  'god',
  'summer',
  'winter',
  'spring',
  'autumn',
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'monday',
  'friday',
  'sunday',
  'changeme',
  'default',
  'test',
];
// Longest first, so "password" is found before "pass" would be.
const COMMON_BY_LENGTH = [...COMMON].sort((a, b) => b.length - a.length);

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};

const SEPARATOR = /[\s\-_.,]/u;
const isAsciiLetter = (c: string): boolean => c >= 'a' && c <= 'z';
const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
// Scripts where one character is a whole word (CJK and the like).
const isIdeograph = (c: string): boolean => c.codePointAt(0)! >= 0x2e80 && isLetter(c);

interface Findings {
  common: boolean;
  pattern: boolean;
  year: boolean;
}

export function passphraseStrength(input: string): Strength {
  const p = input.normalize('NFC');
  const chars = [...p];
  if (chars.length === 0) return { ...verdict(0, null), label: 'Empty' };
  const lower = chars.map((c) => c.toLowerCase());
  if (lower.join('').replace(/\s+/g, ' ').trim() === EXAMPLE_PASSPHRASE) {
    return verdict(0, 'That is the example Dossier prints, so it is the first thing tried.');
  }
  const found: Findings = { common: false, pattern: false, year: false };

  // Digits and symbols between two letters are read as the letters they stand for.
  const norm = [...lower];
  let swapped = false;
  for (let i = 1; i < norm.length - 1; i++) {
    const to = LEET[norm[i]!];
    if (to && isAsciiLetter(norm[i - 1]!) && (isAsciiLetter(norm[i + 1]!) || LEET[norm[i + 1]!])) {
      norm[i] = to;
      swapped = true;
    }
  }

  // Mark common words (one indexOf scan per word: linear in the length).
  const common = new Array<boolean>(norm.length).fill(false);
  const text = norm.join('');
  // Code-unit offsets of each character, to map indexOf results back to characters.
  const charAt = new Map<number, number>();
  for (let i = 0, off = 0; i < norm.length; off += norm[i]!.length, i++) charAt.set(off, i);
  for (const word of COMMON_BY_LENGTH) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      const start = charAt.get(at);
      if (start === undefined) continue;
      const end = start + word.length;
      if (common.slice(start, end).some(Boolean)) continue;
      common.fill(true, start, end);
    }
  }

  let bits = swapped ? 1 : 0;
  const seen = new Set<string>();
  const addToken = (token: string, cost: number): void => {
    // The same word again costs almost nothing to guess.
    bits += seen.has(token) ? 1 : cost;
    seen.add(token);
  };

  let i = 0;
  while (i < norm.length) {
    const c = norm[i]!;
    if (common[i]) {
      let end = i;
      while (end < norm.length && common[end]) end++;
      const original = chars.slice(i, end).join('');
      found.common = true;
      addToken(norm.slice(i, end).join(''), 3 + caseBits(original));
      i = end;
      continue;
    }
    if (SEPARATOR.test(c)) {
      i++;
      continue;
    }
    const kind = kindOf(c);
    let end = i + 1;
    if (kind !== 'ideograph') {
      while (
        end < norm.length &&
        !common[end] &&
        !SEPARATOR.test(norm[end]!) &&
        kindOf(norm[end]!) === kind
      )
        end++;
    }
    const run = norm.slice(i, end);
    const token = run.join('');
    const original = chars.slice(i, end).join('');
    addToken(token, runBits(kind, run, original, found));
    i = end;
  }

  const rounded = Math.round(bits);
  let reason: string | null = null;
  if (rounded < MIN_BITS) {
    if (chars.length < MIN_LENGTH) reason = `It is shorter than ${MIN_LENGTH} characters.`;
    else if (found.common) reason = 'It is built on a very common word or password, tried first.';
    else if (found.pattern)
      reason = 'It uses a sequence or a repeat (like 1234 or aaaa), which is guessed early.';
    else if (found.year) reason = 'It leans on a year, which is easy to guess.';
    else reason = 'It has too few unrelated words to be hard to guess.';
  }
  return verdict(rounded, reason);
}

function kindOf(c: string): 'ideograph' | 'letter' | 'digit' | 'symbol' {
  return isIdeograph(c) ? 'ideograph' : isLetter(c) ? 'letter' : isDigit(c) ? 'digit' : 'symbol';
}

/** 1 bit for a capital first letter or all capitals, 2 for capitals elsewhere. */
function caseBits(original: string): number {
  const upper = [...original].filter((c) => c !== c.toLowerCase()).length;
  if (upper === 0) return 0;
  if (upper === original.length || (upper === 1 && original[0] !== original[0]!.toLowerCase()))
    return 1;
  return 2;
}

/** Each step from one character to the next: +1, -1 (a sequence) or 0 (a repeat). */
function step(a: string, b: string, digits: boolean): number {
  const d = b.codePointAt(0)! - a.codePointAt(0)!;
  // 7890 wraps round like 0123 does.
  return digits && (d === -9 || d === 9) ? -Math.sign(d) : d;
}

/** abc, cba, xyz: letters in alphabet order, up or down. */
function isSequence(run: string[]): boolean {
  if (run.length < 3) return false;
  const first = step(run[0]!, run[1]!, false);
  if (Math.abs(first) !== 1) return false;
  for (let k = 2; k < run.length; k++)
    if (step(run[k - 1]!, run[k]!, false) !== first) return false;
  return true;
}

/** The shortest unit the run repeats (KMP prefix function: linear), or the run's length. */
function period(run: string[]): number {
  const pi = new Array<number>(run.length).fill(0);
  for (let i = 1, k = 0; i < run.length; i++) {
    while (k > 0 && run[i] !== run[k]) k = pi[k - 1]!;
    if (run[i] === run[k]) k++;
    pi[i] = k;
  }
  const p = run.length - pi[run.length - 1]!;
  return run.length % p === 0 ? p : run.length;
}

function runBits(kind: string, run: string[], original: string, found: Findings): number {
  const n = run.length;
  const unit = period(run);
  if (unit < n) {
    found.pattern = true;
    return runBits(kind, run.slice(0, unit), original.slice(0, unit), found) + Math.log2(n / unit);
  }
  switch (kind) {
    case 'ideograph':
      return 11;
    case 'digit': {
      if (n === 4 && /^(19|20)\d\d$/.test(run.join(''))) {
        found.year = true;
        return 7;
      }
      // Stretches of three or more that count up, count down or repeat cost one guess each.
      let bits = 0;
      let i = 0;
      while (i < n) {
        let end = i + 1;
        if (i + 1 < n) {
          const s = step(run[i]!, run[i + 1]!, true);
          if (Math.abs(s) <= 1) while (end < n && step(run[end - 1]!, run[end]!, true) === s) end++;
        }
        if (end - i >= 3) {
          found.pattern = true;
          bits += 4;
        } else {
          end = i + 1;
          bits += Math.log2(10);
        }
        i = end;
      }
      return bits;
    }
    case 'symbol':
      return n * 4;
    default: {
      if (isSequence(run)) {
        found.pattern = true;
        return 4;
      }
      // Counted as dictionary words (about 2^14 of them), one per 8 letters, never more
      // than random letters would be.
      const word = n <= 2 ? n * Math.log2(26) : n === 3 ? 8 : 14 * Math.ceil(n / 8);
      return Math.min(n * Math.log2(26), word) + caseBits(original);
    }
  }
}

function verdict(bits: number, reason: string | null): Strength {
  const acceptable = bits >= MIN_BITS;
  if (!acceptable) {
    const score = bits < 28 ? 0 : 1;
    return {
      score,
      label: score === 0 ? 'Very weak' : 'Weak',
      advice: `${reason ?? ''} ${EXAMPLE_ADVICE}`.trim(),
      bits,
      acceptable,
      reason,
    };
  }
  const score = bits < 55 ? 2 : bits < 70 ? 3 : 4;
  return {
    score,
    label: ['', '', 'Fair', 'Good', 'Strong'][score]!,
    advice:
      score === 2
        ? 'Accepted; another unrelated word would make it much stronger.'
        : 'Make sure you can remember it: if you forget it, only the recovery code opens the vault.',
    bits,
    acceptable,
    reason: null,
  };
}

/**
 * Why a new vault passphrase is refused, as one message for the API and the CLI; null when
 * it is strong enough.
 */
export function weakPassphraseMessage(passphrase: string): string | null {
  const s = passphraseStrength(passphrase);
  if (s.acceptable) return null;
  return `That passphrase is too easy to guess (about ${s.bits} bits; Dossier asks for at least ${MIN_BITS}). ${s.advice}`;
}
