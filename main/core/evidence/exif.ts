// EXIF from an untrusted photo or screenshot, as JSON-safe facts. exifr does the parsing; we
// keep dates as the camera wrote them (no Date objects), so results never depend on the TZ
// of the machine doing the ingest.
import exifr from 'exifr';

export interface ExifSummary {
  /**
   * DateTimeOriginal as ISO 8601. EXIF times carry no zone: with OffsetTimeOriginal the offset
   * is appended ("2024-03-09T23:10:42+01:00"); without it this is a floating local time with no
   * 'Z' and no offset ("2024-03-09T23:10:42"), and must not be read as UTC.
   */
  capturedAt: string | null;
  capturedAtHasZone: boolean;
  /** "Make Model". */
  device: string | null;
  /** Where the photo was taken: callers flag this as sensitive. */
  gps: { latitude: number; longitude: number; altitude?: number } | null;
  orientation: number | null;
  /** Every parsed tag, JSON-safe and size-capped. */
  tags: Record<string, unknown>;
}

/** Tags whose JSON form is longer than this are dropped (thumbnails, vendor blobs). */
export const MAX_TAG_JSON_CHARS = 4 * 1024;
/** All tags together stay under this, whatever the file claims. */
export const MAX_TAGS_JSON_CHARS = 64 * 1024;

// exifr's types miss `silentErrors`; with it, damage is reported in `errors` next to
// whatever was still readable instead of being thrown.
const EXIFR_OPTIONS = {
  tiff: true,
  ifd0: true,
  exif: true,
  gps: true,
  interop: true,
  ifd1: false, // the embedded thumbnail's IFD: not the photo's facts
  makerNote: false, // large, vendor-specific, undocumented
  userComment: true, // kept raw in the exif block; decoded here
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  translateKeys: true,
  translateValues: true,
  reviveValues: false, // keep dates as written: exifr would make Dates in the local zone
  // Unsanitised and per block, so a pointer to a section that could not be read shows.
  sanitize: false,
  mergeOutput: false,
  silentErrors: true,
} as const;

const BLOCKS = ['ifd0', 'exif', 'gps', 'interop'] as const;
type Block = (typeof BLOCKS)[number];

/** Pointers to sections a person cares about: if one leads nowhere, say so. */
const POINTERS: { in: Block; tag: string; to: Block; what: string }[] = [
  { in: 'ifd0', tag: 'ExifIFD', to: 'exif', what: 'the date and camera settings' },
  { in: 'ifd0', tag: 'GpsIFD', to: 'gps', what: 'the GPS location' },
];

/**
 * Not kept in `tags`: offsets, blobs that are not EXIF (XMP, IPTC, ICC, maker notes), and
 * exifr's own decimal position (the summary has it; `tags` is what the file holds).
 */
const NOT_TAGS = new Set([
  'ExifIFD',
  'GpsIFD',
  'InteropIFD',
  '__proto__',
  'latitude',
  'longitude',
  'MakerNote',
  'ApplicationNotes',
  'IPTC',
  'ICC',
]);

const DAMAGED = "The photo's EXIF metadata is damaged and could not be read";
const PARTLY_DAMAGED = "Part of the photo's EXIF metadata is damaged; the readable part was kept";

/**
 * Reads EXIF from a whole file or its first bytes. `{ exif: null, error: null }` means the
 * file has no EXIF (or is not a format that carries it). Never throws.
 */
export async function readExif(
  bytes: Uint8Array,
): Promise<{ exif: ExifSummary | null; error: string | null }> {
  // Too short to hold any container exifr knows; exifr itself throws RangeErrors on these.
  if (bytes.length < 16) return { exif: null, error: null };
  let raw: unknown;
  try {
    raw = await exifr.parse(bytes, EXIFR_OPTIONS as object);
  } catch (e) {
    if (errorText(e) === 'Unknown file format') return { exif: null, error: null };
    return { exif: null, error: `${DAMAGED} (${errorText(e)}).` };
  }
  try {
    if (!isRecord(raw)) return { exif: null, error: null };
    const problems: string[] = [];
    if (Array.isArray(raw.errors) && raw.errors.length > 0) problems.push(errorText(raw.errors[0]));

    const blocks = new Map<Block, Record<string, unknown>>();
    for (const b of BLOCKS) {
      const v = raw[b];
      if (isRecord(v) && Object.keys(v).length > 0) blocks.set(b, v);
    }
    for (const p of POINTERS) {
      const from = blocks.get(p.in);
      if (from && Object.hasOwn(from, p.tag) && !blocks.has(p.to)) {
        problems.push(`${p.what} could not be read`);
      }
    }
    const merged: Record<string, unknown> = {};
    for (const block of blocks.values()) {
      for (const [k, v] of Object.entries(block)) {
        if (!NOT_TAGS.has(k) && !Object.hasOwn(merged, k)) merged[k] = v;
      }
    }

    const detail = problems.length > 0 ? ` (${problems.join('; ')})` : '';
    if (Object.keys(merged).length === 0) {
      return { exif: null, error: detail ? `${DAMAGED}${detail}.` : null };
    }
    return { exif: summarise(merged), error: detail ? `${PARTLY_DAMAGED}${detail}.` : null };
  } catch (e) {
    return { exif: null, error: `${DAMAGED} (${errorText(e)}).` };
  }
}

function summarise(raw: Record<string, unknown>): ExifSummary {
  const { iso, hasZone } = captureTime(raw.DateTimeOriginal, raw.OffsetTimeOriginal);
  return {
    capturedAt: iso,
    capturedAtHasZone: hasZone,
    device: deviceName(raw.Make, raw.Model),
    gps: gpsPosition(raw),
    orientation: orientationOf(raw.Orientation),
    tags: jsonSafeTags(raw),
  };
}

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const EXIF_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** "YYYY:MM:DD HH:MM:SS" (+ optional "±HH:MM") → ISO 8601, parsed by hand so TZ never matters. */
export function captureTime(
  dateTime: unknown,
  offset: unknown,
): { iso: string | null; hasZone: boolean } {
  const none = { iso: null, hasZone: false };
  if (typeof dateTime !== 'string') return none;
  const m = EXIF_DATE.exec(dateTime.trim());
  if (!m) return none;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // Cameras with no clock write zeros or blanks; those are "unknown", not year 0.
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 60) {
    return none;
  }
  const local = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  const o = typeof offset === 'string' ? EXIF_OFFSET.exec(offset.trim()) : null;
  if (o && Number(o[2]) <= 14 && Number(o[3]) <= 59) {
    return { iso: `${local}${o[1]}${o[2]}:${o[3]}`, hasZone: true };
  }
  return { iso: local, hasZone: false };
}

function daysIn(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC so the zone cannot interfere.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function cleanText(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  // Control characters (NUL padding is common) and bidi controls would garble or spoof the UI.
  const t = v
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t === '' ? null : t.slice(0, 200);
}

function deviceName(make: unknown, model: unknown): string | null {
  const mk = cleanText(make);
  const md = cleanText(model);
  if (mk && md) {
    // Many vendors repeat the make in the model ("Canon" + "Canon EOS R6").
    return md.toLowerCase().startsWith(mk.toLowerCase()) ? md : `${mk} ${md}`;
  }
  return mk ?? md;
}

/** Degrees from an EXIF [deg, min, sec] triple (or a bare number). */
function degrees(v: unknown): number | null {
  const parts = typeof v === 'number' ? [v] : Array.isArray(v) ? v : null;
  if (!parts || parts.length === 0 || parts.length > 3) return null;
  let total = 0;
  for (const [i, p] of parts.entries()) {
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0) return null;
    total += p / 60 ** i;
  }
  return total;
}

function refLetter(v: unknown): string | null {
  return typeof v === 'string' ? v.trim().charAt(0).toUpperCase() : null;
}

function firstNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v instanceof Uint8Array || Array.isArray(v)) {
    const n: unknown = v[0];
    return typeof n === 'number' ? n : null;
  }
  return null;
}

function gpsPosition(raw: Record<string, unknown>): ExifSummary['gps'] {
  const lat = degrees(raw.GPSLatitude);
  const lon = degrees(raw.GPSLongitude);
  if (lat === null || lon === null) return null;
  const latitude = refLetter(raw.GPSLatitudeRef) === 'S' ? -lat : lat;
  const longitude = refLetter(raw.GPSLongitudeRef) === 'W' ? -lon : lon;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  const gps: NonNullable<ExifSummary['gps']> = { latitude, longitude };
  const alt = raw.GPSAltitude;
  if (typeof alt === 'number' && Number.isFinite(alt)) {
    // GPSAltitudeRef 1 means below sea level.
    gps.altitude = firstNumber(raw.GPSAltitudeRef) === 1 ? -alt : alt;
  }
  return gps;
}

// exifr translates Orientation to words ("Rotate 90 CW"); map them back to the EXIF number.
const ORIENTATION_WORDS = new Map<string, number>(
  Object.entries(
    (exifr.tagValues.get('ifd0')?.get(0x0112) ?? {}) as Record<string, unknown>,
  ).flatMap(([k, v]) => (typeof v === 'string' ? [[v, Number(k)] as [string, number]] : [])),
);

function orientationOf(v: unknown): number | null {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' ? ORIENTATION_WORDS.get(v) : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 1 && n <= 8 ? n : null;
}

/** UserComment: an 8-byte charset code, then the text. ASCII and undefined are decoded. */
function userComment(v: unknown): unknown {
  if (!(v instanceof Uint8Array) || v.length < 8) return v;
  const code = Buffer.from(v.subarray(0, 8)).toString('latin1').replace(/\0+$/, '');
  if (code === 'ASCII' || code === '') {
    const text = new TextDecoder('utf-8').decode(v.subarray(8)).replace(/\0+$/, '');
    return text.trim() === '' ? undefined : text;
  }
  return v; // UNICODE/JIS: byte order is ambiguous here; kept as hex
}

/** Keeps every tag that has a JSON form within the caps; byte arrays become `{ hex }`. */
function jsonSafeTags(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let total = 2;
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__proto__') continue;
    const safe = jsonSafe(name === 'UserComment' ? userComment(value) : value, 0);
    if (safe === undefined) continue;
    const size = JSON.stringify(safe).length + JSON.stringify(name).length + 2;
    if (size > MAX_TAG_JSON_CHARS || total + size > MAX_TAGS_JSON_CHARS) continue;
    total += size;
    out[name] = safe;
  }
  return out;
}

function jsonSafe(v: unknown, depth: number): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (ArrayBuffer.isView(v)) {
    if (v.byteLength * 2 > MAX_TAG_JSON_CHARS) return undefined;
    return { hex: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
  }
  if (depth > 4) return undefined;
  if (Array.isArray(v)) {
    if (v.length > MAX_TAG_JSON_CHARS) return undefined;
    return v.map((x) => jsonSafe(x, depth + 1) ?? null);
  }
  if (isRecord(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = jsonSafe(x, depth + 1);
      if (s !== undefined && k !== '__proto__') o[k] = s;
    }
    return o;
  }
  return undefined; // functions, symbols, undefined
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first line of an error's message, short enough for a person to read. */
function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = (msg.split('\n')[0] ?? '').trim().replace(/\.$/, '');
  return (line || 'unknown problem').slice(0, 160);
}
