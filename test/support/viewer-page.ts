/**
 * Runs a bundle's offline viewer page (data/viewer/index.html) in Node, on a minimal DOM,
 * and has it check a list of files as if the person had picked the bundle folder. Only
 * what the page's file check touches is modelled; the Chromium tests (test/e2e) run it
 * for real. Returns each manifest row's status, as the page shows it.
 */
import { webcrypto } from 'node:crypto';
import { runInNewContext } from 'node:vm';

class FakeNode {
  childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  className = '';
  hidden = false;
  value: unknown = 0;
  max: unknown = 0;
  files: unknown[] = [];
  readonly classList = {
    add: (): void => {},
    remove: (): void => {},
    toggle: (): boolean => false,
  };
  /** Region marks are placed through the CSSOM. */
  readonly style: Record<string, string> = {};
  private readonly attrs = new Map<string, string>();
  private readonly listeners = new Map<string, ((e: unknown) => void)[]>();
  private text: string | null;

  constructor(
    readonly tagName: string,
    text: string | null = null,
  ) {
    this.text = text;
    // A form control's value is text, as in a browser (a <progress> keeps its number).
    if (/^(input|textarea|select)$/.test(tagName)) this.value = '';
  }

  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  appendChild(c: FakeNode): FakeNode {
    c.parentNode = this;
    this.childNodes.push(c);
    return c;
  }
  removeChild(c: FakeNode): FakeNode {
    this.childNodes = this.childNodes.filter((x) => x !== c);
    c.parentNode = null;
    return c;
  }
  setAttribute(k: string, v: string): void {
    this.attrs.set(k, String(v));
  }
  getAttribute(k: string): string | null {
    return this.attrs.get(k) ?? null;
  }
  addEventListener(type: string, fn: (e: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  dispatch(type: string, e: unknown = {}): void {
    for (const fn of this.listeners.get(type) ?? []) fn(e);
  }
  focus(): void {}
  get textContent(): string {
    return this.text ?? this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(v: string) {
    this.childNodes = [];
    this.text = this.tagName === '#text' ? v : null;
    if (this.tagName !== '#text') this.appendChild(new FakeNode('#text', v));
  }
  descendants(): FakeNode[] {
    return this.childNodes.flatMap((c) => [c, ...c.descendants()]);
  }
  querySelector(selector: string): FakeNode | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
  querySelectorAll(selector: string): FakeNode[] {
    const [tag, cls] = selector.split('.');
    return this.descendants().filter(
      (n) => n.tagName === tag && (cls === undefined || n.className.split(' ').includes(cls)),
    );
  }
}

export interface PickedFile {
  /** Path as the browser gives it for a picked folder: "<folder>/<path in the bag>". */
  rel: string;
  data: Buffer;
}

export interface ViewerCheck {
  /** data-status of every row of the file table, by its path. */
  status: Map<string, string>;
  /** The text of the missing rows' detail cells, by path. */
  detail: Map<string, string>;
  verdict: string;
}

export async function checkWithViewer(html: string, picked: PickedFile[]): Promise<ViewerCheck> {
  const island = /<script type="application\/json" id="dossier-data">([\s\S]*?)<\/script>/.exec(
    html,
  )?.[1];
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (island === undefined || script === undefined) throw new Error('not a viewer page');
  const byId = new Map<string, FakeNode>([
    ['dossier-data', new FakeNode('script', island)],
    ['app', new FakeNode('main')],
    ['lede', new FakeNode('p')],
  ]);
  const body = new FakeNode('body');
  const document = {
    body,
    getElementById: (id: string) =>
      byId.get(id) ?? body.descendants().find((n) => n.getAttribute('id') === id) ?? null,
    createElement: (tag: string) => new FakeNode(tag),
    createTextNode: (text: string) => new FakeNode('#text', text),
    addEventListener: (): void => {},
  };
  // addEventListener: the review controls ask before a page with unsaved changes is closed.
  const window = { crypto: { subtle: webcrypto.subtle }, addEventListener: (): void => {} };
  const URL = { createObjectURL: () => 'blob:fake', revokeObjectURL: (): void => {} };
  // TextEncoder too: the email reader the page bundles (postal-mime) makes one as it loads.
  runInNewContext(script, {
    document,
    window,
    URL,
    setTimeout,
    console,
    TextDecoder,
    TextEncoder,
  });
  const app = byId.get('app')!;
  const pick = app.descendants().find((n) => n.getAttribute('id') === 'pick')!;
  pick.files = picked.map((p) =>
    Object.assign(new Blob([p.data]), { webkitRelativePath: p.rel, name: p.rel.split('/').pop() }),
  );
  pick.dispatch('change');
  const verdictBox = app.descendants().find((n) => n.getAttribute('id') === 'verdict')!;
  for (let i = 0; i < 500 && !verdictBox.descendants().some((n) => n.tagName === 'h3'); i++)
    await new Promise((r) => setTimeout(r, 5));
  const status = new Map<string, string>();
  const detail = new Map<string, string>();
  for (const tr of app.querySelectorAll('tr')) {
    const path = tr.getAttribute('data-path');
    if (path === null) continue;
    status.set(path, tr.getAttribute('data-status') ?? '');
    detail.set(path, tr.childNodes.at(-1)?.textContent ?? '');
  }
  return { status, detail, verdict: verdictBox.textContent };
}
