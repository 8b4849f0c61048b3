/**
 * The records of a bundle opened for review, read from the bundle itself (folder, zip or
 * .zip.age, through its BagSource): items.json, annotations.json, incidents.csv, people.csv,
 * messages.json, custody.jsonl, recognised-text.json, bag-info.txt, and the SHA-256 of
 * tagmanifest-sha256.txt. Read in memory only. A bundle is untrusted input: every file is
 * read within a size cap, and a record that is missing or malformed is a problem named with
 * its file, never a crash; what can be read is still read.
 */
import { createHash } from 'node:crypto';
import type { BagProblem, BagSource } from '../bagit/verify';
import { parseBagInfo } from '../bagit/tagfiles';
import { ID_PATTERN } from '../ids';

export const META = 'data/metadata/';
export const RECORD_FILES = {
  items: `${META}items.json`,
  annotations: `${META}annotations.json`,
  incidents: `${META}incidents.csv`,
  people: `${META}people.csv`,
  messages: `${META}messages.json`,
  custody: `${META}custody.jsonl`,
  recognisedText: `${META}recognised-text.json`,
  bagInfo: 'bag-info.txt',
  tagManifest: 'tagmanifest-sha256.txt',
} as const;

/** A record larger than this is not read (verify's own cap for records read whole). */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
/** At most this many exhibits, incidents, people or messages are taken from a record. */
const MAX_ROWS = 1_000_000;

export interface ExhibitRecord {
  label: string;
  bagPath: string;
  itemId: string;
  originalName: string;
  name: string;
  sha256: string;
  size: number;
  mime: string;
  ingestedAt: string;
  ingestedOffsetMinutes: number;
  sourceTimes: { mtime: string | null; exif: string | null; email: string | null };
  width: number | null;
  height: number | null;
  tags: string[];
  notes: { body: string; createdAt: string }[];
  metadataProblems: string[];
  sensitive: string[];
  exif: Record<string, unknown> | null;
  derivedFrom: { number: string | null; sha256: string; operation: string; reason: string } | null;
  conversation: Record<string, unknown> | null;
}

export interface RegionRecord {
  number: number;
  x: number;
  y: number;
  w: number;
  h: number;
  comment: string;
  createdAt: string;
}

export interface AnnotationRecord {
  itemId: string;
  regions: RegionRecord[];
  incidents: string[];
  people: string[];
}

export interface IncidentRow {
  id: string;
  occurredAt: string;
  occurredUntil: string | null;
  place: string;
  summary: string;
  impact: string;
  witnesses: string;
  policeRef: string;
  platformRef: string;
  /** Exhibit labels, as incidents.csv lists them. */
  exhibits: string[];
  /** People's names, as incidents.csv lists them. */
  people: string[];
}

export interface PersonRow {
  id: string;
  name: string;
  role: 'harasser' | 'witness' | 'official' | 'other';
  notes: string;
  identifiers: { kind: string; value: string }[];
}

export interface MessageRecord {
  exhibit: string;
  itemId: string;
  messageId: string;
  index: number;
  kind: string;
  sender: string;
  senderId: string | null;
  time: string | null;
  timeSource: string;
  text: string;
  offset: number;
  length: number;
  sha256: string;
  line: number | null;
  lineEnd: number | null;
  chatFile: string | null;
  incidents: string[];
  tags: string[];
  notes: { body: string; createdAt: string }[];
}

export interface CustodyLine {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjects: string[];
  details: Record<string, unknown>;
  prev: string;
  hash: string;
}

export interface ReadingRecord {
  itemId: string;
  status: string;
  reason: string | null;
  language: string;
  engine: string | null;
  engineVersion: string | null;
  readAt: string | null;
  meanConfidence: number | null;
  width: number | null;
  height: number | null;
  text: string | null;
  words: { t: string; x: number; y: number; w: number; h: number; c: number }[];
}

export interface BundleRecords {
  bagInfo: { label: string; value: string }[];
  /** SHA-256 of tagmanifest-sha256.txt (what a review refers to), or null when unreadable. */
  tagManifestSha256: string | null;
  exhibits: ExhibitRecord[];
  annotations: Map<string, AnnotationRecord>;
  incidents: IncidentRow[];
  people: PersonRow[];
  messages: MessageRecord[];
  /** The full entries of custody.jsonl (runs left out and the checkpoint are not entries). */
  custody: CustodyLine[];
  /** Entries the bundle left out (not about its evidence), counted. */
  custodyLeftOut: number;
  readings: Map<string, ReadingRecord>;
  /** Why a record could not be read (or only in part), each with its file. */
  problems: BagProblem[];
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const notesOf = (v: unknown): { body: string; createdAt: string }[] =>
  (Array.isArray(v) ? v : [])
    .map(obj)
    .filter((n): n is Record<string, unknown> => n !== null && typeof n.body === 'string')
    .map((n) => ({ body: n.body as string, createdAt: str(n.createdAt) }));

/** Reads one record whole within the cap; null (with a problem) when absent or too large. */
async function readCapped(
  source: BagSource,
  files: Set<string>,
  path: string,
  problems: BagProblem[],
  required: boolean,
): Promise<Buffer | null> {
  if (!files.has(path)) {
    if (required)
      problems.push({
        severity: 'error',
        file: path,
        message: `${path} is missing, so what it records cannot be shown.`,
      });
    return null;
  }
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source.read(path)) {
      size += chunk.length;
      if (size > MAX_RECORD_BYTES) {
        problems.push({
          severity: 'error',
          file: path,
          message: `${path} is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MiB, far more than Dossier writes; it was not read.`,
        });
        return null;
      }
      parts.push(chunk);
    }
  } catch (e) {
    problems.push({
      severity: 'error',
      file: path,
      message: `${path} could not be read: ${e instanceof Error ? e.message : String(e)}`,
    });
    return null;
  }
  return Buffer.concat(parts);
}

function parseJson(raw: Buffer, path: string, problems: BagProblem[]): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    problems.push({
      severity: 'error',
      file: path,
      message: `${path} is not valid JSON (it was damaged or edited), so what it records is not shown.`,
    });
    return undefined;
  }
}

function list(v: unknown, path: string, problems: BagProblem[]): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push({ severity: 'error', file: path, message: `${path} is not a list.` });
    return [];
  }
  return v.slice(0, MAX_ROWS);
}

/**
 * RFC 4180 rows. A cell the export prefixed with an apostrophe (so that a spreadsheet does not
 * run it as a formula: metadata-files.ts) gets its own text back.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      // A CRLF ends the row; the LF is skipped next.
    } else if (ch === '\n') {
      endCell();
      rows.push(row);
      row = [];
      if (rows.length >= MAX_ROWS) return rows;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects by header name (a bundle from before a column was added lacks it). */
function csvObjects(raw: Buffer): Record<string, string>[] {
  const [header, ...rows] = parseCsv(raw.toString('utf8').replace(/^\uFEFF/, ''));
  if (!header) return [];
  return rows
    .filter((r) => r.some((c) => c !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

const multi = (v: string | undefined): string[] =>
  (v ?? '')
    .split('; ')
    .map((s) => s.trim())
    .filter(Boolean);

const ROLES = new Set(['harasser', 'witness', 'official', 'other']);

export async function readBundleRecords(source: BagSource): Promise<BundleRecords> {
  const files = new Set(await source.list());
  const problems: BagProblem[] = [];
  const read = (path: string, required = true): Promise<Buffer | null> =>
    readCapped(source, files, path, problems, required);

  const bagInfoRaw = await read(RECORD_FILES.bagInfo);
  const bagInfo = bagInfoRaw ? parseBagInfo(bagInfoRaw.toString('utf8')).elements : [];
  const tm = await read(RECORD_FILES.tagManifest);
  const tagManifestSha256 = tm ? createHash('sha256').update(tm).digest('hex') : null;

  const exhibits: ExhibitRecord[] = [];
  const itemsRaw = await read(RECORD_FILES.items);
  const seen = new Set<string>();
  const seenSha = new Set<string>();
  if (itemsRaw) {
    const rows = list(
      parseJson(itemsRaw, RECORD_FILES.items, problems),
      RECORD_FILES.items,
      problems,
    );
    rows.forEach((r, i) => {
      const e = obj(r);
      const ok =
        e &&
        typeof e.number === 'string' &&
        typeof e.itemId === 'string' &&
        ID_PATTERN.test(e.itemId) &&
        typeof e.bagPath === 'string' &&
        typeof e.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(e.sha256) &&
        num(e.size) !== null &&
        !seen.has(e.itemId) &&
        // A vault holds each content once: two exhibits with one SHA-256 were not exported so.
        !seenSha.has(e.sha256);
      if (!ok || !e) {
        problems.push({
          severity: 'error',
          file: RECORD_FILES.items,
          message: `Exhibit number ${i + 1} in items.json is not a complete exhibit record (label, item id, file, SHA-256 and size; the id and the SHA-256 of no other exhibit), so it is not shown.`,
        });
        return;
      }
      seen.add(e.itemId as string);
      seenSha.add(e.sha256 as string);
      const times = obj(e.sourceTimes) ?? {};
      const derived = obj(e.derivedFrom);
      exhibits.push({
        label: e.number as string,
        bagPath: e.bagPath as string,
        itemId: e.itemId as string,
        originalName: str(e.originalName, str(e.name)),
        name: str(e.name, str(e.originalName)),
        sha256: e.sha256 as string,
        size: num(e.size)!,
        mime: str(e.mime, 'application/octet-stream'),
        ingestedAt: str(e.ingestedAt),
        ingestedOffsetMinutes: num(e.ingestedOffsetMinutes) ?? 0,
        sourceTimes: {
          mtime: strOrNull(times.mtime),
          exif: strOrNull(times.exif),
          email: strOrNull(times.email),
        },
        width: num(e.width),
        height: num(e.height),
        tags: strings(e.tags),
        notes: notesOf(e.notes),
        metadataProblems: strings(e.metadataProblems),
        sensitive: strings(e.sensitive),
        exif: obj(e.exif),
        derivedFrom: derived
          ? {
              number: strOrNull(derived.number),
              sha256: str(derived.sha256),
              operation: str(derived.operation),
              reason: str(derived.reason),
            }
          : null,
        conversation: obj(e.conversation),
      });
    });
  }

  const annotations = new Map<string, AnnotationRecord>();
  const annRaw = await read(RECORD_FILES.annotations);
  if (annRaw) {
    for (const r of list(
      parseJson(annRaw, RECORD_FILES.annotations, problems),
      RECORD_FILES.annotations,
      problems,
    )) {
      const a = obj(r);
      if (!a || typeof a.itemId !== 'string') continue;
      const regions = (Array.isArray(a.regions) ? a.regions : [])
        .map(obj)
        .filter((g): g is Record<string, unknown> => g !== null)
        .map((g) => ({
          number: num(g.number) ?? 0,
          x: num(g.x) ?? -1,
          y: num(g.y) ?? -1,
          w: num(g.w) ?? 0,
          h: num(g.h) ?? 0,
          comment: str(g.comment),
          createdAt: str(g.createdAt),
        }));
      annotations.set(a.itemId, {
        itemId: a.itemId,
        regions,
        incidents: strings(a.incidents),
        people: strings(a.people),
      });
    }
  }

  const incidents: IncidentRow[] = [];
  const incRaw = await read(RECORD_FILES.incidents);
  if (incRaw) {
    for (const r of csvObjects(incRaw)) {
      if (!r.incident_id) continue;
      incidents.push({
        id: r.incident_id,
        occurredAt: r.occurred_at ?? '',
        occurredUntil: r.occurred_until ? r.occurred_until : null,
        place: r.place_or_platform ?? '',
        summary: r.what_happened ?? '',
        impact: r.impact ?? '',
        witnesses: r.witnesses ?? '',
        policeRef: r.police_ref ?? '',
        platformRef: r.platform_ref ?? '',
        exhibits: multi(r.exhibits),
        people: multi(r.people),
      });
    }
  }

  const people: PersonRow[] = [];
  const peopleRaw = await read(RECORD_FILES.people);
  if (peopleRaw) {
    for (const r of csvObjects(peopleRaw)) {
      if (!r.person_id) continue;
      const identifiers = [
        ...multi(r.emails).map((value) => ({ kind: 'email', value })),
        ...multi(r.handles).map((value) => ({ kind: 'handle', value })),
        ...multi(r.phones).map((value) => ({ kind: 'phone', value })),
        ...multi(r.chat_ids).flatMap((c) => {
          const at = c.indexOf(':');
          return at > 0 ? [{ kind: c.slice(0, at), value: c.slice(at + 1) }] : [];
        }),
      ];
      people.push({
        id: r.person_id,
        name: r.name ?? '',
        role: (ROLES.has(r.role ?? '') ? r.role : 'other') as PersonRow['role'],
        notes: r.notes ?? '',
        identifiers,
      });
    }
  }

  const messages: MessageRecord[] = [];
  // Bundles before issue 12 have no transcripts.
  const msgRaw = await read(RECORD_FILES.messages, false);
  if (msgRaw) {
    for (const r of list(
      parseJson(msgRaw, RECORD_FILES.messages, problems),
      RECORD_FILES.messages,
      problems,
    )) {
      const m = obj(r);
      if (!m || typeof m.messageId !== 'string' || typeof m.itemId !== 'string') continue;
      messages.push({
        exhibit: str(m.exhibit),
        itemId: m.itemId,
        messageId: m.messageId,
        index: num(m.index) ?? 0,
        kind: str(m.kind, 'message'),
        sender: str(m.sender),
        senderId: strOrNull(m.senderId),
        time: strOrNull(m.time),
        timeSource: str(m.timeSource),
        text: str(m.text),
        offset: num(m.offset) ?? 0,
        length: num(m.length) ?? 0,
        sha256: str(m.sha256),
        line: num(m.line),
        lineEnd: num(m.lineEnd),
        chatFile: strOrNull(m.chatFile),
        incidents: strings(m.incidents),
        tags: strings(m.tags),
        notes: notesOf(m.notes),
      });
    }
  }

  const custody: CustodyLine[] = [];
  let custodyLeftOut = 0;
  const custodyRaw = await read(RECORD_FILES.custody);
  if (custodyRaw) {
    for (const line of custodyRaw.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        continue; // the chain check (verify) names a damaged line
      }
      const e = obj(v);
      if (!e) continue;
      const withheld = obj(e.withheld);
      if (withheld) {
        custodyLeftOut += num(withheld.count) ?? 0;
        continue;
      }
      if (typeof e.seq !== 'number' || typeof e.action !== 'string') continue;
      custody.push({
        seq: e.seq,
        at: str(e.at),
        actor: str(e.actor),
        action: e.action,
        subjects: strings(e.subjects),
        details: obj(e.details) ?? {},
        prev: str(e.prev),
        hash: str(e.hash),
      });
    }
  }

  const readings = new Map<string, ReadingRecord>();
  const ocrRaw = await read(RECORD_FILES.recognisedText, false);
  if (ocrRaw) {
    const parsed = obj(parseJson(ocrRaw, RECORD_FILES.recognisedText, problems));
    for (const r of list(parsed?.pictures ?? [], RECORD_FILES.recognisedText, problems)) {
      const p = obj(r);
      if (!p || typeof p.itemId !== 'string') continue;
      readings.set(p.itemId, {
        itemId: p.itemId,
        status: str(p.status),
        reason: strOrNull(p.reason),
        language: str(p.language, 'eng'),
        engine: strOrNull(p.engine),
        engineVersion: strOrNull(p.engineVersion),
        readAt: strOrNull(p.readAt),
        meanConfidence: num(p.meanConfidence),
        width: num(p.width),
        height: num(p.height),
        text: strOrNull(p.text),
        words: (Array.isArray(p.words) ? p.words : [])
          .map(obj)
          .filter((w): w is Record<string, unknown> => w !== null && typeof w.t === 'string')
          .map((w) => ({
            t: w.t as string,
            x: num(w.x) ?? 0,
            y: num(w.y) ?? 0,
            w: num(w.w) ?? 0,
            h: num(w.h) ?? 0,
            c: num(w.c) ?? 0,
          })),
      });
    }
  }

  return {
    bagInfo,
    tagManifestSha256,
    exhibits,
    annotations,
    incidents,
    people,
    messages,
    custody,
    custodyLeftOut,
    readings,
    problems,
  };
}
