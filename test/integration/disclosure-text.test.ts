// Issue 15: a redacted email in an export for disclosure (the two halves built apart, tested
// together): the copy goes out in the email's place, the schedule lists its passage in words
// with both fingerprints, verify passes, and neither the covered passage nor a header the
// copy leaves out is in any byte of the bundle (PDFs read as text too).
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../main/cli/commands';
import { main } from '../../main/cli/main';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE, sha256 } from '../support/vault';

const noTools = missingTools(['pdftotext']);
const PASSAGE = '12 Acacia Avenue PASSAGEMARKER';
const EMAIL =
  'From: Bad Person <bad@example.com>\r\nTo: me@example.org\r\nSubject: I know where you live\r\n' +
  'Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nX-Tracking: HEADERMARKER\r\n\r\n' +
  `You live at ${PASSAGE} and I will be there.\r\n`;

describe(skipTitle('a redacted email exported for disclosure', noTools), () => {
  const saved = process.env.DOSSIER_PASSPHRASE;
  let root: string;
  let vaultDir: string;

  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      data: async () => undefined,
    };
    const code = await main([...args, '--vault', vaultDir], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    if (noTools) return;
    process.env.DOSSIER_PASSPHRASE = PASSPHRASE;
    root = await tempDir();
    vaultDir = join(root, 'vault');
    await writeFile(join(root, 'threat.eml'), EMAIL);
    const { vault } = await newVault(vaultDir);
    await vault.add([join(root, 'threat.eml')]);
    await vault.lock();
  }, 60_000);

  afterAll(() => {
    if (saved === undefined) delete process.env.DOSSIER_PASSPHRASE;
    else process.env.DOSSIER_PASSPHRASE = saved;
  });

  it.skipIf(noTools !== null)('sends the copy, schedules the passage, leaks nothing', async () => {
    const [email] = JSON.parse((await cli(['ls', '--json'])).out) as { id: string }[];
    const shown = JSON.parse((await cli(['redact', email!.id, '--show-text', '--json'])).out) as {
      text: string;
    };
    const start = shown.text.indexOf(PASSAGE);
    expect(start).toBeGreaterThan(0);
    const made = await cli([
      'redact',
      email!.id,
      '--span',
      `${start},${start + PASSAGE.length}:address`,
      '--json',
    ]);
    expect(made.code, made.err).toBe(0);
    const copy = JSON.parse(made.out) as { sha256: string };

    const out = join(root, 'out');
    await mkdir(out);
    const r = await cli(['export', '--out', out, '--all', '--disclosure']);
    expect(r.code, r.err).toBe(0);
    const [bag] = await readdir(out);
    const dir = join(out, bag!);
    const csv = (await readFile(join(dir, 'data/metadata/redactions.csv'), 'utf8'))
      .trim()
      .split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(copy.sha256);
    expect(csv[1]).toContain(sha256(Buffer.from(EMAIL)));
    expect(csv[1]).toContain('Personal address');
    expect(csv[1]).toContain(`characters ${start} to ${start + PASSAGE.length}`);

    expect((await cli(['verify', dir])).code).toBe(0);

    const hits: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const path = join(e.parentPath, e.name);
      const texts = [(await readFile(path)).toString('latin1')];
      if (e.name.endsWith('.pdf'))
        texts.push(spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' }).stdout);
      for (const marker of ['PASSAGEMARKER', 'HEADERMARKER', 'Acacia'])
        if (texts.some((t) => t.includes(marker))) hits.push(`${marker} in ${relative(dir, path)}`);
    }
    expect(hits).toEqual([]);
  });

  it.skipIf(noTools !== null)(
    'names, in its warnings, an attachment of the withheld email that goes out whole',
    async () => {
      const mail = join(root, 'with-attachment.eml');
      await writeFile(
        mail,
        'From: Bad Person <bad@example.com>\r\nTo: me@example.org\r\nSubject: photo\r\n' +
          'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
          '--b\r\nContent-Type: text/plain\r\n\r\nI was outside 14 Elm Road.\r\n' +
          '--b\r\nContent-Type: text/plain; name="notes.txt"\r\n' +
          'Content-Disposition: attachment; filename="notes.txt"\r\n\r\nattached words\r\n--b--\r\n',
      );
      expect((await cli(['add', mail])).code).toBe(0);
      const items = JSON.parse((await cli(['ls', '--json'])).out) as { id: string; name: string }[];
      const email = items.find((i) => i.name === 'with-attachment.eml')!;
      const shown = JSON.parse((await cli(['redact', email.id, '--show-text', '--json'])).out) as {
        text: string;
      };
      const at = shown.text.indexOf('14 Elm Road');
      expect((await cli(['redact', email.id, '--span', `${at},${at + 11}:address`])).code).toBe(0);
      const out = join(root, 'out2');
      await mkdir(out);
      const r = await cli(['export', '--out', out, '--all', '--disclosure']);
      expect(r.code, r.err).toBe(0);
      expect(r.out + r.err).toMatch(
        /1 file that came inside a withheld original goes out whole, as selected: notes\.txt \(from with-attachment\.eml\)/,
      );
    },
  );
});
