/**
 * What sort of evidence an item is, derived from its sniffed MIME type. The vault stores it
 * (items.kind) so the library can filter fast, and the renderer uses the same function so
 * both always agree.
 */
export const ITEM_KINDS = [
  'image',
  'video',
  'audio',
  'document',
  'email',
  'text',
  /** A chat export or mailbox read message by message (set at import, never from the type). */
  'conversation',
  'other',
] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** What the library's type filter calls each kind. */
export const ITEM_KIND_LABELS: Record<ItemKind, string> = {
  image: 'Pictures',
  video: 'Videos',
  audio: 'Sound recordings',
  document: 'Documents',
  email: 'Emails',
  text: 'Text files',
  conversation: 'Conversations',
  other: 'Other files',
};

const EMAIL = new Set(['message/rfc822', 'application/vnd.ms-outlook', 'application/mbox']);
const DOCUMENT = new Set([
  'application/pdf',
  'application/rtf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/epub+zip',
]);
// Office Open XML and OpenDocument files (docx, xlsx, odt, ...).
const DOCUMENT_PREFIXES = [
  'application/vnd.openxmlformats-officedocument.',
  'application/vnd.oasis.opendocument.',
];

export function kindOfMime(mime: string): ItemKind {
  const m = mime.trim().toLowerCase().split(';')[0]!.trim();
  if (EMAIL.has(m)) return 'email';
  if (DOCUMENT.has(m) || DOCUMENT_PREFIXES.some((p) => m.startsWith(p))) return 'document';
  const top = m.split('/')[0];
  if (top === 'image' || top === 'video' || top === 'audio' || top === 'text') return top;
  return 'other';
}
