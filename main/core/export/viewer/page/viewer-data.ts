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
}

export interface ViewerExhibit {
  number: string;
  bagPath: string;
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
  exif: [string, string][];
  /** Base64 JPEG, or null (no preview, or previews left out for size). */
  thumbnail: string | null;
  incidents: { id: string; when: string; summary: string }[];
  people: { id: string; name: string; role: string }[];
  derivedFrom: { number: string | null; sha256: string; operation: string; reason: string } | null;
  history: { seq: number; when: string; what: string; actor: string }[];
  historyMore: number;
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
