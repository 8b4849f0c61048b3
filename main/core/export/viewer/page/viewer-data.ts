/**
 * What the viewer page reads from its JSON island: raw values, plus display text made by
 * main/core/export/viewer.ts. Types only, shared by the exporter that writes the island and
 * the page modules that read it.
 */
export interface ViewerData {
  format: 'dossier-viewer-1';
  caseName: string;
  exportedAt: string;
  exportedText: string;
  exportedOffsetMinutes: number;
  exporter: string;
  exhibitPrefix: string;
  signingKeyFingerprint: string;
  evidenceIndexSha256: string;
  software: { name: string; version: string };
  thumbnails: 'embedded' | 'omitted';
  thumbnailBytes: number;
  exhibits: ViewerExhibit[];
  incidents: ViewerIncident[];
  /** The course of conduct's figures (shared/course-of-conduct.ts), and its sentences. */
  conduct: {
    occasions: number;
    days: number;
    timeZone: string;
    firstDay: string | null;
    lastDay: string | null;
    spanDays: number;
    gaps: number[];
    text: string[];
  };
  people: ViewerPerson[];
  custody: CustodySummary;
  manifest: { path: string; sha256: string }[];
  /**
   * A bundle made for disclosure: its redaction schedule, the originals withheld and the copies
   * exhibited for them, in words. Absent in other bundles (and in bundles made before it).
   */
  schedule?: ViewerScheduleEntry[] | null;
}

export interface ViewerScheduleEntry {
  exhibit: string;
  /** "Redacted copy: 2 areas covered (Personal address; Other: her workplace)". */
  copyText: string;
  copySha256: string;
  originalSha256: string;
  /** "Area 1: Personal address (box 10% from the left, …)", one per area. */
  areas: string[];
  /** What a copy without location took out, in words ('' when nothing). */
  removed: string;
  /** "2024-03-10T… by the vault’s owner (custody entry 12)". */
  made: string;
}

/** How the page shows an exhibit's original: which reader, or only a link to the file. */
export type ExhibitKind = 'image' | 'email' | 'html' | 'text' | 'audio' | 'video' | 'other';

/** A region mark: numbered from 1, the box in millionths of the picture's width and height. */
export interface ViewerRegion {
  number: number;
  x: number;
  y: number;
  w: number;
  h: number;
  comment: string;
}

export interface ViewerExhibit {
  number: string;
  /** In a bundle made for disclosure, a copy exhibited for a withheld original: what it is. */
  disclosed?: string | null;
  bagPath: string;
  /**
   * The file, relative to data/viewer/index.html ("../evidence/JD-001_x.png"), each path
   * segment percent-encoded so that a name with # ? or % still links to itself.
   */
  href: string;
  kind: ExhibitKind;
  itemId: string;
  originalName: string;
  sha256: string;
  size: number;
  sizeText: string;
  mime: string;
  typeText: string;
  width: number | null;
  height: number | null;
  times: { label: string; raw: string; text: string }[];
  tags: string[];
  notes: { body: string; createdAt: string; createdText: string }[];
  metadataProblems: string[];
  sensitive: { flag: string; text: string }[];
  /** EXIF rows other than location ones. */
  exif: [string, string][];
  /** GPS and other location rows: shown only when the reader asks ("Show location"). */
  location: [string, string][];
  /** The exporter withheld the location this exhibit records: none is in the bundle's files. */
  locationWithheld?: boolean;
  regions: ViewerRegion[];
  /** Base64 JPEG, or null (no preview, or previews left out for size). */
  thumbnail: string | null;
  incidents: { id: string; when: string; summary: string }[];
  people: { id: string; name: string; role: string }[];
  derivedFrom: { number: string | null; sha256: string; operation: string; reason: string } | null;
  history: { seq: number; when: string; what: string; actor: string }[];
  historyMore: number;
  /** For a chat export or mailbox: the file inside a zip the spans count into, else null. */
  chatFile?: string | null;
  /** The messages printed in its transcript (docs/bundle-format.md, "Transcripts"). */
  transcript?: ViewerMessage[];
  /** For a picture queued for text recognition: what a machine read in it (recognised-text.json). */
  recognisedText?: ViewerRecognisedText | null;
}

/** Text read by machine in a picture: shown labelled as such, never as the evidence. */
export interface ViewerRecognisedText {
  status: 'read' | 'not read yet' | 'could not be read';
  reason: string | null;
  /** "tesseract.js 7.0.0 (…), English": who read it; null when never read. */
  engine: string | null;
  meanConfidence: number | null;
  words: number;
  /** Words read with a confidence under 60 (shown as uncertain). */
  uncertainWords: number;
  text: string | null;
}

/** A transcript message, with its byte span in the exhibit (or in `chatFile` inside it). */
export interface ViewerMessage {
  /** From 1, as the PDFs print it. */
  number: number;
  sender: string;
  senderId: string | null;
  timeText: string;
  /** Where the time came from, in words. */
  timeSource: string;
  text: string;
  /** The text was cut for this page (the whole is in the original and messages.json). */
  textCut: boolean;
  offset: number;
  length: number;
  sha256: string;
  /** "JD4, _chat.txt line 120–122, bytes 10234+181, SHA-256 …" */
  reference: string;
}

export interface ViewerIncident {
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
  whenText: string;
  untilText: string | null;
  gapText: string | null;
  people: { id: string; name: string; role: string }[];
  /** Its messages in the transcripts: exhibit, number (from 1), sender, the start of the text. */
  messages?: { exhibit: string; number: number; sender: string; excerpt: string }[];
}

export interface ViewerPerson {
  id: string;
  name: string;
  role: string;
  roleText: string;
  identifiers: { kind: string; value: string }[];
  notes: string;
  exhibitNumbers: string[];
  incidentCount: number;
}

export interface CustodySummary {
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  firstText: string | null;
  lastText: string | null;
  actions: { action: string; text: string; count: number }[];
  checkpoint: { seq: number; head: string; signedAt: string; signedText: string } | null;
  /** Entries about evidence not in the bundle: counted in custody.jsonl, not shown. */
  leftOut: number;
  /** Entries shown without details because they record a full source path. */
  pathWithheld: number;
}
