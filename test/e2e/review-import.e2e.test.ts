/**
 * The client imports her adviser's review, in Debian's Chromium through the bridge and the
 * real core: an item and an incident about it, a bundle exported with the wizard, a signed review of it written from the format
 * alone (test/support/adviser-review.ts), chosen with the browser's file picker on the Export
 * screen; the import says it is signed by a key new to the vault and shows its fingerprint,
 * and the item view shows the adviser's status and comment under "From your adviser", apart
 * from her notes, and the incident the adviser's question. axe finds no serious problem on either screen.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adviserKey,
  chainEntries,
  reviewFile,
  reviewZipFiles,
  zipOf,
} from '../support/adviser-review';
import { tempDir } from '../support/tmp';
import { bridgeTransport } from '../../shared/bridge-transport';
import { createClient } from '../../shared/client';
import {
  type AppInChromium,
  closeAppInChromium,
  createVaultInPage,
  openAppInChromium,
  openExportWizard,
  seriousAxeViolations,
  startExport,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `import a review from the adviser — SKIPPED: ${skip}`
  : 'import a review from the adviser (Chromium, bridge)';
if (skip) console.warn(title);

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let app: WebApp;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    started = await openAppInChromium({ viewport: { width: 1280, height: 900 } });
    ({ app, page, watch } = started);
  });
  afterAll(() => closeAppInChromium(started));

  it('imports a signed review and shows the comment on her item and incident', async () => {
    await page.goto(app.url);
    await createVaultInPage(page);
    const src = join(await tempDir(), 'threat.txt');
    await writeFile(src, 'I know where you live.\n');
    await page.getByTestId('file-input').setInputFiles(src);
    await page.getByRole('button', { name: /^threat\.txt/ }).waitFor({ timeout: 30_000 });

    // An incident about it, made through the bridge as the app would.
    const client = createClient(bridgeTransport(app.origin, app.token));
    const itemId = (await client['items.list']({}))[0]!.id;
    const incident = await client['incidents.create']({
      occurredAt: '2026-03-02T21:14:00Z',
      place: 'Email',
      summary: 'Threat by email',
      itemIds: [itemId],
    });

    const out = await tempDir();
    await openExportWizard(page, 'Harassment');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: /Step 3 of 5/ }).waitFor();
    await startExport(page, out);

    // The adviser's side, from the bundle's own files.
    const [bag] = await readdir(out);
    const root = join(out, bag!);
    const tagManifest = await readFile(join(root, 'tagmanifest-sha256.txt'));
    const bagInfo = (await readFile(join(root, 'bag-info.txt'), 'utf8')).replace(
      /\r?\n[ \t]+/g,
      ' ',
    );
    const items = JSON.parse(await readFile(join(root, 'data/metadata/items.json'), 'utf8')) as {
      number: string;
      itemId: string;
      sha256: string;
    }[];
    const x = items[0]!;
    const entries = chainEntries([
      {
        target: { kind: 'exhibit', exhibit: x.number, itemId: x.itemId, sha256: x.sha256 },
        op: 'status',
        value: 'need-original',
      },
      {
        target: { kind: 'exhibit', exhibit: x.number, itemId: x.itemId, sha256: x.sha256 },
        op: 'comment',
        value: 'Strong evidence. Please bring the original email with its headers.',
      },
      {
        target: { kind: 'incident', incidentId: incident.id },
        op: 'questions',
        value: ['Did anyone else see this email?'],
      },
    ]);
    const key = adviserKey();
    const review = reviewFile(
      {
        tagManifestSha256: createHash('sha256').update(tagManifest).digest('hex'),
        bagName: bag!,
        caseName: 'Harassment',
        signingKeyFingerprint: /Signing-Key-Fingerprint: ([0-9a-f ]+)/.exec(bagInfo)![1]!.trim(),
      },
      entries,
    );
    const reviewPath = join(await tempDir(), 'review-Harassment-20261206.zip');
    await writeFile(reviewPath, await zipOf(reviewZipFiles(review, key)));

    // The client: Export screen, "Import a review from my adviser".
    await page.getByRole('heading', { name: 'Import a review from my adviser' }).waitFor();
    await page.getByTestId('review-file-input').setInputFiles(reviewPath);
    const result = page.locator('.review-import-result');
    await result
      .getByText(/The review from A\. Solicitor \(Smith & Co\) was imported: 3 changes/)
      .waitFor({
        timeout: 30_000,
      });
    expect(await result.textContent()).toContain(key.fingerprint);
    expect(await result.textContent()).toMatch(/new to your vault\. Compare the fingerprint/);
    await page.getByText('Reviews you have imported').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Her item, with the adviser's words in their own panel.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Library', exact: true })
      .click();
    await page.getByRole('button', { name: /^threat\.txt/ }).click();
    const panel = page.locator('section.adviser-comments');
    await panel.getByRole('heading', { name: 'From your adviser' }).waitFor({ timeout: 30_000 });
    expect(await panel.textContent()).toContain('Need the original');
    expect(await panel.textContent()).toContain('Strong evidence. Please bring the original email');
    // Not one of her notes.
    const notes = page.locator('section[aria-labelledby="item-notes-title"]');
    expect(await notes.textContent()).not.toContain('Strong evidence');
    expect(await seriousAxeViolations(page, { frames: false })).toEqual([]);
    await page.getByRole('button', { name: /Back to library/ }).click();

    // The incident, with the adviser's question in its own panel.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Incidents', exact: true })
      .click();
    await page
      .getByRole('button', { name: /Threat by email|Email/ })
      .first()
      .click();
    const onIncident = page.locator('section.adviser-comments');
    await onIncident
      .getByRole('heading', { name: 'From your adviser' })
      .waitFor({ timeout: 30_000 });
    expect(await onIncident.textContent()).toContain('Did anyone else see this email?');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(watch.problems).toEqual([]);
  }, 240_000);
});
