import { statusNode, type Status } from './check';
import { add, clear, code, facts, h, joinNodes, section, visible, type Kid } from './dom';
import { locationGroup } from './location';
import { navigation } from './navigation';
import { objectUrl } from './object-urls';
import { originalView, type OriginalView } from './original';
import { machineText, markedPicture } from './picture';
import { transcriptView, type TranscriptView } from './transcript';
import type { ViewerData, ViewerExhibit } from './viewer-data';
import { plural } from './words';

/**
 * The exhibits: one card each, with what was recorded about the file, its check status, and
 * the original itself once the bundle folder is chosen (original.ts).
 */

export interface ExhibitsSection {
  element: HTMLElement;
  setStatus(index: number, status: Status): void;
  showFile(index: number, exhibit: ViewerExhibit, file: File, status: Status): void;
}

export function exhibitsSection(
  data: ViewerData,
  exhibitLink: (number: string) => Kid,
  onChooseFolder: () => void,
  reviewControls?: (x: ViewerExhibit, index: number) => Kid,
): ExhibitsSection {
  const previews: HTMLElement[] = [];
  const originals: OriginalView[] = [];
  const transcripts: (TranscriptView | null)[] = [];
  const statusBoxes: HTMLElement[] = [];
  const nav = navigation(data.exhibits);

  function previewBox(x: ViewerExhibit, i: number): HTMLElement {
    const fig = h('figure', { class: 'preview' });
    if (x.thumbnail && /^[A-Za-z0-9+/]+={0,2}$/.test(x.thumbnail)) {
      // Not lazy: a printed page must show every preview, and the size budget keeps them small.
      add(fig, [
        markedPicture(
          h('img', {
            src: 'data:image/jpeg;base64,' + x.thumbnail,
            alt: 'Reduced preview of exhibit ' + visible(x.number),
          }),
          x.regions,
        ),
        h('figcaption', null, 'Reduced preview (not the original)'),
      ]);
    } else if (x.kind === 'image' && data.thumbnails === 'omitted') {
      add(fig, h('div', { class: 'none' }, 'Preview appears after you choose the bundle folder'));
    } else {
      add(
        fig,
        h(
          'div',
          { class: 'none' },
          /^image\//.test(x.mime)
            ? 'No preview available'
            : x.kind === 'email' || x.kind === 'text' || x.kind === 'html'
              ? 'No picture: its text is shown below, from the original'
              : 'No preview for this type of file',
        ),
      );
    }
    previews[i] = fig;
    return fig;
  }

  function showFile(i: number, x: ViewerExhibit, file: File, status: Status): void {
    const fig = previews[i];
    if (data.thumbnails === 'omitted' && x.kind === 'image' && fig && status === 'match') {
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
      add(fig, [
        markedPicture(img, x.regions),
        h('figcaption', null, 'Shown from the file you chose'),
      ]);
    }
    originals[i]?.show(file, status);
    // A changed file is checked too: the messages that differ are named.
    if (status === 'match' || status === 'different') transcripts[i]?.check(file);
    else transcripts[i]?.missing();
  }

  function exhibitCard(x: ViewerExhibit, i: number): HTMLElement {
    const status = h('p', { class: 'exhibit-status', 'data-status': 'pending' }, [
      'File check: ',
      statusNode('pending'),
    ]);
    statusBoxes[i] = status;
    const flags: Kid[] = [];
    for (const s of x.sensitive) {
      // With location rows, the GPS warning is said in the location group, once.
      if (s.flag === 'gps' && (x.location.length || x.locationWithheld)) continue;
      flags.push(h('p', { class: 'flag' }, ['\u26a0 Sensitive: ', s.text]));
    }
    for (const p of x.metadataProblems) {
      flags.push(h('p', { class: 'flag' }, ['\u26a0 Problem found when importing: ', p]));
    }
    const original = originalView(x, onChooseFolder);
    originals[i] = original;
    const transcript = transcriptView(x);
    transcripts[i] = transcript;
    // Opened outside this page, these may fetch remote pictures (a read receipt for the sender).
    const risky = x.kind === 'email' || x.kind === 'html' || /svg|xml/.test(x.mime);
    const body = h('div', { class: 'body' }, [
      h(
        'h3',
        { id: 'exhibit-' + i + '-h', tabindex: '-1' },
        'Exhibit ' + visible(x.number) + ': ' + visible(x.originalName),
      ),
      x.disclosed
        ? h('p', { class: 'callout disclosed' }, [
            visible(x.disclosed) + '. Exhibited in place of the original, which is withheld: see ',
            h('a', { href: '#schedule' }, 'the redaction schedule'),
            '.',
          ])
        : null,
      nav.buttons(i),
      status,
      reviewControls?.(x, i),
      h('p', { class: 'file-link' }, [
        h(
          'a',
          { href: x.href, target: '_blank', rel: 'noopener noreferrer' },
          'Open the file itself',
        ),
        ' (in the bundle folder, at ',
        code(x.bagPath),
        ')',
        risky
          ? '. Opened in a mail program or a browser it may load pictures from the internet, which tells the sender it was read; the text shown below loads nothing.'
          : '',
      ]),
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
      locationGroup(x, i),
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
    return h(
      'article',
      {
        class: 'card exhibit',
        id: 'exhibit-' + i,
        'aria-labelledby': 'exhibit-' + i + '-h',
        'data-number': x.number,
      },
      [
        previewBox(x, i),
        body,
        original.element,
        machineText(x.recognisedText ?? null),
        transcript?.element ?? null,
      ],
    );
  }

  const element = section('exhibits', 'Exhibits', [
    h(
      'p',
      null,
      data.exhibits.length
        ? 'Each exhibit is an original file exactly as it was received. Its fingerprint (SHA-256) was recorded when it was first imported. ' +
            'Once you choose the bundle folder above, each one is shown here from its own file: pictures at full size, emails and text files as text. ' +
            (data.thumbnails === 'omitted'
              ? 'Previews were left out to keep this page small; they appear once you choose the bundle folder.'
              : '')
        : 'This bundle has no exhibits.',
    ),
    data.exhibits.length
      ? h(
          'p',
          { class: 'muted no-print' },
          'Keys: N or ] goes to the next exhibit, P or [ to the previous one. On a picture: + and \u2212 zoom, 0 fits it to the width, 1 shows it at 100%.',
        )
      : null,
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
      if (s === 'pending') {
        originals[i]?.reset();
        transcripts[i]?.reset();
      } else if (s === 'missing') {
        originals[i]?.missing();
        transcripts[i]?.missing();
      }
    },
    showFile,
  };
}
