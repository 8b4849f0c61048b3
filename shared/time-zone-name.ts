/**
 * A time zone a person gives for a chat export's wall-clock times: an IANA name this runtime
 * knows (Europe/London, America/New_York, UTC). Offsets and abbreviations (+01:00, BST, EST)
 * are refused: they do not follow summer time, so a year of messages would be read wrong.
 */
export function isKnownTimeZone(zone: string): boolean {
  if (!/^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TIME_ZONE_RULE =
  'is not a time zone this computer knows. Give its IANA name, such as Europe/London, America/New_York or UTC (not an offset or an abbreviation such as BST: those do not follow summer time)';
