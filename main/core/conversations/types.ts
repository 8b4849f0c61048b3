// What every conversation reader gives back (docs/conversations.md). The readers are pure:
// bytes in, messages out. Storing them is ingest's job (conversations/store.ts).

/** The export formats Dossier reads as conversations. */
export const CONVERSATION_FORMATS = [
  'mbox',
  'whatsapp',
  'telegram',
  'instagram',
  'facebook',
] as const;
export type ConversationFormat = (typeof CONVERSATION_FORMATS)[number];

/** How a message's time was arrived at, said to the person next to the time. */
export const TIME_SOURCES = [
  /** The export gave an absolute instant (Telegram's date_unixtime, Meta's timestamp_ms). */
  'export-instant',
  /** An email's Date header, with the offset the sender's machine wrote. */
  'email-date',
  /** Wall-clock time as shown in the export, placed in the time zone the person confirmed. */
  'export-local-confirmed',
  /** Wall-clock time as shown in the export, placed in this computer's zone (not confirmed). */
  'export-local-assumed',
  /** No time could be read; the message keeps its place in the order. */
  'none',
] as const;
export type TimeSource = (typeof TIME_SOURCES)[number];

export const MESSAGE_KINDS = ['message', 'system', 'deleted', 'call'] as const;
/**
 * message: someone wrote it; system: the platform wrote it ("X added Y", "Messages are
 * end-to-end encrypted"); deleted: the export says it was deleted or unsent; call: a call
 * or missed call the platform recorded.
 */
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A file a message refers to, as the export names it. */
export interface MessageAttachment {
  /** The path inside the export (zip entry, or relative to the export folder), as written. */
  name: string;
  /** The export says the file was left out ("<Media omitted>", Telegram's "File not included"). */
  omitted: boolean;
}

/** One message, with its exact place in the original. */
export interface ConversationMessage {
  /** Order in the conversation, from 0, in the order the export gives (or sorted, for Meta). */
  index: number;
  kind: MessageKind;
  /** The sender as the export shows them ('' when the platform wrote it). */
  sender: string;
  /**
   * The sender's identity on the platform, matched against a person's identifiers:
   * an email address (lower case), a WhatsApp name or number as shown, a Telegram from_id,
   * an Instagram/Facebook sender_name. Null when there is none.
   */
  senderId: string | null;
  /** ISO 8601 with the offset used (e.g. 2024-03-01T21:14:00+00:00); null when unreadable. */
  time: string | null;
  timeSource: TimeSource;
  /** The message's text, exactly as the export gives it after decoding (never trimmed inside). */
  text: string;
  edited: boolean;
  /** Byte offset and length in the chat file (the mbox, result.json, _chat.txt …). */
  offset: number;
  length: number;
  /** First and last line (1-based) in formats with lines; null in JSON formats. */
  line: number | null;
  lineEnd: number | null;
  attachments: MessageAttachment[];
  /** The platform's own id (Telegram id, email Message-ID), when it has one. */
  externalId: string | null;
  /** The externalId of the message it replies to. */
  replyTo: string | null;
  /** Format-specific facts shown with the message: subject, to, cc, forwardedFrom, labels … */
  details: Record<string, unknown>;
}

/** Something a reader could not read. The original is stored regardless. */
export interface ConversationProblem {
  /** 1-based line, where the format has lines. */
  line: number | null;
  offset: number | null;
  /** Plain words: what was wrong, never the raw hostile text unescaped. */
  message: string;
}

export type DateOrder = 'dmy' | 'mdy';

export interface ReadOptions {
  /** Day/month order for exports that write dates without saying (WhatsApp). */
  dateOrder?: DateOrder;
  /** IANA zone for exports that write wall-clock times (WhatsApp). */
  timeZone?: string;
  /** The zone to assume when none was given: this computer's. */
  defaultTimeZone: string;
}

export interface ConversationSummary {
  format: ConversationFormat;
  /** Reader name and version, for the custody log, e.g. 'dossier-whatsapp 1'. */
  reader: string;
  /** For an archive or folder export, the path of the chat file the offsets count into. */
  chatFile: string | null;
  title: string;
  messageCount: number;
  /** The choices the reader used (both go in the custody log). */
  dateOrder: DateOrder | null;
  /** How the day/month order was settled. */
  dateOrderSource: 'proven' | 'given' | null;
  timeZone: string | null;
  timeZoneSource: 'given' | 'computer' | null;
  problems: ConversationProblem[];
}

/** Limits every reader enforces, with a clear error past them. */
export const CONVERSATION_LIMITS = {
  /** JSON and chat text files are read whole up to this size. */
  maxChatFileBytes: 512 * 1024 * 1024,
  /** JSON nesting deeper than this is refused (Telegram's entities nest 3–4 deep). */
  maxJsonDepth: 64,
  /** A single message's text is cut after this many characters (with a problem). */
  maxMessageChars: 1_000_000,
  /** Messages per conversation. */
  maxMessages: 5_000_000,
} as const;

/** What ingest hands a reader: the original as stored (docs/conversations.md, "Readers"). */
export interface ExportFile {
  /** The original file name: a hint for titles, never trusted for anything else. */
  name: string;
  size: number;
  /** The first ≤ 64 KiB, for detection. */
  head: Uint8Array;
  /** The whole file in memory (refused past CONVERSATION_LIMITS.maxChatFileBytes). */
  bytes(): Promise<Uint8Array>;
  /** The file from its start, in chunks (the mailbox reader streams). */
  chunks(): AsyncIterable<Uint8Array>;
  /** Bytes `[start, endExclusive)`, read in place (a zip of any size opens from these). */
  readRange(start: number, endExclusive: number): Promise<Uint8Array>;
}

/** A file that came inside the export (a zip entry), stored as an item derived from it. */
export interface MediaFile {
  /** Its path inside the export, as written (data, never used as a path on disk). */
  name: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/** A file carried inside a message itself (an email attachment), with its bytes. */
export interface AttachedFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** A message as a reader yields it: what is stored, plus the files it carries. */
export interface ReadMessage extends ConversationMessage {
  files?: AttachedFile[];
  /**
   * The SHA-256 of the span, when the reader hashed those bytes as it read them from the
   * stored file (the mailbox reader streams it once): ingest then does not read the span
   * again. Without it, ingest reads and hashes each span itself.
   */
  sha256?: string;
}

export interface OpenedConversation {
  /**
   * Known when opened (before any message): the file inside an archive that offsets count
   * into, or null when they count into the export file itself.
   */
  chatFile: string | null;
  messages: AsyncIterable<ReadMessage> | Iterable<ReadMessage>;
  /** Complete once `messages` has been read to the end (a streaming reader throws before). */
  summary(): ConversationSummary;
  /** Files inside the export that messages name; empty for a single-file export. */
  media: MediaFile[];
}

/** One format: recognising it and opening it. Registered in conversations/readers.ts. */
export interface ConversationReader {
  format: ConversationFormat;
  /** Cheap: from the head, the name and the sniffed type. */
  detect(head: Uint8Array, name: string, mime: string): boolean;
  /** Throws DossierError NEEDS_CHOICE when the person must choose (nothing is stored then). */
  open(file: ExportFile, opts: ReadOptions): Promise<OpenedConversation>;
}
