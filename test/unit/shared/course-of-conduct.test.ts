import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  courseOfConduct,
  dayNumberIn,
  dayText,
  instantIn,
  knownTimeZone,
  zoneOffsetMinutes,
} from '../../../shared/course-of-conduct';
import { parseTime } from '../../../shared/recorded-time';

// Zones with summer time both ways, half and quarter hours, and a change of clocks at midnight.
const ZONES = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'America/Santiago',
  'Asia/Kathmandu',
];

const two = (n: number): string => String(n).padStart(2, '0');

/** A recorded time in every form Dossier stores, around the clock changes of 2024–2027. */
const recorded = fc
  .record({
    ms: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) }),
    kind: fc.constantFrom('utc', 'offset', 'floating', 'date', 'unreadable'),
    offset: fc.integer({ min: -14 * 4, max: 14 * 4 }).map((q) => q * 15),
  })
  .map(({ ms, kind, offset }) => {
    const d = new Date(ms + (kind === 'offset' ? offset * 60_000 : 0));
    const day = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
    const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    const a = Math.abs(offset);
    switch (kind) {
      case 'utc':
        return `${day}T${clock}:00Z`;
      case 'offset':
        return `${day}T${clock}${offset < 0 ? '-' : '+'}${two(Math.floor(a / 60))}:${two(a % 60)}`;
      case 'floating':
        return `${day}T${clock}`;
      case 'date':
        return day;
      default:
        return `around ${day}`;
    }
  });

const incidents = fc
  .array(recorded, { maxLength: 25 })
  .map((times) => times.map((occurredAt, i) => ({ id: `i${i}`, occurredAt })));

describe('course of conduct: invariants', () => {
  it('days ≤ dated occasions ≤ occasions; gaps are whole, never negative, and sum to the span', () => {
    fc.assert(
      fc.property(incidents, fc.constantFrom(...ZONES), (list, zone) => {
        const c = courseOfConduct(list, zone);
        expect(c.occasions).toHaveLength(list.length);
        expect(c.days).toBeLessThanOrEqual(c.dated);
        expect(c.dated).toBeLessThanOrEqual(list.length);
        expect(c.gaps).toHaveLength(Math.max(0, c.dated - 1));
        for (const g of c.gaps) {
          expect(Number.isInteger(g)).toBe(true);
          expect(g).toBeGreaterThanOrEqual(0);
        }
        expect(c.gaps.reduce((s, g) => s + g, 0)).toBe(c.spanDays);
        // Days are the distinct days of the dated occasions, which never go backwards.
        const days = c.occasions.slice(0, c.dated).map((o) => o.day!);
        expect(new Set(days).size).toBe(c.days);
        expect([...days].sort()).toEqual(days);
        expect(days[0] ?? null).toBe(c.firstDay);
        expect(days[days.length - 1] ?? null).toBe(c.lastDay);
        // Each occasion's gap is the day difference to the one before it.
        for (let i = 1; i < c.dated; i++) {
          const diff =
            (Date.parse(`${days[i]}T00:00Z`) - Date.parse(`${days[i - 1]}T00:00Z`)) / 86_400_000;
          expect(c.occasions[i]!.gap!.days).toBe(diff);
        }
        // Unreadable times come last, without a day or a gap.
        for (const o of c.occasions.slice(c.dated)) expect([o.day, o.gap]).toEqual([null, null]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same figures whatever order the incidents come in', () => {
    fc.assert(
      fc.property(
        incidents.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
          ),
        ),
        fc.constantFrom(...ZONES),
        ([list, shuffled], zone) => {
          const a = courseOfConduct(list, zone);
          const b = courseOfConduct(shuffled, zone);
          expect([b.days, b.spanDays, b.gaps, b.firstDay, b.lastDay, b.summary]).toEqual([
            a.days,
            a.spanDays,
            a.gaps,
            a.firstDay,
            a.lastDay,
            a.summary,
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('places a zoned time on the calendar of the stated zone, a zoneless one on its own date', () => {
    fc.assert(
      fc.property(recorded, fc.constantFrom(...ZONES), (raw, zone) => {
        const t = parseTime(raw);
        if (!t) return;
        const day = dayText(dayNumberIn(t, zone));
        if (t.kind === 'floating' || t.kind === 'date') expect(day).toBe(raw.slice(0, 10));
        else {
          const local = new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
          }).format(new Date(t.ms));
          expect(day).toBe(local);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('course of conduct: clock changes and zones', () => {
  it('knows each zone’s offset either side of a change of clocks', () => {
    expect(zoneOffsetMinutes('Europe/London', Date.UTC(2026, 0, 15))).toBe(0);
    expect(zoneOffsetMinutes('Europe/London', Date.UTC(2026, 6, 15))).toBe(60);
    expect(zoneOffsetMinutes('America/New_York', Date.UTC(2026, 0, 15))).toBe(-300);
    expect(zoneOffsetMinutes('Asia/Kathmandu', Date.UTC(2026, 0, 15))).toBe(345);
  });

  it('counts days across the start of summer time (London, 29 March 2026)', () => {
    // 23:30 GMT on the 28th; 23:30 UTC on the 29th is 00:30 BST on the 30th.
    const c = courseOfConduct(
      [{ occurredAt: '2026-03-28T23:30:00Z' }, { occurredAt: '2026-03-29T23:30:00Z' }],
      'Europe/London',
    );
    expect([c.firstDay, c.lastDay, c.spanDays, c.days]).toEqual(['2026-03-28', '2026-03-30', 2, 2]);
    expect(
      courseOfConduct(
        c.occasions.map((o) => o.incident),
        'UTC',
      ).spanDays,
    ).toBe(1);
  });

  it('keeps the repeated hour at the end of summer time on one day, in time order', () => {
    // New York, 1 November 2026: 01:30 EDT, then 01:30 EST an hour later.
    const c = courseOfConduct(
      [
        { id: 'b', occurredAt: '2026-11-01T06:30:00Z' },
        { id: 'a', occurredAt: '2026-11-01T05:30:00Z' },
        { id: 'z', occurredAt: '2026-11-01T04:30:00Z' },
      ],
      'America/New_York',
    );
    expect(c.occasions.map((o) => o.incident.id)).toEqual(['z', 'a', 'b']);
    expect(c.days).toBe(1);
    expect(c.occasions[2]!.gap).toMatchObject({
      days: 0,
      minutes: 60,
      text: 'Same day, 1 hour later',
    });
  });

  it('reads a wall clock without a zone in the stated zone, and says its hours are "about"', () => {
    expect(instantIn(parseTime('2026-07-01T12:00')!, 'Europe/London')).toBe(
      Date.UTC(2026, 6, 1, 11, 0),
    );
    const c = courseOfConduct(
      [{ occurredAt: '2026-07-01T12:00' }, { occurredAt: '2026-07-01T15:00:00+01:00' }],
      'Europe/London',
    );
    expect(c.occasions[1]!.gap).toMatchObject({ minutes: 180, zoneless: true });
    expect(c.occasions[1]!.gap!.text).toBe('Same day, about 3 hours later');
  });

  it('says a count rounded to weeks, months or years is "about", and the day count exactly', () => {
    const gap = (a: string, b: string): string =>
      courseOfConduct([{ occurredAt: a }, { occurredAt: b }], 'UTC').occasions[1]!.gap!.text;
    expect(gap('2026-01-01', '2026-01-24')).toBe('23 days later (about 3 weeks)');
    expect(gap('2026-01-01', '2026-04-01')).toBe('90 days later (about 3 months)');
    expect(gap('2026-01-01', '2026-01-04')).toBe('3 days later');
  });

  it('falls back to UTC, and says so, for a zone this runtime does not know', () => {
    expect(knownTimeZone('Mars/Olympus_Mons')).toBe('UTC');
    expect(knownTimeZone('')).toBe('UTC');
    expect(courseOfConduct([], 'Not/AZone').timeZone).toBe('UTC');
    expect(knownTimeZone('Europe/London')).toBe('Europe/London');
  });
});
