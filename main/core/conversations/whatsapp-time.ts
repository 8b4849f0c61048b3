// Wall-clock times placed in an IANA time zone (docs/conversations.md, "WhatsApp", "Times").
// The export writes local times with no zone; around a daylight-saving change a local time
// can be missing (spring forward) or happen twice (autumn back), and the rule for both is
// written here and reported on the message, never applied silently.

import { zoneOffsetMinutes } from '../../../shared/course-of-conduct';
import { isKnownTimeZone } from '../../../shared/time-zone-name';
import { DossierError } from '../errors';

/** Whether Intl knows the zone as an IANA name (not an offset or an abbreviation). */
export const isIanaTimeZone = isKnownTimeZone;

/** The zone, checked; a clear USAGE error for a name Intl does not know. */
export function checkTimeZone(zone: string, what: string): string {
  if (!isIanaTimeZone(zone)) {
    const shown = JSON.stringify(zone.slice(0, 64)).replace(/[\u007f-\u009f]/g, '?');
    throw new DossierError(
      'USAGE',
      `${what} ${shown} is not a time zone Dossier knows. Give an IANA name such as Europe/London, America/New_York or Asia/Kolkata.`,
    );
  }
  return zone;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Offsets of one zone, cached by UTC day (a chat spanning two years asks Intl ~1,500 times). */
export class ZoneOffsets {
  /** The day's offset when it is the same all day; null on a day the clocks change. */
  private readonly byDay = new Map<number, number | null>();
  constructor(readonly zone: string) {}

  /** The zone's offset from UTC in ms at an instant. */
  offsetAt(epochMs: number): number {
    const day = Math.floor(epochMs / DAY);
    let cached = this.byDay.get(day);
    if (cached === undefined) {
      const a = this.exactOffset(day * DAY);
      const b = this.exactOffset((day + 1) * DAY - 1000);
      // Zones change their offset at most once a day.
      cached = a === b ? a : null;
      this.byDay.set(day, cached);
    }
    return cached ?? this.exactOffset(epochMs);
  }

  private exactOffset(epochMs: number): number {
    return zoneOffsetMinutes(this.zone, epochMs) * 60_000;
  }
}

/** Date.UTC without its 0–99 → 1900s quirk. */
export function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
  date.setUTCFullYear(y);
  return date.getTime();
}

export interface Placement {
  /** The instant chosen. */
  epochMs: number;
  offsetMs: number;
  /** 'gap': the wall time did not exist; 'fold': it happened twice (see `alternative`). */
  transition: 'gap' | 'fold' | null;
  /** For a fold: the other instant with this wall time. */
  alternative: { epochMs: number; offsetMs: number } | null;
}

/**
 * Places a wall-clock time in a zone. A missing time (spring forward) is read with the offset
 * before the change, which moves it forward by the gap (02:30 in a 02:00→03:00 gap becomes
 * 03:30), as RFC 5545 and JavaScript's Temporal ("compatible") do. A repeated time (autumn)
 * gives the earlier instant, with the later as `alternative` for the caller to choose by order.
 */
export function placeWallClock(zone: ZoneOffsets, wallAsUtcMs: number): Placement {
  const before = zone.offsetAt(wallAsUtcMs - DAY);
  const after = zone.offsetAt(wallAsUtcMs + DAY);
  if (before === after) {
    // No change within a day either side (offsets are within ±14 h): the common case.
    const mid = zone.offsetAt(wallAsUtcMs - before);
    if (mid === before) {
      return {
        epochMs: wallAsUtcMs - before,
        offsetMs: before,
        transition: null,
        alternative: null,
      };
    }
  }
  const valid: { epochMs: number; offsetMs: number }[] = [];
  for (const off of before === after ? [before] : [before, after]) {
    const t = wallAsUtcMs - off;
    if (zone.offsetAt(t) === off) valid.push({ epochMs: t, offsetMs: off });
  }
  if (valid.length === 0 && before === after) {
    // A change and its reversal within two days (rare): ask the instant itself.
    const off = zone.offsetAt(wallAsUtcMs - before);
    return { epochMs: wallAsUtcMs - off, offsetMs: off, transition: null, alternative: null };
  }
  if (valid.length === 0) {
    const t = wallAsUtcMs - before;
    return { epochMs: t, offsetMs: zone.offsetAt(t), transition: 'gap', alternative: null };
  }
  valid.sort((a, b) => a.epochMs - b.epochMs);
  const [first, second] = valid;
  if (first === undefined) throw new Error('unreachable');
  if (second === undefined || second.epochMs === first.epochMs) {
    return { ...first, transition: null, alternative: null };
  }
  return { ...first, transition: 'fold', alternative: second };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** ISO 8601 with the offset used: 2024-03-01T21:14:00+00:00. */
export function isoWithOffset(epochMs: number, offsetMs: number): string {
  const wall = new Date(epochMs + offsetMs);
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.round(Math.abs(offsetMs) / 60_000);
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The offset as written in an ISO time, for problems: +01:00. */
export function offsetText(offsetMs: number): string {
  return isoWithOffset(0, offsetMs).slice(19);
}
