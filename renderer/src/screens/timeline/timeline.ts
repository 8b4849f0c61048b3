import { parseTime } from '../../../../shared/recorded-time';

/**
 * The date maths behind the timeline, kept pure (no DOM, no clock) so it can be tested:
 * incidents in date order, the gap before each one in plain words, and a one-line summary
 * ("7 incidents over 4 months") that makes a course of conduct visible at a glance.
 *
 * Days are counted on the calendar as the time was recorded: 23:30 and 00:10 the next
 * morning, both typed in the same zone, are one day apart.
 */
export interface TimelineIncident {
  id: string;
  occurredAt: string;
  personIds: readonly string[];
}

export interface TimelineEntry<T extends TimelineIncident> {
  incident: T;
  /** Null for the first incident, or when either time cannot be read. */
  gap: Gap | null;
}

export interface Gap {
  days: number;
  minutes: number;
  text: string;
}

export interface Timeline<T extends TimelineIncident> {
  entries: TimelineEntry<T>[];
  summary: string;
}

const DAY_MS = 86_400_000;

/** The instant, for ordering; null if the text is not a time Dossier can read. */
export function instantOf(raw: string): number | null {
  return parseTime(raw)?.ms ?? null;
}

/** Days since 1970-01-01 of the date as recorded (in the zone it was typed in). */
export function calendarDay(raw: string): number | null {
  const t = parseTime(raw);
  if (!t) return null;
  return Math.floor((t.ms + t.offsetMinutes * 60_000) / DAY_MS);
}

function hasClock(raw: string): boolean {
  const t = parseTime(raw);
  return t !== null && t.kind !== 'date';
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "Same day", "Same day, 3 hours later", "The next day", "23 days later (about 3 weeks)". */
export function gapBetween(fromRaw: string, toRaw: string): Gap | null {
  const fromDay = calendarDay(fromRaw);
  const toDay = calendarDay(toRaw);
  const from = instantOf(fromRaw);
  const to = instantOf(toRaw);
  if (fromDay === null || toDay === null || from === null || to === null) return null;
  const days = Math.max(0, toDay - fromDay);
  const minutes = Math.max(0, Math.round((to - from) / 60_000));
  let text: string;
  if (days === 0) {
    if (!hasClock(fromRaw) || !hasClock(toRaw) || minutes === 0) text = 'Same day';
    else if (minutes < 60) text = `Same day, ${plural(minutes, 'minute')} later`;
    else text = `Same day, ${plural(Math.round(minutes / 60), 'hour')} later`;
  } else if (days === 1) {
    text = 'The next day';
  } else {
    text = `${days} days later`;
    if (days >= 14 && days < 61) text += ` (about ${Math.round(days / 7)} weeks)`;
    else if (days >= 61 && days < 730) text += ` (about ${Math.round(days / 30.44)} months)`;
    else if (days >= 730) text += ` (about ${Math.round(days / 365.25)} years)`;
  }
  return { days, minutes, text };
}

/** How long a run of incidents covers: "on one day", "over 5 days", "over 4 months". */
export function spanText(firstRaw: string, lastRaw: string): string | null {
  const a = calendarDay(firstRaw);
  const b = calendarDay(lastRaw);
  if (a === null || b === null) return null;
  const days = Math.abs(b - a) + 1; // both ends count: the 1st to the 5th is 5 days
  if (days === 1) return 'on one day';
  if (days < 14) return `over ${days} days`;
  if (days < 61) return `over ${Math.round(days / 7)} weeks`;
  const months = Math.ceil(days / 30.44);
  if (months < 24) return `over ${months} months`;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return `over ${plural(years, 'year')}${rest ? ` and ${plural(rest, 'month')}` : ''}`;
}

/** Oldest first; times that cannot be read go last, in the order given. */
export function inDateOrder<T extends TimelineIncident>(incidents: readonly T[]): T[] {
  return incidents
    .map((incident, index) => ({ incident, index, at: instantOf(incident.occurredAt) }))
    .sort((x, y) => {
      if (x.at === null || y.at === null) {
        if (x.at === y.at) return x.index - y.index;
        return x.at === null ? 1 : -1;
      }
      return x.at - y.at || x.index - y.index;
    })
    .map((x) => x.incident);
}

/** The timeline, optionally only the incidents one person is linked to. */
export function buildTimeline<T extends TimelineIncident>(
  incidents: readonly T[],
  personId: string | null = null,
): Timeline<T> {
  const chosen = inDateOrder(
    personId ? incidents.filter((i) => i.personIds.includes(personId)) : incidents,
  );
  const entries = chosen.map((incident, i) => ({
    incident,
    gap: i === 0 ? null : gapBetween(chosen[i - 1]!.occurredAt, incident.occurredAt),
  }));
  return { entries, summary: summaryText(chosen) };
}

/** "No incidents", "1 incident", "7 incidents over 4 months". */
export function summaryText(ordered: readonly TimelineIncident[]): string {
  if (ordered.length === 0) return 'No incidents';
  const count = plural(ordered.length, 'incident');
  if (ordered.length === 1) return count;
  const dated = ordered.filter((i) => instantOf(i.occurredAt) !== null);
  const span =
    dated.length > 1 ? spanText(dated[0]!.occurredAt, dated[dated.length - 1]!.occurredAt) : null;
  return span ? `${count} ${span}` : count;
}
