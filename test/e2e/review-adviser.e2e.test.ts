/**
 * The adviser's review in the app (issue 14), in Debian's Chromium through the bridge and the
 * real core: the adviser opens a bundle, makes a review store from the banner (a weak
 * passphrase refused in words, then a good one, with name and organisation), reviews three
 * exhibits with the keyboard (status keys, N and P; a digit typed in a comment box is text,
 * not a status), writes a comment and a question, sees the status badges and filters the
 * library by status, records the fingerprint comparison, writes the overall note, and sends
 * the review (a typed folder, as in a browser). Then the client: her vault imports that zip
 * ("Import a review from my adviser") and her item shows the adviser's status and comment.
 * axe finds no violation on each new panel and dialog. Skipped, with the reason, without
 * Chromium.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReviewBundles, type ReviewBundles } from '../support/review-bundle';
import { tempDir } from '../support/tmp';
import { PASSPHRASE as CLIENT_PASSPHRASE } from '../support/vault';
import {
  launchChromium,
  seriousAxeViolations,
  startWebApp,
  watchPage,
  webSkipReason,
  type WebApp,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `the adviser's review in the app — SKIPPED: ${skip}`
  : "the adviser's review in the app, sent and imported (Chromium, bridge, real core)";
if (skip) console.warn(title);

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-results', 'review-adviser');
const ADVISER_PASSPHRASE = 'quiet otter lantern seventeen marble';

describe.skipIf(skip !== null)(title, () => {
  let root: string;
  let b: ReviewBundles;
  let browser: Browser;
  const apps: WebApp[] = [];

  beforeAll(async () => {
    root = await tempDir();
    b = await makeReviewBundles(root);
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const app of apps) await app.stop();
  });

  /** Screenshot, then axe: no violation of any impact. */
  const axe = async (page: Page, where: string, frames = true) => {
    await page.screenshot({ path: join(ARTIFACTS, `${where.replace(/\W+/g, '-')}.png`) });
    expect(await seriousAxeViolations(page, { frames }), where).toEqual([]);
    const { AxeBuilder } = await import('@axe-core/playwright');
    const builder = new AxeBuilder({ page });
    if (!frames) builder.options({ iframes: false }).setLegacyMode(true);
    const all = (await builder.analyze()).violations.map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
    expect(all, where).toEqual([]);
  };

  it('the adviser reviews with the keyboard and sends; the client imports and sees it', async () => {
    // ---- The adviser, with no vault of their own ----
    const adviserHome = join(root, 'adviser');
    const adviser = await startWebApp({ DOSSIER_VAULT: join(adviserHome, 'vault') });
    apps.push(adviser);
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    const watch = watchPage(page, adviser.origin);
    await page.goto(adviser.url);
    await page.getByRole('button', { name: 'Open an evidence bundle for review' }).click();
    await page.getByLabel('Full path of the bundle').fill(b.folder);
    await page.getByRole('button', { name: 'Open for review' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 60_000 });

    // Start reviewing: a store is made, a weak passphrase refused in words.
    const banner = page.getByRole('region', { name: /^Reviewing / });
    await banner.getByRole('button', { name: 'Start reviewing' }).click();
    const form = page.getByRole('form', { name: 'Make your review store' });
    await form.waitFor();
    expect(await form.innerText()).toContain(join(adviserHome, 'Reviews'));
    expect(await form.innerText()).toMatch(/Nothing is ever written into the bundle/);
    await form.getByLabel('Review passphrase', { exact: true }).fill('password1');
    await form.getByLabel('Type the review passphrase again').fill('password1');
    await form.getByRole('button', { name: 'Make my review store' }).click();
    expect(await form.getByRole('alert').first().innerText()).toMatch(
      /^Dossier will not accept this passphrase: it is too easy to guess\./,
    );
    await form.getByLabel('Review passphrase', { exact: true }).fill(ADVISER_PASSPHRASE);
    await form.getByLabel('Type the review passphrase again').fill(ADVISER_PASSPHRASE);
    await form.getByLabel('Your name (as the client will see it)').fill('A. Solicitor');
    await form.getByLabel('Your organisation').fill('Smith & Co');
    await axe(page, 'make the review store');
    await form.getByRole('button', { name: 'Make my review store' }).click();
    await banner.getByText('0 of 4 exhibits have a status.').waitFor({ timeout: 45_000 });
    await axe(page, 'banner with the review open');

    // JD1 (the screenshot): status by key, then N to JD2, status, N to JD3, status.
    await page.getByRole('button', { name: /reply\.png/ }).click();
    const panel = (label: string) => page.getByRole('region', { name: `Your review of ${label}` });
    await panel('JD1').waitFor({ timeout: 30_000 });
    const radio = (label: string, words: string) =>
      panel(label).getByRole('radio', { name: new RegExp(`^${words}`) });
    await page.locator('#item-title').focus();
    await page.keyboard.press('1');
    await expect.poll(() => radio('JD1', 'Relevant').isChecked(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('status').getByText('JD1: Relevant. Saved in your review.').waitFor();
    await axe(page, 'item view review controls', false);
    await page.keyboard.press('n');
    await panel('JD2').waitFor({ timeout: 30_000 });
    await page.locator('#item-title').focus();
    await page.keyboard.press('2');
    await expect
      .poll(() => radio('JD2', 'Not relevant').isChecked(), { timeout: 30_000 })
      .toBe(true);
    await page.keyboard.press('n');
    await panel('JD3').waitFor({ timeout: 30_000 });
    expect(await page.locator('#item-title').innerText()).toBe('email.txt');
    await page.locator('#item-title').focus();
    await page.keyboard.press('3');
    await expect
      .poll(() => radio('JD3', 'Need the original').isChecked(), { timeout: 30_000 })
      .toBe(true);

    // Typing in a box is text: "1" there is not a status.
    const comment = panel('JD3').getByLabel('Comment');
    await comment.click();
    await page.keyboard.type('Strong evidence 1: bring the original email with its headers.');
    await panel('JD3')
      .getByLabel('Questions for the client')
      .fill('Did anyone else receive this email?');
    expect(await radio('JD3', 'Need the original').isChecked()).toBe(true);
    // Written, not saved: N does not move away and lose it; it says so.
    await panel('JD3').getByText('Not saved yet.').waitFor();
    await panel('JD3').getByRole('button', { name: 'Save in my review' }).focus();
    await page.keyboard.press('n');
    await page
      .locator('.review-announce')
      .getByText('What you wrote about JD3 is not saved yet: save it first, or take it out.')
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('#item-title').innerText()).toBe('email.txt');
    await panel('JD3').getByRole('button', { name: 'Save in my review' }).click();
    await panel('JD3').getByText('Saved in your review: 2 changes.').waitFor({ timeout: 30_000 });
    expect(await comment.inputValue()).toBe(
      'Strong evidence 1: bring the original email with its headers.',
    );
    // P from a button goes back to JD2, which kept its status.
    await page.keyboard.press('p');
    await panel('JD2').waitFor({ timeout: 30_000 });
    expect(await radio('JD2', 'Not relevant').isChecked()).toBe(true);
    await page.keyboard.press('Escape');

    // The library marks each exhibit's status, and filters by it.
    await page
      .getByRole('button', { name: /reply\.png.*your review: Relevant/ })
      .waitFor({ timeout: 30_000 });
    await page
      .getByRole('button', { name: /email\.txt.*your review: Need the original/ })
      .waitFor();
    await page.getByLabel('Review status', { exact: true }).selectOption('need-original');
    await expect.poll(() => page.locator('.tile-open').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: /email\.txt/ }).waitFor();
    await page.getByLabel('Review status', { exact: true }).selectOption('none');
    await page.getByRole('button', { name: /WhatsApp Chat/ }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.tile-open').count()).toBe(1);
    await axe(page, 'library filtered by review status');
    await page.getByLabel('Review status', { exact: true }).selectOption('');
    await expect.poll(() => page.locator('.tile-open').count(), { timeout: 30_000 }).toBe(4);

    // A message of the chat: status and comment, on the one message chosen.
    await page.getByRole('button', { name: /WhatsApp Chat/ }).click();
    const chatButton = page.getByRole('button', { name: /Read it as a conversation/ });
    if (await chatButton.isVisible().catch(() => false)) await chatButton.click();
    await page.getByText('I know where you live').first().waitFor({ timeout: 30_000 });
    await page
      .getByRole('checkbox', { name: /^Select message/ })
      .nth(1)
      .check();
    const onMessage = page.getByRole('region', { name: /^Your review of message [23] in JD4$/ });
    await onMessage.waitFor({ timeout: 30_000 });
    await onMessage.getByRole('radio', { name: /^Relevant/ }).click();
    await expect
      .poll(() => onMessage.getByRole('radio', { name: /^Relevant/ }).isChecked(), {
        timeout: 30_000,
      })
      .toBe(true);
    await onMessage.getByLabel('Comment').fill('The threat itself.');
    await onMessage.getByRole('button', { name: 'Save in my review' }).click();
    await onMessage.getByText('Saved in your review: 1 change.').waitFor({ timeout: 30_000 });
    await axe(page, 'message review controls');
    await page.getByRole('button', { name: '← Back to library' }).click();

    // The incident: a question for the client.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Incidents', exact: true })
      .click();
    await page.getByRole('button', { name: /Email/ }).first().click();
    const onIncident = page.getByRole('region', { name: 'Your review of this incident' });
    await onIncident.waitFor({ timeout: 30_000 });
    await onIncident
      .getByLabel('Questions for the client')
      .fill('Did you report this to the police?');
    await onIncident.getByRole('button', { name: 'Save in my review' }).click();
    await onIncident.getByText('Saved in your review: 1 change.').waitFor({ timeout: 30_000 });
    await axe(page, 'incident review controls');

    // "Your review": the fingerprint compared, the overall note, and sending.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Your review' })
      .click();
    await page.getByRole('heading', { name: 'Your review', level: 1 }).waitFor();
    // Its controls are here, so the banner does not repeat them.
    expect(await banner.getByText(/exhibits have a status/).count()).toBe(0);
    expect(
      await page.getByText(/3 of 4 exhibits have a status; 8 changes recorded\./).count(),
    ).toBe(1);
    await page.getByLabel('I compared the fingerprint with the one the client gave me').check();
    await page.getByLabel('How she gave it to you').fill('by phone');
    await page.getByRole('button', { name: 'Record the comparison' }).click();
    await page
      .getByText(/You recorded that you compared it .*by phone/)
      .waitFor({ timeout: 30_000 });
    const overall = page.getByRole('region', { name: 'Overall note' });
    await overall.getByLabel('Overall note on the bundle').fill('A strong bundle. JD2 can go.');
    await overall.getByRole('button', { name: 'Save in my review' }).click();
    await overall.getByText('Saved in your review: 1 change.').waitFor({ timeout: 30_000 });
    await axe(page, 'your review screen');

    const out = await tempDir();
    await page.getByRole('button', { name: 'Send the review to the client…' }).click();
    const send = page.getByRole('form', { name: 'Where to save the review' });
    await send.getByLabel('Full path of the folder to save it in').fill(out);
    await axe(page, 'send the review');
    await send.getByRole('button', { name: 'Save the review file' }).click();
    const done = page.getByRole('group', { name: 'Your review was saved' });
    await done.waitFor({ timeout: 45_000 });
    const [written] = await readdir(out);
    expect(written).toMatch(/^review-R-v-Unknown-\d{8}\.zip$/);
    expect(await done.innerText()).toContain(join(out, written!));
    const fingerprint = await done.locator('.copy-value code').nth(1).innerText();
    expect(fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
    expect(await done.innerText()).toMatch(/Give her your fingerprint by another route/);
    await axe(page, 'review sent');
    expect(watch.problems).toEqual([]);
    await adviser.stop();

    // ---- The client: her vault imports the review, and her item shows it ----
    const client = await startWebApp({ DOSSIER_VAULT: join(root, 'vault') });
    apps.push(client);
    const her = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    const herWatch = watchPage(her, client.origin);
    await her.goto(client.url);
    await her.getByLabel('Passphrase', { exact: true }).fill(CLIENT_PASSPHRASE);
    await her.getByRole('button', { name: 'Unlock', exact: true }).click();
    await her.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 45_000 });
    await her
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Export', exact: true })
      .click();
    await her.getByRole('heading', { name: 'Import a review from my adviser' }).waitFor();
    await her.getByTestId('review-file-input').setInputFiles(join(out, written!));
    const result = her.locator('.review-import-result');
    await result
      .getByText(/The review from A\. Solicitor \(Smith & Co\) was imported: 10 changes/)
      .waitFor({ timeout: 45_000 });
    expect(await result.textContent()).toContain(fingerprint);
    await her
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Library', exact: true })
      .click();
    await her.getByRole('button', { name: /^email\.txt/ }).click();
    const fromAdviser = her.locator('section.adviser-comments');
    await fromAdviser
      .getByRole('heading', { name: 'From your adviser' })
      .waitFor({ timeout: 30_000 });
    const words = await fromAdviser.textContent();
    expect(words).toContain('Need the original');
    expect(words).toContain('Strong evidence 1: bring the original email with its headers.');
    expect(words).toContain('Did anyone else receive this email?');
    expect(herWatch.problems).toEqual([]);
  }, 420_000);

  it('the next time, the store is opened with its passphrase; a wrong one is said plainly', async () => {
    const adviser = await startWebApp({ DOSSIER_VAULT: join(root, 'adviser', 'vault') });
    apps.push(adviser);
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    const watch = watchPage(page, adviser.origin);
    await page.goto(adviser.url);
    await page.getByRole('button', { name: 'Open an evidence bundle for review' }).click();
    await page.getByLabel('Full path of the bundle').fill(b.folder);
    await page.getByRole('button', { name: 'Open for review' }).click();
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor({ timeout: 60_000 });
    // Locked: the item view offers "Start reviewing" where the controls will be.
    await page.getByRole('button', { name: /reply\.png/ }).click();
    const panel = page.getByRole('region', { name: 'Your review of JD1' });
    await panel.getByRole('button', { name: 'Start reviewing' }).click();
    const form = panel.getByRole('form', { name: 'Open your review store' });
    await form.getByLabel('Review passphrase', { exact: true }).fill('not my review passphrase');
    await form.getByRole('button', { name: 'Open my review store' }).click();
    expect(await form.getByRole('alert').innerText({ timeout: 45_000 })).toMatch(
      /That passphrase does not open this review store/,
    );
    await axe(page, 'open the review store, wrong passphrase', false);
    await form.getByLabel('Review passphrase', { exact: true }).fill(ADVISER_PASSPHRASE);
    await form.getByRole('button', { name: 'Open my review store' }).click();
    // The review as it was left: JD1 is Relevant.
    await expect
      .poll(() => panel.getByRole('radio', { name: /^Relevant/ }).isChecked(), {
        timeout: 45_000,
      })
      .toBe(true);

    // The form went with the focus in it: the panel's heading has it now, not the page.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Your review of JD1');
    // Sent encrypted: a weak passphrase for the file is refused in words; then a .zip.age.
    await page.keyboard.press('Escape');
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: 'Your review' })
      .click();
    await page.getByRole('button', { name: 'Send the review to the client…' }).click();
    const send = page.getByRole('form', { name: 'Where to save the review' });
    const out = await tempDir();
    await send.getByLabel('Full path of the folder to save it in').fill(out);
    await send.getByLabel('Encrypt it with a passphrase (.zip.age)').check();
    await send.getByLabel('Passphrase for the review file').fill('password');
    await send.getByLabel('Type the review file passphrase again').fill('password');
    await send.getByRole('button', { name: 'Save the review file' }).click();
    expect(await send.getByRole('alert').first().innerText()).toMatch(
      /^Dossier will not accept this passphrase for the file: it is too easy to guess\./,
    );
    await axe(page, 'send the review encrypted');
    const strong = 'violet harbour pencil ninety cobalt';
    await send.getByLabel('Passphrase for the review file').fill(strong);
    await send.getByLabel('Type the review file passphrase again').fill(strong);
    await send.getByRole('button', { name: 'Save the review file' }).click();
    const done = page.getByRole('group', { name: 'Your review was saved' });
    await done.waitFor({ timeout: 45_000 });
    expect(await readdir(out)).toEqual([
      expect.stringMatching(/^review-R-v-Unknown-\d{8}\.zip\.age$/),
    ]);
    expect(await done.innerText()).toMatch(/encrypted with the passphrase you chose/);
    expect(watch.problems).toEqual([]);
  }, 240_000);
});
