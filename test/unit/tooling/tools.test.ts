/**
 * The one gate for tests that need a reference tool: a skip with its reason on a person's
 * machine, a failure naming the tool under DOSSIER_REQUIRE_TOOLS=1 (CI).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTools, REFERENCE_TOOLS, skipTitle, type ReferenceTool } from '../../support/tools';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const only =
  (...present: ReferenceTool[]) =>
  (t: ReferenceTool): boolean =>
    present.includes(t);

describe('missingTools', () => {
  it('is null when every tool is there, whatever the environment says', () => {
    for (const env of [{}, { DOSSIER_REQUIRE_TOOLS: '1' }]) {
      expect(missingTools(['age', 'unzip'], { env, installed: only('age', 'unzip') })).toBeNull();
    }
  });

  it('on a person’s machine, gives the reason to skip: the tools and their Debian packages', () => {
    const reason = missingTools(['age', 'exiftool', 'unzip'], {
      env: {},
      installed: only('unzip'),
    });
    expect(reason).toBe(
      'age, exiftool are not installed (apt-get install -y age libimage-exiftool-perl)',
    );
    expect(missingTools(['sha256sum', 'sha512sum'], { env: {}, installed: only() })).toBe(
      'sha256sum, sha512sum are not installed (apt-get install -y coreutils)',
    );
    expect(skipTitle('passes unzip -t', 'unzip is not installed')).toBe(
      'passes unzip -t — SKIPPED: unzip is not installed',
    );
    expect(skipTitle('passes unzip -t', null)).toBe('passes unzip -t');
  });

  it('under DOSSIER_REQUIRE_TOOLS=1, fails with the missing tool’s name', () => {
    const env = { DOSSIER_REQUIRE_TOOLS: '1' };
    expect(() => missingTools(['chromium'], { env, installed: only() })).toThrow(
      /^required tool missing: chromium \(DOSSIER_REQUIRE_TOOLS=1; apt-get install -y chromium\)$/,
    );
    expect(() => missingTools(['age', 'pdftotext'], { env, installed: only('age') })).toThrow(
      /^required tool missing: pdftotext /,
    );
    // Only "1" turns it on: an empty or other value is a person's machine.
    expect(
      missingTools(['openssl'], { env: { DOSSIER_REQUIRE_TOOLS: '' }, installed: only() }),
    ).toMatch(/openssl is not installed/);
  });
});

describe('the reference tools and CI agree', () => {
  it('.ci/run installs the Debian package of every reference tool, and requires them', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    const list = /^APT_PACKAGES=\(([^)]*)\)/m.exec(ci)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    for (const pkg of new Set(Object.values(REFERENCE_TOOLS))) expect(list).toContain(pkg);
    expect(ci).toMatch(/^export DOSSIER_REQUIRE_TOOLS=1$/m);
  });

  it('no test probes for a tool on its own, past the one gate', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [join(dir, e.name)]
            : [],
      );
    const probes =
      /command -v|\['-v'\]\)\.status|'--version'\], \{ stdio|existsSync\((AGE|CHROMIUM)|hasCommand\(/;
    const offenders = files(join(ROOT, 'test'))
      .filter((f) => !f.endsWith(join('support', 'tools.ts')) && !f.endsWith('tools.test.ts'))
      .filter((f) => probes.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
