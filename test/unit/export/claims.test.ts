// Issue 11, "Disclaimers": nothing in report.pdf or bundle.pdf claims more than "unchanged
// since it was stored in Dossier". Every sentence of both PDFs is read back with pdftotext;
// a sentence that claims authenticity, truth or tamper-proofing fails unless it says "not".
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportModel } from '../../../main/core/export/model';
import { renderBundlePdf } from '../../../main/core/export/pdf/bundle';
import { renderReportPdfWith } from '../../../main/core/export/report-pdf';
import { testExhibit } from '../../support/exhibit';
import { tempDir } from '../../support/tmp';
import { missingTools, skipTitle } from '../../support/tools';

const noPoppler = missingTools(['pdftotext']);
const dir = await tempDir('dossier-claims-');
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

const MODEL: ExportModel = {
  caseName: 'Claims',
  exportedAt: '2024-07-01T12:00:00.000Z',
  exportedOffsetMinutes: 60,
  exportedTimeZone: 'Europe/London',
  exporter: 'A. Tester',
  exhibitPrefix: 'JD',
  signingKeyFingerprint: 'abcd '.repeat(16).trim(),
  signingPublicKeyPem: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n',
  evidenceIndexSha256: sha('index'),
  exhibits: [
    testExhibit({ number: 'JD1', sha256: sha('a'), mime: 'message/rfc822', originalName: 'a.eml' }),
    testExhibit({ number: 'JD2', sha256: sha('b'), mime: 'text/plain', originalName: 'b.txt' }),
  ],
  incidents: [],
  people: [],
  custody: [
    {
      seq: 1,
      at: '2024-03-01T08:00:00.000Z',
      actor: 'dossier',
      action: 'create',
      subjects: [],
      details: {},
      prev: '0'.repeat(64),
      hash: sha('entry 1'),
    },
  ],
  checkpoint: null,
  software: { name: 'Dossier', version: '0.0.0-test' },
};

/** Words that claim more than the hashes show. */
const OVERCLAIMS = [
  /\bauthentic/i,
  /\bgenuine/i,
  /\btamper[- ]?(proof|evident)/i,
  /\bforensic/i,
  /\bguarantee/i,
  /\birrefutabl/i,
  /\bcannot (be|have been) (altered|changed|faked|forged|edited)/i,
  /\bproves?\b/i,
  /\b(is|are) (true|accurate|real)\b/i,
];
/** A sentence that says what is not shown is a limit, not a claim. */
const SAYS_NOT = /\b(not|never|no)\b/i;
/** The statement of truth is the signer's own belief, which the certificate asks them to make. */
const SIGNERS_OWN = /\bI (believe|understand) that\b/;

async function sentences(name: string, chunks: AsyncIterable<Buffer>): Promise<string[]> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  const file = join(dir, name);
  await writeFile(file, Buffer.concat(parts));
  const r = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?:])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const PDFS: [string, () => AsyncIterable<Buffer>][] = [
  ['report.pdf', () => renderReportPdfWith(MODEL, { fonts: 'built-in' })],
  [
    'bundle.pdf',
    () =>
      renderBundlePdf(MODEL, {
        fonts: 'built-in',
        content: async () => ({ kind: 'other', reason: 'not drawn in this test' }),
      }).chunks,
  ],
];

describe(skipTitle('the PDFs claim no more than the hashes show', noPoppler), () => {
  for (const [name, render] of PDFS) {
    it.skipIf(noPoppler !== null)(name, async () => {
      const said = await sentences(name, render());
      const claims = said.filter(
        (s) => OVERCLAIMS.some((re) => re.test(s)) && !SAYS_NOT.test(s) && !SIGNERS_OWN.test(s),
      );
      expect(claims).toEqual([]);
      const all = said.join(' ');
      // The one claim made, tied to the import, and its limits beside it.
      expect(all).toMatch(/bit-for-bit identical to the file as it was imported into Dossier/);
      expect(all).toContain('That the content is true, or that it shows what it appears to show.');
      expect(all).toContain('That the file was not changed before it was imported into Dossier.');
    });
  }

  it('catches an overclaim (the check can fail)', () => {
    const s = 'The hashes prove the emails are authentic.';
    expect(OVERCLAIMS.some((re) => re.test(s)) && !SAYS_NOT.test(s)).toBe(true);
  });
});
