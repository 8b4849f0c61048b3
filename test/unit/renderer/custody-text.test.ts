import { describe, expect, it } from 'vitest';
import { actionText, subjectText } from '../../../renderer/src/screens/custody/custody-text';

const entry = (action: string, details: Record<string, unknown> = {}, subjects: string[] = []) => ({
  action,
  details,
  subjects,
});

describe('custody entries in plain words', () => {
  it('says what each action did', () => {
    expect(actionText(entry('create'))).toBe('The vault was created.');
    expect(actionText(entry('unlock', { method: 'recovery code' }))).toBe(
      'The vault was unlocked with the recovery code.',
    );
    expect(actionText(entry('ingest', { name: 'email.eml' }))).toBe(
      '“email.eml” was added to the vault.',
    );
    expect(actionText(entry('export', { exhibits: [1, 2, 3], bundle: 'case.zip' }))).toBe(
      '3 items exported in a bundle (case.zip).',
    );
    expect(
      actionText(entry('annotate', { what: 'incident linked', items: ['a', 'b'], people: [] })),
    ).toBe('2 items linked to an incident.');
    expect(actionText(entry('annotate', { what: 'something new' }))).toBe('Something new.');
  });

  it('tells a passphrase change from a new or confirmed recovery code', () => {
    expect(actionText(entry('key-change', { slot: 'passphrase' }))).toBe(
      'The passphrase was changed.',
    );
    expect(
      actionText(entry('key-change', { slot: 'recovery', change: 'new recovery code; …' })),
    ).toBe('A new recovery code was made; the old one no longer opens the vault.');
    expect(
      actionText(entry('key-change', { slot: 'recovery', change: 'confirmed written down; …' })),
    ).toMatch(/^The recovery code was confirmed as written down/);
  });

  it('shows unknown actions as they are, and untrusted names made safe', () => {
    expect(actionText(entry('teleport'))).toBe('teleport');
    expect(actionText(entry('ingest', { name: 'invoice\u202egnp.exe' }))).toBe(
      '“invoice\\u{202e}gnp.exe” was added to the vault.',
    );
  });
});

describe('what an entry is about', () => {
  it('names items, incidents and people, and keeps other ids as they are', () => {
    expect(subjectText({ kind: 'item', label: 'doorstep.jpg' })).toBe('“doorstep.jpg”');
    expect(subjectText({ kind: 'incident', label: 'the incident on 9 Mar 2024 (car park)' })).toBe(
      'the incident on 9 Mar 2024 (car park)',
    );
    expect(subjectText({ kind: 'person', label: 'J. Smith' })).toBe('J. Smith (person)');
    expect(subjectText({ kind: 'other', label: '0123456789abcdefghjkmnpqrs' })).toBe(
      '0123456789abcdefghjkmnpqrs',
    );
  });

  it('makes untrusted names safe to show', () => {
    expect(subjectText({ kind: 'item', label: 'invoice\u202egnp.exe' })).toBe(
      '“invoice\\u{202e}gnp.exe”',
    );
  });
});

describe('removals and renames in plain words (issue 10, B5)', () => {
  it('says what was removed and why, and what a rename changed', () => {
    expect(
      actionText(
        entry('delete', { what: 'item removed', name: 'junk.bin', reason: 'imported by mistake' }),
      ),
    ).toBe(
      '“junk.bin” was removed from the vault and its encrypted file deleted. Its fingerprint stays in this log. Reason given: imported by mistake.',
    );
    expect(actionText(entry('delete', { what: 'incident removed', reason: 'twice' }))).toBe(
      'An incident was removed, with its links to items and people. Reason given: twice.',
    );
    expect(
      actionText(
        entry('delete', { what: 'person removed', person: { name: 'Jo\u202Eevil' }, reason: 'x' }),
      ),
    ).toBe(
      'Jo\\u{202e}evil was removed, with their links to items and incidents. Reason given: x.',
    );
    expect(
      actionText(
        entry('edit-metadata', { what: 'item renamed', before: 'IMG_1.png', after: 'Threat.png' }),
      ),
    ).toBe(
      'An item was renamed from “IMG_1.png” to “Threat.png”. The file itself is never changed.',
    );
  });
});
