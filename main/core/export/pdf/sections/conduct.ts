// The course of conduct: incidents in time order, counted in calendar days of the exporter's
// time zone (shared/course-of-conduct.ts, the same figures as the app and the viewer), an
// at-a-glance table, then one block per incident.
import { groupDigits, plural } from '../../report/text';
import { dayWords, type CaseFacts, type DatedIncident } from '../facts';
import { CONTENT_W, INK, MARGIN, SMALL, SOFT, type PdfWriter, type Row } from '../writer';
import { incidentMessageLines } from './transcript';

/** The figures in words, the note on the law, and the at-a-glance table. */
export function conductIntro(w: PdfWriter, f: CaseFacts): void {
  const c = f.conduct;
  const n = f.incidents.length;
  const zone = w.t(c.timeZone, { max: 60 });
  let text: string;
  if (n === 0) text = 'No incidents are described in this bundle.';
  else if (n === 1)
    text = `One incident is recorded, on ${f.when(f.incidents[0]!.incident.occurredAt)}.`;
  else {
    text = `${groupDigits(n)} incidents are recorded, on ${plural(c.days, 'separate day')}`;
    if (c.firstDay && c.lastDay && c.spanDays > 0) {
      text += `, from ${dayWords(c.firstDay)} to ${dayWords(c.lastDay)} (${plural(c.spanDays, 'day')} from the first day to the last).`;
    } else text += '.';
    if (c.gaps.length > 0) {
      const longest = Math.max(...c.gaps);
      const shortest = Math.min(...c.gaps);
      text +=
        longest === shortest
          ? ` Each incident is ${plural(longest, 'day')} after the one before.`
          : ` The gaps between one incident and the next range from ${plural(shortest, 'day')} to ${plural(longest, 'day')}.`;
    }
    if (c.dated < n)
      text += ` ${plural(n - c.dated, 'incident')} ${n - c.dated === 1 ? 'has' : 'have'} a time the report cannot read, and ${n - c.dated === 1 ? 'is' : 'are'} not counted in these figures.`;
    text += ` Days are calendar days in the ${zone} time zone (the exporter’s); a time recorded without a zone keeps the date it was written with.`;
  }
  w.para(text);
  w.gap(4);
  w.para(
    'For reference: in England and Wales, harassment under the Protection from Harassment Act ' +
      '1997 needs a “course of conduct”, which means conduct on at least two occasions. These ' +
      'figures count what was recorded; whether it amounts to harassment is for a court to decide.',
    { size: SMALL + 0.5, color: SOFT },
  );
  if (n === 0) return;
  // One line per occasion first, then the full descriptions.
  w.heading('At a glance', 12, 10);
  const cols = [0, 30, 190, 300];
  const header = ['No.', 'When', 'Since previous', 'Where / platform'];
  const line = (cells: string[], bold: boolean): void => {
    const y = w.y;
    w.use(bold ? 'B' : 'R', SMALL + 0.5, bold ? SOFT : INK);
    cells.forEach((c, i) => {
      const x = MARGIN.left + cols[i]!;
      const cw = (cols[i + 1] ?? CONTENT_W) - cols[i]! - 6;
      w.doc.text(c, x, y, { width: cw, height: SMALL + 3, ellipsis: true, lineBreak: false });
    });
    w.y = y + SMALL + 5;
  };
  line(header, true);
  let prev: DatedIncident | null = null;
  for (const d of f.incidents) {
    if (w.y + SMALL + 5 > w.maxY) {
      w.newPage();
      line(header, true);
    }
    line(
      [
        String(d.n),
        f.when(d.incident.occurredAt, true),
        prev ? f.gapText(d) : '—',
        w.t(d.incident.place, { max: 80 }).replace(/\n/g, ' ') || '—',
      ],
      false,
    );
    prev = d;
  }
  w.heading('Each incident', 12, 10);
}

export function incidentBlock(w: PdfWriter, f: CaseFacts, d: DatedIncident): void {
  const i = d.incident;
  const prev = d.n > 1 ? f.incidents[d.n - 2] : undefined;
  const head = `Incident ${d.n} of ${f.incidents.length}`;
  const rows: Row[] = [
    {
      label: 'When',
      value: f.when(i.occurredAt) + (i.occurredUntil ? `\nuntil ${f.when(i.occurredUntil)}` : ''),
    },
  ];
  if (prev) rows.push({ label: 'Since previous', value: f.gapText(d) });
  const add = (label: string, v: string, max = 3000): void => {
    if (v.trim()) rows.push({ label, value: w.t(v, { multiline: true, max }) });
  };
  add('Where / platform', i.place, 300);
  add('What happened', i.summary);
  add('Impact', i.impact);
  add('Witnesses', i.witnesses, 800);
  add('Police reference', i.policeRef, 200);
  add('Platform reference', i.platformRef, 200);
  rows.push({
    label: 'Exhibits',
    value: i.exhibitNumbers.length ? f.list(i.exhibitNumbers, 60) : 'none linked',
  });
  const names = i.personIds.map((id) => f.personName(id));
  if (names.length) rows.push({ label: 'People', value: w.t(names.join('; '), { max: 1500 }) });
  const h = w.height('B', 11, head, CONTENT_W) + 6 + w.rowsHeight(rows, CONTENT_W);
  w.keep(Math.min(h + 10, w.maxY - MARGIN.top));
  w.gap(4);
  w.rule();
  w.gap(4);
  w.use('B', 11);
  w.doc.text(head, MARGIN.left, w.y, { width: CONTENT_W });
  w.gap(3);
  w.rows(rows, MARGIN.left, CONTENT_W);
  incidentMessageLines(w, f, i.messageIds ?? [], f.messageById);
}
