// The custody log in words: the signed checkpoint, then one row per entry shown in the
// bundle (custody-bundle.ts), described by shared/custody-wording.ts, with its entry hash.
import { custodyEntryText } from '../../../../../shared/custody-wording';
import type { CustodyRecord } from '../../model';
import { compactUtc, groupDigits, instantText } from '../../report/text';
import type { CaseFacts } from '../facts';
import { CONTENT_W, MARGIN, SMALL, SOFT, type PdfWriter } from '../writer';

/** Drawn after the section heading; yields after each entry (thousands of them). */
export function* custodyLog(w: PdfWriter, f: CaseFacts): Generator<undefined> {
  const m = f.model;
  w.para(
    'Every action in the vault is recorded in a chain: each entry’s hash covers the entry and ' +
      'the hash of the entry before it, so no entry can be changed, removed or reordered without ' +
      'breaking the chain. Shown here are the entries that concern the exhibits in this bundle ' +
      '(subjects are given as exhibit numbers where possible). The complete entries are in ' +
      'data/metadata/custody.jsonl. Times are UTC.',
  );
  const pathWithheld = m.custody.filter((c) => c.withheld === 'full-source-path').length;
  if (m.custodyLeftOut || pathWithheld) {
    w.para(
      [
        m.custodyLeftOut
          ? `${groupDigits(m.custodyLeftOut)} ${m.custodyLeftOut === 1 ? 'entry is' : 'entries are'} about evidence not in this bundle: ` +
            'they are left out and counted, with no times, and the chain still checks across them.'
          : '',
        pathWithheld
          ? `${groupDigits(pathWithheld)} ${pathWithheld === 1 ? 'entry has its' : 'entries have their'} details withheld because ` +
            'they record the full path a file was imported from (which can name the person’s home folder); ' +
            'their place in the chain is kept.'
          : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  w.gap(6);
  const cp = m.checkpoint;
  w.heading('Signed checkpoint', 11, 2);
  if (cp) {
    const sig = w.t(cp.signature, { max: 400 }).replace(/(.{64})(?=.)/g, '$1\n');
    w.rows(
      [
        { label: 'Entry (seq)', value: String(cp.seq) },
        { label: 'Head hash', value: w.t(cp.head, { max: 80 }), mono: true },
        { label: 'Signed at', value: instantText(cp.signedAt, undefined, w.supports) },
        { label: 'Signature', value: sig, mono: true },
      ],
      MARGIN.left,
      CONTENT_W,
    );
    w.para(
      'The checkpoint is signed with the bundle’s signing key: it fixes the head of the chain at ' +
        'export time, so the log cannot later be rewritten without the key. VERIFY.txt explains how to check it.',
      { size: SMALL, color: SOFT },
    );
  } else w.para('No signed checkpoint was recorded.');
  w.heading('Entries', 11, 10);
  if (m.custody.length === 0) {
    w.para('No entries.');
    return;
  }
  const cols = [0, 36, 128, 196, 286, CONTENT_W];
  const header = ['Seq', 'Time (UTC)', 'Actor', 'Action', 'Subjects and details'];
  const headerRow = (): void => {
    const y = w.y;
    w.use('B', 7.5, SOFT);
    header.forEach((h, i) => w.doc.text(h, MARGIN.left + cols[i]!, y, { lineBreak: false }));
    w.y = y + 11;
    w.rule();
    w.gap(2);
  };
  headerRow();
  for (const c of [...m.custody].sort((a, b) => a.seq - b.seq)) {
    const cells = [
      String(c.seq),
      compactUtc(c.at, w.supports).replace(/Z$/, ''),
      w.t(c.actor, { max: 60 }),
      w.t(c.action, { max: 40 }),
      custodyText(w, f, c),
    ];
    const hs = cells.map((v, i) => w.height('R', 7.5, v, cols[i + 1]! - cols[i]! - 5));
    const h = Math.max(...hs) + 11;
    if (w.y + h > w.maxY) {
      w.newPage();
      headerRow();
    }
    const y = w.y;
    w.use('R', 7.5);
    cells.forEach((v, i) =>
      w.doc.text(v, MARGIN.left + cols[i]!, y, {
        width: cols[i + 1]! - cols[i]! - 5,
        lineGap: 1.5,
      }),
    );
    const hy = y + Math.max(...hs) + 1;
    w.use('R', 6.5, SOFT);
    w.doc.text('entry hash', MARGIN.left + cols[1]!, hy + 0.5, { lineBreak: false });
    w.use('M', 7, SOFT);
    w.doc.text(w.t(c.hash, { max: 80 }), MARGIN.left + cols[2]!, hy, { lineBreak: false });
    w.y = y + h;
    yield w.tick();
  }
}

/** An entry's subjects (as exhibit labels where possible) and what it did, in words. */
export function custodyText(w: PdfWriter, f: CaseFacts, c: CustodyRecord): string {
  if (c.withheld === 'full-source-path') {
    return w.t('Details withheld: this entry records the full path the file was imported from.', {
      max: 220,
    });
  }
  const subjects = c.subjects.map((s) => f.exhibitByItem.get(s) ?? `${s.slice(0, 10)}…`);
  const subj =
    subjects.length > 8
      ? `${subjects.slice(0, 8).join(', ')} … and ${subjects.length - 8} more`
      : subjects.join(', ');
  // The shared wording (also the app's and the viewer's); every hash is in custody.jsonl.
  const text = [subj, custodyEntryText(c)].filter((s) => s !== '').join(' — ');
  return w.t(text, { max: 600 }) || '—';
}
