import { statusNode, type Status } from './check';
import { add, clear, code, facts, h, joinNodes, section, visible, type Kid } from './dom';
import { objectUrl } from './object-urls';
import type { ViewerData, ViewerExhibit } from './viewer-data';
import { plural } from './words';

/** The exhibits: one card each, with what was recorded about the file and its check status. */

const PREVIEWABLE = /^image\/(jpeg|png|gif|webp|bmp|avif)$/;

export interface ExhibitsSection {
  element: HTMLElement;
  setStatus(index: number, status: Status): void;
  showFile(index: number, exhibit: ViewerExhibit, file: File, status: Status): void;
}

export function exhibitsSection(
  data: ViewerData,
  exhibitLink: (number: string) => Kid,
): ExhibitsSection {
  const previews: HTMLElement[] = [];
  const mediaBoxes: HTMLElement[] = [];
  const statusBoxes: HTMLElement[] = [];

  function previewBox(x: ViewerExhibit, i: number): HTMLElement {
    const fig = h('figure', { class: 'preview' });
    if (x.thumbnail && /^[A-Za-z0-9+/]+={0,2}$/.test(x.thumbnail)) {
      // Not lazy: a printed page must show every preview, and the size budget keeps them small.
      add(fig, [
        h('img', {
          src: 'data:image/jpeg;base64,' + x.thumbnail,
          alt: 'Reduced preview of exhibit ' + visible(x.number),
        }),
        h('figcaption', null, 'Reduced preview (not the original)'),
      ]);
    } else if (PREVIEWABLE.test(x.mime) && data.thumbnails === 'omitted') {
      add(fig, h('div', { class: 'none' }, 'Preview appears after you choose the bundle folder'));
    } else {
      add(
        fig,
        h(
          'div',
          { class: 'none' },
          PREVIEWABLE.test(x.mime) || /^image\//.test(x.mime)
            ? 'No preview available'
            : 'No preview for this type of file',
        ),
      );
    }
    previews[i] = fig;
    return fig;
  }

  function showFile(i: number, x: ViewerExhibit, file: File): void {
    const fig = previews[i];
    if (data.thumbnails === 'omitted' && PREVIEWABLE.test(x.mime) && fig) {
      clear(fig);
      const img = h('img', {
        src: objectUrl(file),
        alt: 'Exhibit ' + visible(x.number) + ', from the file you chose',
        loading: 'lazy',
      });
      img.addEventListener('error', () => {
        clear(fig);
        add(fig, h('div', { class: 'none' }, 'This browser cannot show this image'));
      });
      add(fig, [img, h('figcaption', null, 'Shown from the file you chose')]);
    }
    const box = mediaBoxes[i];
    if (box && /^(audio|video)\//.test(x.mime)) {
      clear(box);
      const isVideo = /^video\//.test(x.mime);
      const play = h(
        'button',
        { type: 'button' },
        isVideo ? 'Play this video' : 'Play this recording',
      );
      play.addEventListener('click', () => {
        const m = h(isVideo ? 'video' : 'audio', {
          controls: '',
          preload: 'metadata',
          src: objectUrl(file),
          'aria-label': 'Exhibit ' + visible(x.number),
        });
        clear(box);
        add(box, m);
        m.focus();
      });
      add(box, play);
    }
  }

  function exhibitCard(x: ViewerExhibit, i: number): HTMLElement {
    const status = h('p', { class: 'exhibit-status', 'data-status': 'pending' }, [
      'File check: ',
      statusNode('pending'),
    ]);
    statusBoxes[i] = status;
    const flags: Kid[] = [];
    for (const s of x.sensitive)
      flags.push(h('p', { class: 'flag' }, ['\u26a0 Sensitive: ', s.text]));
    for (const p of x.metadataProblems) {
      flags.push(h('p', { class: 'flag' }, ['\u26a0 Problem found when importing: ', p]));
    }
    const body = h('div', { class: 'body' }, [
      h(
        'h3',
        { id: 'exhibit-' + i + '-h' },
        'Exhibit ' + visible(x.number) + ': ' + visible(x.originalName),
      ),
      status,
      facts([
        ['Original file name', code(x.originalName)],
        ['File in this bundle', code(x.bagPath)],
        ['Type', x.typeText],
        ['Size', x.sizeText],
        ['Picture size', x.width && x.height ? x.width + ' \u00d7 ' + x.height + ' pixels' : null],
        ['SHA-256 fingerprint', h('span', { class: 'hash' }, x.sha256)],
        ...x.times.map((t): [string, Kid] => [t.label, t.text]),
        ['Tags', x.tags.map((t) => h('span', { class: 'tag' }, visible(t)))],
        [
          'Made from',
          x.derivedFrom
            ? [
                x.derivedFrom.number
                  ? ['Exhibit ', exhibitLink(x.derivedFrom.number)]
                  : 'A file not in this bundle',
                ' (SHA-256 ',
                h('span', { class: 'hash' }, x.derivedFrom.sha256),
                '). ',
                x.derivedFrom.operation ? 'How: ' + x.derivedFrom.operation + '. ' : '',
                x.derivedFrom.reason ? 'Why: ' + x.derivedFrom.reason : '',
              ]
            : null,
        ],
        [
          'Incidents',
          x.incidents.length
            ? h(
                'ul',
                null,
                x.incidents.map((inc) =>
                  h('li', null, [inc.when, inc.summary ? ': ' + inc.summary : '']),
                ),
              )
            : null,
        ],
        [
          'People',
          x.people.length
            ? joinNodes(x.people.map((p) => visible(p.name) + (p.role ? ' (' + p.role + ')' : '')))
            : null,
        ],
      ]),
      flags,
      x.notes.length
        ? [
            h('h4', null, 'Notes written about it'),
            x.notes.map((n) =>
              h('div', null, [
                h('p', { class: 'note' }, n.body),
                h('p', { class: 'muted' }, 'Written ' + n.createdText),
              ]),
            ),
          ]
        : h('p', { class: 'muted' }, 'No notes.'),
      x.exif.length
        ? h('details', null, [
            h(
              'summary',
              null,
              'Camera and file details (EXIF), ' + plural(x.exif.length, 'entry', 'entries'),
            ),
            h('p', { class: 'muted' }, 'As written inside the file. Anyone can edit these.'),
            h(
              'div',
              { class: 'table-wrap' },
              h('table', null, [
                h(
                  'thead',
                  null,
                  h('tr', null, [
                    h('th', { scope: 'col' }, 'Field'),
                    h('th', { scope: 'col' }, 'Value'),
                  ]),
                ),
                h(
                  'tbody',
                  null,
                  x.exif.map((r) =>
                    h('tr', null, [h('td', null, visible(r[0])), h('td', null, r[1])]),
                  ),
                ),
              ]),
            ),
          ])
        : null,
      x.history.length
        ? h('details', null, [
            h(
              'summary',
              null,
              'Custody log: ' +
                plural(x.history.length + x.historyMore, 'entry', 'entries') +
                ' about this exhibit',
            ),
            h(
              'ol',
              null,
              x.history.map((c) =>
                h('li', null, [
                  '#' + c.seq + ' \u00b7 ' + c.when + ' \u00b7 ' + c.what,
                  c.actor ? ' (by ' + visible(c.actor) + ')' : '',
                ]),
              ),
            ),
            x.historyMore
              ? h(
                  'p',
                  { class: 'muted' },
                  'And ' + x.historyMore + ' more in data/metadata/custody.jsonl.',
                )
              : null,
          ])
        : null,
    ]);
    if (/^(audio|video)\//.test(x.mime)) {
      const media = h('div', { class: 'media no-print' });
      add(media, h('p', { class: 'muted' }, 'To play it, first choose the bundle folder above.'));
      mediaBoxes[i] = media;
      add(body, media);
    }
    return h(
      'article',
      {
        class: 'card exhibit',
        id: 'exhibit-' + i,
        'aria-labelledby': 'exhibit-' + i + '-h',
        'data-number': x.number,
      },
      [previewBox(x, i), body],
    );
  }

  const element = section('exhibits', 'Exhibits', [
    h(
      'p',
      null,
      data.exhibits.length
        ? 'Each exhibit is an original file exactly as it was received. Its fingerprint (SHA-256) was recorded when it was first imported. ' +
            (data.thumbnails === 'omitted'
              ? 'Previews were left out to keep this page small; they appear once you choose the bundle folder.'
              : '')
        : 'This bundle has no exhibits.',
    ),
    data.exhibits.map(exhibitCard),
  ]);

  return {
    element,
    setStatus(i, s) {
      const box = statusBoxes[i];
      if (!box) return;
      box.setAttribute('data-status', s);
      clear(box);
      add(box, ['File check: ', statusNode(s)]);
    },
    showFile: (i, x, file) => showFile(i, x, file),
  };
}
