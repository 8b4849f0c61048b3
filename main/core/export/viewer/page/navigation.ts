import { h, visible } from './dom';
import type { ViewerExhibit } from './viewer-data';

/**
 * Moving between exhibits: Previous and Next buttons on each, and the keys N or ] (next) and
 * P or [ (previous) anywhere on the page outside a text field or a focused picture.
 */
export interface Navigation {
  buttons(i: number): HTMLElement;
  goTo(i: number): void;
}

function cardIndex(el: Element | null): number | null {
  const at = el?.closest?.('article.exhibit');
  const n = at ? Number(at.id.replace('exhibit-', '')) : NaN;
  return Number.isInteger(n) ? n : null;
}

export function navigation(exhibits: ViewerExhibit[]): Navigation {
  let current = -1;
  const card = (i: number): HTMLElement | null => document.getElementById('exhibit-' + i);

  function goTo(i: number): void {
    if (i < 0 || i >= exhibits.length) return;
    current = i;
    const heading = document.getElementById('exhibit-' + i + '-h');
    card(i)?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  document.addEventListener('focusin', (e) => {
    const n = cardIndex(e.target as Element | null);
    if (n !== null) current = n;
  });
  // Where the reader is: the exhibit holding the focus, else the first one on screen (they
  // may have scrolled there), else the last one moved to.
  function here(): number {
    const focused = cardIndex(document.activeElement);
    if (focused !== null) return focused;
    for (let i = 0; i < exhibits.length; i++) {
      const r = card(i)?.getBoundingClientRect();
      if (r && r.bottom > 0 && r.top < window.innerHeight) return i;
    }
    return current;
  }
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target as HTMLElement | null;
    if (t && (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable)) return;
    if (e.key === 'n' || e.key === ']') goTo(Math.min(here() + 1, exhibits.length - 1));
    else if (e.key === 'p' || e.key === '[') goTo(Math.max(here() - 1, 0));
    else return;
    e.preventDefault();
  });

  return {
    goTo,
    buttons(i) {
      const prev = exhibits[i - 1];
      const next = exhibits[i + 1];
      const button = (
        label: string,
        to: number,
        target: ViewerExhibit | undefined,
      ): HTMLElement => {
        const b = h(
          'button',
          { type: 'button', disabled: target ? null : 'disabled', 'data-go': to },
          target ? label + ' (' + visible(target.number) + ')' : label,
        );
        b.addEventListener('click', () => goTo(to));
        return b;
      };
      return h('div', { class: 'exhibit-nav no-print' }, [
        button('\u2190 Previous exhibit', i - 1, prev),
        button('Next exhibit \u2192', i + 1, next),
      ]);
    },
  };
}
