/**
 * The Library of Congress BagIt conformance suite: every bag in a version's valid/ is
 * valid, every bag in invalid/ and linux-only/ is invalid with a reason, every bag in
 * warning/ is valid with a warning. Each bag is checked as a folder and zipped. The folders are
 * enumerated, so new cases are picked up; windows-only cases do not apply here.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openBagSource, verifyBag, type BagReport } from '../../../main/core/bagit/verify';
import { tempDir } from '../../support/tmp';
import { zipFolder } from './helpers';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
// Vendored (CC0, with its README and licence) so that every clone runs it.
const SUITE = resolve(repo, 'test/vectors/bagit-conformance');

type Expectation = 'valid' | 'invalid' | 'warning';
const KINDS: Record<string, Expectation> = {
  valid: 'valid',
  invalid: 'invalid',
  'linux-only': 'invalid',
  warning: 'warning',
};
const IGNORED = new Set(['windows-only']);

const subdirs = (dir: string): string[] =>
  readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort();

interface Bag {
  version: string;
  kind: string;
  name: string;
  path: string;
  expect: Expectation;
}

function enumerate(): Bag[] {
  const bags: Bag[] = [];
  for (const version of subdirs(SUITE).filter((d) => /^v\d/.test(d))) {
    for (const kind of subdirs(join(SUITE, version))) {
      if (IGNORED.has(kind)) continue;
      const expectation = KINDS[kind];
      if (expectation === undefined)
        throw new Error(`Unknown conformance folder ${version}/${kind}`);
      for (const name of subdirs(join(SUITE, version, kind))) {
        bags.push({
          version,
          kind,
          name,
          path: join(SUITE, version, kind, name),
          expect: expectation,
        });
      }
    }
  }
  return bags;
}

async function check(path: string): Promise<BagReport> {
  const source = await openBagSource(path);
  try {
    return await verifyBag(source);
  } finally {
    await source.close();
  }
}

function judge(bag: Bag, r: BagReport): void {
  const summary = r.problems.map((p) => `${p.severity}: ${p.message}`).join('\n');
  const errors = r.problems.filter((p) => p.severity === 'error');
  const warnings = r.problems.filter((p) => p.severity === 'warning');
  if (bag.expect === 'invalid') {
    expect(r.valid, summary).toBe(false);
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(10);
  } else {
    expect(r.valid, summary).toBe(true);
    expect(errors).toEqual([]);
    if (bag.expect === 'warning') expect(warnings.length, summary).toBeGreaterThan(0);
  }
}

describe('BagIt conformance suite', async () => {
  const bags = enumerate();
  const zips = await tempDir('bagit-conformance-');

  it('has cases in every expected category', () => {
    const kinds = new Set(bags.map((b) => b.expect));
    expect([...kinds].sort()).toEqual(['invalid', 'valid', 'warning']);
  });

  it.each([
    'v0.97/warning/duplicate-file-with-different-case',
    'v0.97/warning/same-filename-listed-twice-with-different-normalization',
  ])('%s is valid but not complete: one of the two spellings is not in the bag', async (id) => {
    const r = await check(join(SUITE, id));
    expect(r.valid).toBe(true);
    expect(r.complete).toBe(false);
    expect(r.absent).toEqual([expect.objectContaining({ why: 'other-spelling' })]);
  });

  describe.each(bags.map((b) => [`${b.version}/${b.kind}/${b.name}`, b] as const))(
    '%s',
    (id, bag) => {
      it(`is ${bag.expect} as a folder`, async () => {
        judge(bag, await check(bag.path));
      });

      it(`is ${bag.expect} as a zip`, async () => {
        const zip = await zipFolder(
          bag.path,
          join(zips, `${id.replace(/\W+/g, '_')}.zip`),
          bag.name,
        );
        judge(bag, await check(zip));
      });
    },
  );
});
