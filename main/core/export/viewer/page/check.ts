import { means, NOT_MEANS, SELF } from './claims';
import { add, clear, code, h, section, visible, type Kid } from './dom';
import { hashFile } from './hashing';
import { revokeObjectUrls } from './object-urls';
import type { ViewerData, ViewerExhibit } from './viewer-data';
import { bytesText, plural } from './words';

/**
 * "Check that the files have not changed": the reader picks (or drops) the bundle folder,
 * and the page re-hashes every file the manifest lists, names each one that is different,
 * missing or extra, and gives a verdict in plain words.
 */

export type Status =
  | 'pending'
  | 'checking'
  | 'match'
  | 'different'
  | 'missing'
  | 'unreadable'
  | 'stopped'
  | 'extra'
  | 'viewer'
  | 'bagfile';

const STATUS: Record<Status, string> = {
  pending: '\u2014 Not checked yet',
  checking: '\u2026 Checking',
  match: '\u2713 Matches',
  different: '\u2717 DIFFERENT',
  missing: '\u2717 Missing',
  unreadable: '\u2717 Could not be read',
  stopped: '\u2014 Not checked (stopped)',
  extra: '+ Extra',
  viewer: '\u2022 This page',
  bagfile: '\u2022 Bag file',
};

export function statusNode(status: Status): HTMLElement {
  return h('span', { class: 'status s-' + status }, h('span', { class: 'pill' }, STATUS[status]));
}

export interface PickedFile {
  rel: string;
  file: File;
}

export interface CheckHooks {
  exhibitLink(number: string): Kid;
  /** An exhibit's file got a new check status. */
  onExhibitStatus(index: number, status: Status): void;
  /** An exhibit's file was read and hashed (or could not be): the page may show it now. */
  onExhibitFile(index: number, exhibit: ViewerExhibit, file: File, status: Status): void;
  /** A folder was chosen: its files by their path in the bundle, before any is hashed. */
  onFolder?(files: Map<string, File>): void;
}

interface Row {
  path: string;
  key: string;
  sha256: string;
  exhibit: number | undefined;
  tr: HTMLTableRowElement;
  result: HTMLTableCellElement;
  detail: HTMLTableCellElement;
}

const TAG_FILE =
  /^(bagit\.txt|bag-info\.txt|fetch\.txt|(tag)?manifest-[a-z0-9]+\.txt|VERIFY\.txt|signature\/[^/]+)$/;
const JUNK = /(^|\/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]*)$/i;

// Names match byte for byte, as in dossier verify: a name changed only in letter case or
// Unicode form (NFC/NFD) is a renamed file, not the listed one. lookalike() finds it to say so.
function lookalike(s: string): string {
  return (s.normalize ? s.normalize('NFC') : s).toUpperCase().toLowerCase();
}

export interface CheckSection {
  element: HTMLElement;
  /** Every row back to "not checked yet". */
  reset(): void;
}

export function checkSection(data: ViewerData, hooks: CheckHooks): CheckSection {
  const pick = h('input', {
    type: 'file',
    id: 'pick',
    webkitdirectory: '',
    directory: '',
    multiple: '',
    'aria-describedby': 'pick-help',
  });
  const stopButton = h('button', { type: 'button', id: 'stop', hidden: true }, 'Stop checking');
  const dropZone = h(
    'div',
    { class: 'drop', id: 'drop' },
    'Or drag the bundle folder from your file manager and drop it anywhere on this page.',
  );
  const progressBar = h('progress', {
    id: 'progress',
    max: '1',
    value: '0',
    'aria-label': 'Checking progress',
  });
  const progressText = h('p', { id: 'progress-text', class: 'muted' });
  const progressBox = h('div', { id: 'progress-box', hidden: true }, [progressBar, progressText]);
  const verdictBox = h('div', { id: 'verdict', role: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const countsLine = h('p', { id: 'counts', class: 'muted' });
  const MEANS = means(data.exportedText);

  const element = section('check', 'Check that the files have not changed', [
    h(
      'p',
      null,
      'When this bundle was made, every file in it was given a SHA-256 fingerprint: a 64-character code ' +
        'computed from every bit of the file. Changing even one bit gives a completely different code. ' +
        'Choose the bundle folder below and this page computes the codes again, on this computer, and compares them.',
    ),
    h(
      'p',
      { id: 'pick-help' },
      'Choose the bundle folder itself: the one that contains bagit.txt and a folder called data. ' +
        'If you were given a .zip file, unzip it first (if it ends in .zip.age, decrypt it first, as VERIFY.txt explains). ' +
        'Your browser may ask whether to "upload" the files: this page only reads them here, and nothing leaves this computer.',
    ),
    h('div', { class: 'picker' }, [
      h('label', { for: 'pick' }, 'Bundle folder:'),
      pick,
      stopButton,
    ]),
    dropZone,
    progressBox,
    verdictBox,
    countsLine,
    h(
      'div',
      { class: 'table-wrap' },
      h('table', { id: 'files' }, [
        h('caption', null, 'Every file listed in the bundle, with its expected fingerprint'),
        h('colgroup', null, [
          h('col', { class: 'c-file' }),
          h('col', { class: 'c-ex' }),
          h('col', { class: 'c-res' }),
          h('col', { class: 'c-hash' }),
        ]),
        h(
          'thead',
          null,
          h('tr', null, [
            h('th', { scope: 'col' }, 'File'),
            h('th', { scope: 'col' }, 'Exhibit'),
            h('th', { scope: 'col' }, 'Result'),
            h('th', { scope: 'col' }, 'Fingerprint (SHA-256)'),
          ]),
        ),
        tbody,
      ]),
    ),
  ]);

  const exhibitByPath = new Map<string, number>();
  data.exhibits.forEach((x, i) => exhibitByPath.set(x.bagPath, i));

  const rows: Row[] = data.manifest.map((m) => {
    const xi = exhibitByPath.get(m.path);
    const result = h('td');
    const detail = h('td', null, h('span', { class: 'hash' }, m.sha256));
    const tr = h('tr', { 'data-path': m.path, 'data-status': 'pending' }, [
      h('td', null, code(m.path)),
      h('td', null, xi === undefined ? '\u2014' : hooks.exhibitLink(data.exhibits[xi]!.number)),
      result,
      detail,
    ]);
    add(tbody, tr);
    return { path: m.path, key: m.path, sha256: m.sha256, exhibit: xi, tr, result, detail };
  });
  const manifestKeys = new Map<string, Row>();
  for (const r of rows) manifestKeys.set(r.key, r);

  function setStatus(row: Row, status: Status, detail?: Kid): void {
    row.tr.setAttribute('data-status', status);
    clear(row.result);
    add(row.result, statusNode(status));
    if (detail) {
      clear(row.detail);
      add(row.detail, detail);
    }
    if (row.exhibit !== undefined) hooks.onExhibitStatus(row.exhibit, status);
  }

  function reset(): void {
    for (const r of rows) setStatus(r, 'pending', h('span', { class: 'hash' }, r.sha256));
    for (const tr of Array.prototype.slice.call(
      tbody.querySelectorAll('tr.found-only'),
    ) as Node[]) {
      tbody.removeChild(tr);
    }
  }

  // Which folder in the picked paths is the bag root: the one under which most listed
  // files are found. Handles picking the bag folder, its parent, or dropping its contents.
  function chooseRoot(rels: string[]): string {
    const counts = new Map<string, number>();
    for (const r of rels) {
      const parts = r.split('/');
      for (let i = 0; i < parts.length; i++) {
        if (manifestKeys.has(parts.slice(i).join('/'))) {
          const root = parts.slice(0, i).join('/');
          counts.set(root, (counts.get(root) ?? 0) + 1);
        }
      }
    }
    let best: string | null = null;
    let bestCount = 0;
    counts.forEach((n, root) => {
      if (n > bestCount || (n === bestCount && best !== null && root.length < best.length)) {
        best = root;
        bestCount = n;
      }
    });
    if (best !== null) return best;
    const first = rels.length && rels[0]!.indexOf('/') > 0 ? rels[0]!.split('/')[0]! : '';
    return first && rels.every((r) => r.indexOf(first + '/') === 0) ? first : '';
  }

  let runId = 0;
  let stopRequested = false;
  stopButton.addEventListener('click', () => {
    stopRequested = true;
  });

  function verdict(cls: string, title: string, paragraphs: string[]): HTMLElement {
    clear(verdictBox);
    const heading = h('h3', { tabindex: '-1', id: 'verdict-title' }, title);
    add(
      verdictBox,
      h('div', { class: 'verdict ' + cls }, [heading, paragraphs.map((p) => h('p', null, p))]),
    );
    return heading;
  }

  async function verify(picked: PickedFile[], label: string): Promise<void> {
    const my = ++runId;
    stopRequested = false;
    revokeObjectUrls();
    reset();
    clear(verdictBox);
    clear(countsLine);
    const rels = picked.map((p) => p.rel.replace(/\\/g, '/').replace(/^\/+/, ''));
    const root = chooseRoot(rels);
    const found = new Map<string, File>();
    const doubles: string[] = [];
    let outside = 0;
    let foundAlike: Map<string, string[]> | null = null;
    picked.forEach((p, i) => {
      const r = rels[i]!;
      let inner: string;
      if (root === '') inner = r;
      else if (r.indexOf(root + '/') === 0) inner = r.slice(root.length + 1);
      else {
        outside++;
        return;
      }
      if (found.has(inner)) doubles.push(inner);
      else found.set(inner, p.file);
    });
    hooks.onFolder?.(found);

    let total = 0;
    let done = 0;
    let filesDone = 0;
    for (const r of rows) {
      const f = found.get(r.key);
      if (f) total += f.size;
    }
    const started = Date.now();
    let lastPaint = 0;
    progressBox.hidden = false;
    stopButton.hidden = false;
    progressBar.max = Math.max(total, 1);
    progressBar.value = 0;
    const paint = (current: string, force: boolean): void => {
      const now = Date.now();
      if (!force && now - lastPaint < 150) return;
      lastPaint = now;
      progressBar.value = done;
      progressText.textContent = visible(
        'Checking file ' +
          Math.min(filesDone + 1, rows.length) +
          ' of ' +
          rows.length +
          (current ? ': ' + current : '') +
          ' \u2014 ' +
          bytesText(done) +
          ' of ' +
          bytesText(total) +
          ' read',
      );
    };
    verdictBox.textContent =
      'Checking ' +
      plural(rows.length, 'file') +
      ' from ' +
      visible(label || 'the chosen folder') +
      '\u2026';

    const counts = { match: 0, different: 0, missing: 0, unreadable: 0, stopped: 0 };
    for (const row of rows) {
      if (my !== runId) return;
      if (stopRequested) {
        setStatus(row, 'stopped');
        counts.stopped++;
        continue;
      }
      const file = found.get(row.key);
      if (!file) {
        if (!foundAlike) {
          const alike = new Map<string, string[]>();
          found.forEach((_f, p) =>
            alike.set(lookalike(p), (alike.get(lookalike(p)) ?? []).concat([p])),
          );
          foundAlike = alike;
        }
        const renamed = (foundAlike.get(lookalike(row.key)) ?? []).filter((p) => p !== row.key);
        setStatus(row, 'missing', [
          'Not found in the chosen folder. Expected: ',
          h('span', { class: 'hash' }, row.sha256),
          renamed.length
            ? [
                h('br'),
                'The folder holds ',
                code(renamed[0]!),
                ' instead, a name that differs only in letter case or in how accented letters are encoded: the file was renamed, so it is not this file.',
              ]
            : null,
        ]);
        counts.missing++;
        continue;
      }
      setStatus(row, 'checking');
      paint(row.path, true);
      let result = null;
      let error: Error | null = null;
      try {
        result = await hashFile(
          file,
          (n) => {
            done += n;
            paint(row.path, false);
          },
          () => stopRequested || my !== runId,
        );
      } catch (e) {
        error = (e as Error) ?? new Error('error');
      }
      if (my !== runId) return;
      filesDone++;
      const x = row.exhibit === undefined ? null : data.exhibits[row.exhibit]!;
      let status: Status;
      if (error) {
        status = 'unreadable';
        setStatus(
          row,
          status,
          'The file could not be read (' +
            visible(error.name || 'error') +
            '): ' +
            visible(error.message || ''),
        );
        counts.unreadable++;
      } else if (!result) {
        status = 'stopped';
        setStatus(row, status);
        counts.stopped++;
      } else if (result.hex === row.sha256) {
        status = 'match';
        setStatus(row, status, [h('span', { class: 'hash' }, row.sha256)]);
        counts.match++;
      } else {
        status = 'different';
        setStatus(row, status, [
          'Expected: ',
          h('span', { class: 'hash' }, row.sha256),
          h('br'),
          'Found: ',
          h('span', { class: 'hash' }, result.hex),
          x && file.size !== x.size
            ? [
                h('br'),
                'Size is ' + plural(file.size, 'byte') + '; it was ' + plural(x.size, 'byte') + '.',
              ]
            : null,
        ]);
        counts.different++;
      }
      if (x && row.exhibit !== undefined && (result || error)) {
        hooks.onExhibitFile(row.exhibit, x, file, status);
      }
      await new Promise((r) => setTimeout(r, 0));
    }

    // Files in the folder that the manifest does not list.
    let extra = 0;
    let extraJunk = 0;
    const found2: [string, File | null][] = [];
    found.forEach((f, p) => {
      if (!manifestKeys.has(p)) found2.push([p, f]);
    });
    for (const p of doubles) found2.push([p, null]);
    found2.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [p, f] of found2) {
      let kind: Status;
      let note: string;
      if (p === 'data/viewer/index.html') {
        kind = 'viewer';
        note =
          'This page cannot hold its own fingerprint; manifest-sha256.txt does (see VERIFY.txt).';
      } else if (TAG_FILE.test(p)) {
        kind = 'bagfile';
        note = 'Describes the bundle; not evidence. Checked with the steps in VERIFY.txt.';
      } else {
        kind = 'extra';
        extra++;
        note =
          f === null
            ? 'A second file with the same name.'
            : JUNK.test(p)
              ? 'Probably made by the computer that opened the folder; not part of the bundle.'
              : 'Not part of the bundle as exported (' + plural(f.size, 'byte') + ').';
        if (JUNK.test(p)) extraJunk++;
      }
      const result = h('td');
      const tr = h('tr', { 'data-path': p, 'data-status': kind, class: 'found-only' }, [
        h('td', null, code(p)),
        h('td', null, '\u2014'),
        result,
        h('td', null, note),
      ]);
      add(result, statusNode(kind));
      add(tbody, tr);
    }

    progressBar.value = progressBar.max;
    progressText.textContent =
      'Read ' +
      bytesText(done) +
      ' in ' +
      Math.max(1, Math.round((Date.now() - started) / 1000)) +
      ' s.';
    stopButton.hidden = true;

    add(countsLine, [
      plural(counts.match, 'file matches', 'files match'),
      ' \u00b7 ',
      counts.different + ' DIFFERENT \u00b7 ',
      counts.missing + ' missing \u00b7 ',
      counts.unreadable + ' unreadable \u00b7 ',
      extra + ' extra',
      counts.stopped ? ' \u00b7 ' + counts.stopped + ' not checked' : '',
      outside ? ' \u00b7 ' + plural(outside, 'file') + ' outside the bundle folder ignored' : '',
    ]);

    let heading: HTMLElement;
    const bad = counts.different + counts.missing + counts.unreadable;
    if (counts.match + counts.different + counts.unreadable === 0 && !counts.stopped) {
      heading = verdict(
        'v-warn',
        'None of this bundle\u2019s files were found in the folder you chose',
        [
          'Choose the bundle folder itself: the one that contains bagit.txt and the data folder, not a folder inside it or a different copy.',
        ],
      );
    } else if (bad > 0) {
      const parts: string[] = [];
      if (counts.different) parts.push(counts.different + ' DIFFERENT');
      if (counts.missing) parts.push(counts.missing + ' missing');
      if (counts.unreadable) parts.push(counts.unreadable + ' could not be read');
      heading = verdict(
        'v-bad',
        '\u2717 Problem found: ' + parts.join(', ') + ' (of ' + plural(rows.length, 'file') + ')',
        [
          'A file marked DIFFERENT is not the file that was put in this bundle: it has been changed, replaced or damaged since. ' +
            'A file marked Missing was not in the folder you chose. Do not rely on those files; ask the person who made the bundle for a fresh copy.',
          counts.match
            ? plural(counts.match, 'file') +
              ' still ' +
              (counts.match === 1 ? 'matches' : 'match') +
              '. ' +
              MEANS
            : 'No file matched.',
          NOT_MEANS,
        ],
      );
    } else if (counts.stopped) {
      heading = verdict(
        'v-warn',
        'Checking stopped: ' +
          counts.match +
          ' of ' +
          plural(rows.length, 'file') +
          ' checked, all matching so far',
        [MEANS, NOT_MEANS],
      );
    } else if (extra > 0) {
      heading = verdict(
        'v-warn',
        '\u2713 All ' +
          plural(rows.length, 'file') +
          ' match, but ' +
          plural(extra, 'extra file was', 'extra files were') +
          ' found',
        [
          'Every file listed in this bundle is present and unchanged. The folder also holds ' +
            plural(extra, 'file') +
            ' that ' +
            (extra === 1 ? 'was' : 'were') +
            ' not part of the bundle when it was made (marked Extra below)' +
            (extraJunk ? '; some look like files a computer adds by itself' : '') +
            '. Nothing here vouches for them.',
          MEANS,
          NOT_MEANS,
          SELF,
        ],
      );
    } else {
      heading = verdict('v-ok', '\u2713 All ' + plural(rows.length, 'file') + ' match', [
        'Every file listed in this bundle is in the folder you chose, and none has changed.',
        MEANS,
        NOT_MEANS,
        SELF,
      ]);
    }
    heading.focus();
  }

  pick.addEventListener('change', () => {
    const files = Array.prototype.slice.call(pick.files ?? []) as File[];
    if (!files.length) return;
    const picked = files.map((f) => ({ rel: f.webkitRelativePath || f.name, file: f }));
    const top = picked[0]!.rel.split('/')[0]!;
    void verify(picked, top);
  });

  listenForDrop(dropZone, verify, verdict);
  return { element, reset };
}

// Drag and drop of the folder, where the browser can list a dropped folder's contents.
function walkEntry(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (entry.isFile) {
      (entry as FileSystemFileEntry).file((f) => {
        out.push({ rel: entry.fullPath, file: f });
        resolve();
      }, reject);
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const more = (): void => {
        reader.readEntries((batch) => {
          if (!batch.length) {
            resolve();
            return;
          }
          Promise.all(batch.map((e) => walkEntry(e, out))).then(more, reject);
        }, reject);
      };
      more();
    } else resolve();
  });
}

function listenForDrop(
  dropZone: HTMLElement,
  verify: (picked: PickedFile[], label: string) => Promise<void>,
  verdict: (cls: string, title: string, paragraphs: string[]) => HTMLElement,
): void {
  let dragDepth = 0;
  document.addEventListener('dragenter', (e) => {
    e.preventDefault();
    dragDepth++;
    dropZone.classList.add('over');
  });
  document.addEventListener('dragleave', () => {
    if (--dragDepth <= 0) {
      dragDepth = 0;
      dropZone.classList.remove('over');
    }
  });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    dropZone.classList.remove('over');
    const dt = e.dataTransfer;
    if (!dt) return;
    const entries: FileSystemEntry[] = [];
    for (const item of Array.prototype.slice.call(dt.items ?? []) as DataTransferItem[]) {
      const entry = item.webkitGetAsEntry ? item.webkitGetAsEntry() : null;
      if (entry) entries.push(entry);
    }
    if (!entries.length) {
      const files = Array.prototype.slice.call(dt.files ?? []) as File[];
      if (files.length) {
        void verify(
          files.map((f) => ({ rel: f.name, file: f })),
          'the dropped files',
        );
      }
      return;
    }
    const out: PickedFile[] = [];
    Promise.all(entries.map((en) => walkEntry(en, out))).then(
      () => verify(out, entries.length === 1 ? entries[0]!.name : 'the dropped items'),
      (err: unknown) => {
        verdict('v-warn', 'The dropped folder could not be read', [
          'This browser could not list the dropped folder (' +
            visible((err as Error | null)?.name || 'error') +
            '). Use the \u201cBundle folder\u201d button instead.',
        ]);
      },
    );
  });
}
