/**
 * The only way the page makes elements: text always goes through a text node, attributes
 * through setAttribute. Nothing from the bundle is ever parsed as HTML (the page's CSP also
 * forbids HTML string sinks through Trusted Types).
 */

// Control, bidi and line-separator characters are shown as \u{...} so a name cannot hide
// its real extension or reorder the text around it. Notes keep their tabs and newlines.
/* eslint-disable no-control-regex -- showing control characters is the point */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const UNSAFE_IN_TEXT =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/* eslint-enable no-control-regex */

function esc(c: string): string {
  return '\\u{' + ('000' + c.charCodeAt(0).toString(16)).slice(-4) + '}';
}

/** A one-line value (a name, a path) with every invisible or reordering character shown. */
export function visible(s: unknown): string {
  return String(s).replace(UNSAFE, esc);
}

/** Multi-line text (a note): keeps tabs and newlines, shows the rest. */
export function visibleText(s: unknown): string {
  return String(s).replace(/\r\n/g, '\n').replace(UNSAFE_IN_TEXT, esc);
}

export type Kid = Node | string | number | null | undefined | false | Kid[];
export type Props = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  kids?: Kid,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props) {
    for (const k of Object.keys(props)) {
      const v = props[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = String(v);
      else if (k === 'hidden') e.hidden = true;
      else e.setAttribute(k, String(v));
    }
  }
  add(e, kids);
  return e;
}

export function add(e: Node, kids: Kid): void {
  if (kids === null || kids === undefined || kids === false) return;
  const list = Array.isArray(kids) ? kids : [kids];
  for (const c of list) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) add(e, c);
    else if (typeof c === 'object') e.appendChild(c);
    else e.appendChild(document.createTextNode(visibleText(c)));
  }
}

export function clear(e: Node): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}

/** A definition list of label and value; rows without a value are left out. */
export function facts(rows: ([string, Kid] | null)[]): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const r of rows) {
    if (!r) continue;
    const v = r[1];
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    add(dl, [h('dt', null, r[0]), h('dd', null, v)]);
  }
  return dl;
}

export function code(s: string, cls?: string): HTMLElement {
  return h('code', { class: cls ?? null }, visible(s));
}

export function section(id: string, title: string, kids: Kid): HTMLElement {
  return h('section', { id, 'aria-labelledby': id + '-h' }, [
    h('h2', { id: id + '-h', tabindex: '-1' }, title),
    kids,
  ]);
}

export function joinNodes(list: Kid[]): Kid[] {
  const out: Kid[] = [];
  list.forEach((x, i) => {
    if (i) out.push(', ');
    out.push(x);
  });
  return out;
}
