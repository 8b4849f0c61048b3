/**
 * Text from files, emails and bundles is written by the people a vault is kept against.
 * On a terminal, a control sequence in it could erase a line, move the cursor or paint a
 * fake verdict, and an invisible or direction-changing character could hide what a name
 * really says. Before such text is printed, every character a terminal could act on, or
 * that does not show itself, is replaced by a visible escape: `\x1b`, `\r`, `\u202e`,
 * `\u{e0041}`. Ordinary letters, digits and punctuation of every script are left alone.
 * The vault and all `--json` output keep the exact text.
 */

// C0, DEL, C1 (Cc); format characters such as bidi overrides and isolates, zero-width
// characters, the soft hyphen and tag characters (Cf); line and paragraph separators
// (Zl, Zp); lone surrogates (Cs); the Hangul fillers, letters that render as nothing.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]/gu;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// The zero-width joiner that glues an emoji sequence together (👩‍👩‍👧) is harmless there.
const EMOJI_BEFORE = /(?:\p{Extended_Pictographic}|[\u{1f3fb}-\u{1f3ff}]|\ufe0f)$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;

function escape(c: string): string {
  const short = SHORT[c];
  if (short) return short;
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16);
  if (cp <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\u{${hex}}`;
}

/** One line of untrusted text, safe to print: line breaks are escaped too. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c: string, at: number, whole: string) => {
    if (
      c === '\u200d' &&
      EMOJI_BEFORE.test(whole.slice(Math.max(0, at - 2), at)) &&
      EMOJI_AFTER.test(whole.slice(at + 1, at + 3))
    )
      return c;
    return escape(c);
  });
}

/** Several lines: each one made safe, the line breaks between them kept. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
