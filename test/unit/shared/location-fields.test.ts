import { describe, expect, it } from 'vitest';
import {
  hasLocationFields,
  isLocationKey,
  withoutLocationFields,
} from '../../../shared/location-fields';

describe('location fields (what an export withholds, issue 15)', () => {
  it('names GPS and location keys, not others', () => {
    for (const k of ['GPSLatitude', 'gps', 'latitude', 'Longitude', 'GPSAltitude', 'location'])
      expect(isLocationKey(k), k).toBe(true);
    for (const k of ['Make', 'Model', 'DateTimeOriginal', 'Orientation'])
      expect(isLocationKey(k), k).toBe(false);
  });

  it('finds a location field with a value, at any depth', () => {
    expect(hasLocationFields({ Make: 'Google', GPSLatitude: [51, 30, 2.6244] })).toBe(true);
    expect(hasLocationFields({ exif: { gps: { latitude: 51.5 } } })).toBe(true);
    expect(hasLocationFields([{ GPSLongitude: 0.12 }])).toBe(true);
    expect(hasLocationFields({ Make: 'Google', GPSLatitude: null, GPSLongitude: '' })).toBe(false);
    expect(hasLocationFields({ Make: 'Google' })).toBe(false);
    expect(hasLocationFields(null)).toBe(false);
  });

  it('leaves out every location field and what is under it, keeping the rest', () => {
    const tags = {
      Make: 'Google',
      GPSLatitude: [51, 30, 2.6244],
      GPSLatitudeRef: 'N',
      nested: { ok: 1, gps: { latitude: 51.5 }, list: [{ GPSAltitude: 12, keep: 'x' }] },
    };
    const out = withoutLocationFields(tags);
    expect(out).toEqual({ Make: 'Google', nested: { ok: 1, list: [{ keep: 'x' }] } });
    expect(JSON.stringify(out)).not.toMatch(/51|2\.6244|12/);
    // The input is not changed.
    expect(tags.GPSLatitude).toEqual([51, 30, 2.6244]);
  });

  it('keeps a key called __proto__ as a plain key, and drops nesting deeper than EXIF has', () => {
    const hostile = JSON.parse('{"__proto__": {"GPSLatitude": 51.5, "x": 1}}') as Record<
      string,
      unknown
    >;
    const out = withoutLocationFields(hostile);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1}}');
    let deep: Record<string, unknown> = { GPSLatitude: 51.5 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(withoutLocationFields(deep))).not.toContain('51.5');
  });
});
