/**
 * Where a message's time came from, in words: a court must know whether "21:14" is what the
 * phone showed in a zone the person confirmed, a guess at this computer's zone, or the
 * sender's own clock.
 */
export type TimeSource =
  'export-instant' | 'email-date' | 'export-local-confirmed' | 'export-local-assumed' | 'none';

export function timeSourceText(source: TimeSource, timeZone: string | null): string {
  const zone = timeZone ? ` (${timeZone})` : '';
  switch (source) {
    case 'export-local-confirmed':
      return `as shown in the export, in the zone you confirmed${zone}`;
    case 'export-local-assumed':
      return `as shown in the export, in this computer's zone${zone}, not confirmed`;
    case 'email-date':
      return "sent time from the email's Date header";
    case 'export-instant':
      return 'time given by the export';
    case 'none':
      return 'the export gives no time for this message';
  }
}

/** How the conversation's date order was settled, for the summary. */
export function dateOrderText(order: 'dmy' | 'mdy' | null, format: string): string {
  if (order === null) {
    return format === 'whatsapp'
      ? 'no date needed an order (each reads the same both ways, or the year comes first)'
      : 'not needed: the export gives full dates';
  }
  return order === 'dmy' ? 'day first (dd/mm)' : 'month first (mm/dd)';
}
