import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHIPPED_FONTS_NAME, findReportFonts } from '../../../main/core/export/report/fonts';
import { tempDir } from '../../support/tmp';
import { missingTools, skipTitle } from '../../support/tools';
import { newVault } from '../../support/vault';

const noPdffonts = missingTools(['pdffonts']);
const shipped = join(
  dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
);

describe('the report fonts ship with Dossier', () => {
  it('are the DejaVu faces of the dejavu-fonts-ttf dependency, whatever the system has', () => {
    const fonts = findReportFonts();
    expect(fonts.name).toBe(SHIPPED_FONTS_NAME);
    expect(fonts.embedded).toBe(true);
    expect(fonts.regular).toEqual(readFileSync(join(shipped, 'DejaVuSans.ttf')));
    expect(fonts.bold).toEqual(readFileSync(join(shipped, 'DejaVuSans-Bold.ttf')));
    expect(fonts.mono).toEqual(readFileSync(join(shipped, 'DejaVuSansMono.ttf')));
  });

  it.skipIf(noPdffonts !== null)(
    skipTitle('are embedded in an exported report.pdf (pdffonts)', noPdffonts),
    async () => {
      const root = await tempDir();
      await writeFile(join(root, 'Łódź note.txt'), 'zażółć gęślą jaźń');
      const { vault } = await newVault(join(root, 'vault'));
      await vault.add([join(root, 'Łódź note.txt')]);
      await mkdir(join(root, 'out'));
      const result = await vault.export({
        out: join(root, 'out'),
        format: 'dir',
        selection: { all: true },
      });
      await vault.lock();
      const listed = execFileSync('pdffonts', [join(result.path, 'data/report/report.pdf')], {
        encoding: 'utf8',
      });
      // name type encoding emb sub uni: each face embedded as a subset, with a Unicode map.
      for (const face of ['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSansMono']) {
        expect(listed, face).toMatch(new RegExp(`\\+${face}\\s.*\\byes\\s+yes\\s+yes`));
      }
      expect(listed).not.toMatch(/Helvetica|Arial/);
    },
  );
});
