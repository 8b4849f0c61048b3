/**
 * The viewer's inline script is built from its TypeScript modules (main/core/export/viewer/page)
 * by build/viewer-page.ts into a committed module. This fails when a page module was changed
 * without rebuilding it, so the page that ships is always the code that was reviewed and tested.
 */
import { describe, expect, it } from 'vitest';
import { buildPageScript, generatedModule, GENERATED } from '../../../build/viewer-page';
import { readFile } from 'node:fs/promises';
import { PAGE_SCRIPT } from '../../../main/core/export/viewer/page-script.generated';

describe('viewer page script build', () => {
  it('the committed script is the build of the page modules (npx tsx build/viewer-page.ts)', async () => {
    const built = await buildPageScript();
    expect(PAGE_SCRIPT === built, 'page-script.generated.ts is out of date').toBe(true);
    expect(await readFile(GENERATED, 'utf8')).toBe(generatedModule(built));
  });

  it('is one strict-mode function scope, ASCII only', () => {
    expect(PAGE_SCRIPT.startsWith('"use strict";\n(() => {')).toBe(true);
    expect(PAGE_SCRIPT.trimEnd().endsWith('})();')).toBe(true);
    // eslint-disable-next-line no-control-regex -- tab and newline are the allowed controls
    expect(PAGE_SCRIPT).toMatch(/^[\x09\x0a\x20-\x7e]*$/);
  });
});
