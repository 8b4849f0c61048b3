import { displayName } from '../../../../shared/display-name';

/**
 * Untrusted text that spans lines (a note, a text file, an email body): every line made safe
 * with displayName (hidden controls and direction overrides shown as \u{…}), but line breaks
 * and tabs kept, so it still reads as written.
 */
export function safeMultiline(s: string): string {
  return s
    .split(/\r\n|\r|\n/)
    .map((line) => line.split('\t').map(displayName).join('\t'))
    .join('\n');
}

/** Any metadata value as one short, safe line. */
export function valueText(v: unknown, max = 300): string {
  let s: string;
  if (v === null || v === undefined) s = '—';
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else {
    try {
      s = JSON.stringify(v);
    } catch {
      s = String(v);
    }
  }
  const safe = displayName(s);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** A nested metadata object as (path, value) rows: "exif.tags.Make" → "Apple". */
export function flattenMetadata(
  value: unknown,
  prefix = '',
  out: Array<{ key: string; value: unknown }> = [],
  depth = 0,
): Array<{ key: string; value: unknown }> {
  if (out.length >= 500) return out;
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    depth < 6 &&
    Object.keys(value).length > 0
  ) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flattenMetadata(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    }
  } else if (prefix) {
    out.push({ key: prefix, value });
  }
  return out;
}

/** Whether a metadata key holds where a photo was taken (the viewer uses the same rule). */
export { isLocationKey } from '../../../../shared/location-fields';
