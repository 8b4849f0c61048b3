import { LOCATION_WITHHELD } from '../../../shared/location-fields';
import { IDENTIFIER_KINDS, type IdentifierKind } from '../../../shared/identifiers';
import type { ExportSource } from '../items/repository';
import { pathDigest } from '../items/source-path';
import {
  redactionAreaPlace,
  SCHEDULE_COLUMNS,
  type RedactionArea,
} from '../../../shared/redaction-schedule';
import { redactionReasonText } from '../../../shared/redaction';
import type { ExportModel, Exhibit, PersonRecord, ScheduleEntry, TranscriptMessage } from './model';

/**
 * The machine-readable files under data/metadata/. JSON for programs, CSV for the
 * spreadsheet a solicitor will open. CSV cells are RFC 4180 quoted, and cells that a
 * spreadsheet would run as a formula (= + - @ tab CR) are prefixed with an apostrophe.
 */
export function csv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * items.json: everything known about each exhibit, except the preview bytes and the text read
 * in a picture (a machine reading, in recognised-text.json).
 */
export function itemsJson(exhibits: readonly Exhibit[]): string {
  return `${JSON.stringify(
    exhibits.map(({ preview: _preview, recognisedText: _text, ...e }) => e),
    null,
    2,
  )}\n`;
}

export function itemsCsv(exhibits: readonly Exhibit[]): string {
  return csv([
    [
      'exhibit',
      'file',
      'original_name',
      'sha256',
      'sha512',
      'size_bytes',
      'mime',
      'source_time_exif',
      'source_time_email',
      'file_modified_utc',
      'imported_utc',
      'tags',
      'notes',
      'problems',
      'sensitive',
      'item_id',
      'location',
    ],
    ...exhibits.map((e) => [
      e.number,
      e.bagPath,
      e.originalName,
      e.sha256,
      e.sha512,
      e.size,
      e.mime,
      e.sourceTimes.exif,
      e.sourceTimes.email,
      e.sourceTimes.mtime,
      e.ingestedAt,
      e.tags.join('; '),
      e.notes.map((n) => n.body).join(' | '),
      e.metadataProblems.join(' | '),
      e.sensitive.join('; '),
      e.itemId,
      e.location === 'withheld' ? LOCATION_WITHHELD : (e.location ?? ''),
    ]),
  ]);
}

export function incidentsCsv(
  model: Pick<ExportModel, 'incidents' | 'people' | 'messages'>,
): string {
  const names = new Map(model.people.map((p) => [p.id, p.name]));
  const messageRef = messageRefs(model.messages ?? []);
  return csv([
    [
      'occurred_at',
      'occurred_until',
      'place_or_platform',
      'what_happened',
      'impact',
      'witnesses',
      'police_ref',
      'platform_ref',
      'exhibits',
      'people',
      'incident_id',
      'messages',
    ],
    ...model.incidents.map((i) => [
      i.occurredAt,
      i.occurredUntil,
      i.place,
      i.summary,
      i.impact,
      i.witnesses,
      i.policeRef,
      i.platformRef,
      i.exhibitNumbers.join('; '),
      i.personIds.map((p) => names.get(p) ?? p).join('; '),
      i.id,
      (i.messageIds ?? [])
        .map((id) => messageRef.get(id))
        .filter((r) => r !== undefined)
        .join('; '),
    ]),
  ]);
}

/** How a CSV cell names a transcript message: its exhibit and place, e.g. "JD4 message 12". */
function messageRefs(messages: readonly TranscriptMessage[]): Map<string, string> {
  return new Map(messages.map((m) => [m.id, `${m.exhibit} message ${m.index + 1}`]));
}

/**
 * messages.json: every message printed in a transcript, with its exhibit's file and its byte
 * span there (in `chatFile` inside a zip), so anyone can cut the original at the span and
 * check the SHA-256 (docs/bundle-format.md, "Transcripts"). `index` counts from 0, as
 * `dossier messages --json` does; the PDFs print it from 1.
 */
export function messagesJson(model: Pick<ExportModel, 'messages' | 'exhibits'>): string {
  const fileOf = new Map(model.exhibits.map((e) => [e.itemId, e.bagPath]));
  return `${JSON.stringify(
    (model.messages ?? []).map((m) => ({
      exhibit: m.exhibit,
      file: fileOf.get(m.itemId) ?? null,
      chatFile: m.chatFile,
      offset: m.offset,
      length: m.length,
      sha256: m.sha256,
      line: m.line,
      lineEnd: m.lineEnd,
      index: m.index,
      messageId: m.id,
      itemId: m.itemId,
      kind: m.kind,
      sender: m.sender,
      senderId: m.senderId,
      time: m.time,
      timeSource: m.timeSource,
      text: m.text,
      textCut: m.textCut === true,
      incidents: m.incidentIds,
      tags: m.tags,
      notes: m.notes,
      selected: m.selected,
    })),
    null,
    2,
  )}\n`;
}

export function peopleCsv(model: Pick<ExportModel, 'people'>): string {
  const of = (p: PersonRecord, kind: IdentifierKind): string =>
    p.identifiers
      .filter((i) => i.kind === kind)
      .map((i) => i.value)
      .join('; ');
  // Chat senders (WhatsApp, Telegram, Instagram, Facebook) in one column, each as kind:value
  // (docs/bundle-format.md), so the first columns stay as they were.
  const chat = (p: PersonRecord): string =>
    p.identifiers
      .filter((i) => CHAT_KINDS.includes(i.kind))
      .map((i) => `${i.kind}:${i.value}`)
      .join('; ');
  return csv([
    ['name', 'role', 'emails', 'handles', 'phones', 'notes', 'person_id', 'chat_ids'],
    ...model.people.map((p) => [
      p.name,
      p.role,
      of(p, 'email'),
      of(p, 'handle'),
      of(p, 'phone'),
      p.notes,
      p.id,
      chat(p),
    ]),
  ]);
}

const CHAT_KINDS: readonly IdentifierKind[] = IDENTIFIER_KINDS.filter(
  (k) => k !== 'email' && k !== 'handle' && k !== 'phone',
);

/** annotations.json: notes, tags and links per exhibit; annotations never change an original. */
export function annotationsJson(exhibits: readonly Exhibit[]): string {
  return `${JSON.stringify(
    exhibits.map((e) => ({
      exhibit: e.number,
      itemId: e.itemId,
      sha256: e.sha256,
      tags: e.tags,
      notes: e.notes,
      regions: e.regions,
      incidents: e.incidentIds,
      people: e.personIds,
    })),
    null,
    2,
  )}\n`;
}

/**
 * sources.json (only with full paths): every import of each exhibit's bytes with the full
 * path and the salt of the pathDigest its custody entry holds, so a reader can check one
 * against the other: SHA-256 of the salt's bytes followed by the path in UTF-8.
 */
export function sourcesJson(
  exhibits: readonly { exhibit: string; itemId: string; sources: readonly ExportSource[] }[],
): string {
  return `${JSON.stringify(
    exhibits.map((e) => ({
      exhibit: e.exhibit,
      itemId: e.itemId,
      sources: e.sources.map((s) => ({
        name: s.name,
        path: s.sourcePath,
        salt: s.pathSalt,
        pathDigest:
          s.sourcePath !== null && s.pathSalt ? pathDigest(s.pathSalt, s.sourcePath) : null,
        sourceMtime: s.sourceMtime,
        seenAt: s.seenAt,
      })),
    })),
    null,
    2,
  )}\n`;
}

/** What recognised-text.json says of itself, for a reader who opens it without the docs. */
export const RECOGNISED_TEXT_ABOUT =
  'Text read by machine (optical character recognition) in the picture exhibits. It is a ' +
  'derived record, not evidence: it may contain mistakes, and the picture itself is what was ' +
  'received. Word boxes are whole pixels of the upright picture (x, y from its top left).';

/**
 * recognised-text.json: for every picture exhibit queued for text recognition, the text a
 * machine read in it (engine, version, language, mean confidence, words with boxes, and the
 * SHA-256 its custody entry records), or that it is not read yet / could not be read.
 */
export function recognisedTextJson(exhibits: readonly Exhibit[]): string {
  const pictures = exhibits
    .filter((e) => e.recognisedText)
    .map((e) => {
      const r = e.recognisedText!;
      return JSON.stringify({
        exhibit: e.number,
        file: e.bagPath,
        itemId: e.itemId,
        sha256: e.sha256,
        machineRead: true,
        status: r.status,
        reason: r.reason,
        language: r.language,
        ...(r.reading ?? { engine: null, text: null, words: [] }),
      });
    });
  // One picture a line: a thousand screenshots' word boxes stay a file a person can page through.
  const head = `{"about":${JSON.stringify(RECOGNISED_TEXT_ABOUT)},\n"machineRead":true,\n"pictures":[`;
  return `${head}${pictures.length ? `\n${pictures.join(',\n')}\n` : ''}]}\n`;
}

/**
 * redactions.csv, a disclosure bundle's redaction schedule: one row per covered area (a copy
 * without location has one row saying what was taken out), with the withheld original's
 * SHA-256 and the copy's.
 */
export function redactionsCsv(schedule: readonly ScheduleEntry[]): string {
  const row = (s: ScheduleEntry, area: string, reason: string, where: string) => [
    s.exhibit,
    s.bagPath,
    s.copySha256,
    s.originalSha256,
    s.originalItemId,
    s.kind === 'redacted' ? 'redacted copy' : 'copy without location',
    area,
    reason,
    where,
    s.madeAt,
    s.madeBy,
    s.custodySeq,
  ];
  return csv([
    [...SCHEDULE_COLUMNS],
    ...schedule.flatMap((s) => [
      ...s.areas.map((a: RedactionArea, i) =>
        row(s, String(i + 1), redactionReasonText(a), redactionAreaPlace(a)),
      ),
      ...(s.removed.length || s.areas.length === 0
        ? [row(s, '', 'Location and device details removed', s.removed.join('; '))]
        : []),
    ]),
  ]);
}
