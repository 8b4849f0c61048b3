// Issue 11: "An export whose bundle would pass 350 pages warns in the wizard and the CLI, and
// says how many pages it will have. It still writes the bundle." `dossier export` says the
// count on stderr before the long write starts (nothing is in the output folder yet), once.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/main';
import type { Io } from '../../main/cli/commands';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

const noTools = missingTools(['pdfinfo']);

describe(skipTitle('dossier export and a bundle over 350 pages', noTools), () => {
  const saved = process.env.DOSSIER_PASSPHRASE;
  afterAll(() => {
    if (saved === undefined) delete process.env.DOSSIER_PASSPHRASE;
    else process.env.DOSSIER_PASSPHRASE = saved;
  });

  it.skipIf(noTools !== null)(
    'says how many pages the bundle will have before writing it, then writes it',
    async () => {
      const root = await tempDir();
      const src = join(root, 'src');
      await mkdir(src);
      // A diary of 40,000 lines: about 400 pages of text.
      await writeFile(
        join(src, 'diary.txt'),
        Array.from({ length: 40_000 }, (_, i) => `diary line ${i + 1}`).join('\n'),
      );
      const dir = join(root, 'vault');
      const { vault } = await newVault(dir);
      await vault.add([src]);
      await vault.lock();
      const out = join(root, 'out');
      await mkdir(out);

      const said: { text: string; outputEmpty: boolean }[] = [];
      const stdout: string[] = [];
      const io: Io = {
        out: (t) => stdout.push(t),
        err: (t) => said.push({ text: t, outputEmpty: readdirSync(out).length === 0 }),
        data: async () => undefined,
      };
      process.env.DOSSIER_PASSPHRASE = PASSPHRASE;
      const code = await main(
        ['export', '--vault', dir, '--out', out, '--all', '--exhibit-prefix', 'JD'],
        io,
      );
      expect(code, said.map((s) => s.text).join('\n')).toBe(0);

      const warnings = said.filter((s) => /Family courts accept at most 350 pages/.test(s.text));
      expect(warnings).toHaveLength(1); // said before, and not again after
      const warning = warnings[0]!;
      expect(warning.outputEmpty).toBe(true); // before the write started
      const pages = Number(/will have ([\d,]+) pages/.exec(warning.text)![1]!.replace(/,/g, ''));
      expect(pages).toBeGreaterThan(350);
      expect(warning.text).toContain('Practice Direction 27A');

      // The bundle was still written, with the pages the warning said.
      const [bag] = readdirSync(out);
      const info = spawnSync('pdfinfo', [join(out, bag!, 'data/report/bundle.pdf')], {
        encoding: 'utf8',
      });
      expect(Number(/^Pages:\s+(\d+)$/m.exec(info.stdout)![1])).toBe(pages);
      expect(stdout.join('\n')).toContain(`data/report/bundle.pdf (${pages} pages)`);
    },
    180_000,
  );
});
