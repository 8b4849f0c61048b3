/**
 * File names come from untrusted sources. Before one is shown on a terminal or in a
 * title, control characters and bidirectional overrides are made visible as \u{…}
 * escapes so a name cannot hide its real extension or rewrite the screen.
 * The original name is always kept unchanged in the vault.
 */
// C0, DEL, C1 controls; bidi embeddings/overrides/isolates; line/paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

export function displayName(name: string): string {
  return name.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16).padStart(4, '0')}}`);
}
