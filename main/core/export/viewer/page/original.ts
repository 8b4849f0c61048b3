import { htmlToText } from '../../../../../shared/email-text';
import type { Status } from './check';
import { add, clear, h, visible, type Kid } from './dom';
import { emailView } from './email-view';
import { readBuffer } from './hashing';
import { objectUrl } from './object-urls';
import { regionList } from './picture';
import { decodeText, MAX_SHOWN_CHARS } from './text-decoding';
import type { ViewerExhibit } from './viewer-data';
import { zoomView } from './zoom';

/**
 * "The original": an exhibit shown from its own file in the bundle folder, once the reader
 * has chosen that folder and the file's fingerprint matched. Before then it says what is
 * needed; a file that does not match is not shown as the exhibit.
 */

/** Emails and text files bigger than this are not read into the page. */
const MAX_READ_BYTES = 64 * 1024 * 1024;
const MAX_TEXT_BYTES = 8 * 1024 * 1024;

const WAITING: Record<ViewerExhibit['kind'], string> = {
  image: 'To see the original picture at full size, choose the bundle folder above.',
  email: 'To read this email, choose the bundle folder above.',
  html: 'To read the text of this web page, choose the bundle folder above.',
  text: 'To read this text file, choose the bundle folder above.',
  audio: 'To play it, first choose the bundle folder above.',
  video: 'To play it, first choose the bundle folder above.',
  other: 'This page does not show this type of file. Open the file itself with the link above.',
};

export interface OriginalView {
  element: HTMLElement;
  /** Back to "choose the folder" (a new check started). */
  reset(): void;
  missing(): void;
  show(file: File, status: Status): void;
}

export function originalView(x: ViewerExhibit, onChooseFolder: () => void): OriginalView {
  const content = h('div', { class: 'original-content' });
  const element = h('div', { class: 'original' }, [
    // A copy exhibited for disclosure is not the original: the page must not call it that.
    h('h4', null, x.disclosed ? 'The copy itself (the original is withheld)' : 'The original file'),
    content,
    regionList(x.regions, 'Marked regions (numbered on the picture)'),
  ]);

  // Each change of state gets a number, so a slow read from an earlier check that finishes
  // late cannot put its result over the current one.
  let generation = 0;

  function say(text: string, cls = 'muted', extra?: Kid): void {
    generation++;
    clear(content);
    add(content, [h('p', { class: cls }, text), extra]);
  }

  function reset(): void {
    if (x.kind === 'other') {
      say(WAITING.other);
      return;
    }
    const choose = h('button', { type: 'button', class: 'choose' }, 'Choose the bundle folder');
    choose.addEventListener('click', onChooseFolder);
    say(
      x.disclosed && x.kind === 'image'
        ? 'To see the copy at full size, choose the bundle folder above.'
        : WAITING[x.kind],
      'muted',
      x.kind === 'audio' || x.kind === 'video' ? null : choose,
    );
  }

  async function render(file: File): Promise<Kid> {
    switch (x.kind) {
      case 'image': {
        const view = zoomView(x, objectUrl(file));
        const img = view.querySelector('img');
        const at = generation;
        img?.addEventListener('error', () => {
          if (at !== generation) return;
          say('This browser cannot show this picture. Open the file itself with the link above.');
        });
        return view;
      }
      case 'email':
        if (file.size > MAX_READ_BYTES) {
          return h(
            'p',
            { class: 'muted' },
            'This email is too big to show here; open the file itself.',
          );
        }
        return emailView(new Uint8Array(await readBuffer(file)));
      case 'text':
      case 'html': {
        const cut = file.size > MAX_TEXT_BYTES;
        const bytes = new Uint8Array(await readBuffer(cut ? file.slice(0, MAX_TEXT_BYTES) : file));
        const decoded = decodeText(bytes, cut);
        const asText = x.kind === 'html' ? htmlToText(decoded.text) : null;
        const shown = asText === null ? decoded.text : asText.slice(0, MAX_SHOWN_CHARS);
        return [
          asText !== null
            ? h(
                'p',
                { class: 'muted' },
                'A web page (HTML), shown as text: nothing in it was loaded or run.',
              )
            : h('p', { class: 'muted' }, 'Read as ' + decoded.encoding + '.'),
          h(
            'pre',
            {
              class: 'text-body',
              tabindex: '0',
              'aria-label': 'Text of exhibit ' + visible(x.number),
            },
            shown,
          ),
          decoded.truncated || (asText !== null && asText.length > shown.length)
            ? h(
                'p',
                { class: 'muted' },
                'Only the start is shown here; the whole file is in the bundle.',
              )
            : null,
        ];
      }
      case 'audio':
      case 'video': {
        const isVideo = x.kind === 'video';
        const box = h('div', { class: 'media no-print' });
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
        return box;
      }
      case 'other':
        return h('p', { class: 'muted' }, WAITING.other);
    }
  }

  function show(file: File, status: Status): void {
    if (status === 'different') {
      say(
        'Not shown: the file in the folder you chose is not the one put in this bundle (its fingerprint is different). Do not rely on it.',
        'flag',
      );
      return;
    }
    if (status !== 'match') {
      say('Not shown: the file could not be read from the folder you chose.', 'flag');
      return;
    }
    say('Opening the original\u2026');
    const mine = generation;
    render(file).then(
      (kid) => {
        if (mine !== generation) return;
        clear(content);
        add(content, kid);
      },
      (e: unknown) =>
        mine === generation &&
        say(
          'This file could not be shown (' +
            visible((e as Error | null)?.message || 'error') +
            ').',
          'flag',
        ),
    );
  }

  reset();
  return {
    element,
    reset,
    missing: () => say('Not shown: the file was not found in the folder you chose.', 'flag'),
    show,
  };
}
