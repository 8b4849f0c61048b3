// How a transcript message's time and place are said, the same in the PDFs and the viewer.
import type { TranscriptMessage } from './model';

/** Where a time came from, in words (the time sources of docs/conversations.md). */
export function timeSourceWords(source: string, zone: string | null): string {
  switch (source) {
    case 'export-instant':
      return 'the exact instant the export gave';
    case 'email-date':
      return 'the email’s Date header, with the sender’s offset';
    case 'export-local-confirmed':
      return `as shown in the export, in the zone the person confirmed${zone ? ` (${zone})` : ''}`;
    case 'export-local-assumed':
      return `as shown in the export, in the importing computer’s zone${zone ? ` (${zone})` : ''}, assumed, not confirmed`;
    default:
      return 'the export gives no time that could be read';
  }
}

/** "JD4, _chat.txt line 120–122, bytes 10234+181, SHA-256 …": where the message is. */
export function messageReference(m: TranscriptMessage): string {
  const lines =
    m.line === null
      ? ''
      : m.lineEnd !== null && m.lineEnd !== m.line
        ? ` line ${m.line}–${m.lineEnd}`
        : ` line ${m.line}`;
  const where = m.chatFile !== null ? `, ${m.chatFile}${lines}` : lines;
  return `${m.exhibit}${where}, bytes ${m.offset}+${m.length}, SHA-256 ${m.sha256}`;
}
