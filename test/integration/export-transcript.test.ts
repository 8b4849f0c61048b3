// A chat export in a bundle (issue 12, "Export"): the original is the exhibit, the messages
// linked to incidents or chosen are printed as a transcript in report.pdf and bundle.pdf, and
// data/metadata/messages.json gives each one's byte span, which ordinary tools and
// `dossier verify` check against the exhibit's bytes.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Vault } from '../../main/core';
import { verifyBundle } from '../../main/core/export/verify-bundle';
import { buildChat, IOS_UK, zipOf, type FixtureMessage } from '../support/conversations/whatsapp';
import { assertBuilt, dossier } from '../support/cli';
import { tempDir } from '../support/tmp';
import { newVault, PASSPHRASE } from '../support/vault';

const run = promisify(execFile);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const MESSAGES: FixtureMessage[] = [
  { at: [2024, 3, 14, 21, 10, 0], sender: 'Alex', text: 'hello' },
  { at: [2024, 3, 14, 21, 14, 5], sender: 'Alex', text: 'I know where you live\nand your car' },
  { at: [2024, 3, 14, 21, 15, 0], sender: 'Me', text: 'Please stop messaging me' },
  { at: [2024, 3, 15, 8, 2, 0], sender: 'Alex', text: 'See you at the school gate \u202egpj.exe' },
  { at: [2024, 3, 16, 9, 0, 0], sender: 'Alex', text: 'unrelated' },
];

interface Record_ {
  exhibit: string;
  file: string;
  chatFile: string | null;
  offset: number;
  length: number;
  sha256: string;
  line: number | null;
  lineEnd: number | null;
  index: number;
  sender: string;
  time: string | null;
  timeSource: string;
  text: string;
  incidents: string[];
  selected: boolean;
}

async function pdfText(path: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', path, '-'], { maxBuffer: 64 << 20 });
  return stdout;
}

describe('export of a conversation with linked messages', () => {
  let root: string;
  let vault: Vault;
  let zipId: string;
  let txtId: string;
  let chat: ReturnType<typeof buildChat>;
  let incidentId: string;
  let bundle: string;
  let bundlePages: number;
  let records: Record_[];

  beforeAll(async () => {
    root = await tempDir();
    ({ vault } = await newVault(join(root, 'vault')));
    chat = buildChat(IOS_UK, MESSAGES);
    const zipPath = join(root, 'WhatsApp Chat - Alex.zip');
    await writeFile(
      zipPath,
      await zipOf([
        { name: '_chat.txt', data: chat.bytes },
        { name: 'note.txt', data: 'not the chat' },
      ]),
    );
    const txtPath = join(root, 'WhatsApp Chat with Sam.txt');
    await writeFile(txtPath, chat.bytes);
    // Exhibits are numbered by time: the zip first.
    await utimes(zipPath, new Date('2024-03-17T00:00:00Z'), new Date('2024-03-17T00:00:00Z'));
    await utimes(txtPath, new Date('2024-03-18T00:00:00Z'), new Date('2024-03-18T00:00:00Z'));
    const added = await vault.add([zipPath, txtPath], { timeZone: 'Europe/London' });
    const ids = added.results.map((r) => {
      if (r.status !== 'added') throw new Error(`not added: ${JSON.stringify(r)}`);
      return r.id;
    });
    [zipId, txtId] = ids as [string, string];
    const zipMessages = vault.conversationMessages(zipId, 0, 100);
    const txtMessages = vault.conversationMessages(txtId, 0, 100);
    const incident = vault.createIncident(
      { occurredAt: '2024-03-14T21:14:05Z', place: 'WhatsApp', summary: 'Threat about my home' },
      {},
    );
    incidentId = incident.id;
    vault.setMessageIncident(incidentId, [zipMessages[1]!.id, zipMessages[3]!.id], 'link');
    const result = await vault.export({
      out: root,
      format: 'dir',
      selection: { incidentIds: [incidentId] },
      // One message chosen from a conversation no incident points at: it comes with its exhibit.
      messageIds: [txtMessages[2]!.id],
      exhibitPrefix: 'JD',
    });
    bundle = result.path;
    bundlePages = result.bundlePages;
    expect(result.messages).toBe(3);
    records = JSON.parse(
      await readFile(join(bundle, 'data/metadata/messages.json'), 'utf8'),
    ) as Record_[];
  });

  it('messages.json lists the linked and the chosen messages with their spans', () => {
    expect(records.map((r) => [r.exhibit, r.index, r.sender, r.selected])).toEqual([
      ['JD1', 1, 'Alex', false],
      ['JD1', 3, 'Alex', false],
      ['JD2', 2, 'Me', true],
    ]);
    const [a, b, c] = records as [Record_, Record_, Record_];
    expect(a.chatFile).toBe('_chat.txt');
    expect(c.chatFile).toBeNull();
    for (const [r, at] of [
      [a, 1],
      [b, 3],
      [c, 2],
    ] as const) {
      const e = chat.expected[at]!;
      expect([r.offset, r.length, r.line, r.lineEnd]).toEqual([
        e.offset,
        e.length,
        e.line,
        e.lineEnd,
      ]);
      expect(r.sha256).toBe(sha(Buffer.from(e.raw)));
      expect(r.time).toBe(`${e.wall}+00:00`);
      expect(r.timeSource).toBe('export-local-confirmed');
    }
    expect(a.incidents).toEqual([incidentId]);
    expect(c.incidents).toEqual([]);
  });

  it('each span checks with dd, unzip -p and sha256sum, as VERIFY.txt says', async () => {
    for (const r of records) {
      const file = join(bundle, r.file);
      const cmd =
        r.chatFile === null
          ? `tail -c +$((${r.offset} + 1)) "$1" | head -c ${r.length} | sha256sum`
          : `unzip -p "$1" "$2" | tail -c +$((${r.offset} + 1)) | head -c ${r.length} | sha256sum`;
      const { stdout } = await run('sh', ['-c', cmd, 'sh', file, r.chatFile ?? '']);
      expect(stdout.split(' ')[0]).toBe(r.sha256);
      const dd = await run('sh', [
        '-c',
        `dd if="$1" bs=1 skip=${r.offset} count=${r.length} status=none | sha256sum`,
        'sh',
        r.chatFile === null ? file : '/dev/null',
      ]);
      if (r.chatFile === null) expect(dd.stdout.split(' ')[0]).toBe(r.sha256);
    }
    const verify = await readFile(join(bundle, 'VERIFY.txt'), 'utf8');
    expect(verify).toContain('This bundle prints 3 message(s)');
    expect(verify).toContain('      tail -c +$((OFFSET + 1)) FILE | head -c LENGTH | sha256sum');
  });

  it('incidents.csv has the incident that only points at messages, with its exhibit and messages', async () => {
    const csv = await readFile(join(bundle, 'data/metadata/incidents.csv'), 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/,messages$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Threat about my home');
    expect(lines[1]).toContain(',JD1,');
    expect(lines[1]).toMatch(/JD1 message 2; JD1 message 4$/);
  });

  it('report.pdf and bundle.pdf print the transcript with each message’s reference', async () => {
    for (const name of ['report.pdf', 'bundle.pdf']) {
      const path = join(bundle, 'data/report', name);
      await run('qpdf', ['--check', path]);
      const text = (await pdfText(path)).replace(/\s+/g, ' ');
      expect(text, name).toContain('Transcript');
      expect(text, name).toContain('I know where you live');
      expect(text, name).toContain('and your car');
      expect(text, name).toContain('Please stop messaging me');
      // Hidden characters shown, never acted on.
      expect(text, name).toContain('[U+202E]');
      const e = chat.expected[1]!;
      expect(text, name).toContain(
        `JD1, _chat.txt line ${e.line}–${e.lineEnd}, bytes ${e.offset}+${e.length}`,
      );
      expect(text, name).toContain(records[0]!.sha256.slice(0, 16));
      expect(text, name).toContain(
        'as shown in the export, in the zone the person confirmed (Europe/London)',
      );
      // Only the chosen and linked messages: a chat is never printed whole, even a .txt one.
      expect(text, name).not.toContain('unrelated');
      if (name === 'bundle.pdf')
        expect(text).toContain(
          'Its transcript: the 2 messages linked to the incidents in this bundle or chosen for it',
        );
      expect(text, name).toContain('Messages JD1 message 2 · Alex');
    }
  });

  it('the court bundle’s page count, counted before the export, includes the transcripts', async () => {
    const choices = { selection: { incidentIds: [incidentId] }, exhibitPrefix: 'JD' };
    const txtMessage = vault.conversationMessages(txtId, 2, 1)[0]!.id;
    expect(await vault.bundlePages({ ...choices, messageIds: [txtMessage] })).toBe(bundlePages);
    const { stdout } = await run('qpdf', ['--show-npages', join(bundle, 'data/report/bundle.pdf')]);
    expect(Number(stdout.trim())).toBe(bundlePages);
  });

  it('a photo or file from an exported chat is a sub-exhibit under it (JD1.1)', async () => {
    const media = vault.list().find((i) => i.name === 'note.txt')!;
    const result = await vault.export({
      out: root,
      format: 'dir',
      selection: { itemIds: [txtId, media.id, zipId] },
      exhibitPrefix: 'JD',
    });
    expect(result.exhibits.map((e) => [e.number, e.bagPath])).toEqual([
      ['JD1', 'data/evidence/JD-001_WhatsApp Chat - Alex.zip'],
      ['JD1.1', 'data/derived/JD-001.1_note.txt'],
      ['JD2', 'data/evidence/JD-002_WhatsApp Chat with Sam.txt'],
    ]);
    const items = JSON.parse(
      await readFile(join(result.path, 'data/metadata/items.json'), 'utf8'),
    ) as { number: string; derivedFrom: { number: string } | null }[];
    expect(items.map((i) => [i.number, i.derivedFrom?.number ?? null])).toEqual([
      ['JD1', null],
      ['JD1.1', 'JD1'],
      ['JD2', null],
    ]);
    const text = (await pdfText(join(result.path, 'data/report/bundle.pdf'))).replace(/\s+/g, ' ');
    expect(text).toContain('JD1.1 note.txt');
    expect((await verifyBundle(result.path)).ok).toBe(true);
  });

  it('the custody log’s export entry counts the transcript messages and holds messages.json’s hash', async () => {
    const entry = vault.log().filter((e) => e.action === 'export')[0]!;
    const file = await readFile(join(bundle, 'data/metadata/messages.json'));
    expect(entry.details.messages).toEqual({ count: 3, sha256: sha(file) });
  });

  it('dossier verify checks every span and passes', async () => {
    const report = await verifyBundle(bundle);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a changed byte of a message in the exhibit fails its file hash and names the message', async () => {
    const copy = join(root, 'tampered-exhibit');
    await run('cp', ['-a', bundle, copy]);
    const r = records[2]!; // the plain .txt exhibit
    const file = join(copy, r.file);
    const bytes = await readFile(file);
    const at = r.offset + r.length - 3;
    bytes[at] = bytes[at]! ^ 0x20;
    await writeFile(file, bytes);
    const report = await verifyBundle(copy);
    expect(report.ok).toBe(false);
    const messages = report.problems.map((p) => p.message).join('\n');
    expect(report.problems.some((p) => p.file === r.file && /SHA-256|hash/i.test(p.message))).toBe(
      true,
    );
    expect(messages).toContain(
      `Message 3 of exhibit "JD2" (from "Me") does not match its original`,
    );
    // Only that message.
    expect(messages).not.toContain('Message 2 of exhibit');
  });

  it('a changed byte of a message inside the zip exhibit names the message', async () => {
    const copy = join(root, 'tampered-zip');
    await run('cp', ['-a', bundle, copy]);
    const r = records[0]!;
    const file = join(copy, r.file);
    const rebuilt = Buffer.from(chat.bytes);
    rebuilt[r.offset + 2] = rebuilt[r.offset + 2]! ^ 0x01;
    await writeFile(
      file,
      await zipOf([
        { name: '_chat.txt', data: rebuilt },
        { name: 'note.txt', data: 'not the chat' },
      ]),
    );
    const report = await verifyBundle(copy);
    const messages = report.problems.map((p) => p.message).join('\n');
    expect(messages).toContain('Message 2 of exhibit "JD1" (from "Alex") does not match');
    expect(messages).toContain('inside data/evidence/');
    expect(messages).not.toContain('Message 4 of exhibit');
  });

  it('a changed messages.json fails its manifest hash', async () => {
    const copy = join(root, 'tampered-record');
    await run('cp', ['-a', bundle, copy]);
    const path = join(copy, 'data/metadata/messages.json');
    const edited = JSON.parse(await readFile(path, 'utf8')) as Record_[];
    edited[0]!.text = 'something else';
    await writeFile(path, `${JSON.stringify(edited, null, 2)}\n`);
    const report = await verifyBundle(copy);
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.file === 'data/metadata/messages.json')).toBe(true);
  });
});

describe('dossier export --messages', () => {
  it('exports the chosen messages’ conversation with them in its transcript, and refuses a bad reference', async () => {
    assertBuilt();
    const root = await tempDir();
    const dir = join(root, 'vault');
    const { vault } = await newVault(dir);
    const chat = buildChat(IOS_UK, MESSAGES);
    const path = join(root, 'chat.txt');
    await writeFile(path, chat.bytes);
    const added = (await vault.add([path], { timeZone: 'Europe/London' })).results[0]!;
    if (added.status !== 'added') throw new Error('not added');
    await vault.lock();
    const env = { DOSSIER_VAULT: dir, DOSSIER_PASSPHRASE: PASSPHRASE };
    const out = join(root, 'out');
    await mkdir(out);
    const r = await dossier(
      ['export', '--out', out, '--messages', `${added.id.slice(0, 6)}:1,${added.id}:3`, '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.out) as { path: string; messages: number };
    expect(result.messages).toBe(2);
    const records = JSON.parse(
      await readFile(join(result.path, 'data/metadata/messages.json'), 'utf8'),
    ) as Record_[];
    expect(records.map((m) => [m.index, m.selected, m.sha256])).toEqual([
      [1, true, sha(Buffer.from(chat.expected[1]!.raw))],
      [3, true, sha(Buffer.from(chat.expected[3]!.raw))],
    ]);
    const human = await dossier(['export', '--out', out, '--messages', `${added.id}:1`], env);
    expect(human.out).toContain(
      'Transcripts:                 1 message (data/metadata/messages.json)',
    );
    const missing = await dossier(['export', '--out', out, '--messages', `${added.id}:99`], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('that conversation has no message with index 99');
    const bad = await dossier(['export', '--out', out, '--messages', 'abc:def'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a message: give ITEM:INDEX');
  });
});
