import type { IdentifierKind } from '../../../shared/identifiers';
import type { RedactionArea } from '../../../shared/redaction-schedule';

/**
 * What an export bundle says, as plain data: built once from the vault, then rendered
 * into the metadata files, the PDF report and the offline viewer. Renderers never touch
 * the vault; they only see this, and read previews through Exhibit.preview, one at a time.
 */
export interface ExportModel {
  caseName: string;
  /** ISO 8601 UTC, when the export was made. */
  exportedAt: string;
  /** Local UTC offset in minutes at export time, so local times can be shown honestly. */
  exportedOffsetMinutes: number;
  /**
   * The exporter's IANA time zone at export (e.g. "Europe/London"): the report and the viewer
   * count the days of the course of conduct in it, and say so (shared/course-of-conduct.ts).
   */
  exportedTimeZone: string;
  /** Who made it, as the person typed it (may be empty). */
  exporter: string;
  exhibitPrefix: string;
  /** SHA-256 of the raw Ed25519 public key, hex in groups of 4. */
  signingKeyFingerprint: string;
  /** The signing public key, PEM. */
  signingPublicKeyPem: string;
  /** SHA-256 of data/metadata/items.json: ties the printed report to the exact list of exhibit hashes. */
  evidenceIndexSha256: string;
  exhibits: Exhibit[];
  incidents: IncidentRecord[];
  /**
   * The messages printed as transcripts (docs/bundle-format.md, "Transcripts"): those linked to
   * the exported incidents and those the person chose, in exhibit order, then message order.
   */
  messages?: TranscriptMessage[];
  people: PersonRecord[];
  /** Entries shown (custody-bundle.ts): in full, or without details when they record a full path. */
  custody: CustodyRecord[];
  /** How many custody entries about evidence not in this bundle were left out (counted, not shown). */
  custodyLeftOut?: number;
  /** The signed checkpoint of the custody head at export time. */
  checkpoint: { seq: number; head: string; signedAt: string; signature: string } | null;
  software: { name: string; version: string };
  /**
   * A disclosure bundle's redaction schedule (docs/redaction.md, "Disclosure"): the originals
   * withheld, each with the copy that stands for it. Absent (or null) in other bundles.
   */
  disclosure?: { schedule: ScheduleEntry[] } | null;
}

/** One withheld original in a disclosure bundle, and the copy exported for it. */
export interface ScheduleEntry {
  /** The copy's exhibit label and file. */
  exhibit: string;
  bagPath: string;
  itemId: string;
  copySha256: string;
  kind: 'redacted' | 'without-location';
  /** The original withheld: its item id in the vault and its SHA-256. */
  originalItemId: string;
  originalSha256: string;
  /** Each area covered, a box (millionths) or a span (characters), with its reason. */
  areas: RedactionArea[];
  /** What a copy without location took out, in words. */
  removed: string[];
  /** When the copy was made, by whom (in words), and the custody entry that records it. */
  madeAt: string;
  madeBy: string;
  custodySeq: number;
}

export interface Exhibit {
  /** e.g. "JD/1" */
  number: string;
  /** Path inside the bag, e.g. "data/evidence/JD-1_screenshot.png" */
  bagPath: string;
  itemId: string;
  /** The name it was imported with (its ingest entry's); the bag's file name is made from it. */
  originalName: string;
  /** The name it has in the vault: the original name, or the one given when it was renamed. */
  name: string;
  sha256: string;
  sha512: string;
  size: number;
  mime: string;
  ingestedAt: string;
  ingestedOffsetMinutes: number;
  sourceTimes: { mtime: string | null; exif: string | null; email: string | null };
  width: number | null;
  height: number | null;
  tags: string[];
  notes: { body: string; createdAt: string }[];
  /**
   * Region marks on an image, in the order they were made: `number` is what the bundle calls
   * the mark ("1", "2"…), the box is in millionths (0..1,000,000) of the picture's width and height.
   */
  regions: ExhibitRegion[];
  /** Plain-words problems recorded at import (e.g. damaged EXIF). */
  metadataProblems: string[];
  sensitive: string[];
  /** EXIF tags as read at import; without any location field when `location` is "withheld". */
  exif: Record<string, unknown> | null;
  /**
   * For an exhibit that records where it was (docs/bundle-format.md, "Location"): whether the
   * exporter withheld that location from the bundle's own files or included it; null (or absent,
   * in bundles made before the choice) when it records none.
   */
  location?: 'withheld' | 'included' | null;
  /**
   * The import's JPEG preview of an image (metadata stripped), else null. Its presence also
   * tells the court bundle that the import could decode the picture (bundle/image-content.ts).
   */
  preview: ExhibitPreview | null;
  incidentIds: string[];
  personIds: string[];
  /** For derivatives: the parent's exhibit number and SHA-256, the operation and the reason. */
  derivedFrom: { number: string | null; sha256: string; operation: string; reason: string } | null;
  /** For a chat export or mailbox read as a conversation: what it holds; else null. */
  conversation?: ExhibitConversation | null;
  /**
   * For a picture queued for text recognition (docs/ocr.md): the text a machine read in it, or
   * why there is none yet; null for other exhibits. Not in items.json (recognised-text.json).
   */
  recognisedText?: ExhibitRecognisedText | null;
}

/**
 * The machine reading of a picture exhibit as exported (data/metadata/recognised-text.json).
 * `status` is the latest attempt's; a reading made before it (a picture queued to be read
 * again, or whose new reading failed) is kept, so `reading` may be set whatever the status.
 */
export interface ExhibitRecognisedText {
  status: 'read' | 'not read yet' | 'could not be read';
  /** Why the latest attempt failed, in plain words; else null. */
  reason: string | null;
  /** The language of the latest reading or attempt (or the one it waits for), e.g. "eng". */
  language: string;
  reading: RecognisedTextReading | null;
}

export interface RecognisedTextReading {
  engine: string;
  engineVersion: string;
  readAt: string | null;
  /** Mean of the words' confidence, 0–100. */
  meanConfidence: number | null;
  /** The picture's size as read (upright), which the word boxes count in. */
  width: number;
  height: number;
  text: string;
  /** SHA-256 of `text` in UTF-8, as its custody entry ("text recognised") records it. */
  textSha256: string;
  /** Each word, its box in whole pixels of the upright picture, and its confidence 0–100. */
  words: { t: string; x: number; y: number; w: number; h: number; c: number }[];
}

/** A conversation exhibit's summary (its messages chosen for the transcript are in ExportModel.messages). */
export interface ExhibitConversation {
  format: string;
  /** The reader and its version, e.g. "dossier-whatsapp 1". */
  reader: string;
  /** Inside a zip: the chat file the messages' byte offsets count into; null: the exhibit itself. */
  chatFile: string | null;
  title: string;
  messageCount: number;
  participants: { sender: string; senderId: string | null; messages: number }[];
  firstTime: string | null;
  lastTime: string | null;
  dateOrder: string | null;
  timeZone: string | null;
}

/** One message printed in a transcript, with its exact place in the exhibit. */
export interface TranscriptMessage {
  id: string;
  /** The conversation exhibit's label and item. */
  exhibit: string;
  itemId: string;
  /** Its place in the conversation, from 0. */
  index: number;
  kind: string;
  sender: string;
  senderId: string | null;
  /** ISO 8601 with the offset used; null when the export gave none that could be read. */
  time: string | null;
  timeSource: string;
  /** The text as read, cut after TRANSCRIPT_TEXT_CHARS (the whole is at the span). */
  text: string;
  /** The text was cut (a hostile export can hold messages of millions of characters). */
  textCut?: boolean;
  /** Bytes into the chat file (the exhibit, or `chatFile` inside it). */
  offset: number;
  length: number;
  /** SHA-256 of those bytes. */
  sha256: string;
  line: number | null;
  lineEnd: number | null;
  chatFile: string | null;
  /** The exported incidents it is linked to. */
  incidentIds: string[];
  tags: string[];
  notes: { body: string; createdAt: string }[];
  /** True when the person chose it for the export (not only through an incident). */
  selected: boolean;
}

export interface IncidentRecord {
  id: string;
  occurredAt: string;
  occurredUntil: string | null;
  place: string;
  summary: string;
  impact: string;
  witnesses: string;
  policeRef: string;
  platformRef: string;
  exhibitNumbers: string[];
  personIds: string[];
  /** The transcript messages it points at (ExportModel.messages ids), in order. */
  messageIds?: string[];
}

export interface PersonRecord {
  id: string;
  name: string;
  role: 'harasser' | 'witness' | 'official' | 'other';
  identifiers: { kind: IdentifierKind; value: string }[];
  notes: string;
}

export interface CustodyRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjects: string[];
  details: Record<string, unknown>;
  prev: string;
  hash: string;
  /** Set when the entry's details are withheld from the bundle: why (details is then {}). */
  withheld?: 'full-source-path';
}

export interface ExhibitRegion {
  number: number;
  x: number;
  y: number;
  w: number;
  h: number;
  comment: string;
  createdAt: string;
}

/**
 * A preview read from the vault only when it is drawn: the report and the viewer take them one
 * at a time, so an export of thousands of pictures never holds them all (about 40 KiB each).
 */
export interface ExhibitPreview {
  /** Its size in bytes, known when the model is built (the viewer decides up front whether to embed). */
  bytes: number;
  /** The JPEG bytes; may throw when the stored preview has since become unreadable. */
  read(): Promise<Buffer>;
}
