/**
 * Which recorded details say where something was: GPS coordinates and the like. The app and
 * the offline viewer both hide them until the person asks ("Show location"), because a
 * photo's GPS position can give away a home address.
 */
export function isLocationKey(key: string): boolean {
  return /gps|latitude|longitude|altitude|location/i.test(key);
}

/**
 * What an export does with the location its items record (docs/bundle-format.md, "Location"):
 * leave it out of everything Dossier writes about them, or print it as the app shows it.
 */
export const LOCATION_CHOICES = ['withheld', 'included'] as const;
export type LocationChoice = (typeof LOCATION_CHOICES)[number];

/** Said in the bundle wherever a withheld location would have been shown. */
export const LOCATION_WITHHELD = 'Location withheld by the exporter';

/** Whether recorded details (EXIF tags, nested or not) hold a location field with a value. */
export function hasLocationFields(tags: unknown, depth = 0): boolean {
  if (depth > 8 || tags === null || typeof tags !== 'object') return false;
  for (const [k, v] of Object.entries(tags)) {
    if (v === null || v === undefined || v === '') continue;
    if (isLocationKey(k)) return true;
    if (typeof v === 'object' && hasLocationFields(v, depth + 1)) return true;
  }
  return false;
}

/**
 * The details without any location field, at any depth: a key that names a location goes with
 * everything under it. Other values are kept as they are.
 */
export function withoutLocationFields(tags: Record<string, unknown>): Record<string, unknown> {
  return stripped(tags, 0) as Record<string, unknown>;
}

function stripped(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  // Deeper than any real EXIF: dropped rather than searched (a hostile file's nesting).
  if (depth > 8) return null;
  if (Array.isArray(v)) return v.map((x) => stripped(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (isLocationKey(k)) continue;
    // defineProperty: a key "__proto__" from a parsed file stays a plain key.
    Object.defineProperty(out, k, {
      value: stripped(x, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
