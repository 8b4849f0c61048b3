import { h } from './dom';
import type { ViewerRegion } from './viewer-data';

/**
 * A picture with its region marks drawn over it as numbered outlines. The marks are placed
 * in percent of the picture (their boxes are in millionths), so they stay on the same spot
 * at any zoom. Positions are set through the CSSOM: the page's CSP allows no style attributes.
 */
export function markedPicture(img: HTMLImageElement, regions: ViewerRegion[]): HTMLElement {
  const stage = h('div', { class: 'stage' }, img);
  for (const r of regions) {
    const mark = h('div', { class: 'mark', 'aria-hidden': 'true', 'data-region': r.number }, [
      h('span', { class: 'mark-n' }, String(r.number)),
    ]);
    const pct = (m: number): string => Math.max(0, Math.min(100, m / 10_000)) + '%';
    mark.style.left = pct(r.x);
    mark.style.top = pct(r.y);
    mark.style.width = pct(Math.min(r.w, 1_000_000 - r.x));
    mark.style.height = pct(Math.min(r.h, 1_000_000 - r.y));
    stage.appendChild(mark);
  }
  return stage;
}

/** The comments of the region marks, by number, as a list a screen reader and a printer read. */
export function regionList(regions: ViewerRegion[], label: string): HTMLElement | null {
  if (!regions.length) return null;
  return h('div', { class: 'regions' }, [
    h('h5', null, label),
    h(
      'ol',
      null,
      regions.map((r) =>
        h('li', { value: r.number, 'data-region': r.number }, [
          h('span', { class: 'region-n' }, 'Region ' + r.number + ': '),
          r.comment ? h('span', { class: 'note-inline' }, r.comment) : 'No comment was written.',
        ]),
      ),
    ),
  ]);
}
