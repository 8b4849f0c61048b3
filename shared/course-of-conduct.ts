import { parseTime, type ParsedTime } from './recorded-time';

/**
 * The course of conduct, computed once for every place that states it (the app's timeline,
 * the viewer, the PDF report): the occasions in time order, the separate days they fell on,
 * the span from the first day to the last, and the gap before each occasion.
 *
 * Days are local calendar days in one stated IANA time zone (the exporter's at export, the
 * machine's in the app). A time recorded with a zone or offset is placed on the calendar of
 * that zone; a time recorded without one (a typed wall clock, a camera clock, a bare date)
 * keeps the date it was written with, and is read as a wall clock in that zone for ordering.
 *
 * The "about" rule: a figure is "about" when it cannot be exact. Gaps are counted in whole
 * calendar days, which is exact for the recorded dates; a gap in hours or minutes is "about"
 * when either time has no zone (the difference could be off by a zone); and a count rounded
 * to weeks, months or years is always "about".
 *
 * Pure (no clock, no DOM), for every side: shared imports nothing from main or renderer.
 */

export interface Dated {
  occurredAt: string;
}

export interface Gap {
  /** Calendar days from the previous occasion's day to this one's: 0 on the same day. */
  days: number;
  /** Minutes between the two times, or null when either is a date without a clock. */
  minutes: number | null;
  /** Either time has no zone: a gap in hours is then "about". */
  zoneless: boolean;
  /** The app's words: "Same day, 3 hours later", "23 days later (about 3 weeks)". */
  text: string;
}

export interface Occasion<T extends Dated> {
  incident: T;
  /** The time as parsed, or null when it is not a time Dossier can read. */
  time: ParsedTime | null;
  /** "YYYY-MM-DD": the local calendar day (see above); null for an unreadable time. */
  day: string | null;
  /** Null for the first dated occasion and for any unreadable one. */
  gap: Gap | null;
}

export interface CourseOfConduct<T extends Dated> {
  /** The IANA zone the days are counted in (stated wherever the figures are). */
  timeZone: string;
  /** Every incident: dated ones in time order, then unreadable ones in the order given. */
  occasions: Occasion<T>[];
  /** Occasions with a readable time. */
  dated: number;
  /** Distinct local calendar days with at least one occasion. */
  days: number;
  /** First and last day ("YYYY-MM-DD"), or null with no dated occasion. */
  firstDay: string | null;
  lastDay: string | null;
  /** Days from the first day to the last (0 when on one day); equals the sum of the gaps. */
  spanDays: number;
  /** The gaps in days between consecutive dated occasions, in order. */
  gaps: number[];
  /** "No incidents", "1 incident", "7 incidents over 4 months". */
  summary: string;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone if this runtime knows it, else "UTC" (said, so never silently wrong). */
export function knownTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    return formatter(timeZone).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** The zone of the machine this runs on (the app's; the exporter's at export). */
export function machineTimeZone(): string {
  return knownTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
}

/** Minutes the zone's clock is ahead of UTC at the instant `ms`. */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(whole)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((wall - whole) / 60_000);
}

function zoneless(t: ParsedTime): boolean {
  return t.kind === 'floating' || t.kind === 'date';
}

/** The instant a time stands for: a wall clock without a zone is read in `timeZone`. */
export function instantIn(t: ParsedTime, timeZone: string): number {
  if (!zoneless(t)) return t.ms;
  const guess = t.ms - zoneOffsetMinutes(timeZone, t.ms) * 60_000;
  return t.ms - zoneOffsetMinutes(timeZone, guess) * 60_000;
}

/** Days since 1970-01-01 of the local calendar day (see the module comment). */
export function dayNumberIn(t: ParsedTime, timeZone: string): number {
  const wall = zoneless(t) ? t.ms : t.ms + zoneOffsetMinutes(timeZone, t.ms) * 60_000;
  return Math.floor(wall / DAY_MS);
}

export function dayText(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "(about 3 weeks)" after a count of days, when rounding helps the reader. */
function roughly(days: number): string {
  if (days >= 14 && days < 61) return ` (about ${Math.round(days / 7)} weeks)`;
  if (days >= 61 && days < 730) return ` (about ${Math.round(days / 30.44)} months)`;
  if (days >= 730) return ` (about ${Math.round(days / 365.25)} years)`;
  return '';
}

function gapOf(a: ParsedTime, b: ParsedTime, timeZone: string): Gap {
  const days = Math.max(0, dayNumberIn(b, timeZone) - dayNumberIn(a, timeZone));
  const clocks = a.kind !== 'date' && b.kind !== 'date';
  const minutes = clocks
    ? Math.max(0, Math.round((instantIn(b, timeZone) - instantIn(a, timeZone)) / 60_000))
    : null;
  const approx = zoneless(a) || zoneless(b);
  const about = approx ? 'about ' : '';
  let text: string;
  if (days === 0) {
    if (minutes === null || minutes === 0) text = 'Same day';
    else if (minutes < 60) text = `Same day, ${about}${plural(minutes, 'minute')} later`;
    else text = `Same day, ${about}${plural(Math.round(minutes / 60), 'hour')} later`;
  } else if (days === 1) text = 'The next day';
  else text = `${days} days later${roughly(days)}`;
  return { days, minutes, zoneless: approx, text };
}

/** "on one day", "over 5 days", "over 4 months": both ends count (the 1st to the 5th is 5 days). */
export function spanWords(spanDays: number): string {
  const days = spanDays + 1;
  if (days === 1) return 'on one day';
  if (days < 14) return `over ${days} days`;
  if (days < 61) return `over ${Math.round(days / 7)} weeks`;
  const months = Math.ceil(days / 30.44);
  if (months < 24) return `over ${months} months`;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return `over ${plural(years, 'year')}${rest ? ` and ${plural(rest, 'month')}` : ''}`;
}

/** The course of conduct of these incidents, with days counted in `timeZone`. */
export function courseOfConduct<T extends Dated>(
  incidents: readonly T[],
  timeZone: string,
): CourseOfConduct<T> {
  const zone = knownTimeZone(timeZone);
  const read = incidents.map((incident, index) => {
    const time = parseTime(incident.occurredAt);
    return {
      incident,
      index,
      time,
      day: time ? dayNumberIn(time, zone) : null,
      at: time ? instantIn(time, zone) : null,
    };
  });
  const dated = read.filter((r) => r.time !== null);
  // By day first, so days never go backwards (a clock put back across midnight), then instant.
  dated.sort(
    (x, y) =>
      x.day! - y.day! ||
      x.at! - y.at! ||
      (x.incident.occurredAt < y.incident.occurredAt
        ? -1
        : x.incident.occurredAt > y.incident.occurredAt
          ? 1
          : x.index - y.index),
  );
  const undated = read.filter((r) => r.time === null);
  const occasions: Occasion<T>[] = [
    ...dated.map((r, i) => ({
      incident: r.incident,
      time: r.time,
      day: dayText(r.day!),
      gap: i === 0 ? null : gapOf(dated[i - 1]!.time!, r.time!, zone),
    })),
    ...undated.map((r) => ({ incident: r.incident, time: null, day: null, gap: null })),
  ];
  const gaps = occasions.slice(1, dated.length).map((o) => o.gap!.days);
  const first = dated[0]?.day ?? null;
  const last = dated[dated.length - 1]?.day ?? null;
  const spanDays = first === null || last === null ? 0 : last - first;
  const n = incidents.length;
  const count = plural(n, 'incident');
  const summary =
    n === 0
      ? 'No incidents'
      : n === 1 || dated.length < 2
        ? count
        : `${count} ${spanWords(spanDays)}`;
  return {
    timeZone: zone,
    occasions,
    dated: dated.length,
    days: new Set(dated.map((r) => r.day)).size,
    firstDay: first === null ? null : dayText(first),
    lastDay: last === null ? null : dayText(last),
    spanDays,
    gaps,
    summary,
  };
}

/** The gap between two recorded times, or null if either cannot be read. */
export function gapBetween(fromRaw: string, toRaw: string, timeZone: string): Gap | null {
  const a = parseTime(fromRaw);
  const b = parseTime(toRaw);
  return a && b ? gapOf(a, b, knownTimeZone(timeZone)) : null;
}
