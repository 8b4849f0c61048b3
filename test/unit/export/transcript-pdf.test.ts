// The transcript sections of report.pdf and bundle.pdf, on a hand-made model: every message with
// its reference, long ones cut with a note, a long transcript over several pages counted as
// drawn, and each incident's messages linked to their place in the transcript.
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportModel, TranscriptMessage } from '../../../main/core/export/model';
import { countBundlePdfPages, renderBundlePdf } from '../../../main/core/export/pdf/bundle';
import { renderReportPdfWith } from '../../../main/core/export/pdf/report';
import { testExhibit } from '../../support/exhibit';
import { tempDir } from '../../support/tmp';
import { missingTools, skipTitle } from '../../support/tools';

const missing = missingTools(['pdftotext', 'qpdf']);
const title = (t: string): string => skipTitle(t, missing);

function message(i: number, over: Partial<TranscriptMessage> = {}): TranscriptMessage {
  return {
    id: `msg-${i}`,
    exhibit: 'JD1',
    itemId: 'chat',
    index: i,
    kind: 'message',
    sender: i % 2 ? 'Alex' : 'Me',
    senderId: i % 2 ? '+447700900123' : null,
    time: `2024-03-14T21:${String(i % 60).padStart(2, '0')}:00+00:00`,
    timeSource: 'export-local-confirmed',
    text: `message number ${i}`,
    offset: i * 100,
    length: 90,
    sha256: (i % 16).toString(16).repeat(64),
    line: i + 1,
    lineEnd: i + 1,
    chatFile: '_chat.txt',
    incidentIds: [],
    tags: [],
    notes: [],
    selected: true,
    ...over,
  };
}

function model(messages: TranscriptMessage[]): ExportModel {
  return {
    caseName: 'Transcript test',
    exportedAt: '2024-04-02T09:30:00.000Z',
    exportedOffsetMinutes: 0,
    exportedTimeZone: 'Europe/London',
    exporter: '',
    exhibitPrefix: 'JD',
    signingKeyFingerprint: 'abcd '.repeat(16).trim(),
    signingPublicKeyPem: '',
    evidenceIndexSha256: '0'.repeat(64),
    exhibits: [
      testExhibit({
        number: 'JD1',
        itemId: 'chat',
        originalName: 'WhatsApp Chat - Alex.zip',
        mime: 'application/zip',
        conversation: {
          format: 'whatsapp',
          reader: 'dossier-whatsapp 1',
          chatFile: '_chat.txt',
          title: 'Chat with Alex',
          messageCount: 5000,
          participants: [],
          firstTime: null,
          lastTime: null,
          dateOrder: 'dmy',
          timeZone: 'Europe/London',
        },
      }),
    ],
    incidents: [
      {
        id: 'inc',
        occurredAt: '2024-03-14T21:14:00Z',
        occurredUntil: null,
        place: 'WhatsApp',
        summary: 'The threat',
        impact: '',
        witnesses: '',
        policeRef: '',
        platformRef: '',
        exhibitNumbers: ['JD1'],
        personIds: [],
        messageIds: ['msg-1'],
      },
    ],
    messages,
    people: [],
    custody: [],
    checkpoint: null,
    software: { name: 'Dossier', version: 'test' },
  };
}

const none = () => Promise.resolve({ kind: 'other' as const, reason: 'a zip archive' });

async function bytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

function text(path: string): string {
  const r = spawnSync('pdftotext', ['-layout', path, '-'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return r.stdout.replace(/\s+/g, ' ');
}

describe.skipIf(missing !== null)(title('transcripts in the PDFs'), () => {
  it('print each message with its reference, a long one cut with a note, and link incidents to them', async () => {
    const dir = await tempDir();
    const long = 'word '.repeat(5000);
    const m = model([
      message(1, {
        incidentIds: ['inc'],
        notes: [{ body: 'sent at night', createdAt: '2024-03-15T00:00:00Z' }],
        tags: ['threat'],
      }),
      message(2, { text: long, chatFile: null, line: null, lineEnd: null }),
    ]);
    const bundle = renderBundlePdf(m, { content: none, fonts: 'built-in' });
    const pdf = await bytes(bundle.chunks);
    const bundlePath = join(dir, 'bundle.pdf');
    await writeFile(bundlePath, pdf);
    expect(spawnSync('qpdf', ['--check', bundlePath]).status).toBe(0);
    const t = text(bundlePath);
    expect(t).toContain('JD1 · Transcript of 2 messages');
    expect(t).toContain('Message 2 · Alex (+447700900123)');
    expect(t).toContain(`JD1, _chat.txt line 2, bytes 100+90, SHA-256 ${'1'.repeat(64)}`);
    expect(t).toContain(`JD1, bytes 200+90, SHA-256 ${'2'.repeat(64)}`);
    expect(t).toContain('Incident 1');
    expect(t).toContain('Tags: threat');
    expect(t).toContain('Note: sent at night');
    expect(t).toContain('[… cut: the whole message is in the exhibit at the span below]');
    expect(t).toContain('Messages JD1 message 2 · Alex');
    // The incident's line links to the named destination of the message.
    const json = spawnSync('qpdf', ['--json', bundlePath], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(json.stdout).toContain('message-msg-1');
    expect(await countBundlePdfPages(m, { content: none, fonts: 'built-in' })).toBe(bundle.pages);

    const reportPath = join(dir, 'report.pdf');
    await writeFile(reportPath, await bytes(renderReportPdfWith(m, { fonts: 'built-in' })));
    expect(spawnSync('qpdf', ['--check', reportPath]).status).toBe(0);
    const r = text(reportPath);
    expect(r).toContain('JD1 · Transcript of 2 messages');
    expect(r).toContain(`JD1, _chat.txt line 2, bytes 100+90`);
    expect(r).toContain('Messages JD1 message 2 · Alex');
  });

  it('a transcript of 600 messages runs over pages, counted exactly before it is drawn', async () => {
    const m = model(Array.from({ length: 600 }, (_, i) => message(i)));
    const counted = await countBundlePdfPages(m, { content: none, fonts: 'built-in' });
    const withoutTranscript = await countBundlePdfPages(model([]), {
      content: none,
      fonts: 'built-in',
    });
    expect(counted).toBeGreaterThan(withoutTranscript + 10);
    const bundle = renderBundlePdf(m, { content: none, fonts: 'built-in' });
    const dir = await tempDir();
    const path = join(dir, 'bundle.pdf');
    await writeFile(path, await bytes(bundle.chunks));
    expect(bundle.pages).toBe(counted);
    const pages = spawnSync('qpdf', ['--show-npages', path], { encoding: 'utf8' }).stdout.trim();
    expect(Number(pages)).toBe(counted);
    expect(text(path)).toContain('Message 600 · Alex');
  });
});
