/**
 * The text an email or a text file is redacted in (docs/redaction.md, "A redacted email or
 * text file"): one rendering, made the same way by the vault and by the app, so that a
 * passage selected on screen is the passage covered in the copy. Pure (no DOM, no Node).
 *
 * Offsets count UTF-16 code units of the rendering: what a text area's selectionStart and
 * selectionEnd give, and how JavaScript indexes strings. The rendering has no carriage return
 * (line ends are one "\n", as a text area holds them) and no invisible or direction-changing
 * character: each is written as a visible `\u{…}` escape, so what the person sees is exactly
 * what is counted, and the copy cannot carry a hidden character.
 */
import { htmlToText } from './email-text';
import type { ParsedEmail } from './email';
import {
  REDACTION_OTHER_MAX,
  REDACTION_REASONS,
  redactionReasonText,
  type RedactionReason,
} from './redaction';

/** One covered passage: [start, end) in UTF-16 code units of the rendering, and why. */
export interface RedactionSpan {
  start: number;
  end: number;
  reason: RedactionReason;
  /** The stated reason in words when `reason` is "other"; null otherwise. */
  otherReason: string | null;
}

/** A rendering longer than this (in code units) is not redacted: no text area could hold it. */
export const MAX_REDACTION_TEXT = 64 * 1024 * 1024;
/** Passages one copy may cover. */
export const MAX_REDACTION_SPANS = 2000;

/**
 * Characters that show nothing or change how the text around them is shown: C0 and C1
 * controls (but line feed and tab, which `lines` keeps), the soft hyphen, bidirectional marks,
 * embeddings, overrides and isolates, line and paragraph separators, zero-width space, word
 * joiner and invisible operators, the byte order mark, interlinear annotation marks, tag
 * characters and the supplementary variation selectors (both used to hide text in text), and
 * a lone half of a surrogate pair. Zero-width joiner and non-joiner and the variation
 * selectors U+FE00–FE0F are kept: scripts (Persian, Indic) and emoji need them.
 */
// With the u flag, \ud800-\udfff matches only a lone half of a pair (a pair is one character).
const HIDDEN = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- see above
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b\\u200e\\u200f' +
    '\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb' +
    '\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}\\ud800-\\udfff]',
  'gu',
);
const HIDDEN_ON_A_LINE = /[\t\n]/g;

const escape = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16).padStart(4, '0')}}`;

/**
 * Untrusted text made visible: every character of HIDDEN written as `\u{…}`; carriage returns
 * end lines (CRLF and CR become "\n") unless `oneLine`, where line feeds and tabs are escaped
 * too. Linear in the length.
 */
export function visibleText(s: string, oneLine = false): string {
  const lines = oneLine ? s : s.replace(/\r\n?/g, '\n');
  const shown = lines.replace(HIDDEN, escape);
  return oneLine ? shown.replace(HIDDEN_ON_A_LINE, escape) : shown;
}

/** The headers an email rendering shows, in the order the item view shows them. */
const SHOWN_HEADERS = ['From', 'To', 'Cc', 'Subject', 'Date'] as const;

/**
 * An email as the person sees it: the From, To, Cc, Subject and Date lines that have a value,
 * a blank line, and the body as the court bundle gives it (the HTML version reduced to its
 * words when there is one, as a mail program shows it; else the plain-text version). No
 * other header, no attachment, no picture: only what is written here can be in the copy.
 */
export function emailRendering(email: ParsedEmail): string {
  const values: Record<(typeof SHOWN_HEADERS)[number], string> = {
    From: email.from,
    To: email.to,
    Cc: email.cc,
    Subject: email.subject,
    Date: email.date,
  };
  const head = SHOWN_HEADERS.filter((k) => values[k].trim() !== '').map(
    (k) => `${k}: ${visibleText(values[k].trim(), true)}`,
  );
  const html = email.html === null ? '' : htmlToText(email.html);
  const body = html.trim() ? html : email.text?.trim() ? email.text : '';
  // An email with none of the five headers starts with its body.
  return head.length ? `${head.join('\n')}\n\n${visibleText(body)}` : visibleText(body);
}

/** A text file as the person sees it: its decoded text, made visible. */
export function textRendering(decoded: string): string {
  return visibleText(decoded);
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
/** A combining mark (an accent, a variation selector): it belongs to the character before. */
const MARK = /^\p{M}/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Text each side of an offset in which its grapheme boundary is decided (clusters are short). */
const GRAPHEME_WINDOW = 256;

/**
 * Whether offset `at` falls inside one character as a reader sees it: a surrogate pair, before
 * a mark, or inside any grapheme cluster (an emoji joined with U+200D, with a skin tone, a flag
 * of two regional indicators, a Hangul syllable in jamo), which would leave part of it shown.
 */
function splitsCharacter(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  if (isHigh(text.charCodeAt(at - 1)) && isLow(text.charCodeAt(at))) return true;
  if (MARK.test(text.slice(at, at + 2))) return true;
  const from = Math.max(0, at - GRAPHEME_WINDOW);
  const near = text.slice(from, Math.min(text.length, at + GRAPHEME_WINDOW));
  return graphemes.segment(near).containing(at - from)!.index !== at - from;
}

/**
 * Why the spans cannot be used on `text`, in words, or null. Each must hold whole numbers
 * inside the text, cover at least one character, start and end between characters, not
 * overlap another, and have a known reason ("other" with words of its own, one line). With
 * `text` null, all but where the text ends and its characters are checked (before reading it).
 */
export function spansProblem(text: string | null, spans: readonly RedactionSpan[]): string | null {
  if (spans.length === 0)
    return 'Select at least one passage to cover before making a redacted copy.';
  if (spans.length > MAX_REDACTION_SPANS)
    return `${spans.length} passages were given; a copy covers at most ${MAX_REDACTION_SPANS}.`;
  for (const [i, s] of spans.entries()) {
    const n = `Passage ${i + 1}`;
    if (!Number.isSafeInteger(s.start) || !Number.isSafeInteger(s.end))
      return `${n}: its start and end must be whole numbers (characters from the start of the text).`;
    if (s.start < 0) return `${n} starts before the text (at ${s.start}).`;
    if (s.end <= s.start)
      return `${n} covers nothing: it must end after it starts (${s.start} to ${s.end}).`;
    const why = reasonProblem(s);
    if (why) return `${n} ${why}`;
    if (text === null) continue;
    if (s.end > text.length)
      return `${n} ends at ${s.end}, past the end of the text (it has ${text.length.toLocaleString('en')} characters).`;
    if (splitsCharacter(text, s.start))
      return `${n} starts inside a character (at ${s.start}): a letter with its accents, or an emoji, is covered whole.`;
    if (splitsCharacter(text, s.end))
      return `${n} ends inside a character (at ${s.end}): a letter with its accents, or an emoji, is covered whole.`;
  }
  const order = spans.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start);
  for (let k = 1; k < order.length; k++) {
    const a = order[k - 1]!;
    const b = order[k]!;
    if (b.s.start < a.s.end)
      return `Passages ${Math.min(a.i, b.i) + 1} and ${Math.max(a.i, b.i) + 1} overlap; each part of the text is covered once, for one reason.`;
  }
  return null;
}

function reasonProblem(s: RedactionSpan): string | null {
  if (!(REDACTION_REASONS as readonly string[]).includes(s.reason))
    return `has no reason Dossier knows ("${visibleText(String(s.reason).slice(0, 40), true)}"); the reasons are ${REDACTION_REASONS.join(', ')}.`;
  if (s.reason !== 'other') {
    return s.otherReason === null || s.otherReason === undefined
      ? null
      : `has the reason "${s.reason}": words of its own are only for "other".`;
  }
  const why = (s.otherReason ?? '').trim();
  if (!why) return 'is covered for another reason: say which, in words.';
  if (why.length > REDACTION_OTHER_MAX)
    return `has a reason longer than ${REDACTION_OTHER_MAX} characters.`;
  if (visibleText(why, true) !== why)
    return 'has a reason holding a control, invisible or direction-changing character.';
  // In the copy the words stand inside "[REDACTED: …]": a bracket would end the marker early
  // and let words after it read as the original's.
  if (/[[\]]/.test(why))
    return 'has a reason holding a square bracket, which would end its marker early.';
  return null;
}

/** What stands in the copy for a covered passage: its reason, visibly. */
export function redactionMarker(s: Pick<RedactionSpan, 'reason' | 'otherReason'>): string {
  return `[REDACTED: ${redactionReasonText({ reason: s.reason, otherReason: s.otherReason?.trim() ?? null })}]`;
}

/** The spans in text order (how they are stored and logged). */
export function sortedSpans(spans: readonly RedactionSpan[]): RedactionSpan[] {
  return [...spans]
    .sort((a, b) => a.start - b.start)
    .map((s) => ({
      start: s.start,
      end: s.end,
      reason: s.reason,
      otherReason: s.reason === 'other' ? (s.otherReason ?? '').trim() : null,
    }));
}

/**
 * `text` with each span replaced by its marker. The marker does not keep the passage's length
 * (that could tell what was covered). Spans must have passed spansProblem.
 */
export function redactText(text: string, spans: readonly RedactionSpan[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const s of sortedSpans(spans)) {
    parts.push(text.slice(at, s.start), redactionMarker(s));
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
