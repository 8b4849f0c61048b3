import { parseTime } from './recorded-time';

/**
 * Dates as people read them ("12 Mar 2026"), the same in main and the renderer: the custody
 * log names an incident by its day in the core, and the screens show days the same way.
 */
export const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** The day of a wall-clock time held as UTC milliseconds: "12 Mar 2026". */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Short form for dense lists: "12 Mar 2026", in the zone it was recorded in; "—" if none. */
export function dateText(raw: string | null | undefined): string {
  if (!raw) return '—';
  const t = parseTime(raw);
  if (!t) return raw;
  return dayOf(t.ms + t.offsetMinutes * 60_000);
}
