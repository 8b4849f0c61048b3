import { describe, expect, it } from 'vitest';
import { exhibitPrefixProblem } from '../../../shared/exhibit-prefix';
import {
  EMPTY_DRAFT,
  countText,
  exhibitExample,
  exportArgs,
  isFullPath,
  itemCount,
  locatedArgs,
  prefixProblem,
  stepProblem,
  type Catalogue,
  type Draft,
} from '../../../renderer/src/screens/export/wizard';

const A = '01hzz0000000000000000000aa';
const B = '01hzz0000000000000000000bb';
const C = '01hzz0000000000000000000cc';

const catalogue: Catalogue = {
  total: 3,
  tags: [
    { name: 'messages', count: 2 },
    { name: 'threats', count: 1 },
  ],
  incidents: [
    { id: 'i1', itemIds: [A, B] },
    { id: 'i2', itemIds: [B, C] },
    { id: 'i3', itemIds: [] },
  ],
  selected: new Set<string>(),
  chosen: [],
};

const draft = (patch: Partial<Draft>): Draft => ({ ...EMPTY_DRAFT, ...patch });

describe('export wizard: counting what is chosen', () => {
  it('counts everything, a selection, and incidents without counting an item twice', () => {
    expect(itemCount(draft({}), catalogue)).toEqual({ count: 3, exact: true });
    // For disclosure an original and its copies go out as one exhibit: at most this many.
    expect(itemCount(draft({ disclosure: true }), catalogue)).toEqual({ count: 3, exact: false });
    expect(
      itemCount(draft({ scope: 'selected' }), { ...catalogue, selected: new Set([A]) }),
    ).toEqual({ count: 1, exact: true });
    expect(itemCount(draft({ scope: 'incidents', incidentIds: ['i1', 'i2'] }), catalogue)).toEqual({
      count: 3,
      exact: true,
    });
  });

  it('says "up to" for several tags, whose items may overlap', () => {
    const one = itemCount(draft({ scope: 'tags', tags: ['messages'] }), catalogue);
    const two = itemCount(draft({ scope: 'tags', tags: ['messages', 'threats'] }), catalogue);
    expect(countText(one)).toBe('2 items');
    expect(countText(two)).toBe('up to 3 items');
    expect(countText({ count: 1, exact: true })).toBe('1 item');
    expect(countText(itemCount(draft({}), { ...catalogue, total: null }))).toBe('Counting…');
  });
});

describe('export wizard: when a step can be left', () => {
  it('step 1 needs a non-empty choice', () => {
    expect(stepProblem(1, draft({}), catalogue)).toBeNull();
    expect(stepProblem(1, draft({ scope: 'tags' }), catalogue)).toMatch(/at least one tag/);
    expect(stepProblem(1, draft({ scope: 'incidents' }), catalogue)).toMatch(/incident/);
    expect(stepProblem(1, draft({ scope: 'selected' }), catalogue)).toMatch(
      /No items are selected/,
    );
    expect(stepProblem(1, draft({ scope: 'incidents', incidentIds: ['i3'] }), catalogue)).toMatch(
      /nothing to export/,
    );
    expect(stepProblem(1, draft({}), { ...catalogue, total: 0 })).toMatch(/nothing to export/);
  });

  it('step 2 needs a prefix of letters and digits', () => {
    expect(stepProblem(2, draft({}), catalogue)).toBeNull();
    expect(stepProblem(2, draft({ exhibitPrefix: ' ' }), catalogue)).toMatch(/Enter letters/);
    expect(stepProblem(2, draft({ exhibitPrefix: 'J D' }), catalogue)).toMatch(
      /letters and digits/,
    );
    expect(stepProblem(2, draft({ exhibitPrefix: 'X'.repeat(21) }), catalogue)).toMatch(/20/);
    // The API's rule, word for word: "jd-1" is not letters and digits.
    expect(stepProblem(2, draft({ exhibitPrefix: 'jd-1' }), catalogue)).toBe(
      exhibitPrefixProblem('jd-1'),
    );
    expect(prefixProblem('jd-1')).toMatch(/letters and digits/);
    // A prefix ending in a digit runs into its numbers as JD11…, so only JD1/1 is allowed.
    expect(prefixProblem(' JD1 ')).toMatch(/ends in a digit/);
    expect(prefixProblem(' JD1 ', 'JD/1')).toBeNull();
    expect(
      stepProblem(2, draft({ exhibitPrefix: 'JD1', exhibitStyle: 'JD/1' }), catalogue),
    ).toBeNull();
    expect(exhibitExample('AB')).toEqual({ numbers: 'AB1, AB2…', files: 'AB-001, AB-002…' });
    expect(exhibitExample('AB', 'JD/1').numbers).toBe('AB/1, AB/2…');
    expect(exhibitExample('').files).toBe('JD-001, JD-002…');
  });

  it('step 3 needs a full folder path, and an encrypted zip a passphrase typed twice', () => {
    expect(stepProblem(3, draft({}), catalogue)).toMatch(/Choose the folder/);
    expect(stepProblem(3, draft({ out: 'Documents' }), catalogue)).toMatch(/full path/);
    expect(stepProblem(3, draft({ out: '/home/me' }), catalogue)).toBeNull();
    const zip = draft({ out: '/home/me', format: 'zip.age' });
    expect(stepProblem(3, zip, catalogue)).toMatch(/at least 8/);
    expect(
      stepProblem(
        3,
        { ...zip, passphrase: 'long enough', passphraseAgain: 'long enougH' },
        catalogue,
      ),
    ).toMatch(/different/);
    expect(
      stepProblem(
        3,
        { ...zip, passphrase: 'long enough', passphraseAgain: 'long enough' },
        catalogue,
      ),
    ).toBeNull();
  });

  it('knows full paths on Windows and elsewhere', () => {
    for (const p of ['/home/me', 'C:\\Users\\me', 'd:/exports', '\\\\server\\share']) {
      expect(isFullPath(p)).toBe(true);
    }
    for (const p of ['Documents', './out', '~/Documents', '']) expect(isFullPath(p)).toBe(false);
  });
});

describe('export wizard: the export.create arguments', () => {
  it('maps each choice to a selection, and the encrypted zip to zip with a passphrase', () => {
    expect(exportArgs(draft({ out: ' /tmp/x ', caseName: '  ' }), [])).toEqual({
      out: '/tmp/x/',
      format: 'dir',
      encryptPassphrase: undefined,
      selection: { all: true },
      exhibitPrefix: 'JD',
      exhibitStyle: 'JD1',
      caseName: undefined,
      exporter: undefined,
      // Withheld unless the person chooses to include it (issue 15).
      location: 'withheld',
    });
    expect(exportArgs(draft({ out: '/tmp/x', location: 'included' }), []).location).toBe(
      'included',
    );
    // "Export for disclosure" (issue 15): sent to the export and to the located-items list,
    // which then names the photos going out as copies without location.
    expect(exportArgs(draft({ out: '/tmp/x' }), []).disclosure).toBeUndefined();
    expect(exportArgs(draft({ out: '/tmp/x', disclosure: true }), []).disclosure).toBe(true);
    expect(locatedArgs(draft({ disclosure: true }), [])).toMatchObject({ disclosure: true });
    const args = exportArgs(
      draft({
        scope: 'selected',
        format: 'zip.age',
        passphrase: 'secret words',
        exporter: ' Jo Doe ',
      }),
      new Set([A, B]),
    );
    expect(args.selection).toEqual({ itemIds: [A, B] });
    // Always a folder to save in (a final separator), in the path's own style.
    expect(exportArgs(draft({ out: 'C:\\Users\\me' }), []).out).toBe('C:\\Users\\me\\');
    expect(exportArgs(draft({ out: '/home/me/' }), []).out).toBe('/home/me/');
    expect(args.format).toBe('zip');
    expect(args.encryptPassphrase).toBe('secret words');
    expect(args.exporter).toBe('Jo Doe');
    expect(exportArgs(draft({ scope: 'tags', tags: ['t'] }), []).selection).toEqual({
      tags: ['t'],
    });
    expect(exportArgs(draft({ format: 'zip', passphrase: 'ignored!' }), []).encryptPassphrase).toBe(
      undefined,
    );
  });
});

describe('export wizard: messages chosen in conversations', () => {
  const chat1 = '01hzz0000000000000000000c1';
  const chat2 = '01hzz0000000000000000000c2';
  const chosen = [
    { id: 'm1', conversationId: chat1 },
    { id: 'm2', conversationId: chat1 },
    { id: 'm3', conversationId: chat2 },
  ];
  const withChosen: Catalogue = { ...catalogue, chosen, selected: new Set([A]) };

  it('passes them as messageIds with any choice, and "chosen messages only" as their conversations', () => {
    const only = exportArgs(draft({ scope: 'messages', out: '/tmp' }), [A], chosen);
    expect(only.selection).toEqual({ itemIds: [chat1, chat2] });
    expect(only.messageIds).toEqual(['m1', 'm2', 'm3']);
    const withIncidents = exportArgs(
      draft({ scope: 'incidents', incidentIds: ['i1'] }),
      [],
      chosen,
    );
    expect(withIncidents.selection).toEqual({ incidentIds: ['i1'] });
    expect(withIncidents.messageIds).toEqual(['m1', 'm2', 'm3']);
    // None chosen: no messageIds at all (the export then takes the incidents' own).
    expect(exportArgs(draft({}), [], []).messageIds).toBeUndefined();
  });

  it('counts the conversations the chosen messages bring, once each', () => {
    expect(itemCount(draft({ scope: 'messages' }), withChosen)).toEqual({ count: 2, exact: true });
    expect(itemCount(draft({ scope: 'selected' }), withChosen)).toEqual({ count: 3, exact: true });
    expect(
      itemCount(draft({ scope: 'selected' }), { ...withChosen, selected: new Set([chat1]) }),
    ).toEqual({ count: 2, exact: true });
    expect(itemCount(draft({ scope: 'incidents', incidentIds: ['i1'] }), withChosen)).toEqual({
      count: 4,
      exact: true,
    });
    // A conversation may carry the tag too: an upper bound.
    expect(itemCount(draft({ scope: 'tags', tags: ['threats'] }), withChosen)).toEqual({
      count: 3,
      exact: false,
    });
    expect(itemCount(draft({ scope: 'all' }), withChosen)).toEqual({ count: 3, exact: true });
  });

  it('will not go on with "chosen messages only" and none chosen, or with more than 10,000', () => {
    expect(stepProblem(1, draft({ scope: 'messages' }), catalogue)).toBe(
      'No messages are chosen. Choose another option, or select messages in a conversation and choose “Export these messages…”.',
    );
    expect(stepProblem(1, draft({ scope: 'messages' }), withChosen)).toBeNull();
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({
      id: `m${i}`,
      conversationId: chat1,
    }));
    expect(stepProblem(1, draft({ scope: 'all' }), { ...catalogue, chosen: tooMany })).toBe(
      'An export takes at most 10,000 chosen messages, and 10,001 are chosen. Remove some, or clear them and choose fewer.',
    );
  });
});
