/**
 * An HTML email body as readable plain text, for the court bundle (and the viewer): paragraphs,
 * line breaks, bulleted and numbered lists, quoted replies marked "> ", links with their
 * address when it differs from their text, pictures by their description. Script, style,
 * title and head content is dropped and nothing is fetched: this is text processing only.
 *
 * The HTML is written by the people the user is defending against, so this is one forward
 * scan: every search starts where the last one ended, nothing is searched twice, and tags
 * that never close end the text instead of being searched for again (linear on any input,
 * test/unit/shared/email-text.test.ts).
 */

/** Elements whose content is never shown. */
const HIDDEN = new Set(['script', 'style', 'title', 'template', 'iframe', 'object', 'noembed']);
/** Blocks set apart by a blank line. */
const PARAGRAPHS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'hr',
  'dl',
  'address',
  'figure',
  'fieldset',
]);
/** Blocks that start on a new line. */
const LINES = new Set([
  'div',
  'tr',
  'li',
  'dt',
  'dd',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'main',
  'aside',
  'center',
  'details',
  'summary',
  'figcaption',
  'caption',
  'form',
  'option',
  'body',
  'html',
  'ul',
  'ol',
]);
/** Deeper nesting than this is shown at this depth (a hostile email may nest thousands). */
const MAX_SHOWN_DEPTH = 8;
/** A link address longer than this is shown cut, with "…" (the email itself is whole). */
const MAX_SHOWN_HREF = 1000;
/** Link text kept for comparing with its address. */
const MAX_LINK_TEXT = 2000;

const ENTITIES = new Map<string, string>(
  Object.entries({
    nbsp: '\u00a0',
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    copy: '©',
    reg: '®',
    trade: '™',
    hellip: '…',
    mdash: '—',
    ndash: '–',
    lsquo: '‘',
    rsquo: '’',
    sbquo: '‚',
    ldquo: '“',
    rdquo: '”',
    bdquo: '„',
    laquo: '«',
    raquo: '»',
    lsaquo: '‹',
    rsaquo: '›',
    bull: '•',
    middot: '·',
    euro: '€',
    pound: '£',
    yen: '¥',
    cent: '¢',
    sect: '§',
    para: '¶',
    deg: '°',
    plusmn: '±',
    times: '×',
    divide: '÷',
    iexcl: '¡',
    iquest: '¿',
    shy: '\u00ad',
    zwnj: '\u200c',
    zwj: '\u200d',
    ensp: '\u2002',
    emsp: '\u2003',
    thinsp: '\u2009',
    dagger: '†',
    larr: '←',
    rarr: '→',
    uarr: '↑',
    darr: '↓',
    hearts: '♥',
    check: '✓',
  }),
);
/** What browsers show for &#128; to &#159; (Windows-1252), e.g. &#150; is an en dash. */
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isNameChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x3a || c === 0x5f;
}

/** HTML's white space: space, tab, LF, FF, CR. */
function isHtmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** Character references decoded in one pass; an unknown one stays as written. */
export function decodeHtmlEntities(text: string): string {
  let at = text.indexOf('&');
  if (at < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  for (; at >= 0; at = text.indexOf('&', at + 1)) {
    let decoded: string | null = null;
    let end = at + 1;
    if (text.charCodeAt(at + 1) === 0x23) {
      const hex = (text.charCodeAt(at + 2) | 0x20) === 0x78;
      let k = at + (hex ? 3 : 2);
      const digits = k;
      let value = 0;
      for (; k < text.length; k++) {
        const d = digit(text.charCodeAt(k), hex);
        if (d < 0) break;
        if (value <= 0x10ffff) value = value * (hex ? 16 : 10) + d;
      }
      if (k > digits) {
        decoded = numericReference(value);
        end = text.charCodeAt(k) === 0x3b ? k + 1 : k;
      }
    } else {
      let k = at + 1;
      while (k < text.length && k - at <= 10 && isAsciiLetter(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === 0x3b) {
        const name = text.slice(at + 1, k);
        const known = ENTITIES.get(name) ?? ENTITIES.get(name.toLowerCase());
        if (known !== undefined) {
          decoded = known;
          end = k + 1;
        }
      }
    }
    if (decoded === null) continue;
    parts.push(text.slice(copied, at), decoded);
    copied = end;
    at = end - 1;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function digit(c: number, hex: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (!hex) return -1;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function numericReference(value: number): string {
  if (value >= 0x80 && value <= 0x9f) return CP1252[value - 0x80]!;
  const valid = value > 0 && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff);
  return valid ? String.fromCodePoint(value) : '\uFFFD';
}

/** The text being built: breaks and spaces are held back until more text follows. */
class TextWriter {
  private readonly parts: string[] = [];
  /** Line feeds at the end of what is written (at most two: one blank line). */
  private newlines = 2;
  private pendingBreaks = 0;
  private pendingSpace = false;
  /** Written before the next text when a line starts: a list bullet. */
  private pendingBullet = '';
  quoteDepth = 0;
  /** Set while inside a link, to compare its text with its address. */
  linkText: string | null = null;
  /** How many parts there are up to the end of the last text written. */
  private textEnd = 0;
  /** How deeply quoted the last text written was. */
  private lastQuoteDepth = 0;

  /** At least `n` line feeds before the next text (1: a new line, 2: a blank line). */
  block(n: number): void {
    this.pendingBreaks = Math.max(this.pendingBreaks, n);
    this.pendingSpace = false;
  }

  /** A <br>: one line feed now, however many came before (up to a blank line). */
  lineBreak(): void {
    this.flushBreaks();
    this.feed();
    this.pendingSpace = false;
  }

  space(): void {
    this.pendingSpace = true;
  }

  bullet(text: string): void {
    this.pendingBullet = text;
  }

  /** Flowing text: runs of white space become one space. */
  flow(raw: string): void {
    const text = decodeHtmlEntities(raw);
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length && !isHtmlSpace(text.charCodeAt(i))) continue;
      if (i > start) this.word(text.slice(start, i));
      if (i < text.length) this.pendingSpace = true;
      start = i + 1;
    }
  }

  /** Preformatted text: white space kept, line breaks kept. */
  preformatted(raw: string): void {
    const text = decodeHtmlEntities(raw).replace(/\r\n?/g, '\n');
    let start = 0;
    for (let nl = text.indexOf('\n'); ; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl < 0 ? text.length : nl);
      if (line) this.word(line);
      if (nl < 0) return;
      this.lineBreak();
      start = nl + 1;
    }
  }

  /** Text written as it is (a link's address), after a space. */
  aside(text: string): void {
    this.pendingSpace = true;
    this.word(text, false);
  }

  private word(text: string, partOfLink = true): void {
    // A line of nothing but no-break spaces (Outlook's empty paragraph) is not text.
    if ((this.newlines > 0 || this.pendingBreaks > 0) && /^\u00a0+$/.test(text)) return;
    this.flushBreaks();
    if (this.newlines > 0) {
      const depth = Math.min(this.quoteDepth, MAX_SHOWN_DEPTH);
      this.parts.push((depth > 0 ? `${'>'.repeat(depth)} ` : '') + this.pendingBullet);
      this.pendingBullet = '';
    } else if (this.pendingSpace) {
      this.parts.push(' ');
      if (partOfLink && this.linkText !== null && this.linkText.length < MAX_LINK_TEXT) {
        this.linkText += ' ';
      }
    }
    this.pendingSpace = false;
    this.parts.push(text.replace(/\u00a0/g, ' '));
    this.textEnd = this.parts.length;
    this.lastQuoteDepth = this.quoteDepth;
    this.newlines = 0;
    if (partOfLink && this.linkText !== null && this.linkText.length < MAX_LINK_TEXT) {
      this.linkText += text.slice(0, MAX_LINK_TEXT);
    }
  }

  private flushBreaks(): void {
    while (this.pendingBreaks > this.newlines) this.feed();
    this.pendingBreaks = 0;
  }

  private feed(): void {
    if (this.newlines >= 2 || this.parts.length === 0) return;
    // A blank line inside a quoted reply keeps its quote mark, so the quote reads as one.
    const depth = Math.min(this.quoteDepth, this.lastQuoteDepth, MAX_SHOWN_DEPTH);
    if (this.newlines === 1 && depth > 0) this.parts.push('>'.repeat(depth));
    this.parts.push('\n');
    this.newlines++;
  }

  toString(): string {
    // Breaks and quote marks after the last text are left out.
    return this.parts.slice(0, this.textEnd).join('');
  }
}

interface Tag {
  name: string;
  closing: boolean;
  attrs: Map<string, string>;
  /** Index just after the tag's ">" (the input's length when it never closes). */
  end: number;
}

/** Only these attributes are kept: the rest is never shown. */
const WANTED_ATTRS = new Set(['href', 'alt', 'src']);

/** Reads the tag that starts at `at` ("<" followed by a letter or "/" and a letter). */
function readTag(html: string, at: number): Tag {
  let i = at + 1;
  const closing = html.charCodeAt(i) === 0x2f;
  if (closing) i++;
  const nameStart = i;
  while (i < html.length && isNameChar(html.charCodeAt(i))) i++;
  const name = html.slice(nameStart, i).toLowerCase();
  const attrs = new Map<string, string>();
  while (i < html.length) {
    const c = html.charCodeAt(i);
    if (c === 0x3e) return { name, closing, attrs, end: i + 1 };
    if (isHtmlSpace(c) || c === 0x2f) {
      i++;
      continue;
    }
    const attrStart = i;
    while (i < html.length) {
      const d = html.charCodeAt(i);
      if (isHtmlSpace(d) || d === 0x3d || d === 0x3e || d === 0x2f) break;
      i++;
    }
    if (i === attrStart) i++; // a stray character: step over it
    const attr = html.slice(attrStart, i).toLowerCase();
    while (i < html.length && isHtmlSpace(html.charCodeAt(i))) i++;
    if (html.charCodeAt(i) !== 0x3d) continue;
    i++;
    while (i < html.length && isHtmlSpace(html.charCodeAt(i))) i++;
    const q = html.charCodeAt(i);
    let value: string;
    if (q === 0x22 || q === 0x27) {
      const close = html.indexOf(q === 0x22 ? '"' : "'", i + 1);
      if (close < 0) return { name, closing, attrs, end: html.length };
      value = html.slice(i + 1, close);
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < html.length && !isHtmlSpace(html.charCodeAt(i)) && html.charCodeAt(i) !== 0x3e) {
        i++;
      }
      value = html.slice(valueStart, i);
    }
    if (WANTED_ATTRS.has(attr) && !attrs.has(attr)) attrs.set(attr, value);
  }
  return { name, closing, attrs, end: html.length };
}

/**
 * Where the element opened just before `from` closes ("</name" then space, "/" or ">"), in the
 * ASCII-lower-cased copy of the HTML; -1 when it never does.
 */
function closeOf(lower: string, name: string, from: number): number {
  const needle = `</${name}`;
  for (let at = lower.indexOf(needle, from); at >= 0; at = lower.indexOf(needle, at + 1)) {
    const c = lower.charCodeAt(at + needle.length);
    if (Number.isNaN(c) || isHtmlSpace(c) || c === 0x3e || c === 0x2f) return at;
  }
  return -1;
}

/** The address as a reader would compare it with the link's text. */
function comparable(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^mailto:|^tel:/, '')
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/$/, '');
}

interface OpenList {
  ordered: boolean;
  count: number;
}

export interface HtmlToTextOptions {
  /** Content-ID (without < >) → the name of that picture, to say which one a cid: image is. */
  pictureNames?: ReadonlyMap<string, string>;
}

/** An HTML body as plain text (see the top of this file). Never throws; nothing is fetched. */
export function htmlToText(html: string, opts: HtmlToTextOptions = {}): string {
  // ASCII-only lower-casing keeps every offset the same as in `html`.
  const lower = html.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  const out = new TextWriter();
  const lists: OpenList[] = [];
  let link: string | null = null;
  let pre = 0;
  // Past this index no "</head" follows, so an unclosed <head> is not searched for again.
  let noHeadCloseFrom = Infinity;
  const text = (s: string): void => (pre > 0 ? out.preformatted(s) : out.flow(s));
  const endLink = (): void => {
    if (link === null) return;
    const shown = out.linkText ?? '';
    out.linkText = null;
    const href = decodeHtmlEntities(link).trim();
    link = null;
    if (!href || href.startsWith('#') || comparable(href) === comparable(shown)) return;
    const cut = href.length > MAX_SHOWN_HREF ? `${href.slice(0, MAX_SHOWN_HREF)}…` : href;
    out.aside(`[${cut}]`);
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    if (lt > i) text(html.slice(i, lt));
    const next = html.charCodeAt(lt + 1);
    if (next === 0x21 && html.startsWith('--', lt + 2)) {
      // A comment (Outlook's conditional ones too); one never closed hides the rest.
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    if (next === 0x21 || next === 0x3f) {
      const close = html.indexOf('>', lt + 2); // <!DOCTYPE …>, <?xml …?>
      i = close < 0 ? html.length : close + 1;
      continue;
    }
    const closingName = next === 0x2f && isAsciiLetter(html.charCodeAt(lt + 2));
    if (!isAsciiLetter(next) && !closingName) {
      text('<'); // a "<" that starts no tag is text
      i = lt + 1;
      continue;
    }
    const tag = readTag(html, lt);
    i = tag.end;
    const { name } = tag;
    if (!tag.closing && (HIDDEN.has(name) || name === 'head')) {
      const close = name === 'head' && i >= noHeadCloseFrom ? -1 : closeOf(lower, name, i);
      // An unclosed <head> is closed by the body's text in a browser; others hide the rest.
      if (close < 0) {
        if (name === 'head') noHeadCloseFrom = Math.min(noHeadCloseFrom, i);
        else i = html.length;
        continue;
      }
      const gt = html.indexOf('>', close);
      i = gt < 0 ? html.length : gt + 1;
      continue;
    }
    if (name === 'br') out.lineBreak();
    else if (name === 'a') {
      endLink();
      if (!tag.closing && tag.attrs.has('href')) {
        link = tag.attrs.get('href')!;
        out.linkText = '';
      }
    } else if (name === 'img' && !tag.closing) {
      const alt = (tag.attrs.get('alt') ?? '').trim(); // decoded once, by flow()
      const src = decodeHtmlEntities(tag.attrs.get('src') ?? '').trim();
      const scheme = src.slice(0, 5).toLowerCase();
      const named = scheme.startsWith('cid:') ? opts.pictureNames?.get(src.slice(4)) : undefined;
      const shown = alt
        ? `[picture: ${alt}]`
        : named
          ? `[picture in the email: ${named}]`
          : scheme.startsWith('cid:') || scheme === 'data:'
            ? '[picture in the email]'
            : src
              ? '[picture on the internet, not loaded]'
              : '';
      if (shown) {
        out.space();
        out.flow(shown);
        out.space();
      }
    } else if (name === 'td' || name === 'th') out.space();
    else if (name === 'ul' || name === 'ol') {
      // A list inside a list starts on a new line; others are set apart by a blank line.
      out.block(lists.length > (tag.closing ? 1 : 0) ? 1 : 2);
      if (tag.closing) lists.pop();
      else lists.push({ ordered: name === 'ol', count: 0 });
    } else if (name === 'li' && !tag.closing) {
      out.block(1);
      const list = lists.at(-1);
      const depth = Math.min(Math.max(lists.length, 1), MAX_SHOWN_DEPTH);
      const mark = list?.ordered ? `${++list.count}.` : '•';
      out.bullet(`${'  '.repeat(depth - 1)}${mark} `);
    } else if (name === 'blockquote') {
      out.block(2);
      out.quoteDepth = Math.max(0, out.quoteDepth + (tag.closing ? -1 : 1));
    } else if (PARAGRAPHS.has(name)) {
      if (name === 'pre') pre = Math.max(0, pre + (tag.closing ? -1 : 1));
      out.block(2);
    } else if (LINES.has(name)) out.block(1);
  }
  endLink();
  return out.toString();
}
