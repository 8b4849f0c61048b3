import {
  courseOfConduct,
  zoneOffsetMinutes,
  type CourseOfConduct,
} from '../../../shared/course-of-conduct';
import { parseTime } from '../../../shared/recorded-time';
import { shortSize } from '../../../shared/size-text';
import { createHash } from 'node:crypto';
import { custodyActionLabel, custodyEntryText } from '../../../shared/custody-wording';
import { displayName } from '../../../shared/display-name';
import { compareExhibitLabels } from '../../../shared/label-order';
import { isLocationKey } from '../../../shared/location-fields';
import { disclosedCopyText, redactionAreaText } from '../../../shared/redaction-schedule';
import type {
  CustodyRecord,
  Exhibit,
  ExhibitPreview,
  ExportModel,
  IncidentRecord,
  TranscriptMessage,
} from './model';
import { messageReference, timeSourceWords } from './transcript-text';

/** A transcript message's text in the page is cut here (the whole is in messages.json). */
const VIEWER_MESSAGE_CHARS = 4000;
import { PAGE_SCRIPT } from './viewer/page-script.generated';
import type {
  CustodySummary,
  ExhibitKind,
  ViewerData,
  ViewerExhibit,
  ViewerIncident,
  ViewerRecognisedText,
} from './viewer/page/viewer-data';
import { PAGE_STYLE } from './viewer/page-style';

/**
 * data/viewer/index.html: one self-contained page for a solicitor, the police or a court.
 * It lists the exhibits, notes, incidents, people and the custody log in plain words, and
 * re-hashes the bundle's files in the reader's own browser (WebCrypto) once they choose
 * the bundle folder. Everything here is untrusted text: the data travels as a JSON island
 * that cannot close its element, the page builds its DOM with textContent only, and a CSP
 * allows just this page's own script and style (by hash), data:/blob: images, and nothing
 * from any network.
 */

/** Above this many thumbnail bytes in total, none are embedded (keeps the page openable). */
export const MAX_EMBEDDED_THUMBNAIL_BYTES = 20 * 1024 * 1024;
/** Per-exhibit cap on custody entries shown inline; the full log is in custody.jsonl. */
const MAX_EXHIBIT_HISTORY = 30;
/** EXIF is shown as a flat table; vendor junk beyond these caps adds nothing for a reader. */
const MAX_EXIF_ROWS = 150;
const MAX_EXIF_VALUE_CHARS = 300;

export interface ViewerOptions {
  /** Tests lower this to check the "too big to embed" path. */
  maxThumbnailBytes?: number;
}

export type {
  CustodySummary,
  ExhibitKind,
  ViewerData,
  ViewerExhibit,
  ViewerIncident,
  ViewerPerson,
} from './viewer/page/viewer-data';

/**
 * The page, written as a stream: everything but the exhibits' previews is worked out first (a
 * bad manifest throws here, before anything is written), and each preview is read from the
 * vault, encoded and written out in its turn, so a bundle of thousands of pictures never holds
 * them all. The bytes are those of the whole page built as one string.
 */
export function renderViewerHtml(
  model: ExportModel,
  manifest: { path: string; sha256: string }[],
  options: ViewerOptions = {},
): AsyncIterable<Buffer> {
  const { data, previews } = viewerParts(model, manifest, options);
  const csp = [
    "default-src 'none'",
    `script-src '${cspHash(PAGE_SCRIPT)}'`,
    `style-src '${cspHash(PAGE_STYLE)}'`,
    'img-src data: blob:',
    'media-src blob:',
    "base-uri 'none'",
    "form-action 'none'",
    // Chromium enforces "no HTML string sinks": even a future bug cannot use innerHTML.
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
  const title = `Evidence bundle: ${displayName(model.caseName)}`;
  const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(`${model.software.name} ${model.software.version}`)}">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<a class="skip" href="#check">Skip to checking the files</a>
<header class="top">
<p class="kicker">Evidence bundle</p>
<h1 id="case-title">${escapeHtml(displayName(model.caseName))}</h1>
<p id="lede">This page lists the evidence in this bundle and can check that none of its files has changed.</p>
<noscript><p class="callout">This page needs JavaScript to list the exhibits and to check the files. Without it, read <strong>data/report/report.pdf</strong>, and check the files with the steps in <strong>VERIFY.txt</strong> in the bundle folder.</p></noscript>
</header>
<main id="app"></main>
<script type="application/json" id="dossier-data">`;
  const tail = `</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
  return inChunks([head], islandPieces(data, previews), [tail]);
}

/** Text pieces gathered into buffers of about 64 KiB (a long piece is cut). */
export async function* inChunks(
  ...parts: (Iterable<string> | AsyncIterable<string>)[]
): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    for await (const whole of part) {
      // A long piece (the page script) is cut, never between the halves of a surrogate pair.
      for (let at = 0; at < whole.length;) {
        let end = Math.min(whole.length, at + CHUNK_CHARS - size);
        const last = whole.charCodeAt(end - 1);
        if (end < whole.length && last >= 0xd800 && last <= 0xdbff) end++;
        const piece = at === 0 && end === whole.length ? whole : whole.slice(at, end);
        at = end;
        pending.push(piece);
        size += piece.length;
        if (size >= CHUNK_CHARS) {
          yield Buffer.from(pending.join(''));
          pending = [];
          size = 0;
        }
      }
    }
  }
  if (size > 0) yield Buffer.from(pending.join(''));
}

const CHUNK_CHARS = 64 * 1024;

/**
 * jsonForScript(data) in pieces, each exhibit's thumbnail filled in from its preview as that
 * exhibit is written. An object's JSON is its defined members' `"key":value` joined by commas,
 * so writing it member by member gives the same text as JSON.stringify of the whole; the
 * escaping works character by character, so escaping each piece gives the same text too.
 */
async function* islandPieces(
  data: ViewerData,
  previews: readonly (ExhibitPreview | null)[],
): AsyncGenerator<string> {
  let sep = '{';
  for (const [key, value] of Object.entries(data)) {
    if (key !== 'exhibits') {
      const json = JSON.stringify(value) as string | undefined;
      if (json === undefined) continue;
      yield `${sep}${jsonForScript(key)}:${escapeJson(json)}`;
      sep = ',';
      continue;
    }
    yield `${sep}${jsonForScript(key)}:[`;
    sep = ',';
    for (const [i, x] of data.exhibits.entries()) {
      const thumbnail = await thumbnailOf(previews[i] ?? null);
      yield `${i === 0 ? '' : ','}${jsonForScript({ ...x, thumbnail })}`;
    }
    yield ']';
  }
  yield sep === '{' ? '{}' : '}';
}

/** A preview as base64 JPEG, or null when it cannot be read now (nothing else stops). */
async function thumbnailOf(preview: ExhibitPreview | null): Promise<string | null> {
  if (!preview) return null;
  const jpeg = await preview.read().catch(() => null);
  return isJpeg(jpeg) ? jpeg.toString('base64') : null;
}

/** CSP source for an inline element's exact text. */
export function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

// Everything that could end the script element or confuse a reader of the source is a
// \u escape; JSON.parse gives the same string back.
const JSON_UNSAFE = /[<>&\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** JSON that is safe as the text of a <script type="application/json"> element. */
export function jsonForScript(value: unknown): string {
  return escapeJson(JSON.stringify(value));
}

function escapeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * What the page's data island holds, with every exhibit's `thumbnail` null: renderViewerHtml
 * fills each one in from its preview as it writes the page.
 */
export function viewerData(
  model: ExportModel,
  manifest: { path: string; sha256: string }[],
  options: ViewerOptions = {},
): ViewerData {
  return viewerParts(model, manifest, options).data;
}

/** The island's data, and the preview of each of its exhibits (null where none is embedded). */
function viewerParts(
  model: ExportModel,
  manifest: { path: string; sha256: string }[],
  options: ViewerOptions,
): { data: ViewerData; previews: (ExhibitPreview | null)[] } {
  checkManifest(model, manifest);
  const maxThumbs = options.maxThumbnailBytes ?? MAX_EMBEDDED_THUMBNAIL_BYTES;
  const thumbnailBytes = model.exhibits.reduce((n, e) => n + (e.preview?.bytes ?? 0), 0);
  const embed = thumbnailBytes <= maxThumbs;

  const people = new Map(model.people.map((p) => [p.id, p]));
  const personRef = (id: string): { id: string; name: string; role: string } => {
    const p = people.get(id);
    return { id, name: p?.name ?? 'Unnamed person', role: p ? roleText(p.role) : '' };
  };
  const conduct = courseOfConduct(model.incidents, model.exportedTimeZone);
  const incidents = conduct.occasions.map((o) => o.incident);
  const incidentById = new Map(incidents.map((i) => [i.id, i]));
  const byItem = custodyByItem(model.custody);

  const messageById = new Map((model.messages ?? []).map((m) => [m.id, m]));
  const transcripts = new Map<string, TranscriptMessage[]>();
  for (const m of model.messages ?? []) {
    let list = transcripts.get(m.itemId);
    if (!list) transcripts.set(m.itemId, (list = []));
    list.push(m);
  }
  const scheduleOf = new Map((model.disclosure?.schedule ?? []).map((s) => [s.itemId, s]));
  // Labels in number order (JD2 before JD10), whatever order the model lists them in.
  const ordered = [...model.exhibits].sort((a, b) => compareExhibitLabels(a.number, b.number));
  const exhibits = ordered.map((e): ViewerExhibit => {
    const history = byItem.get(e.itemId) ?? [];
    const exif = flattenExif(e.exif);
    const disclosed = scheduleOf.get(e.itemId);
    return {
      number: e.number,
      disclosed: disclosed ? disclosedCopyText(disclosed) : null,
      bagPath: e.bagPath,
      href: viewerHref(e.bagPath),
      kind: exhibitKind(e.mime),
      itemId: e.itemId,
      originalName: e.originalName,
      sha256: e.sha256,
      size: e.size,
      sizeText: sizeText(e.size),
      mime: e.mime,
      typeText: typeText(e.mime),
      width: e.width,
      height: e.height,
      times: exhibitTimes(e),
      tags: e.tags,
      notes: e.notes.map((n) => ({ ...n, createdText: instantText(n.createdAt) })),
      metadataProblems: e.metadataProblems,
      sensitive: e.sensitive.map((flag) => ({ flag, text: sensitiveText(flag) })),
      exif: exif.filter(([k]) => !isLocationKey(k)),
      location: e.location === 'withheld' ? [] : exif.filter(([k]) => isLocationKey(k)),
      locationWithheld: e.location === 'withheld',
      regions: e.regions.map((r) => ({
        number: r.number,
        x: r.x,
        y: r.y,
        w: r.w,
        h: r.h,
        comment: r.comment,
      })),
      thumbnail: null,
      incidents: e.incidentIds.map((id) => {
        const inc = incidentById.get(id);
        return { id, when: inc ? timeText(inc.occurredAt) : '', summary: inc?.summary ?? '' };
      }),
      people: e.personIds.map(personRef),
      derivedFrom: e.derivedFrom,
      history: history.slice(0, MAX_EXHIBIT_HISTORY).map((c) => ({
        seq: c.seq,
        when: instantText(c.at),
        what: c.withheld
          ? 'Details withheld: this entry records the full path the file was imported from.'
          : custodyEntryText(c),
        actor: c.actor,
      })),
      historyMore: Math.max(0, history.length - MAX_EXHIBIT_HISTORY),
      chatFile: e.conversation?.chatFile ?? null,
      recognisedText: viewerRecognisedText(e),
      transcript: (transcripts.get(e.itemId) ?? []).map((m) => ({
        number: m.index + 1,
        sender: m.sender,
        senderId: m.senderId,
        timeText: m.time ? timeText(m.time) : 'no time could be read',
        timeSource: m.time ? timeSourceWords(m.timeSource, e.conversation?.timeZone ?? null) : '',
        text: m.text.length > VIEWER_MESSAGE_CHARS ? m.text.slice(0, VIEWER_MESSAGE_CHARS) : m.text,
        textCut: m.text.length > VIEWER_MESSAGE_CHARS || m.textCut === true,
        offset: m.offset,
        length: m.length,
        sha256: m.sha256,
        reference: messageReference(m),
      })),
    };
  });

  const timeline = conduct.occasions.map(({ incident: inc, gap }): ViewerIncident => ({
    ...inc,
    exhibitNumbers: [...inc.exhibitNumbers].sort(compareExhibitLabels),
    whenText: countedText(inc.occurredAt, conduct.timeZone),
    untilText: inc.occurredUntil ? timeText(inc.occurredUntil) : null,
    gapText: gap ? `${gap.text}.` : null,
    people: inc.personIds.map(personRef),
    messages: (inc.messageIds ?? []).flatMap((id) => {
      const m = messageById.get(id);
      if (!m) return [];
      const first = m.text.split('\n', 1)[0] ?? '';
      return [
        {
          exhibit: m.exhibit,
          number: m.index + 1,
          sender: m.sender,
          excerpt: first.length > 120 ? `${first.slice(0, 120)}…` : first,
        },
      ];
    }),
  }));

  const data: ViewerData = {
    format: 'dossier-viewer-1',
    caseName: model.caseName,
    exportedAt: model.exportedAt,
    exportedText: instantText(model.exportedAt, model.exportedOffsetMinutes),
    exportedOffsetMinutes: model.exportedOffsetMinutes,
    exporter: model.exporter,
    exhibitPrefix: model.exhibitPrefix,
    signingKeyFingerprint: model.signingKeyFingerprint,
    evidenceIndexSha256: model.evidenceIndexSha256,
    software: model.software,
    thumbnails: embed ? 'embedded' : 'omitted',
    thumbnailBytes,
    exhibits,
    incidents: timeline,
    conduct: conductData(conduct),
    people: model.people.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      roleText: roleText(p.role),
      identifiers: p.identifiers,
      notes: p.notes,
      exhibitNumbers: exhibits
        .filter((e) => e.people.some((x) => x.id === p.id))
        .map((e) => e.number),
      incidentCount: model.incidents.filter((i) => i.personIds.includes(p.id)).length,
    })),
    custody: custodySummary(model),
    manifest: manifest.map((m) => ({ path: m.path, sha256: m.sha256 })),
    schedule: model.disclosure
      ? model.disclosure.schedule.map((s) => ({
          exhibit: s.exhibit,
          copyText: disclosedCopyText(s),
          copySha256: s.copySha256,
          originalSha256: s.originalSha256,
          areas: s.areas.map((a, i) => redactionAreaText(a, i + 1)),
          removed: s.removed.join('; '),
          made: `${instantText(s.madeAt)} by ${s.madeBy} (custody entry ${s.custodySeq})`,
        }))
      : null,
  };
  return { data, previews: ordered.map((e) => (embed ? e.preview : null)) };
}

/**
 * The page's claims rest on the manifest, so a bundle whose exhibits and manifest disagree
 * is a bug in the exporter: refuse it rather than print a page that contradicts itself.
 */
function checkManifest(model: ExportModel, manifest: { path: string; sha256: string }[]): void {
  const seen = new Map<string, string>();
  for (const m of manifest) {
    const bad =
      !/^data\/[^/]/.test(m.path) ||
      m.path.split('/').some((s) => s === '' || s === '.' || s === '..') ||
      m.path === 'data/viewer/index.html' ||
      !/^[0-9a-f]{64}$/.test(m.sha256);
    if (bad) throw new Error(`viewer: bad manifest entry ${JSON.stringify(m)}`);
    if (seen.has(m.path)) throw new Error(`viewer: ${m.path} is listed twice in the manifest`);
    seen.set(m.path, m.sha256);
  }
  for (const e of model.exhibits) {
    if (seen.get(e.bagPath) !== e.sha256) {
      throw new Error(
        `viewer: exhibit ${e.number} (${e.bagPath}) is not in the manifest with its SHA-256`,
      );
    }
  }
}

/** data/evidence/JD-001_a b#c.png → ../evidence/JD-001_a%20b%23c.png (from data/viewer/). */
export function viewerHref(bagPath: string): string {
  const inData = bagPath.replace(/^data\//, '');
  return '../' + inData.split('/').map(encodeURIComponent).join('/');
}

/** Which reader the page uses for a file of this type. */
export function exhibitKind(mime: string): ExhibitKind {
  // What every current browser decodes; HEIC and TIFF are not among them.
  if (/^image\/(jpeg|png|gif|webp|bmp|avif)$/.test(mime)) return 'image';
  if (mime === 'message/rfc822') return 'email';
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return 'html';
  if (mime.startsWith('text/') || mime === 'application/json') return 'text';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'other';
}

function isJpeg(b: Buffer | null): b is Buffer {
  return b !== null && b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

// ---- Times: always with their zone, or saying plainly that none was recorded. ----

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** "Tuesday 5 March 2024, 14:02:11" for the wall clock of `ms` read in UTC. */
function wallText(ms: number, seconds = true): string {
  const d = new Date(ms);
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${seconds ? `:${two(d.getUTCSeconds())}` : ''}`;
  return `${dateText(ms)}, ${clock}`;
}

function dateText(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function zoneText(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const a = Math.abs(offsetMinutes);
  return `UTC${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(a / 60))}:${two(a % 60)}`;
}

/** A moment in UTC, with the local clock too when the local offset is known. */
export function instantText(iso: string, localOffsetMinutes?: number): string {
  const t = parseTime(iso);
  if (!t || (t.kind !== 'utc' && t.kind !== 'offset')) return timeText(iso);
  const utc = `${wallText(t.ms, t.hasSeconds)} UTC`;
  const off = localOffsetMinutes ?? (t.kind === 'offset' ? t.offsetMinutes : undefined);
  if (off === undefined || off === 0) return utc;
  return `${utc} (${wallText(t.ms + off * 60_000, t.hasSeconds)} local time, ${zoneText(off)})`;
}

/** A time as recorded: in its own zone if it has one, or said to be without one. */
export function timeText(raw: string): string {
  const t = parseTime(raw);
  if (!t) return `${displayName(raw)} (as recorded; not a date this page can read)`;
  switch (t.kind) {
    case 'date':
      return `${dateText(t.ms)} (date only, no time given)`;
    case 'floating':
      return `${wallText(t.ms, t.hasSeconds)} (local time; no time zone was recorded)`;
    case 'utc':
      return `${wallText(t.ms, t.hasSeconds)} UTC`;
    case 'offset':
      return `${wallText(t.ms + t.offsetMinutes * 60_000, t.hasSeconds)} ${zoneText(t.offsetMinutes)} (${wallText(t.ms, t.hasSeconds)} UTC)`;
  }
}

/** A time in UTC recorded with no offset, with the exporter's clock too: the day counted. */
function countedText(raw: string, timeZone: string): string {
  const t = parseTime(raw);
  return t?.kind === 'utc' ? instantText(raw, zoneOffsetMinutes(timeZone, t.ms)) : timeText(raw);
}

function exhibitTimes(e: Exhibit): ViewerExhibit['times'] {
  const out: ViewerExhibit['times'] = [];
  const add = (label: string, raw: string | null, text: (r: string) => string): void => {
    if (raw) out.push({ label, raw, text: text(raw) });
  };
  add(
    'Taken (from the photo’s own EXIF data, which anyone can edit)',
    e.sourceTimes.exif,
    timeText,
  );
  add('Sent (from the email’s Date header)', e.sourceTimes.email, timeText);
  add('File last modified (from the file system)', e.sourceTimes.mtime, timeText);
  add('Imported into Dossier', e.ingestedAt, (r) => instantText(r, e.ingestedOffsetMinutes));
  return out;
}

/** The figures as computed once, and the sentences the page shows. */
function conductData(c: CourseOfConduct<IncidentRecord>): ViewerData['conduct'] {
  const n = c.occasions.length;
  const text: string[] = [];
  if (n === 0) {
    text.push('No incidents are described in this bundle.');
  } else if (n === 1) {
    text.push(`One incident is recorded, on ${timeText(c.occasions[0]!.incident.occurredAt)}.`);
  } else {
    const from = c.firstDay && c.lastDay && c.spanDays > 0;
    text.push(
      `${n} incidents are recorded, on ${c.days} different day${c.days === 1 ? '' : 's'}` +
        (from
          ? `, from ${dayWords(c.firstDay!)} to ${dayWords(c.lastDay!)} (${plural(c.spanDays, 'day')} from the first day to the last).`
          : '.'),
    );
    if (c.gaps.length > 0) {
      const longest = Math.max(...c.gaps);
      const shortest = Math.min(...c.gaps);
      text.push(
        longest === shortest
          ? `Each incident is ${plural(longest, 'day')} after the one before.`
          : `The gaps between one incident and the next range from ${plural(shortest, 'day')} to ${plural(longest, 'day')}.`,
      );
    }
    if (c.dated < n)
      text.push(
        `${plural(n - c.dated, 'incident')} ${n - c.dated === 1 ? 'has' : 'have'} a time this page cannot read, and ${n - c.dated === 1 ? 'is' : 'are'} not counted in these figures.`,
      );
    text.push(
      `Days are calendar days in the ${displayName(c.timeZone)} time zone (the exporter’s); a time recorded without a zone keeps the date it was written with.`,
    );
  }
  text.push(
    'In England and Wales, harassment under the Protection from Harassment Act 1997 needs a “course of conduct”: conduct on at least two occasions. These numbers count what was recorded; whether it amounts to harassment is for a court to decide.',
  );
  return {
    occasions: n,
    days: c.days,
    timeZone: c.timeZone,
    firstDay: c.firstDay,
    lastDay: c.lastDay,
    spanDays: c.spanDays,
    gaps: c.gaps,
    text,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "Tuesday 5 March 2024" for a calendar day "YYYY-MM-DD". */
function dayWords(day: string): string {
  return dateText(Date.parse(`${day}T00:00:00Z`));
}

// ---- Plain words for codes. ----

function sizeText(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-GB')} byte${bytes === 1 ? '' : 's'}`;
  return bytes < 1000 ? exact : `${shortSize(bytes)} (${exact})`;
}

const TYPES: Record<string, string> = {
  'image/jpeg': 'JPEG image (photo)',
  'image/png': 'PNG image (often a screenshot)',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/heic': 'HEIC image (iPhone photo)',
  'image/tiff': 'TIFF image',
  'application/pdf': 'PDF document',
  'message/rfc822': 'Email message',
  'application/vnd.ms-outlook': 'Outlook email message (.msg)',
  'text/plain': 'Plain text',
  'text/html': 'Web page (HTML)',
  'application/zip': 'Zip archive',
};

function typeText(mime: string): string {
  const words =
    TYPES[mime] ??
    (mime.startsWith('image/')
      ? 'Image'
      : mime.startsWith('audio/')
        ? 'Audio recording'
        : mime.startsWith('video/')
          ? 'Video'
          : mime.startsWith('text/')
            ? 'Text'
            : 'File');
  return `${words} (${displayName(mime)})`;
}

function roleText(role: string): string {
  return (
    { harasser: 'Alleged harasser', witness: 'Witness', official: 'Official', other: 'Other' }[
      role
    ] ?? displayName(role)
  );
}

function sensitiveText(flag: string): string {
  if (flag === 'gps')
    return 'Contains a GPS location: the original file records where it was taken.';
  return `Marked sensitive: ${displayName(flag)}`;
}

function custodyByItem(custody: readonly CustodyRecord[]): Map<string, CustodyRecord[]> {
  const map = new Map<string, CustodyRecord[]>();
  for (const c of custody) {
    for (const s of new Set(c.subjects)) {
      const list = map.get(s) ?? [];
      list.push(c);
      map.set(s, list);
    }
  }
  return map;
}

function custodySummary(model: ExportModel): CustodySummary {
  const entries = [...model.custody].sort((a, b) => a.seq - b.seq);
  const counts = new Map<string, number>();
  for (const c of entries) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  const first = entries[0];
  const last = entries[entries.length - 1];
  const cp = model.checkpoint;
  return {
    entries: entries.length,
    firstSeq: first?.seq ?? null,
    lastSeq: last?.seq ?? null,
    firstText: first ? instantText(first.at) : null,
    lastText: last ? instantText(last.at) : null,
    actions: [...counts].map(([action, count]) => ({
      action,
      text: custodyActionLabel(action),
      count,
    })),
    checkpoint: cp && { ...cp, signedText: instantText(cp.signedAt) },
    leftOut: model.custodyLeftOut ?? 0,
    pathWithheld: entries.filter((c) => c.withheld === 'full-source-path').length,
  };
}

/** EXIF as "Block · Tag" → short text rows; binary and oversized values are summarised. */
export function flattenExif(exif: Record<string, unknown> | null): [string, string][] {
  if (!exif) return [];
  const rows: [string, string][] = [];
  const walk = (prefix: string, v: unknown, depth: number): void => {
    if (rows.length >= MAX_EXIF_ROWS || v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      rows.push([prefix, clip(String(v))]);
    } else if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) {
      rows.push([prefix, `(binary data, ${(v as ArrayBufferView).byteLength} bytes)`]);
    } else if (Array.isArray(v)) {
      const simple = v.every((x) => ['string', 'number', 'boolean'].includes(typeof x));
      rows.push([prefix, clip(simple ? v.join(', ') : JSON.stringify(v))]);
    } else if (typeof v === 'object' && depth < 2) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        walk(prefix ? `${prefix} · ${k}` : k, x, depth + 1);
      }
    } else {
      rows.push([prefix, clip(JSON.stringify(v) ?? String(v))]);
    }
  };
  walk('', exif, 0);
  return rows;
}

function clip(s: string): string {
  return s.length > MAX_EXIF_VALUE_CHARS ? `${s.slice(0, MAX_EXIF_VALUE_CHARS)}…` : s;
}

/** Words read with less confidence than this are counted as uncertain. */
const UNCERTAIN_BELOW = 60;

function viewerRecognisedText(e: Exhibit): ViewerRecognisedText | null {
  const r = e.recognisedText;
  if (!r) return null;
  const reading = r.reading;
  return {
    status: r.status,
    reason: r.reason,
    engine: reading
      ? `${reading.engine} ${reading.engineVersion}`.trim() +
        (r.language === 'eng' ? ', English' : `, language ${r.language}`)
      : null,
    meanConfidence: reading?.meanConfidence ?? null,
    words: reading?.words.length ?? 0,
    uncertainWords: reading?.words.filter((w) => w.c < UNCERTAIN_BELOW).length ?? 0,
    text: reading ? clipText(reading.text) : null,
  };
}

/** A picture's text is kept to this many characters on the page; the whole is in the JSON. */
const MAX_RECOGNISED_CHARS = 20_000;

function clipText(text: string): string {
  return text.length > MAX_RECOGNISED_CHARS ? `${text.slice(0, MAX_RECOGNISED_CHARS)}…` : text;
}
