import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';

/**
 * Makes an email's HTML safe to look at: no script, no forms, and nothing that loads from
 * anywhere. Opening an email must never tell its sender that it was read (tracking pixels)
 * or where Dossier is running, so every URL that could fetch something is removed: image
 * sources, srcset, backgrounds, stylesheets, CSS url() and @import. Images sent inside the
 * email (cid:) are shown from the message itself. Links keep their text but cannot be
 * followed from here; their address is shown on hover.
 *
 * The result goes into an <iframe sandbox srcdoc> with its own CSP as a second wall.
 */

export const EMAIL_FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/** Attributes whose value is fetched by the browser. */
const FETCHING_ATTRS = new Set([
  'src',
  'srcset',
  'background',
  'poster',
  'lowsrc',
  'dynsrc',
  'longdesc',
  'data',
  'codebase',
  'cite',
  'action',
  'formaction',
  'ping',
  'xlink:href',
  'manifest',
  'usemap',
  'profile',
]);

/**
 * STYLES: an about:srcdoc frame inherits the app's CSP (style-src 'self'), so an email's own
 * inline styles could never apply and would only fill the console with refusals. They are
 * removed (after their url()s are counted); the text reads plainly, and text an email hid
 * with CSS is shown, which for evidence is the honest way round.
 */
const FORBID_TAGS = [
  'style',
  'form',
  'input',
  'button',
  'select',
  'option',
  'textarea',
  'audio',
  'video',
  'source',
  'track',
  'picture',
  'link',
  'meta',
  'base',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'image',
];

/** A data: image, the only kind of image source kept. */
export function isInlineImageUrl(value: string): boolean {
  return /^\s*data:image\/(png|jpeg|gif|webp|bmp|avif);base64,[a-z0-9+/=\s]*$/i.test(value);
}

/**
 * CSS with every url(...), image-set() and @import neutralised. Returns the new CSS and how
 * many references were removed.
 */
export function neutraliseCss(css: string): { css: string; removed: number } {
  let removed = 0;
  // CSS escapes could spell "url" another way: decode the simple ones first.
  const unescaped = css.replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex: string) => {
    const cp = parseInt(hex, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  });
  let out = unescaped.replace(/@import[^;]*;?/gi, () => {
    removed++;
    return '';
  });
  out = out.replace(/\b(?:url|image-set|-webkit-image-set|image|cross-fade|src)\s*\(/gi, () => {
    removed++;
    return 'blocked(';
  });
  return { css: out, removed };
}

export interface SanitisedEmail {
  /** The body's HTML, safe, with no remote references. */
  html: string;
  /** How many remote references (images, styles, frames...) were removed. */
  remoteBlocked: number;
}

let purifier: Purifier | null = null;
let counter = 0;
let cidImages = new Map<string, string>();

function setup(): Purifier {
  const p = DOMPurify(window);
  p.addHook('uponSanitizeElement', (node, data) => {
    const tag = data.tagName;
    if (tag === 'style' && node.textContent) counter += neutraliseCss(node.textContent).removed;
    if (FORBID_TAGS.includes(tag)) {
      // Media, frames, stylesheets: each would have loaded something.
      const el = node as Element;
      if (['src', 'href', 'srcset', 'data', 'poster'].some((a) => el.getAttribute?.(a)?.trim()))
        counter++;
    }
  });
  p.addHook('uponSanitizeAttribute', (node, data) => {
    const name = data.attrName;
    const value = data.attrValue;
    if (name === 'style') {
      // Counted, then dropped: see STYLES below.
      counter += neutraliseCss(value).removed;
      data.keepAttr = false;
      return;
    }
    if (name === 'src' && node.tagName === 'IMG') {
      const cid = /^\s*cid:(.*)$/i.exec(value);
      const inline = cid ? cidImages.get(decodeURIComponent(cid[1]!.trim())) : undefined;
      // (DOMPurify keeps data: image sources on <img>; forceKeepAttr would drop the new value.)
      if (inline) {
        data.attrValue = inline;
        return;
      }
      if (isInlineImageUrl(value)) return;
      data.keepAttr = false;
      if (!cid && value.trim()) counter++;
      return;
    }
    if (FETCHING_ATTRS.has(name)) {
      data.keepAttr = false;
      if (value.trim()) counter++;
      return;
    }
    if (name === 'href') {
      // Links cannot be followed from the preview; keep their address visible on hover.
      data.keepAttr = false;
      if (node.tagName === 'A' && value.trim() && !node.getAttribute('title')) {
        node.setAttribute('title', `Link (not opened here): ${value.trim().slice(0, 500)}`);
      }
      return;
    }
    if (name === 'target' || name.startsWith('on')) data.keepAttr = false;
  });
  return p;
}

/** Needs a DOM (the renderer). `inlineImages` maps Content-IDs to data: URLs. */
export function sanitiseEmailHtml(
  html: string,
  inlineImages: Map<string, string> = new Map(),
): SanitisedEmail {
  purifier ??= setup();
  counter = 0;
  cidImages = inlineImages;
  // The whole document is walked, so remote references in its <head> are counted too; only
  // the body is kept.
  const root = purifier.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
  });
  const clean = ((root as Element).querySelector('body') ?? (root as Element)).innerHTML;
  const remoteBlocked = counter;
  cidImages = new Map();
  return { html: clean, remoteBlocked };
}

/** The whole document for the iframe's srcdoc: the sanitised body under its own CSP. */
export function emailDocument(bodyHtml: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}">` +
    '<meta name="referrer" content="no-referrer">' +
    `</head><body>${bodyHtml}</body></html>`
  );
}
