/**
 * An HTML email body as plain text, for reading it without rendering it: nothing is loaded,
 * no script runs, and no element is made from it. Pure (no DOM), so the offline viewer and
 * Node code can use it alike, and it runs where a page's policy forbids parsing HTML strings.
 *
 * The HTML is written by the people the user is defending against, so every step is linear
 * in its length: one forward scan, with indexOf to find ends (no regular expression that can
 * backtrack over what it already read), and the output is capped.
 *
 * What it keeps: the text, paragraph and line breaks, list bullets, table cells apart, an
 * image's alt text, and a link's address after its text when the two differ (the address a
 * link really goes to is often the evidence). What it drops: scripts, styles, comments, the
 * title, and everything inside elements that are never shown as text.
 */

/** Output beyond this many characters is cut, with a note. */
export const MAX_TEXT_CHARS = 2_000_000;

// Raw-text and hidden elements: their content is not text a reader sees.
const SKIP = new Set([
  'script',
  'style',
  'title',
  'template',
  'noscript',
  'iframe',
  'noembed',
  'noframes',
  'xmp',
]);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'html',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  laquo: '\u00ab',
  raquo: '\u00bb',
  bull: '\u2022',
  middot: '\u00b7',
  euro: '\u20ac',
  pound: '\u00a3',
  shy: '\u00ad',
  zwnj: '\u200c',
  zwj: '\u200d',
};

/** Decodes character references in `s` (text or an attribute value). */
export function decodeEntities(s: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const amp = s.indexOf('&', at);
    if (amp < 0) break;
    out += s.slice(at, amp);
    // A reference is at most 32 characters of letters, digits and '#' before its ';'.
    let end = amp + 1;
    while (end < s.length && end - amp <= 32 && /[A-Za-z0-9#]/.test(s[end]!)) end++;
    const name = s.slice(amp + 1, end);
    let value: string | undefined;
    if (name.startsWith('#')) {
      const n =
        name[1] === 'x' || name[1] === 'X'
          ? parseInt(name.slice(2), 16)
          : /^#\d+$/.test(name)
            ? parseInt(name.slice(1), 10)
            : NaN;
      if (Number.isFinite(n)) {
        value =
          n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff)
            ? String.fromCodePoint(n)
            : '\ufffd';
      }
    } else {
      value = ENTITIES[name.toLowerCase()];
    }
    if (value === undefined) {
      out += '&';
      at = amp + 1;
    } else {
      out += value;
      at = s[end] === ';' ? end + 1 : end;
    }
  }
  return out + s.slice(at);
}

/** The attributes of one tag, from the text between its name and its '>'. */
function attributes(s: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /[\s/]/.test(s[i]!)) i++;
    const start = i;
    while (i < s.length && !/[\s/=>]/.test(s[i]!)) i++;
    const name = s.slice(start, i).toLowerCase();
    if (!name) {
      i++;
      continue;
    }
    while (i < s.length && /\s/.test(s[i]!)) i++;
    let value = '';
    if (s[i] === '=') {
      i++;
      while (i < s.length && /\s/.test(s[i]!)) i++;
      const q = s[i];
      if (q === '"' || q === "'") {
        const close = s.indexOf(q, i + 1);
        const end = close < 0 ? s.length : close;
        value = s.slice(i + 1, end);
        i = end + 1;
      } else {
        const vs = i;
        while (i < s.length && !/[\s>]/.test(s[i]!)) i++;
        value = s.slice(vs, i);
      }
    }
    if (!out.has(name)) out.set(name, decodeEntities(value));
  }
  return out;
}

/** Where the tag that starts at `lt` (a '<') ends: the index after its '>', quotes respected. */
function tagEnd(html: string, from: number): number {
  let i = from;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '>') return i + 1;
    if (c === '"' || c === "'") {
      const close = html.indexOf(c, i + 1);
      if (close < 0) return html.length;
      i = close + 1;
    } else i++;
  }
  return html.length;
}

export interface HtmlText {
  text: string;
  /** True when the text was cut at MAX_TEXT_CHARS. */
  truncated: boolean;
}

export function htmlToText(html: string, maxChars = MAX_TEXT_CHARS): HtmlText {
  const parts: string[] = [];
  let length = 0;
  let truncated = false;
  const emit = (s: string): void => {
    if (truncated || !s) return;
    if (length + s.length > maxChars) {
      s = s.slice(0, maxChars - length);
      truncated = true;
    }
    parts.push(s);
    length += s.length;
  };
  let pre = 0;
  // The link being read: its address, and where its text starts in `parts`.
  let link: { href: string; firstPart: number } | null = null;
  const lower = html.toLowerCase();
  let i = 0;
  while (i < html.length && !truncated) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > i) {
      const raw = decodeEntities(html.slice(i, textEnd));
      emit(pre > 0 ? raw : raw.replace(/[ \t\n\r\f]+/g, ' '));
    }
    if (lt < 0) break;
    const next = html[lt + 1];
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    if (next === '!' || next === '?') {
      i = tagEnd(html, lt + 2);
      continue;
    }
    const closing = next === '/';
    let n = lt + (closing ? 2 : 1);
    const nameStart = n;
    while (n < html.length && /[A-Za-z0-9:-]/.test(html[n]!)) n++;
    if (n === nameStart || !/[A-Za-z]/.test(html[nameStart]!)) {
      // Not a tag ("a < b"): the '<' is text.
      emit('<');
      i = lt + 1;
      continue;
    }
    const name = html.slice(nameStart, n).toLowerCase();
    const end = tagEnd(html, n);
    i = end;
    if (closing) {
      if (name === 'pre' && pre > 0) pre--;
      if (name === 'a' && link) {
        const shown = parts.slice(link.firstPart).join('').trim();
        if (link.href && link.href !== shown && `mailto:${shown}` !== link.href) {
          emit(` <${link.href}>`);
        }
        link = null;
      }
      // A list item's end adds nothing: the next item, or the list's end, starts a line.
      if (BLOCK.has(name)) emit('\n');
      else if (name === 'td' || name === 'th') emit('\t');
      continue;
    }
    if (SKIP.has(name)) {
      // Raw text up to the matching end tag (or the end of the document).
      const close = lower.indexOf(`</${name}`, end);
      i = close < 0 ? html.length : tagEnd(html, close + 2 + name.length);
      continue;
    }
    const attrs = end > n ? attributes(html.slice(n, end - 1)) : new Map<string, string>();
    if (name === 'br') emit('\n');
    else if (name === 'hr') emit('\n' + '\u2500'.repeat(20) + '\n');
    else if (name === 'li') emit('\n\u2022 ');
    else if (name === 'img') {
      const alt = (attrs.get('alt') ?? '').trim();
      emit(alt ? `[image: ${alt}]` : '[image]');
    } else if (name === 'a') {
      const href = (attrs.get('href') ?? '').trim();
      link = /^(https?:|mailto:|ftp:)/i.test(href) ? { href, firstPart: parts.length } : null;
    } else if (BLOCK.has(name)) {
      emit('\n');
      if (name === 'pre') pre++;
    }
  }
  return { text: tidy(parts.join('')), truncated };
}

/** Trims each line's end, and keeps at most one empty line between paragraphs. */
function tidy(s: string): string {
  const lines = s.split('\n');
  const out: string[] = [];
  let blank = 0;
  for (const line of lines) {
    // Trimmed by hand: a regular expression anchored at the end is slow on long runs of spaces.
    let a = 0;
    let b = line.length;
    // One leading space is what collapsing left at a line's start; more is <pre> indentation.
    if (line[0] === ' ' && line[1] !== ' ') a = 1;
    while (b > a && (line[b - 1] === ' ' || line[b - 1] === '\t' || line[b - 1] === '\u00a0')) b--;
    const t = line.slice(a, b);
    if (t === '') {
      blank++;
      continue;
    }
    if (out.length > 0) out.push(blank > 0 ? '\n\n' : '\n');
    out.push(t);
    blank = 0;
  }
  return out.join('');
}
