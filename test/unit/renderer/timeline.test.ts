import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  calendarDay,
  gapBetween,
  inDateOrder,
  messageLines,
  spanText,
  summaryText,
} from '../../../renderer/src/screens/timeline/timeline';
import {
  offsetLabel,
  offsetSuffix,
  recordedOffset,
  wallOf,
  withOffset,
} from '../../../renderer/src/screens/incidents/incident-time';

const inc = (id: string, occurredAt: string, personIds: string[] = []) => ({
  id,
  occurredAt,
  personIds,
});

describe('timeline date maths', () => {
  it('counts calendar days in the stated zone', () => {
    // 23:30 in London summer time is 22:30 UTC; 00:10 the next morning is the next day.
    const london = 'Europe/London';
    expect(gapBetween('2026-06-01T23:30+01:00', '2026-06-02T00:10+01:00', london)?.text).toBe(
      'The next day',
    );
    expect(calendarDay('2026-06-01T23:30+01:00', london)).toBe(calendarDay('2026-06-01', london));
    expect(calendarDay('2026-06-02T00:10+01:00', london)).toBe(calendarDay('2026-06-02', london));
    // In UTC the same two times fall on one day: the zone is part of the answer, and stated.
    expect(gapBetween('2026-06-01T23:30+01:00', '2026-06-02T00:10+01:00', 'UTC')?.text).toBe(
      'Same day, 40 minutes later',
    );
    expect(buildTimeline([], null, london).timeZone).toBe(london);
  });

  it('says gaps in words', () => {
    expect(gapBetween('2026-03-09T14:30+00:00', '2026-03-09T14:50+00:00')?.text).toBe(
      'Same day, 20 minutes later',
    );
    expect(gapBetween('2026-03-09T09:00+00:00', '2026-03-09T14:00+00:00')?.text).toBe(
      'Same day, 5 hours later',
    );
    expect(gapBetween('2026-03-09', '2026-03-09')?.text).toBe('Same day');
    expect(gapBetween('2026-03-09T10:00+00:00', '2026-03-10T09:00+00:00')?.text).toBe(
      'The next day',
    );
    expect(gapBetween('2026-03-01T10:00+00:00', '2026-03-04T10:00+00:00')?.text).toBe(
      '3 days later',
    );
    expect(gapBetween('2026-01-01T10:00+00:00', '2026-01-24T10:00+00:00')).toMatchObject({
      days: 23,
      text: '23 days later (about 3 weeks)',
    });
    expect(gapBetween('2026-01-01', '2026-04-01')?.text).toBe('90 days later (about 3 months)');
    expect(gapBetween('2024-01-01', '2026-01-01')?.text).toBe('731 days later (about 2 years)');
  });

  it('has no gap when a time cannot be read', () => {
    expect(gapBetween('last Tuesday', '2026-03-09')).toBeNull();
  });

  it('crosses a change of clocks (UK summer time starts 29 March 2026)', () => {
    expect(gapBetween('2026-03-28T12:00+00:00', '2026-03-29T12:00+01:00')?.text).toBe(
      'The next day',
    );
  });

  it('says how long a run of incidents covers', () => {
    expect(spanText('2026-03-09T10:00+00:00', '2026-03-09T18:00+00:00')).toBe('on one day');
    expect(spanText('2026-03-01', '2026-03-05')).toBe('over 5 days');
    expect(spanText('2026-03-01', '2026-03-21')).toBe('over 3 weeks');
    expect(spanText('2026-01-05', '2026-04-20')).toBe('over 4 months');
    expect(spanText('2024-01-01', '2026-03-01')).toBe('over 2 years and 2 months');
    expect(spanText('nonsense', '2026-03-01')).toBeNull();
  });

  it('orders by instant, whatever the offsets, with unreadable times last', () => {
    const list = [
      inc('c', '2026-03-09T14:00+00:00'),
      inc('x', 'unknown'),
      inc('b', '2026-03-09T14:30+02:00'), // 12:30 UTC: before c
      inc('a', '2026-03-01'),
    ];
    expect(inDateOrder(list).map((i) => i.id)).toEqual(['a', 'b', 'c', 'x']);
    expect(list.map((i) => i.id)).toEqual(['c', 'x', 'b', 'a']); // input untouched
  });

  it('builds the timeline with gaps and a summary', () => {
    const t = buildTimeline([
      inc('2', '2026-01-24T09:00+00:00'),
      inc('1', '2026-01-01T09:00+00:00'),
      inc('3', '2026-04-20T09:00+01:00'),
    ]);
    expect(t.entries.map((e) => e.incident.id)).toEqual(['1', '2', '3']);
    expect(t.entries[0]!.gap).toBeNull();
    expect(t.entries[1]!.gap?.text).toBe('23 days later (about 3 weeks)');
    expect(t.entries[2]!.gap?.days).toBe(86);
    expect(t.summary).toBe('3 incidents over 4 months');
  });

  it('filters to one person', () => {
    const t = buildTimeline(
      [
        inc('1', '2026-01-01', ['p1']),
        inc('2', '2026-01-10', ['p2']),
        inc('3', '2026-01-12', ['p1', 'p2']),
      ],
      'p1',
    );
    expect(t.entries.map((e) => e.incident.id)).toEqual(['1', '3']);
    expect(t.entries[1]!.gap?.text).toBe('11 days later');
    expect(t.summary).toBe('2 incidents over 12 days');
  });

  it('summarises empty and single timelines', () => {
    expect(summaryText([])).toBe('No incidents');
    expect(summaryText([inc('1', '2026-01-01')])).toBe('1 incident');
    expect(summaryText([inc('1', '2026-01-01'), inc('2', '2026-01-01')])).toBe(
      '2 incidents on one day',
    );
  });
});

describe('incident times', () => {
  it('stores what was typed with the clock offset', () => {
    expect(withOffset('2026-03-09T14:30', 0)).toBe('2026-03-09T14:30+00:00');
    expect(withOffset('2026-06-09T14:30', 60)).toBe('2026-06-09T14:30+01:00');
    expect(withOffset('2026-06-09T14:30', -330)).toBe('2026-06-09T14:30-05:30');
    expect(withOffset('2026-02-30T14:30', 0)).toBeNull();
    expect(withOffset('', 0)).toBeNull();
  });

  it('shows a recorded time back as typed', () => {
    expect(wallOf('2026-06-09T14:30+01:00')).toBe('2026-06-09T14:30');
    expect(wallOf('2026-06-09')).toBe('2026-06-09T00:00');
    expect(wallOf(null)).toBe('');
    expect(recordedOffset('2026-06-09T14:30+01:00')).toBe(60);
    expect(recordedOffset('2026-06-09T14:30')).toBeNull();
  });

  it('names offsets', () => {
    expect(offsetSuffix(0)).toBe('+00:00');
    expect(offsetLabel(0)).toBe('UTC');
    expect(offsetLabel(60)).toBe('UTC+01:00');
    expect(offsetLabel(-300)).toBe('UTC−05:00');
  });
});

describe('timeline: messages under an incident', () => {
  const withMessages = {
    id: 'i1',
    occurredAt: '2024-03-01',
    personIds: [],
    messages: [
      {
        id: 'm1',
        conversationId: 'c1',
        index: 4,
        sender: 'Alex',
        personId: 'p1',
        time: '2024-03-01T21:14:00+00:00',
        excerpt: 'I know',
      },
      {
        id: 'm2',
        conversationId: 'c1',
        index: 9,
        sender: '+44 7700 900123',
        personId: null,
        time: null,
        excerpt: 'again',
      },
      {
        id: 'm3',
        conversationId: 'c2',
        index: 0,
        sender: '',
        personId: null,
        time: null,
        excerpt: 'Alex left',
      },
    ],
  };

  it('names each message’s sender by the person they were marked as, else as the export shows, with where it opens', () => {
    expect(messageLines(withMessages, new Map([['p1', 'Alex Jones']]))).toEqual([
      {
        id: 'm1',
        conversationId: 'c1',
        index: 4,
        who: 'Alex Jones',
        time: '2024-03-01T21:14:00+00:00',
        excerpt: 'I know',
      },
      {
        id: 'm2',
        conversationId: 'c1',
        index: 9,
        who: '+44 7700 900123',
        time: null,
        excerpt: 'again',
      },
      {
        id: 'm3',
        conversationId: 'c2',
        index: 0,
        who: 'the platform',
        time: null,
        excerpt: 'Alex left',
      },
    ]);
    expect(messageLines({ id: 'i2', occurredAt: '2024-03-02', personIds: [] }, new Map())).toEqual(
      [],
    );
  });

  it('shows an incident for a person who sent one of its messages', () => {
    const other = { id: 'i2', occurredAt: '2024-03-02', personIds: ['p2'] };
    expect(buildTimeline([withMessages, other], 'p1').entries.map((e) => e.incident.id)).toEqual([
      'i1',
    ]);
    expect(buildTimeline([withMessages, other], 'p2').entries.map((e) => e.incident.id)).toEqual([
      'i2',
    ]);
  });
});
