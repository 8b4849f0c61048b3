// What the sections of both PDFs say about the case as a whole, worked out once per pass:
// incidents in time order with their numbers and gaps (shared/course-of-conduct.ts), people
// by id, exhibit labels by item, and the wording helpers every section uses.
import {
  courseOfConduct,
  zoneOffsetMinutes,
  type CourseOfConduct,
  type Gap,
} from '../../../../shared/course-of-conduct';
import type { ExportModel, IncidentRecord, PersonRecord, TranscriptMessage } from '../model';
import { dateText, parseTime, recordedText, zoneText, type ParsedTime } from '../report/text';
import type { PdfWriter } from './writer';

export interface DatedIncident {
  incident: IncidentRecord;
  n: number;
  time: ParsedTime | null;
  /** From the previous incident (shared/course-of-conduct.ts); null for the first. */
  gap: Gap | null;
}

export const ROLE: Record<PersonRecord['role'], string> = {
  harasser: 'Alleged harasser',
  witness: 'Witness',
  official: 'Official',
  other: 'Other',
};

export class CaseFacts {
  readonly incidents: DatedIncident[];
  readonly conduct: CourseOfConduct<IncidentRecord>;
  readonly incidentNo = new Map<string, DatedIncident>();
  readonly people = new Map<string, PersonRecord>();
  readonly exhibitByItem = new Map<string, string>();
  /** The transcript messages by id, and each conversation exhibit's, by item. */
  readonly messageById = new Map<string, TranscriptMessage>();
  readonly transcriptOf = new Map<string, TranscriptMessage[]>();

  constructor(
    readonly model: ExportModel,
    private readonly w: PdfWriter,
  ) {
    this.conduct = courseOfConduct(model.incidents, model.exportedTimeZone);
    this.incidents = this.conduct.occasions.map((o, i) => ({
      incident: o.incident,
      n: i + 1,
      time: o.time,
      gap: o.gap,
    }));
    for (const d of this.incidents) this.incidentNo.set(d.incident.id, d);
    for (const p of model.people) this.people.set(p.id, p);
    for (const e of model.exhibits) this.exhibitByItem.set(e.itemId, e.number);
    for (const m of model.messages ?? []) {
      this.messageById.set(m.id, m);
      let list = this.transcriptOf.get(m.itemId);
      if (!list) this.transcriptOf.set(m.itemId, (list = []));
      list.push(m);
    }
  }

  when(raw: string, short = false): string {
    if (!short) return recordedText(raw, 'plain', this.w.supports);
    const t = parseTime(raw);
    if (!t) return this.w.t(raw, { max: 30 });
    // A zoned time on the clock of the zone its day is counted in, so the two agree.
    const zoned = t.kind === 'utc' || t.kind === 'offset';
    const off = zoned ? zoneOffsetMinutes(this.conduct.timeZone, t.ms) : 0;
    const iso = new Date(t.ms + off * 60_000).toISOString();
    const day = iso.slice(0, 10);
    const clock = iso.slice(11, 16);
    if (t.kind === 'date') return `${day} (date only)`;
    return t.kind === 'floating' ? `${day} ${clock} (no zone)` : `${day} ${clock} ${zoneText(off)}`;
  }

  /** The gap before an incident, in the words the app and the viewer use too. */
  gapText(d: DatedIncident): string {
    return d.gap ? d.gap.text : 'unknown';
  }

  personName(id: string): string {
    const p = this.people.get(id);
    return p
      ? `${p.name} (${ROLE[p.role]?.toLowerCase() ?? 'other'})`
      : `unknown person ${id.slice(0, 8)}`;
  }

  /** At most `max` items, saying how many more there are (all are in the metadata files). */
  list(items: string[], max: number, sep = ', '): string {
    const shown = items.slice(0, max).join(sep);
    return this.w.t(items.length > max ? `${shown} … and ${items.length - max} more` : shown, {
      max: 3000,
    });
  }

  /** Incidents and exhibits each person is linked to. */
  personLinks(): Map<string, { incidents: number[]; exhibits: string[] }> {
    const map = new Map<string, { incidents: number[]; exhibits: string[] }>();
    const get = (id: string): { incidents: number[]; exhibits: string[] } => {
      let v = map.get(id);
      if (!v) map.set(id, (v = { incidents: [], exhibits: [] }));
      return v;
    };
    for (const d of this.incidents)
      for (const id of new Set(d.incident.personIds)) get(id).incidents.push(d.n);
    for (const e of this.model.exhibits)
      for (const id of new Set(e.personIds)) get(id).exhibits.push(e.number);
    return map;
  }
}

/** "Tue 5 Mar 2024" for a calendar day "YYYY-MM-DD". */
export function dayWords(day: string): string {
  return dateText(Date.parse(`${day}T00:00:00Z`));
}

/** A kind of file, singular (plural() adds the "s"). */
export function kindOf(mime: string): string {
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'message/rfc822' || mime === 'application/vnd.ms-outlook') return 'email';
  if (mime === 'application/pdf') return 'PDF document';
  if (mime.startsWith('audio/')) return 'audio recording';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('text/')) return 'text file';
  return 'other file';
}
