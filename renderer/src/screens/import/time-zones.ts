/**
 * The time zones this computer knows (IANA names), for the date-order question: the chat's
 * times are wall-clock times, and the person says where the phone was.
 */
export function knownZones(computerZone: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  // The computer's zone may be an alias the list leaves out (UTC, Etc/UTC): keep it choosable.
  return zones.includes(computerZone) ? zones : [computerZone, ...zones];
}

export function computerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Zones whose name holds every typed word (case-insensitive; a space matches "_" and "/"),
 * so "new york" finds America/New_York and "london" Europe/London.
 */
export function filterZones(zones: readonly string[], query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[\s/_]+/u)
    .filter((w) => w !== '');
  if (words.length === 0) return [...zones];
  return zones.filter((z) => {
    const name = z.toLowerCase().replace(/[/_]/gu, ' ');
    return words.every((w) => name.includes(w));
  });
}
