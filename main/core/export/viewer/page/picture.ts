import { h } from './dom';
import type { ViewerRecognisedText, ViewerRegion } from './viewer-data';

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

/**
 * Under a picture: the text a machine read in it, labelled as such (it may be wrong; the
 * picture is the evidence), or that it was not read yet or could not be read.
 */
export function machineText(r: ViewerRecognisedText | null): HTMLElement | null {
  if (!r) return null;
  const title = h('h4', null, 'Text read by machine');
  const status =
    r.status === 'not read yet'
      ? 'Not read yet: the text in this picture had not been read when this bundle was made.'
      : r.status === 'could not be read'
        ? 'Could not be read' + (r.reason ? ': ' + r.reason : '.')
        : null;
  const about =
    r.text !== null
      ? h(
          'p',
          { class: 'muted' },
          (r.status === 'read' ? '' : 'An earlier reading. ') +
            'Read by ' +
            (r.engine ?? 'a machine') +
            ': ' +
            r.words +
            (r.words === 1 ? ' word' : ' words') +
            (r.meanConfidence !== null ? ', mean confidence ' + r.meanConfidence + '%' : '') +
            (r.uncertainWords ? ', ' + r.uncertainWords + ' uncertain' : '') +
            '. A machine reading may contain mistakes; the picture is the evidence. ' +
            'Word boxes are in data/metadata/recognised-text.json.',
        )
      : null;
  return h('div', { class: 'machine-text' }, [
    title,
    status ? h('p', { class: 'muted' }, status) : null,
    about,
    r.text !== null
      ? h('p', { class: 'note machine-read' }, r.text || '(no words were found)')
      : null,
  ]);
}
