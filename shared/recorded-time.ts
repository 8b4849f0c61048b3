/**
 * Reads the time strings Dossier records: ISO 8601 with Z or an offset, a wall-clock time
 * with no zone (EXIF, typed incident times), or a bare date. Pure, for every side.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export interface ParsedTime {
  /** UTC milliseconds; for a time without a zone, its wall clock read as if it were UTC. */
  ms: number;
  kind: 'utc' | 'offset' | 'floating' | 'date';
  offsetMinutes: number;
  hasSeconds: boolean;
}

export function parseTime(raw: string): ParsedTime | null {
  const m = ISO.exec(raw.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 60)
    return null;
  const zone = m[8];
  if (m[4] === undefined)
    return zone ? null : { ms: wall, kind: 'date', offsetMinutes: 0, hasSeconds: false };
  const hasSeconds = m[6] !== undefined;
  if (!zone) return { ms: wall, kind: 'floating', offsetMinutes: 0, hasSeconds };
  if (zone.toUpperCase() === 'Z') return { ms: wall, kind: 'utc', offsetMinutes: 0, hasSeconds };
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const off = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  return { ms: wall - off * 60_000, kind: 'offset', offsetMinutes: off, hasSeconds };
}
