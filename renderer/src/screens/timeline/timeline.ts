import {
  courseOfConduct,
  dayNumberIn,
  gapBetween as sharedGapBetween,
  machineTimeZone,
  spanWords,
  type Gap,
} from '../../../../shared/course-of-conduct';
import { parseTime } from '../../../../shared/recorded-time';

/**
 * The timeline screen's view of the course of conduct. The maths (order, days, gaps, span,
 * the "about" rule) is shared/course-of-conduct.ts, the same the viewer and the PDF report
 * use; the app counts days in this machine's time zone, and says which.
 */
export interface TimelineIncident {
  id: string;
  occurredAt: string;
  personIds: readonly string[];
  /** Messages it points at; a message's sender may be a person (marked as theirs). */
  messages?: readonly TimelineMessage[];
}

export interface TimelineMessage {
  id: string;
  conversationId: string;
  index: number;
  sender: string;
  personId: string | null;
  time: string | null;
  excerpt: string;
}

export interface TimelineEntry<T extends TimelineIncident> {
  incident: T;
  /** Null for the first incident, or when its time cannot be read. */
  gap: Gap | null;
}

export type { Gap };

export interface Timeline<T extends TimelineIncident> {
  entries: TimelineEntry<T>[];
  summary: string;
  /** The IANA zone the days are counted in. */
  timeZone: string;
}

/** Days since 1970-01-01 of the local calendar day of a recorded time, in `timeZone`. */
export function calendarDay(raw: string, timeZone = machineTimeZone()): number | null {
  const t = parseTime(raw);
  return t ? dayNumberIn(t, timeZone) : null;
}

/** "Same day", "Same day, 3 hours later", "The next day", "23 days later (about 3 weeks)". */
export function gapBetween(
  fromRaw: string,
  toRaw: string,
  timeZone = machineTimeZone(),
): Gap | null {
  return sharedGapBetween(fromRaw, toRaw, timeZone);
}

/** How long a run of incidents covers: "on one day", "over 5 days", "over 4 months". */
export function spanText(
  firstRaw: string,
  lastRaw: string,
  timeZone = machineTimeZone(),
): string | null {
  const a = calendarDay(firstRaw, timeZone);
  const b = calendarDay(lastRaw, timeZone);
  return a === null || b === null ? null : spanWords(Math.abs(b - a));
}

/** Oldest first; times that cannot be read go last, in the order given. */
export function inDateOrder<T extends TimelineIncident>(
  incidents: readonly T[],
  timeZone = machineTimeZone(),
): T[] {
  return courseOfConduct(incidents, timeZone).occasions.map((o) => o.incident);
}

/** The timeline, optionally only the incidents one person is linked to. */
export function buildTimeline<T extends TimelineIncident>(
  incidents: readonly T[],
  personId: string | null = null,
  timeZone = machineTimeZone(),
): Timeline<T> {
  const chosen = personId ? incidents.filter((i) => involves(i, personId)) : incidents;
  const conduct = courseOfConduct(chosen, timeZone);
  return {
    entries: conduct.occasions.map((o) => ({ incident: o.incident, gap: o.gap })),
    summary: conduct.summary,
    timeZone: conduct.timeZone,
  };
}

/** The person is linked to the incident, or sent one of the messages it points at. */
export function involves(incident: TimelineIncident, personId: string): boolean {
  return (
    incident.personIds.includes(personId) ||
    (incident.messages ?? []).some((m) => m.personId === personId)
  );
}

/** Under an incident: each linked message's sender (the person's name when marked) and text. */
export function messageLines(
  incident: TimelineIncident,
  names: ReadonlyMap<string, string>,
): {
  id: string;
  conversationId: string;
  index: number;
  who: string;
  time: string | null;
  excerpt: string;
}[] {
  return (incident.messages ?? []).map((m) => ({
    id: m.id,
    conversationId: m.conversationId,
    index: m.index,
    who: (m.personId && names.get(m.personId)) || m.sender || 'the platform',
    time: m.time,
    excerpt: m.excerpt,
  }));
}

/** "No incidents", "1 incident", "7 incidents over 4 months". */
export function summaryText(
  incidents: readonly TimelineIncident[],
  timeZone = machineTimeZone(),
): string {
  return courseOfConduct(incidents, timeZone).summary;
}
