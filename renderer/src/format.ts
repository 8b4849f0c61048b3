import { dayOf } from '../../shared/date-text';
import { parseTime } from '../../shared/recorded-time';

export { dateText } from '../../shared/date-text';

/**
 * Times as people read them, with the zone always said: evidence is judged on when things
 * happened, so "14:03" alone is never enough.
 */
function two(n: number): string {
  return String(n).padStart(2, '0');
}

function wall(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  const date = dayOf(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
  return `${date}, ${time}`;
}

function offsetText(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '−' : '+';
  const m = Math.abs(minutes);
  return `UTC${sign}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/** "12 Mar 2026, 14:03 UTC", "… UTC+01:00", "… (no time zone recorded)", or the raw text. */
export function timeText(raw: string | null | undefined, seconds = false): string {
  if (!raw) return 'Not recorded';
  const t = parseTime(raw);
  if (!t) return raw;
  if (t.kind === 'date') return wall(t.ms, false).split(',')[0]!;
  if (t.kind === 'floating') return `${wall(t.ms, seconds)} (no time zone recorded)`;
  const local = t.ms + t.offsetMinutes * 60_000;
  return `${wall(local, seconds)} ${offsetText(t.offsetMinutes)}`;
}

export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
