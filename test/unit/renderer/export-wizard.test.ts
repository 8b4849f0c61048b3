import { describe, expect, it } from 'vitest';
import { exhibitPrefixProblem } from '../../../shared/exhibit-prefix';
import {
  EMPTY_DRAFT,
  countText,
  exhibitExample,
  exportArgs,
  isFullPath,
  itemCount,
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
    });
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
