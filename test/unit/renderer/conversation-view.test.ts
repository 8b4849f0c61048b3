import { describe, expect, it } from 'vitest';
import { highlight, searchWords } from '../../../renderer/src/screens/conversation/highlight';
import {
  howOfClick,
  MAX_SELECTED,
  NO_SELECTION,
  select,
  selectedIndices,
} from '../../../renderer/src/screens/conversation/selection';
import {
  dateOrderText,
  timeSourceText,
} from '../../../renderer/src/screens/conversation/time-source';
import { conversationGlance } from '../../../renderer/src/screens/library/conversation-glance';
import { filterZones, knownZones } from '../../../renderer/src/screens/import/time-zones';

describe('conversation view: where a time came from, in words', () => {
  it('says whether the zone was confirmed, assumed, the email’s or the export’s', () => {
    expect(timeSourceText('export-local-confirmed', 'Europe/London')).toBe(
      'as shown in the export, in the zone you confirmed (Europe/London)',
    );
    expect(timeSourceText('export-local-assumed', 'America/New_York')).toBe(
      "as shown in the export, in this computer's zone (America/New_York), not confirmed",
    );
    expect(timeSourceText('email-date', null)).toBe("sent time from the email's Date header");
    expect(timeSourceText('export-instant', 'UTC')).toBe('time given by the export');
    expect(timeSourceText('none', null)).toBe('the export gives no time for this message');
  });

  it('says how the date order was settled', () => {
    expect(dateOrderText('dmy', 'whatsapp')).toBe('day first (dd/mm)');
    expect(dateOrderText('mdy', 'whatsapp')).toBe('month first (mm/dd)');
    expect(dateOrderText(null, 'telegram')).toMatch(/full dates/);
  });
});

describe('conversation view: selecting messages', () => {
  it('picks one on a click, adds or removes with Ctrl, takes a run with Shift', () => {
    let s = select(NO_SELECTION, 5, 'only');
    expect(selectedIndices(s)).toEqual([5]);
    s = select(s, 8, 'toggle');
    expect(selectedIndices(s)).toEqual([5, 8]);
    s = select(s, 5, 'toggle');
    expect(selectedIndices(s)).toEqual([8]);
    // The anchor is the last toggled: Shift-click runs from 5 (toggled off last) to 2.
    s = select(s, 2, 'range');
    expect(selectedIndices(s)).toEqual([2, 3, 4, 5]);
    // Ctrl+Shift keeps what was selected and adds the run.
    s = select(select(s, 10, 'toggle'), 12, 'add-range');
    expect(selectedIndices(s)).toEqual([2, 3, 4, 5, 10, 11, 12]);
    // Shift with no anchor yet selects just that one.
    expect(selectedIndices(select(NO_SELECTION, 3, 'range'))).toEqual([3]);
  });

  it('extends from the anchor as Shift+arrow moves, both ways', () => {
    let s = select(NO_SELECTION, 10, 'only');
    s = select(s, 11, 'range');
    s = select(s, 12, 'range');
    expect(selectedIndices(s)).toEqual([10, 11, 12]);
    s = select(s, 9, 'range');
    expect(selectedIndices(s)).toEqual([9, 10]);
  });

  it('holds at most the API’s 10,000 messages at a time', () => {
    const s = select(select(NO_SELECTION, 0, 'only'), 99_999, 'range');
    expect(s.selected.size).toBe(MAX_SELECTED);
    expect(Math.max(...s.selected)).toBe(MAX_SELECTED - 1);
  });

  it('reads a click’s modifier keys', () => {
    const k = (shiftKey: boolean, ctrlKey: boolean, metaKey = false) =>
      howOfClick({ shiftKey, ctrlKey, metaKey });
    expect(k(false, false)).toBe('only');
    expect(k(false, true)).toBe('toggle');
    expect(k(false, false, true)).toBe('toggle');
    expect(k(true, false)).toBe('range');
    expect(k(true, true)).toBe('add-range');
  });
});

describe('conversation view: search words highlighted', () => {
  it('marks every occurrence of every word, case-insensitive, as plain segments', () => {
    expect(highlight('You will REGRET it, regret', searchWords('regret you'))).toEqual([
      { text: 'You', match: true },
      { text: ' will ', match: false },
      { text: 'REGRET', match: true },
      { text: ' it, ', match: false },
      { text: 'regret', match: true },
    ]);
    expect(highlight('<b>x</b>', ['b'])).toEqual([
      { text: '<', match: false },
      { text: 'b', match: true },
      { text: '>x</', match: false },
      { text: 'b', match: true },
      { text: '>', match: false },
    ]);
    expect(highlight('nothing', [])).toEqual([{ text: 'nothing', match: false }]);
    expect(searchWords('  "Watching"  window* ')).toEqual(['watching', 'window']);
  });
});

describe('library: a conversation at a glance', () => {
  it('gives its count, busiest senders and date span', () => {
    expect(
      conversationGlance({
        messages: 1204,
        senders: 5,
        topSenders: ['Alex', 'Me', 'Sam'],
        firstTime: '2024-03-04T09:15:00+00:00',
        lastTime: '2024-05-05T10:00:00+01:00',
      }),
    ).toBe('1,204 messages · Alex, Me, Sam and 2 others · 4 Mar 2024 – 5 May 2024');
    expect(
      conversationGlance({
        messages: 1,
        senders: 1,
        topSenders: ['Al\u202eex'],
        firstTime: '2024-03-04T09:15:00Z',
        lastTime: '2024-03-04T09:15:00Z',
      }),
    ).toBe('1 message · Al\\u{202e}ex · 4 Mar 2024');
    expect(
      conversationGlance({
        messages: 0,
        senders: 0,
        topSenders: [],
        firstTime: null,
        lastTime: null,
      }),
    ).toBe('0 messages');
  });
});

describe('import: finding a time zone', () => {
  const zones = ['America/New_York', 'Europe/London', 'Europe/Lisbon', 'Asia/Kolkata'];
  it('matches every typed word, a space for "_" or "/"', () => {
    expect(filterZones(zones, 'new york')).toEqual(['America/New_York']);
    expect(filterZones(zones, 'europe l')).toEqual(['Europe/London', 'Europe/Lisbon']);
    expect(filterZones(zones, 'LONDON')).toEqual(['Europe/London']);
    expect(filterZones(zones, '')).toEqual(zones);
    expect(filterZones(zones, 'mars')).toEqual([]);
  });
  it('lists the computer’s zone even when the list leaves it out', () => {
    expect(knownZones('Europe/London')).toContain('Europe/London');
    expect(knownZones('Etc/Unknown-Alias')[0]).toBe('Etc/Unknown-Alias');
  });
});
