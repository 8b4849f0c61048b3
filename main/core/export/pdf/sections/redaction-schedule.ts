// A disclosure bundle's redaction schedule (docs/redaction.md, "Disclosure"): each withheld
// original by its SHA-256, the copy exported for it, and every area covered with its reason
// (CPR PD 57AD para 16: each redaction needs a stated reason).
import { disclosedCopyText, redactionAreaText } from '../../../../../shared/redaction-schedule';
import type { ScheduleEntry } from '../../model';
import { instantText } from '../../report/text';
import { CONTENT_W, MARGIN, type PdfWriter } from '../writer';

export function redactionSchedule(w: PdfWriter, schedule: readonly ScheduleEntry[]): void {
  w.para(
    'This bundle was made for disclosure. For each exhibit below, the original file is withheld ' +
      'and a copy is exhibited in its place: a redacted copy, in which each area listed is ' +
      'covered with solid black in the picture or replaced in the text (burned in: nothing of ' +
      'what is covered is in the copy), or a copy without its location and device details. ' +
      'The original is kept unchanged in the vault. Its SHA-256 is printed here, so that if the ' +
      'original is ordered, anyone can check it is the one withheld. The same schedule is in ' +
      'data/metadata/redactions.csv.',
  );
  w.gap(6);
  for (const s of schedule) {
    const rows = [
      { label: 'Exhibit', value: w.t(s.exhibit, { max: 40 }), bold: true },
      { label: 'Exhibited', value: w.t(disclosedCopyText(s), { max: 2000, multiline: true }) },
      { label: 'Copy SHA-256', value: w.t(s.copySha256, { max: 80 }), mono: true },
      {
        label: 'Original SHA-256',
        value: w.t(s.originalSha256, { max: 80 }),
        mono: true,
      },
      ...s.areas.map((a, i) => ({
        label: `Area ${i + 1}`,
        value: w.t(redactionAreaText(a, i + 1).replace(/^Area \d+: /, ''), {
          max: 800,
          multiline: true,
        }),
      })),
      ...(s.removed.length
        ? [{ label: 'Taken out', value: w.t(s.removed.join('; '), { max: 2000, multiline: true }) }]
        : []),
      {
        label: 'Made',
        value: w.t(
          `${instantText(s.madeAt, undefined, w.supports)} by ${s.madeBy} (custody entry ${s.custodySeq})`,
          { max: 400 },
        ),
      },
    ];
    w.keep(Math.min(w.rowsHeight(rows, CONTENT_W), 300));
    w.rows(rows, MARGIN.left, CONTENT_W);
    w.gap(4);
    w.rule();
    w.gap(6);
  }
}
