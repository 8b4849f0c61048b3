// `dossier redact ID --span START,END:REASON` and `--show-text` as a person runs them (issue
// 15): the text is shown with the offsets the passages count in; the copy is a new text item
// holding nothing of the covered passages or the email's hidden headers; the original reads
// back byte-identical and `dossier check` passes; mixing --box and --span, a --span on a
// picture, a --box on an email and bad passages are refused (exit 2) and write nothing.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeScreenshotPng } from '../fixtures/evidence';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const EMAIL = Buffer.from(
  [
    'From: Alex <alex@example.com>',
    'To: Sam <sam@example.org>',
    'Subject: where you live',
    'X-Origin: HEADER-MARKER-5e1f',
    '',
    'I know you moved to 4 Birch Road.',
    'See you soon.',
    '',
  ].join('\r\n'),
);

describe('dossier redact --span and --show-text', () => {
  let env: Record<string, string>;
  let root: string;
  const ids: Record<string, string> = {};

  const items = async (): Promise<{ id: string; name: string }[]> =>
    JSON.parse((await dossier(['ls', '--json'], env)).out) as { id: string; name: string }[];

  beforeAll(async () => {
    assertBuilt();
    root = await tempDir();
    env = { DOSSIER_VAULT: join(root, 'vault'), DOSSIER_PASSPHRASE: PASSPHRASE };
    await (await newVault(join(root, 'vault'))).vault.lock();
    writeFileSync(join(root, 'threat.eml'), EMAIL);
    writeFileSync(join(root, 'shot.png'), await makeScreenshotPng(40, 60));
    const r = await dossier(['add', join(root, 'threat.eml'), join(root, 'shot.png')], env);
    expect(r.code, r.stderr).toBe(0);
    for (const i of await items()) ids[i.name] = i.id;
  });

  it('--show-text prints each line after the offset it starts at; --json the text exact', async () => {
    const shown = await dossier(['redact', ids['threat.eml']!, '--show-text'], env);
    expect(shown.code, shown.stderr).toBe(0);
    // The last line is where the text ends (after its final line feed).
    expect(shown.out).toBe(
      [
        '  0  From: Alex <alex@example.com>',
        ' 30  To: Sam <sam@example.org>',
        ' 56  Subject: where you live',
        ' 80  ',
        ' 81  I know you moved to 4 Birch Road.',
        '115  See you soon.',
        '129  ',
        '',
      ].join('\n'),
    );
    expect(shown.stderr).toContain('Offsets count UTF-16 code units');
    const json = await dossier(['redact', ids['threat.eml']!, '--show-text', '--json'], env);
    const r = JSON.parse(json.out) as { kind: string; text: string; attachments: number };
    expect(r).toEqual({
      kind: 'email',
      text: 'From: Alex <alex@example.com>\nTo: Sam <sam@example.org>\nSubject: where you live\n\nI know you moved to 4 Birch Road.\nSee you soon.\n',
      attachments: 0,
    });
  });

  it('--span makes the copy: the passage gone from every byte, the original unchanged, check passes', async () => {
    const text = (
      JSON.parse(
        (await dossier(['redact', ids['threat.eml']!, '--show-text', '--json'], env)).out,
      ) as { text: string }
    ).text;
    const start = text.indexOf('4 Birch Road');
    const end = start + '4 Birch Road'.length;
    const r = await dossier(
      ['redact', ids['threat.eml']!, '--span', `${start},${end}:address`, '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const made = JSON.parse(r.out) as { id: string; parentId: string; sha256: string };
    expect(made.parentId).toBe(ids['threat.eml']);
    const copy = (await dossier(['cat', made.id], env)).stdout;
    expect(sha256(copy)).toBe(made.sha256);
    const s = copy.toString('utf8');
    expect(s).toContain('I know you moved to [REDACTED: Personal address].');
    expect(s).toContain(`Original's SHA-256: ${sha256(EMAIL)}`);
    for (const marker of ['Birch', 'HEADER-MARKER-5e1f']) expect(copy.includes(marker)).toBe(false);
    expect((await dossier(['cat', ids['threat.eml']!], env)).stdout.equals(EMAIL)).toBe(true);
    const check = await dossier(['check'], env);
    expect(check.code, check.stderr + check.out).toBe(0);
  });

  it('refuses mixing --box and --span, --span on a picture, --box on an email and bad passages, writing nothing', async () => {
    const before = (await items()).length;
    const cases: Array<[string[], RegExp]> = [
      [
        ['redact', ids['threat.eml']!, '--box', '0,0,0.1,0.1:address', '--span', '0,4:address'],
        /--box and --span cannot be used together/,
      ],
      [
        ['redact', ids['threat.eml']!, '--span', '0,4:address', '--show-text'],
        /--span and --show-text cannot be used together/,
      ],
      [
        ['redact', ids['shot.png']!, '--span', '0,4:address'],
        /is a picture: cover its areas with boxes/,
      ],
      [['redact', ids['shot.png']!, '--show-text'], /is a picture/],
      [['redact', ids['threat.eml']!, '--box', '0,0,0.1,0.1:address'], /not a picture/],
      [['redact', ids['threat.eml']!, '--span', '0,9999:address'], /past the end of the text/],
      [['redact', ids['threat.eml']!, '--span', '4,4:address'], /covers nothing/],
      [['redact', ids['threat.eml']!, '--span=-1,4:address'], /whole numbers from 0/],
      [['redact', ids['threat.eml']!, '--span', '0,4'], /it has no reason/],
      [['redact', ids['threat.eml']!, '--span', '0,4:secret'], /"secret" is not a reason/],
      [['redact', ids['threat.eml']!, '--span', '0,4:other'], /say the other reason in words/],
      [
        ['redact', ids['threat.eml']!, '--span', '0,6:address', '--span', '4,9:children'],
        /Passages 1 and 2 overlap/,
      ],
      [
        ['redact', ids['threat.eml']!, '--span', '0,4:other:\u001b[31mred'],
        /control, invisible or direction-changing character/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await dossier(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      // Errors are escaped for the terminal: no raw escape character reaches it.
      expect(r.stderr).not.toContain('\u001b');
    }
    expect((await items()).length).toBe(before);
  });
});
