import {
  REVIEW_LIMITS,
  REVIEW_STATUSES,
  REVIEW_STATUS_WORDS,
  reviewState,
  type ReviewChange,
  type ReviewFile,
  type ReviewStatus,
  type ReviewTarget,
} from '../../../../../shared/review';
import {
  bundleReference,
  MAX_MANIFEST_BYTES,
  MAX_TAG_FILE_BYTES,
  type BundleReference,
} from './bag-reference';
import { add, clear, h, section, visible, type Kid } from './dom';
import { readBuffer } from './hashing';
import { ReviewLog, reviewFileName, type Reviewer } from './review-log';
import type { ViewerData, ViewerExhibit } from './viewer-data';
import { plural } from './words';

/**
 * "Your review": an adviser without Dossier marks each exhibit with a status and a comment,
 * writes an overall note, and saves it all as review-<bag>-<YYYYMMDD>.json
 * (docs/review-format.md, madeIn "viewer") to send back to the client. It lives in this
 * page's memory only: nothing is written to the browser's storage or sent anywhere, and the
 * browser asks before a page with unsaved changes is closed. The file is a download of a
 * blob: URL (docs/bundle-format.md, "The offline viewer", on why the CSP allows it).
 */

export interface ReviewPanel {
  element: HTMLElement;
  /** The status and comment controls of one exhibit, for its card. */
  exhibitControls(x: ViewerExhibit, index: number): HTMLElement;
  /** The reader chose the bundle folder: its tag files name the bundle the review is about. */
  folderChosen(files: Map<string, File>): void;
}

const NO_FOLDER =
  'Choose the bundle folder first, in \u201cCheck that the files have not changed\u201d above. ' +
  'Your review names the bundle by the fingerprint of its tagmanifest-sha256.txt, a file in the bundle folder that this page cannot carry.';

export function reviewPanel(data: ViewerData, onChooseFolder: () => void): ReviewPanel {
  const log = new ReviewLog();
  /** Each control's "record what it shows now", so that a change not yet committed (still being typed) is saved too. */
  const flushers: (() => void)[] = [];
  let bundle: Promise<BundleReference> | null = null;
  let folderRun = 0;

  const name = h('input', {
    type: 'text',
    id: 'review-name',
    maxlength: REVIEW_LIMITS.name,
    autocomplete: 'name',
  });
  const organisation = h('input', {
    type: 'text',
    id: 'review-organisation',
    maxlength: REVIEW_LIMITS.name,
    autocomplete: 'organization',
  });
  const note = h('textarea', {
    id: 'review-note',
    rows: 5,
    maxlength: REVIEW_LIMITS.comment,
    'aria-describedby': 'review-note-help',
  });
  const bundleLine = h('p', { id: 'review-bundle' });
  const counts = h('p', { id: 'review-counts', class: 'muted' });
  const saveButton = h('button', { type: 'button', id: 'review-save' }, 'Save my review');
  const message = h('div', { id: 'review-message', role: 'status', 'aria-live': 'polite' });

  const reviewer = (): Reviewer => ({ name: name.value, organisation: organisation.value });

  function say(cls: string, kids: Kid): void {
    clear(message);
    add(message, h('div', { class: cls }, kids));
  }

  function showCounts(): void {
    const state = [...reviewState(log.entries).values()];
    const exhibits = state.filter((s) => s.target.kind === 'exhibit');
    const withStatus = exhibits.filter((s) => s.status !== null).length;
    const withComment = exhibits.filter((s) => s.comment !== '').length;
    const noteState = log.stateOf({ kind: 'bundle' })?.comment
      ? 'an overall note'
      : 'no overall note';
    const unsaved = log.dirty(reviewer());
    counts.textContent =
      'So far: ' +
      plural(withStatus, 'exhibit') +
      ' with a status, ' +
      plural(withComment, 'exhibit') +
      ' with a comment, ' +
      noteState +
      '. ' +
      (log.entries.length === 0
        ? 'Nothing to save yet.'
        : unsaved
          ? 'Not saved yet.'
          : 'Everything is saved.');
  }

  /** Records one change; a change past the format's limits is said beside the control. */
  function record(target: ReviewTarget, change: ReviewChange, problem: HTMLElement): boolean {
    try {
      log.set(target, change);
      problem.hidden = true;
      clear(problem);
      return true;
    } catch (e) {
      problem.hidden = false;
      clear(problem);
      add(problem, (e as Error).message);
      return false;
    } finally {
      showCounts();
    }
  }

  const noteProblem = h('p', { class: 'flag', hidden: true });
  const flushNote = (): void => {
    record({ kind: 'bundle' }, { op: 'comment', value: note.value }, noteProblem);
  };
  note.addEventListener('change', flushNote);
  flushers.push(flushNote);
  for (const input of [name, organisation]) input.addEventListener('change', showCounts);

  function exhibitControls(x: ViewerExhibit, i: number): HTMLElement {
    const target: ReviewTarget = {
      kind: 'exhibit',
      exhibit: x.number,
      itemId: x.itemId,
      sha256: x.sha256,
    };
    const select = h('select', { id: 'review-status-' + i }, [
      h('option', { value: '' }, 'No status'),
      REVIEW_STATUSES.map((s) => h('option', { value: s }, REVIEW_STATUS_WORDS[s])),
    ]);
    const comment = h('textarea', {
      id: 'review-comment-' + i,
      rows: 3,
      maxlength: REVIEW_LIMITS.comment,
    });
    const problem = h('p', { class: 'flag', hidden: true });
    const flushStatus = (): void => {
      const v = select.value;
      const status = (REVIEW_STATUSES as readonly string[]).includes(v)
        ? (v as ReviewStatus)
        : null;
      record(target, { op: 'status', value: status }, problem);
    };
    const flushComment = (): void => {
      record(target, { op: 'comment', value: comment.value }, problem);
    };
    // Recorded when the reader leaves the control (or saves, or leaves the page), as a comment
    // is: stepping through the statuses with the arrow keys is one change, not one per step.
    select.addEventListener('blur', flushStatus);
    comment.addEventListener('change', flushComment);
    flushers.push(flushStatus, flushComment);
    return h('fieldset', { class: 'review-exhibit no-print' }, [
      h('legend', null, 'Your review of exhibit ' + visible(x.number)),
      h('div', { class: 'review-row' }, [
        h('label', { for: 'review-status-' + i }, 'Status'),
        select,
      ]),
      h('div', { class: 'review-row' }, [
        h('label', { for: 'review-comment-' + i }, 'Comment'),
        comment,
      ]),
      problem,
    ]);
  }

  function flushAll(): void {
    for (const f of flushers) f();
  }

  async function readTagFile(
    files: Map<string, File>,
    path: string,
    max: number,
  ): Promise<Uint8Array> {
    const file = files.get(path);
    if (!file) {
      throw new Error(
        `The folder you chose has no ${path}: choose the bundle folder itself, the one that holds bagit.txt and the data folder.`,
      );
    }
    if (file.size > max) {
      throw new Error(
        `${path} in the folder you chose is too big to be a bundle\u2019s (${file.size} bytes).`,
      );
    }
    return new Uint8Array(await readBuffer(file));
  }

  async function readReference(files: Map<string, File>): Promise<BundleReference> {
    try {
      const [tagManifest, bagInfo, manifest] = await Promise.all([
        readTagFile(files, 'tagmanifest-sha256.txt', MAX_TAG_FILE_BYTES),
        readTagFile(files, 'bag-info.txt', MAX_TAG_FILE_BYTES),
        readTagFile(files, 'manifest-sha256.txt', MAX_MANIFEST_BYTES),
      ]);
      return bundleReference({ tagManifest, bagInfo, manifest }, data);
    } catch (e) {
      return { problem: (e as Error).message || 'The bundle folder could not be read.' };
    }
  }

  function folderChosen(files: Map<string, File>): void {
    const mine = ++folderRun;
    // "Choose the folder first", or what the last save said of another folder, no longer holds.
    clear(message);
    clear(bundleLine);
    add(bundleLine, 'Reading the bundle folder\u2026');
    bundle = readReference(files);
    void bundle.then((b) => {
      if (mine !== folderRun) return;
      clear(bundleLine);
      if ('problem' in b) {
        add(
          bundleLine,
          h('span', { class: 'flag' }, ['Your review cannot name this bundle yet. ', b.problem]),
        );
      } else {
        add(bundleLine, [
          'Your review will name the bundle ',
          h('strong', null, visible(b.ref.bagName || '(no name)')),
          ' by the SHA-256 of its tagmanifest-sha256.txt: ',
          h('span', { class: 'hash' }, b.ref.tagManifestSha256),
        ]);
      }
    });
  }

  async function save(): Promise<void> {
    flushAll();
    if (!bundle) {
      const choose = h('button', { type: 'button' }, 'Choose the bundle folder');
      choose.addEventListener('click', onChooseFolder);
      say('flag', [h('p', null, NO_FOLDER), choose]);
      return;
    }
    say('muted', 'Reading the bundle folder\u2026');
    const b = await bundle;
    if ('problem' in b) {
      say('flag', ['Not saved. ', b.problem]);
      return;
    }
    if (log.entries.length === 0) {
      say(
        'flag',
        'Nothing to save yet: set a status or write a comment on an exhibit, or an overall note.',
      );
      return;
    }
    const savedAt = new Date().toISOString();
    let json: string;
    let file: ReviewFile;
    try {
      file = log.file(b.ref, reviewer(), savedAt);
      json = JSON.stringify(file, null, 2) + '\n';
    } catch (e) {
      say('flag', ['Not saved. ', (e as Error).message]);
      return;
    }
    const bytes = new TextEncoder().encode(json);
    if (bytes.length > REVIEW_LIMITS.fileBytes) {
      say(
        'flag',
        'Not saved: the review is bigger than a review file may be (64 MiB). Shorten the comments.',
      );
      return;
    }
    const fileName = reviewFileName(b.ref.bagName, savedAt);
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/json' }));
    const a = h('a', { href: url, download: fileName, hidden: true });
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    // Long enough for the browser to have written the file; the URL names this page's memory only.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    log.markSaved(file);
    showCounts();
    say('saved', [
      h('p', null, [
        'Your browser saved ',
        h('strong', null, fileName),
        ' (' +
          plural(file.entries.length, 'change') +
          ') where it keeps downloads, or asked you where to save it. ',
        'Send that file to the person who gave you this bundle; they import it into Dossier with \u201cImport a review from my adviser\u201d.',
      ]),
      h(
        'p',
        null,
        'It carries no signature, so tell them by another route (a phone call, say) that you sent it. ' +
          'If you change anything, save again: the new file holds every change, the earlier ones included.',
      ),
    ]);
  }

  saveButton.addEventListener('click', () => void save());

  window.addEventListener('beforeunload', (e) => {
    flushAll();
    if (!log.dirty(reviewer())) return;
    // The browser asks "Leave site?": the review exists nowhere else.
    e.preventDefault();
    e.returnValue = '';
  });

  add(bundleLine, 'No bundle folder chosen yet. ' + NO_FOLDER);
  showCounts();

  const element = section('review', 'Your review (for a legal adviser)', [
    h(
      'p',
      null,
      'If you are reviewing this bundle for the person who made it, you can give each exhibit below a status (relevant, need the original\u2026) and a comment, ' +
        'and write an overall note here. \u201cSave my review\u201d saves it as a file to send back to them: Dossier shows your comments beside their evidence.',
    ),
    h(
      'p',
      { class: 'muted' },
      'Your review is kept only in this page while it is open: nothing is stored in this browser or sent anywhere. ' +
        'Closing or reloading the page loses what you have not saved (the browser asks first).',
    ),
    bundleLine,
    h('div', { class: 'review-row' }, [
      h('label', { for: 'review-name' }, 'Your name (optional)'),
      name,
    ]),
    h('div', { class: 'review-row' }, [
      h('label', { for: 'review-organisation' }, 'Your organisation (optional)'),
      organisation,
    ]),
    h('div', { class: 'review-row' }, [
      h('label', { for: 'review-note' }, 'Overall note on the bundle'),
      h(
        'p',
        { id: 'review-note-help', class: 'muted' },
        'Anything that is not about one exhibit: what is strong, what is missing.',
      ),
      note,
    ]),
    noteProblem,
    counts,
    h('div', { class: 'review-save' }, saveButton),
    message,
  ]);
  element.classList.add('no-print');

  return { element, exhibitControls, folderChosen };
}
