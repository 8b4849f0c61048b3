// Where a picture was, as its XMP says it (docs/redaction.md, "Location in XMP"). A photo edited
// in Lightroom or taken by a drone can carry its GPS position, or a city and street, in XMP
// only, with no EXIF GPS: without this, the location warning would not fire for it.
//
// XMP is RDF/XML, but no XML parser is needed to know whether a property is there: a linear
// scan of tags and attributes finds each property's local name and plain value. Nothing here
// can take more than linear time on a hostile packet (test/unit/evidence/xmp-location.test.ts).

/** Packets looked at in one file (a real file has one, or two with an extended XMP). */
export const MAX_XMP_PACKETS = 16;
/** Bytes of one packet looked at; past that a packet is read no further. */
export const MAX_XMP_PACKET_BYTES = 1024 * 1024;
/** Location fields kept for the item view, and characters kept of each value. */
export const MAX_XMP_LOCATION_FIELDS = 32;
export const MAX_XMP_VALUE_CHARS = 200;

const START = Buffer.from('<rdf:RDF');
const END = Buffer.from('</rdf:RDF>');

/**
 * Local names of XMP properties that say where a picture was: GPS fields in any namespace
 * (exif:GPSLatitude, drone-dji:GpsLatitude…), photoshop:City/State/Country, the IPTC
 * Location, LocationCreated and LocationShown structures and their parts, xmpDM:shotLocation.
 */
function isLocationProperty(local: string): boolean {
  return /^gps|^(city|state|country|countrycode|countryname|provincestate|sublocation|worldregion)$|location/i.test(
    local,
  );
}

/**
 * The location fields in a file's XMP packets, as `{ 'exif:GPSLatitude': '53,48.2N' }`
 * (qualified name → value as written), or null when it has none. Never throws.
 */
export function readXmpLocation(bytes: Uint8Array): Record<string, string> | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: Record<string, string> = {};
  let count = 0;
  let from = 0;
  for (let packet = 0; packet < MAX_XMP_PACKETS; packet++) {
    const start = buf.indexOf(START, from);
    if (start < 0) break;
    const limit = Math.min(buf.length, start + MAX_XMP_PACKET_BYTES);
    const end = buf.indexOf(END, start);
    const stop = end < 0 || end > limit ? limit : end;
    for (const [name, value] of properties(buf.toString('utf8', start, stop))) {
      if (count >= MAX_XMP_LOCATION_FIELDS) break;
      const local = name.slice(name.indexOf(':') + 1);
      if (
        name.startsWith('xmlns:') ||
        !isLocationProperty(local) ||
        value === '' ||
        Object.hasOwn(found, name)
      )
        continue;
      found[name] = value.slice(0, MAX_XMP_VALUE_CHARS);
      count++;
    }
    from = stop + 1;
  }
  return count > 0 ? found : null;
}

/**
 * Every property of the packet with a plain value: attributes (`exif:GPSLatitude="…"`) and
 * elements holding text (`<exif:GPSLatitude>…</exif:GPSLatitude>`). One pass, left to right.
 */
function* properties(xml: string): Generator<[string, string]> {
  let at = xml.indexOf('<');
  while (at >= 0) {
    const close = xml.indexOf('>', at + 1);
    if (close < 0) return;
    const tag = xml.slice(at + 1, close);
    const next = xml.indexOf('<', close + 1);
    if (tag[0] !== '/' && tag[0] !== '?' && tag[0] !== '!') {
      const nameEnd = nameLength(tag, 0);
      const name = tag.slice(0, nameEnd);
      yield* attributes(tag, nameEnd);
      const text = xml.slice(close + 1, next < 0 ? xml.length : next).trim();
      if (name.includes(':') && text !== '' && !tag.endsWith('/')) yield [name, unescape(text)];
    }
    at = next;
  }
}

/** `prefix:name="value"` pairs of one tag, scanned once. */
function* attributes(tag: string, from: number): Generator<[string, string]> {
  let i = from;
  while (i < tag.length) {
    while (i < tag.length && isSpace(tag.charCodeAt(i))) i++;
    const nameEnd = i + nameLength(tag, i);
    if (nameEnd === i) {
      i++;
      continue;
    }
    const name = tag.slice(i, nameEnd);
    i = nameEnd;
    while (i < tag.length && isSpace(tag.charCodeAt(i))) i++;
    if (tag[i] !== '=') continue;
    i++;
    while (i < tag.length && isSpace(tag.charCodeAt(i))) i++;
    const quote = tag[i];
    if (quote !== '"' && quote !== "'") continue;
    const valueEnd = tag.indexOf(quote, i + 1);
    if (valueEnd < 0) return;
    if (name.includes(':')) yield [name, unescape(tag.slice(i + 1, valueEnd).trim())];
    i = valueEnd + 1;
  }
}

/** Length of the XML name at `from` (letters, digits, `:`, `_`, `-`, `.`). */
function nameLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && /[\w:.-]/.test(s[i]!)) i++;
  return i - from;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** XML's five entities and character references; anything else is left as written. */
function unescape(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? m;
  });
}
