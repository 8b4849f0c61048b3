/**
 * The recovery code and the keys, as a person meets them in the app (through the bridge):
 * a weak passphrase refused, the code screen surviving a reload with the same code, Copy and
 * Print, confirming by a group, changing the passphrase only with the current one, and a new
 * code that replaces the old one. Skipped, with the reason, without Chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppInChromium,
  closeAppInChromium,
  confirmRecoveryCodeInPage,
  openAppInChromium,
  PASSPHRASE,
  seriousAxeViolations,
  type WebApp,
  webSkipReason,
} from '../support/web-app';

const skip = webSkipReason();
const title = skip
  ? `recovery code and keys in the app — SKIPPED: ${skip}`
  : 'recovery code and keys in the app (npm run web)';
if (skip) console.warn(title);

const NEW_PASSPHRASE = 'kettle bridge lantern orchard';

describe.skipIf(skip !== null)(title, () => {
  let started: AppInChromium | undefined;
  let app: WebApp;
  let page: Page;
  let watch: { problems: string[] };

  beforeAll(async () => {
    started = await openAppInChromium({
      prepare: (context, origin) =>
        context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin }),
    });
    ({ app, page, watch } = started);
  });
  afterAll(() => closeAppInChromium(started));

  const codeOnScreen = async (): Promise<string[]> =>
    (await page.getByLabel('Recovery code', { exact: true }).locator('span').allInnerTexts()).map(
      (g) => g.trim(),
    );
  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });

  it('refuses a weak passphrase, and keeps the code on screen through a reload', async () => {
    await page.goto(app.url);
    await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('Summer2024!');
    // The meter says it once: "Very weak. It is built on …", never "Weak. Weak: …".
    const meter = await page.locator('#strength-advice').innerText();
    expect(meter).toMatch(/^Very weak\. It is built on a very common word/);
    expect(meter.match(/weak/gi)).toHaveLength(1);
    await page.getByLabel('Type it again').fill('Summer2024!');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByText(/Dossier will not accept this passphrase/).waitFor();
    expect(await page.getByRole('heading', { name: 'Create your Dossier vault' }).count()).toBe(1);

    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Type it again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page
      .getByRole('heading', { name: 'Write down your recovery code' })
      .waitFor({ timeout: 30_000 });
    const groups = await codeOnScreen();
    expect(groups).toHaveLength(8);

    // Eight groups in two even rows of four.
    const boxes = await page
      .getByLabel('Recovery code', { exact: true })
      .locator('span')
      .evaluateAll((spans) => spans.map((s) => s.getBoundingClientRect()));
    expect(new Set(boxes.map((b) => Math.round(b.top))).size).toBe(2);
    expect(new Set(boxes.map((b) => Math.round(b.left))).size).toBe(4);
    expect(
      boxes.slice(0, 4).every((b, i) => Math.round(b.left) === Math.round(boxes[i + 4]!.left)),
    ).toBe(true);

    // A reload (or a crash, or a restart) comes back here, with the same code.
    await page.reload();
    await page
      .getByRole('heading', { name: 'Write down your recovery code' })
      .waitFor({ timeout: 30_000 });
    expect(await codeOnScreen()).toEqual(groups);
    expect(await page.getByRole('heading', { name: 'Library' }).count()).toBe(0);

    // Copy puts the code on the clipboard; Print prints a plain sheet with only the code.
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText(/^Copied\./).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(groups.join('-'));
    // window.print() opens the system's dialog: counted instead, then the print styles checked.
    await page.evaluate('window.printed = 0; window.print = () => { window.printed++; }');
    await page.getByRole('button', { name: 'Print' }).click();
    expect(await page.evaluate('window.printed')).toBe(1);
    await page.emulateMedia({ media: 'print' });
    const sheet = page.locator('.print-sheet');
    expect(await sheet.isVisible()).toBe(true);
    expect(await sheet.innerText()).toContain(groups.join('\n').slice(0, 4));
    expect(await sheet.innerText()).toMatch(/opens your Dossier evidence vault/);
    expect(
      await page.getByRole('heading', { name: 'Write down your recovery code' }).isVisible(),
    ).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await sheet.isVisible()).toBe(false);

    expect(await seriousAxeViolations(page)).toEqual([]);

    // A wrong group is refused and the code stays; the right one opens the library.
    await page.getByLabel(/type group \d of the code/).fill('ZZZZ-nope');
    await page.getByRole('button', { name: /I have saved it/ }).click();
    await page.getByText(/That is not group \d of the recovery code/).waitFor();
    await page.getByLabel(/type group \d of the code/).fill('');
    await confirmRecoveryCodeInPage(page, groups);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Library' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { name: 'Write down your recovery code' }).count()).toBe(
      0,
    );

    // Settings: changing the passphrase needs the current one, checked by main.
    await nav('Settings').click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const current = page.getByLabel('Current passphrase or recovery code', { exact: true });
    const next = page.getByLabel('New passphrase', { exact: true });
    const again = page.getByLabel('Type it again', { exact: true });
    const change = page.getByRole('button', { name: 'Change passphrase' });
    await next.fill(NEW_PASSPHRASE);
    await again.fill(NEW_PASSPHRASE);
    await change.click();
    await page.getByText(/Type your current passphrase \(or your recovery code\) first/).waitFor();
    await current.fill('somebody else guessing');
    await change.click();
    await page.getByText(/not this vault's current passphrase or recovery code/).waitFor({
      timeout: 30_000,
    });
    await current.fill(PASSPHRASE);
    await change.click();
    await page.getByText(/Your passphrase has been changed/).waitFor({ timeout: 30_000 });

    // A new recovery code: the passphrase is asked for, and the code is shown like the first.
    const form = page.getByLabel('Your passphrase (for a new recovery code)', { exact: true });
    await form.fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Make a new recovery code' }).click();
    await page.getByText(/not this vault's current passphrase/).waitFor({ timeout: 30_000 });
    await form.fill(NEW_PASSPHRASE);
    await page.getByRole('button', { name: 'Make a new recovery code' }).click();
    await page
      .getByRole('heading', { name: 'Write down your recovery code' })
      .waitFor({ timeout: 30_000 });
    const fresh = await codeOnScreen();
    expect(fresh).not.toEqual(groups);
    await page.reload();
    await page
      .getByRole('heading', { name: 'Write down your recovery code' })
      .waitFor({ timeout: 30_000 });
    expect(await codeOnScreen()).toEqual(fresh);
    await confirmRecoveryCodeInPage(page, fresh);
    await page.getByRole('heading', { name: 'Library' }).waitFor();

    // The old code no longer opens the vault; the new one does.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock Dossier' }).waitFor();
    await page.getByRole('button', { name: 'Use the recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(groups.join('-'));
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(/does not open this vault/).waitFor({ timeout: 30_000 });
    await page.getByLabel('Recovery code').fill(fresh.join('-'));
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor({ timeout: 30_000 });

    expect(watch.problems).toEqual([]);
  });
});
