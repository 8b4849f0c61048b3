// items.textForRedaction and items.makeRedactedTextCopy as the app calls them (issue 15): a
// redacted copy of an email or a text file is a new text item whose bytes hold nothing of the
// covered passages or of the email's hidden headers and attachments; the original reads back
// byte-identical; the check passes; every refusal writes nothing.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../main/core/db/database';
import { makeScreenshotPng } from '../fixtures/evidence';
import { failure, newService, ok } from '../support/service';
import { tempDir } from '../support/tmp';

interface Made {
  id: string;
  parentId: string;
  sha256: string;
  name: string;
  alreadyMade: boolean;
}
interface Rendering {
  kind: 'email' | 'text';
  text: string;
  attachments: number;
}

const COVERED = 'COVERED-MARKER-7f3a';
const HIDDEN = 'HEADER-MARKER-91c2';
const ATTACHED = 'ATTACHMENT-MARKER-c0de';

const EMAIL = [
  'From: Alex <alex@example.com>',
  'To: Sam <sam@example.org>',
  'Subject: I know where you live',
  'Date: Fri, 01 Mar 2024 21:00:00 +0000',
  `X-Tracking: ${HIDDEN}`,
  `Received: from ${HIDDEN}.example.net`,
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: multipart/alternative; boundary="b2"',
  '',
  '--b2',
  'Content-Type: text/plain; charset=utf-8',
  '',
  `plain version ${HIDDEN}`,
  '--b2',
  'Content-Type: text/html; charset=utf-8',
  '',
  `<p>I saw you at <b>${COVERED} 12 Elm Street</b>.</p><p>Tell Jo I said hi.</p><!-- ${HIDDEN} --><div style="display:none" title="${HIDDEN}"></div>`,
  '--b2--',
  '--b1',
  `Content-Type: text/plain; name="${ATTACHED}.txt"`,
  `Content-Disposition: attachment; filename="${ATTACHED}.txt"`,
  '',
  `the attachment says ${ATTACHED}`,
  '--b1--',
  '',
].join('\r\n');

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('items.textForRedaction and items.makeRedactedTextCopy', async () => {
  const { service, vault, call } = await newService();
  afterAll(() => service.lock());
  const ids: Record<string, string> = {};
  const originals: Record<string, Buffer> = {};
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .filter((p) => !/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(p))
      .sort();
  const state = () => ({
    items: vault.list().length,
    log: vault.log().length,
    files: files(service.vaultDir),
  });
  const content = async (id: string): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for await (const c of vault.verifiedContent(id)) parts.push(c);
    return Buffer.concat(parts);
  };
  const db = (): Db => (vault as unknown as { db: Db }).db;

  beforeAll(async () => {
    const root = await tempDir();
    const put = (name: string, bytes: Buffer | string) => {
      const b = Buffer.from(bytes);
      writeFileSync(join(root, name), b);
      originals[name] = b;
      return join(root, name);
    };
    const msg = readFileSync(join(__dirname, '../vectors/msgreader/attachmentFiles.msg'));
    const added = await vault.add([
      put('outlook.msg', msg),
      put('threat.eml', EMAIL),
      put('notes.txt', 'Line one\r\nmy number is 07700 900123 😀\r\nend\r\n'),
      put('shot.png', await makeScreenshotPng(40, 60)),
    ]);
    for (const r of added.results) if (r.status === 'added') ids[r.name] = r.id;
    expect(Object.keys(ids).sort()).toEqual(['notes.txt', 'outlook.msg', 'shot.png', 'threat.eml']);
  });

  it('gives the email as the person sees it: five headers and the body, no hidden header', async () => {
    const r = await ok<Rendering>(call('items.textForRedaction', { id: ids['threat.eml'] }));
    expect(r.kind).toBe('email');
    expect(r.attachments).toBe(1);
    expect(r.text).toBe(
      [
        'From: Alex <alex@example.com>',
        'To: Sam <sam@example.org>',
        'Subject: I know where you live',
        'Date: Fri, 01 Mar 2024 21:00:00 +0000',
        '',
        `I saw you at ${COVERED} 12 Elm Street.`,
        '',
        'Tell Jo I said hi.',
      ].join('\n'),
    );
  });

  it('makes the copy: covered passages replaced, nothing of them, the hidden headers or the attachment in any byte', async () => {
    const { text } = await ok<Rendering>(call('items.textForRedaction', { id: ids['threat.eml'] }));
    const start = text.indexOf(COVERED);
    const end = text.indexOf('Street') + 'Street'.length;
    const jo = text.indexOf('Jo');
    const logBefore = vault.log().length;
    const made = await ok<Made>(
      call('items.makeRedactedTextCopy', {
        id: ids['threat.eml'],
        spans: [
          { start: jo, end: jo + 2, reason: 'other', otherReason: 'a friend’s name' },
          { start, end, reason: 'address' },
        ],
      }),
    );
    expect(made).toMatchObject({
      parentId: ids['threat.eml'],
      name: 'threat (redacted).txt',
      alreadyMade: false,
    });

    const bytes = await content(made.id);
    expect(sha(bytes)).toBe(made.sha256);
    const s = bytes.toString('utf8');
    expect(s).toContain(`Original's SHA-256: ${sha(originals['threat.eml']!)}`);
    expect(s).toContain('2 passages covered');
    expect(s).toContain('I saw you at [REDACTED: Personal address].');
    expect(s).toContain('Tell [REDACTED: Other: a friend’s name] I said hi.');
    expect(s).toContain('its 1 attachment (withheld)');
    for (const marker of [COVERED, 'Elm', HIDDEN, ATTACHED, 'plain version']) {
      expect(bytes.includes(Buffer.from(marker)), marker).toBe(false);
    }

    // The copy's search text comes from the copy.
    const row = db()
      .prepare('SELECT extracted_text, mime FROM items WHERE id = ?')
      .get(made.id) as {
      extracted_text: string;
      mime: string;
    };
    expect(row.mime).toBe('text/plain');
    expect(row.extracted_text).toContain('[REDACTED: Personal address]');
    expect(row.extracted_text).not.toContain(COVERED);

    // Logged: a derive entry with both hashes and the passages in text order.
    const derive = vault
      .log()
      .slice(logBefore)
      .find((e) => e.action === 'derive')!;
    expect(derive.details).toMatchObject({
      what: 'redacted copy made',
      original: { id: ids['threat.eml'], sha256: sha(originals['threat.eml']!) },
      copy: { id: made.id, sha256: made.sha256 },
      spans: [
        { start, end, reason: 'address', otherReason: null },
        { start: jo, end: jo + 2, reason: 'other', otherReason: 'a friend’s name' },
      ],
    });

    // The item view: what the copy is; the original lists it.
    const copy = await ok<{ copyOf: { kind: string; spans: unknown[]; areas: unknown[] } }>(
      call('items.get', { id: made.id }),
    );
    expect(copy.copyOf).toMatchObject({ kind: 'redacted', areas: [] });
    expect(copy.copyOf.spans).toEqual([
      { start, end, reason: 'address', otherReason: null },
      { start: jo, end: jo + 2, reason: 'other', otherReason: 'a friend’s name' },
    ]);
    const original = await ok<{ copies: { id: string; kind: string }[] }>(
      call('items.get', { id: ids['threat.eml'] }),
    );
    expect(original.copies).toEqual([expect.objectContaining({ id: made.id, kind: 'redacted' })]);

    // The original reads back byte-identical, and the vault checks.
    expect((await content(ids['threat.eml']!)).equals(originals['threat.eml']!)).toBe(true);
    expect((await vault.check()).problems).toEqual([]);

    // The same passages again: the same copy, nothing new stored or logged.
    const before = state();
    const again = await ok<Made>(
      call('items.makeRedactedTextCopy', {
        id: ids['threat.eml'],
        spans: [
          { start, end, reason: 'address', otherReason: null },
          { start: jo, end: jo + 2, reason: 'other', otherReason: 'a friend’s name' },
        ],
      }),
    );
    expect(again).toMatchObject({ id: made.id, alreadyMade: true });
    expect(state()).toEqual(before);
  });

  it('redacts a text file in its text as decoded, line ends counted once', async () => {
    const { text, kind } = await ok<Rendering>(
      call('items.textForRedaction', { id: ids['notes.txt'] }),
    );
    expect(kind).toBe('text');
    expect(text).toBe('Line one\nmy number is 07700 900123 😀\nend\n');
    const start = text.indexOf('07700');
    const made = await ok<Made>(
      call('items.makeRedactedTextCopy', {
        id: ids['notes.txt'],
        spans: [{ start, end: start + '07700 900123'.length, reason: 'third-party' }],
      }),
    );
    const s = (await content(made.id)).toString('utf8');
    expect(s.endsWith('Line one\nmy number is [REDACTED: A third party’s details] 😀\nend\n')).toBe(
      true,
    );
    expect(s).not.toContain('900123');
    expect(s).not.toContain('\r');
  });

  it('redacts an Outlook message as an email: its shown headers and body, its attachments withheld', async () => {
    const r = await ok<Rendering>(call('items.textForRedaction', { id: ids['outlook.msg'] }));
    expect(r.kind).toBe('email');
    expect(r.attachments).toBeGreaterThan(0);
    expect(r.text).toMatch(/^From: .*\n/);
    expect(r.text).toContain('\nSubject: attachmentFiles\n');
    const start = r.text.indexOf('attachmentFiles');
    const made = await ok<Made>(
      call('items.makeRedactedTextCopy', {
        id: ids['outlook.msg'],
        spans: [{ start, end: start + 'attachmentFiles'.length, reason: 'irrelevant' }],
      }),
    );
    const s = (await content(made.id)).toString('utf8');
    expect(s).toContain('Subject: [REDACTED: Irrelevant and confidential]');
    expect(s).toContain(`attachment${r.attachments === 1 ? '' : 's'} (withheld)`);
    expect((await content(ids['outlook.msg']!)).equals(originals['outlook.msg']!)).toBe(true);
  });

  it('refuses bad passages and items that are not text, in words, writing nothing', async () => {
    const { text } = await ok<Rendering>(call('items.textForRedaction', { id: ids['notes.txt'] }));
    const emoji = text.indexOf('😀');
    const before = state();
    const span = { start: 0, end: 4, reason: 'address' };
    const refusals: Array<[unknown, RegExp]> = [
      [
        { id: ids['notes.txt'], spans: [{ ...span, end: text.length + 1 }] },
        /past the end of the text/,
      ],
      [{ id: ids['notes.txt'], spans: [{ ...span, start: -1 }] }, /before the start of the text/],
      [{ id: ids['notes.txt'], spans: [{ ...span, start: 4 }] }, /must be after the start/],
      [{ id: ids['notes.txt'], spans: [span, { ...span, start: 2, end: 6 }] }, /overlap/],
      [
        { id: ids['notes.txt'], spans: [{ ...span, reason: 'secret' }] },
        /not a reason Dossier knows/,
      ],
      [{ id: ids['notes.txt'], spans: [{ ...span, reason: 'other' }] }, /say which, in words/],
      [
        { id: ids['notes.txt'], spans: [{ ...span, reason: 'other', otherReason: 'a\u001bb' }] },
        /control, invisible or direction-changing character/,
      ],
      [
        { id: ids['notes.txt'], spans: [{ ...span, reason: 'other', otherReason: 'a\u202eb' }] },
        /control, invisible or direction-changing character/,
      ],
      [
        { id: ids['notes.txt'], spans: [{ ...span, start: emoji, end: emoji + 1 }] },
        /inside a character/,
      ],
      [{ id: ids['notes.txt'], spans: [] }, /select at least one passage/],
      [{ id: ids['shot.png'], spans: [span] }, /is a picture: cover its areas with boxes instead/],
      [
        { id: ids['threat.eml'], boxes: [{ x: 0, y: 0, w: 0.1, h: 0.1, reason: 'address' }] },
        /spans/,
      ],
    ];
    for (const [args, message] of refusals) {
      const e = await failure(call('items.makeRedactedTextCopy', args));
      expect(e.message, JSON.stringify(args)).toMatch(message);
    }
    // A picture's redaction refuses an email, naming what it is.
    const e = await failure(
      call('items.makeRedactedCopy', {
        id: ids['threat.eml'],
        boxes: [{ x: 0, y: 0, w: 0.1, h: 0.1, reason: 'address' }],
      }),
    );
    expect(e.message).toMatch(/not a picture/);
    expect(
      (await failure(call('items.textForRedaction', { id: ids['shot.png'] }))).message,
    ).toMatch(/is a picture/);
    expect(state()).toEqual(before);
  });
});
