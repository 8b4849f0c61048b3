import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI, dossier } from '../support/cli';
import { addTestConversation } from '../support/conversations/rows';
import { tempDir } from '../support/tmp';
import { missingTools, skipTitle } from '../support/tools';
import { newVault, PASSPHRASE } from '../support/vault';

interface Hit {
  id: string;
  name: string;
  kind: string;
  snippet: string;
  source: string | null;
}

const EMAIL = [
  'From: Anon <anon@example.net>',
  'To: me@example.org',
  'Subject: hello',
  'Date: Tue, 05 Mar 2024 10:00:00 +0000',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'I know where the allotment is.',
  '',
].join('\r\n');

describe('dossier search', () => {
  let env: Record<string, string>;
  let vaultDir: string;
  const ids: Record<string, string> = {};
  const search = (...args: string[]) => dossier(['--vault', vaultDir, 'search', ...args], env);
  const json = async (...args: string[]): Promise<Hit[]> => {
    const r = await search(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.out) as Hit[];
  };

  beforeAll(async () => {
    assertBuilt();
    vaultDir = join(await tempDir(), 'vault');
    const { vault } = await newVault(vaultDir);
    const add = async (key: string, name: string, data: string, tags?: string[]) => {
      const r = await vault.addData({ name, data: Buffer.from(data) }, { tags });
      if (r.status !== 'added') throw new Error(`${name} was not added`);
      ids[key] = r.id;
    };
    // Each word is in one place only: the hit's source says which.
    await add('name', 'playground photo.txt', 'nothing to see');
    await add('note', 'a.txt', 'plain words');
    vault.addNote(ids.note!, 'the blue van\nagain');
    await add('text', 'letter.txt', 'outside the school gates at 8');
    await add('email', 'mail.eml', EMAIL);
    await add('tag', 'b.txt', 'plain words too', ['stalking']);
    await add('hostile', 'c.txt', 'zebra \u001b[2J\u001b[31mcrossing\u202e here');
    // "school" in a name too: relevance decides the order.
    await add('both', 'school school.txt', 'school school school');
    const chat = await addTestConversation(vault, {
      title: 'Chat with Alex',
      textSearchable: false,
      messages: [
        { sender: 'Alex', time: '2024-03-01T10:00:00+00:00', text: 'hello' },
        { sender: 'Alex', time: '2024-03-01T10:01:00+00:00', text: 'meet me by the bridge' },
      ],
    });
    ids.chat = chat.itemId;
    await vault.lock();
    env = { DOSSIER_PASSPHRASE: PASSPHRASE };
  });

  it('prints exactly {id, name, kind, snippet, source} with --json, for each place a word is', async () => {
    expect(await json('playground')).toEqual([
      {
        id: ids.name,
        name: 'playground photo.txt',
        kind: 'text',
        snippet: 'playground photo.txt',
        source: 'name',
      },
    ]);
    expect(await json('van')).toEqual([
      { id: ids.note, name: 'a.txt', kind: 'text', snippet: 'the blue van\nagain', source: 'note' },
    ]);
    expect(await json('gates')).toEqual([
      {
        id: ids.text,
        name: 'letter.txt',
        kind: 'text',
        snippet: 'outside the school gates at 8',
        source: 'text',
      },
    ]);
    expect(await json('allotment')).toMatchObject([
      { id: ids.email, kind: 'email', source: 'text' },
    ]);
    expect(await json('stalk')).toEqual([
      { id: ids.tag, name: 'b.txt', kind: 'text', snippet: 'tag: stalking', source: 'tag' },
    ]);
    const [hit] = await json('bridge');
    expect(hit).toMatchObject({ id: ids.chat, source: 'message' });
    expect(hit!.snippet).toContain('meet me by the bridge');
    for (const h of await json('school'))
      expect(Object.keys(h)).toEqual(['id', 'name', 'kind', 'snippet', 'source']);
  });

  it('prints one line per hit: id, name, where and the snippet; a message hit says which', async () => {
    const r = await search('van');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${ids.note}  a.txt  note: the blue van again\n`);
    expect(r.stderr).toBe('1 item matches.\n');
    const m = await search('bridge');
    expect(m.out).toMatch(
      new RegExp(`^${ids.chat}  \\S+  message #1: .*meet me by the bridge\\n$`),
    );
    const t = await search('stalking');
    expect(t.out).toBe(`${ids.tag}  b.txt  tag: stalking\n`);
  });

  it('lists the hits in the relevance order, best first, and pages with --limit', async () => {
    const all = await json('school');
    // Three times in the name and text beats once in the text.
    expect(all.map((h) => h.id)).toEqual([ids.both, ids.text]);
    const one = await search('school', '--limit', '1');
    expect(one.code).toBe(0);
    expect(one.out.trim().split('\n')).toHaveLength(1);
    expect(one.out.startsWith(ids.both!)).toBe(true);
    expect(one.stderr).toBe('2 items match; the best 1 are shown. --limit N shows more.\n');
    for (const bad of ['0', '-1', 'x', '10001', '1.5']) {
      const r = await search('school', `--limit=${bad}`);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain('give a whole number from 1 to 10,000');
    }
  });

  it('filters by --kind and --tag, and says why when nothing matches', async () => {
    expect((await json('allotment', '--kind', 'email')).map((h) => h.id)).toEqual([ids.email]);
    expect(await json('allotment', '--kind', 'image')).toEqual([]);
    expect((await json('plain', '--tag', 'stalking')).map((h) => h.id)).toEqual([ids.tag]);
    const kind = await search('school', '--kind', 'photos');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain(
      '--kind "photos" must be one of: image, video, audio, document, email, text, conversation, other.',
    );
    const tag = await search('plain', '--tag', 'no such tag');
    expect(tag.code).toBe(0);
    expect(tag.out).toBe('');
    expect(tag.stderr).toBe('No items match: no item has the tag "no such tag".\n');
    const none = await search('xylophone');
    expect(none).toMatchObject({ code: 0, out: '', stderr: 'No items match.\n' });
    expect(await json('xylophone')).toEqual([]);
  });

  it('matches FTS5 syntax as typed, never as an error', async () => {
    // Quotes, *, ^, : and - are not operators: the words around them are searched.
    for (const q of [
      '"school',
      'school"',
      '"school gates"',
      'school*',
      '^school',
      'gates:school',
      'school -gates',
      'school:*',
      '{school}',
    ]) {
      const r = await search(q, '--json');
      expect(r.code, `${q}: ${r.stderr}`).toBe(0);
      expect(
        (JSON.parse(r.out) as Hit[]).map((h) => h.id),
        q,
      ).toContain(ids.text);
    }
    // NEAR, AND, OR and a column name are words like any other: no item has them.
    for (const q of ['NEAR(school gates)', 'school AND gates OR', 'text:school', 'name : school']) {
      const r = await search(q, '--json');
      expect(r.code, `${q}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.out), q).toEqual([]);
    }
    // After --, a search may start with -.
    const after = await search('--json', '--', '-gates');
    expect((JSON.parse(after.out) as Hit[]).map((h) => h.id)).toEqual([ids.text]);
    const dash = await search('-gates');
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain('dossier search -- -word');
    const punct = await search('***');
    expect(punct).toMatchObject({ code: 0, out: '' });
    expect(punct.stderr).toContain('No items match: the search has no letters or digits');
  });

  it('refuses an empty search and one over 500 characters, before unlocking', async () => {
    const long = await dossier(
      ['--vault', join(vaultDir, 'nowhere'), 'search', 'a'.repeat(501)],
      env,
    );
    expect(long.code).toBe(2);
    expect(long.stderr).toContain(
      'The search text "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" is too long: 500 characters at most (this one has 501).',
    );
    expect((await search('a'.repeat(500))).code).toBe(0);
    const empty = await search('  ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('Say what to search for');
  });

  it('escapes control characters in names and snippets on a terminal, keeps them in JSON', async () => {
    const r = await search('zebra');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('\u001b');
    expect(r.out).toContain('text: zebra \\x1b[2J\\x1b[31mcrossing\\u202e here');
    // The words are escaped, never marked, when the output is not a terminal.
    const [hit] = await json('zebra');
    expect(hit!.snippet).toBe('zebra \u001b[2J\u001b[31mcrossing\u202e here');
  });

  const noScript = missingTools(['script']);
  it.skipIf(noScript !== null)(
    skipTitle('marks the matches in bold on a terminal only (util-linux script)', noScript),
    async () => {
      const onTerminal = (extra: Record<string, string>) =>
        new Promise<string>((resolve) => {
          const cmd = [process.execPath, CLI, '--vault', vaultDir, 'search', 'zebra']
            .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
            .join(' ');
          const child = spawn('script', ['-qefc', cmd, '/dev/null'], {
            env: {
              PATH: process.env.PATH ?? '',
              HOME: process.env.HOME ?? '/tmp',
              TERM: 'xterm',
              ...env,
              ...extra,
            },
          });
          let screen = '';
          child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
          child.on('close', () => resolve(screen));
        });
      const screen = await onTerminal({});
      expect(screen).toContain(
        'text: \u001b[1mzebra\u001b[22m \\x1b[2J\\x1b[31mcrossing\\u202e here',
      );
      // The only escape sequences are Dossier's own bold on and off.
      // eslint-disable-next-line no-control-regex -- finding escape sequences is the point
      expect(screen.match(/\u001b\[[0-9;]*[A-Za-z]/g)).toEqual(['\u001b[1m', '\u001b[22m']);
      const plain = await onTerminal({ NO_COLOR: '1' });
      expect(plain).toContain('text: zebra \\x1b[2J');
      expect(plain).not.toContain('\u001b[1m');
    },
  );
});
