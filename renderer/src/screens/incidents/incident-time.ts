import { parseTime } from '../../../../shared/recorded-time';

/**
 * Incident times are stored as the person typed them, with the offset of their clock on
 * that date (2026-03-09T14:30+00:00), so a later reader knows both the wall-clock time
 * they saw and the exact instant. Pure except `browserOffsetMinutes`, which asks the clock.
 */
const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** "+01:00", "-05:30", "+00:00". */
export function offsetSuffix(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/** "UTC", "UTC+01:00", "UTC−05:00" (as format.ts writes zones). */
export function offsetLabel(minutes: number): string {
  return minutes === 0 ? 'UTC' : `UTC${offsetSuffix(minutes).replace('-', '−')}`;
}

/** The offset this computer's clock had at that wall-clock time (summer time included). */
export function browserOffsetMinutes(wall: string): number {
  const m = WALL.exec(wall);
  const d = m
    ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]))
    : new Date();
  const off = -d.getTimezoneOffset();
  return off === 0 ? 0 : off; // never -0
}

/** The zone name this computer uses, e.g. "Europe/London", or null if it does not say. */
export function browserZoneName(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/** A datetime-local value ("2026-03-09T14:30") with its offset: "2026-03-09T14:30+00:00". */
export function withOffset(wall: string, offsetMinutes: number): string | null {
  if (!WALL.exec(wall) || !parseTime(wall)) return null;
  return `${wall}${offsetSuffix(offsetMinutes)}`;
}

/** What a datetime-local field shows for a recorded time: its wall clock as typed. */
export function wallOf(recorded: string | null | undefined): string {
  if (!recorded) return '';
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(recorded.trim());
  if (!m) return '';
  return `${m[1]}T${m[2] ?? '00:00'}`;
}

/** The offset a recorded time was typed with, or null if it has none (or cannot be read). */
export function recordedOffset(recorded: string | null | undefined): number | null {
  if (!recorded) return null;
  const t = parseTime(recorded);
  return t && (t.kind === 'offset' || t.kind === 'utc') ? t.offsetMinutes : null;
}
