import { add, h, visible } from './dom';
import { markedPicture } from './picture';
import type { ViewerExhibit } from './viewer-data';

/**
 * An original picture at full size: fitted to the page at first, then zoomed with the
 * buttons (Fit, 100%, −, +) or, with the picture focused, the keys + − 0 (fit) and 1 (100%);
 * the arrow keys scroll it. Region marks are drawn over it at every zoom.
 */

const STEPS = [0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8];

export function zoomView(x: ViewerExhibit, url: string): HTMLElement {
  const img = h('img', {
    src: url,
    alt: 'Exhibit ' + visible(x.number) + ': the original picture, from the bundle folder',
    class: 'original-img',
    loading: 'lazy',
    decoding: 'async',
  });
  const level = h('span', { class: 'zoom-level', 'aria-live': 'polite' }, 'Fitted to the width');
  const scroller = h(
    'div',
    {
      class: 'scroller fit',
      tabindex: '0',
      role: 'region',
      'aria-label':
        'Exhibit ' + visible(x.number) + ' at full size. Keys: + and − zoom, 0 fits, 1 is 100%.',
    },
    markedPicture(img, x.regions),
  );
  let scale: number | null = null; // null: fitted

  function current(): number {
    if (scale !== null) return scale;
    return img.naturalWidth ? img.clientWidth / img.naturalWidth : 1;
  }
  function set(next: number | null): void {
    scale = next;
    scroller.classList.toggle('fit', next === null);
    if (next === null) {
      img.style.width = '';
      level.textContent = 'Fitted to the width';
    } else {
      img.style.width = Math.max(1, Math.round((img.naturalWidth || x.width || 1) * next)) + 'px';
      level.textContent = Math.round(next * 100) + '%';
    }
    scroller.setAttribute('data-zoom', next === null ? 'fit' : String(next));
  }
  function step(dir: 1 | -1): void {
    const now = current();
    const next =
      dir > 0
        ? (STEPS.find((s) => s > now + 1e-6) ?? STEPS[STEPS.length - 1]!)
        : ([...STEPS].reverse().find((s) => s < now - 1e-6) ?? STEPS[0]!);
    set(next);
  }

  const button = (label: string, text: string, fn: () => void): HTMLButtonElement => {
    const b = h('button', { type: 'button', 'aria-label': label }, text);
    b.addEventListener('click', fn);
    return b;
  };
  const tools = h('div', { class: 'zoom-tools', role: 'toolbar', 'aria-label': 'Zoom' }, [
    button('Fit the picture to the width of the page', 'Fit', () => set(null)),
    button('Show the picture at 100% (actual size)', '100%', () => set(1)),
    button('Zoom out', '\u2212', () => step(-1)),
    button('Zoom in', '+', () => step(1)),
    level,
  ]);
  scroller.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') step(1);
    else if (e.key === '-' || e.key === '_') step(-1);
    else if (e.key === '0') set(null);
    else if (e.key === '1') set(1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  const wrap = h('div', { class: 'zoom' });
  add(wrap, [tools, scroller]);
  return wrap;
}
