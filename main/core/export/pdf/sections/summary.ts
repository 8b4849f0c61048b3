// The summary (what is in the bundle, in figures) and the people named in it.
import { dateText, groupDigits, parseTime, plural, sizeText } from '../../report/text';
import { kindOf, ROLE, type CaseFacts } from '../facts';
import { CONTENT_W, MARGIN, type PdfWriter, type Row } from '../writer';

export function summary(w: PdfWriter, f: CaseFacts): void {
  const m = f.model;
  const derived = m.exhibits.filter((e) => e.derivedFrom !== null).length;
  const bytes = m.exhibits.reduce((s, e) => s + e.size, 0);
  const kinds = new Map<string, number>();
  for (const e of m.exhibits) {
    const k = kindOf(e.mime);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const ingests = m.exhibits
    .map((e) => parseTime(e.ingestedAt))
    .filter((t) => t !== null)
    .map((t) => t.ms)
    .sort((a, b) => a - b);
  const timed = f.incidents.filter((d) => d.time !== null);
  const days = f.conduct.days;
  const roles = new Map<string, number>();
  for (const p of m.people) roles.set(ROLE[p.role] ?? 'Other', (roles.get(ROLE[p.role]) ?? 0) + 1);
  const firstInc = timed[0];
  const lastInc = timed[timed.length - 1];
  const rows: Row[] = [
    {
      label: 'Exhibits',
      value:
        `${plural(m.exhibits.length, 'exhibit')}` +
        (derived
          ? ` (${groupDigits(m.exhibits.length - derived)} original, ${groupDigits(derived)} derived cop${derived === 1 ? 'y' : 'ies'})`
          : ''),
    },
    {
      label: 'Kinds of file',
      value: [...kinds].map(([k, c]) => plural(c, k)).join(', ') || 'none',
    },
    { label: 'Total size', value: sizeText(bytes) },
    {
      label: 'Imported',
      value:
        ingests.length > 0
          ? `between ${dateText(ingests[0]!)} and ${dateText(ingests[ingests.length - 1]!)} (UTC)`
          : '—',
    },
    {
      label: 'Incidents',
      value:
        m.incidents.length === 0
          ? 'none described'
          : `${plural(m.incidents.length, 'incident')} on ${plural(days, 'separate day')} (calendar days in the ${w.t(f.conduct.timeZone, { max: 60 })} time zone)`,
    },
    {
      label: 'Incident dates',
      value:
        firstInc && lastInc
          ? `${f.when(firstInc.incident.occurredAt)} to ${f.when(lastInc.incident.occurredAt)}`
          : '—',
    },
    {
      label: 'People named',
      value:
        m.people.length === 0
          ? 'none'
          : `${groupDigits(m.people.length)}: ${[...roles].map(([r, c]) => `${groupDigits(c)} ${r.toLowerCase()}`).join(', ')}`,
    },
    {
      label: 'Custody log',
      value:
        `${groupDigits(m.custody.length)} ${m.custody.length === 1 ? 'entry' : 'entries'}` +
        (m.custodyLeftOut
          ? ` (and ${groupDigits(m.custodyLeftOut)} about other evidence, counted but not shown)`
          : '') +
        (m.checkpoint
          ? `, with a signed checkpoint at entry ${m.checkpoint.seq}`
          : ', no signed checkpoint'),
    },
  ];
  w.rows(rows, MARGIN.left, CONTENT_W);
}

/** One block per person: name, role, identifiers, linked incidents and exhibits, notes. */
export function people(w: PdfWriter, f: CaseFacts): void {
  const links = f.personLinks();
  for (const p of f.model.people) {
    const l = links.get(p.id);
    const pr: Row[] = [
      { label: 'Name', value: w.t(p.name, { max: 200 }) || '(no name)', bold: true },
      { label: 'Role', value: ROLE[p.role] ?? w.t(String(p.role), { max: 40 }) },
    ];
    if (p.identifiers.length)
      pr.push({
        label: 'Identifiers',
        value: w.t(
          p.identifiers
            .slice(0, 20)
            .map((i) => `${i.kind}: ${i.value}`)
            .join('\n') +
            (p.identifiers.length > 20 ? `\n… and ${p.identifiers.length - 20} more` : ''),
          { multiline: true, max: 1500 },
        ),
      });
    if (l?.incidents.length)
      pr.push({ label: 'Incidents', value: l.incidents.map((n) => `${n}`).join(', ') });
    if (l?.exhibits.length) pr.push({ label: 'Exhibits', value: f.list(l.exhibits, 40) });
    if (p.notes.trim())
      pr.push({ label: 'Notes', value: w.t(p.notes, { multiline: true, max: 600 }) });
    w.keep(Math.min(w.rowsHeight(pr, CONTENT_W) + 8, 300));
    w.rows(pr, MARGIN.left, CONTENT_W);
    w.gap(6);
  }
}
