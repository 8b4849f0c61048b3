import { describe, expect, it } from 'vitest';
import { actionText } from '../../../renderer/src/screens/custody/custody-text';

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

  it('shows unknown actions as they are, and untrusted names made safe', () => {
    expect(actionText(entry('teleport'))).toBe('teleport');
    expect(actionText(entry('ingest', { name: 'invoice\u202egnp.exe' }))).toBe(
      '“invoice\\u{202e}gnp.exe” was added to the vault.',
    );
  });
});
