// The top of a cover page, the same in report.pdf and bundle.pdf: what the document is, the
// case, who exported it and when, the exhibits, and the two hashes that tie it to the bundle.
import type { ExportModel } from '../../model';
import { instantText, plural } from '../../report/text';
import { CONTENT_W, MARGIN, SMALL, SOFT, type PdfWriter, type Row } from '../writer';

export function coverTop(
  w: PdfWriter,
  m: ExportModel,
  what: { kind: string; document: string; rows: Row[] },
): void {
  w.newPage();
  w.use('B', 10, SOFT);
  w.doc.text(what.kind, MARGIN.left, MARGIN.top + 20);
  w.gap(6);
  w.use('B', 22);
  w.doc.text(w.t(m.caseName, { max: 200 }) || '(no case name)', MARGIN.left, w.y, {
    width: CONTENT_W,
    height: 90,
    ellipsis: true,
  });
  w.gap(14);
  const n = m.exhibits.length;
  const first = m.exhibits[0]?.number;
  const last = m.exhibits[n - 1]?.number;
  w.rows(
    [
      {
        label: 'Exported',
        value: instantText(m.exportedAt, m.exportedOffsetMinutes, w.supports),
      },
      {
        label: 'Exported by',
        value: m.exporter.trim() ? w.t(m.exporter, { max: 200 }) : '(no name was given)',
      },
      {
        label: 'Exhibits',
        value:
          n === 0
            ? 'none'
            : `${plural(n, 'exhibit')}${first && last ? `, ${w.t(first, { max: 40 })} to ${w.t(last, { max: 40 })}` : ''}`,
      },
      ...what.rows,
      {
        label: 'Made with',
        value: w.t(`${m.software.name} ${m.software.version}`, { max: 80 }),
      },
    ],
    MARGIN.left,
    CONTENT_W,
  );
  w.gap(12);
  coverHash(
    w,
    'Signing-key fingerprint',
    'SHA-256 of the Ed25519 public key in signature/dossier-public-key.pem',
    w.t(m.signingKeyFingerprint, { max: 100 }),
  );
  coverHash(
    w,
    'SHA-256 of the evidence index (data/metadata/items.json)',
    `The index lists every exhibit with its SHA-256. If that file gives this hash, it is the exact list this ${what.document} was made from.`,
    w.t(m.evidenceIndexSha256, { max: 100 }),
  );
}

/** A hash on a cover page: its title, the value in monospace, and a note on what it is. */
function coverHash(w: PdfWriter, title: string, note: string, value: string): void {
  w.use('B', 9.5);
  w.doc.text(title, MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(2);
  w.use('M', 10);
  w.doc.text(value || '(none)', MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(1);
  w.para(note, { size: SMALL, color: SOFT });
  w.gap(8);
}
