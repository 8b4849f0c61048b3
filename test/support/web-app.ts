/**
 * End-to-end tests of the renderer in Debian's Chromium through the loopback bridge: starts
 * the built `npm run web` (out/main/web.js: the vault on a worker thread, the bridge and the
 * renderer) and a browser page on it, collecting console errors and failed requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, missingTools } from './tools';

export { CHROMIUM };
export const ROOT = join(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'out', 'main', 'web.js');

/**
 * Why these tests cannot run here (no browser), or null when they can; throws under
 * DOSSIER_REQUIRE_TOOLS=1 (test/support/tools.ts). A missing build fails.
 */
export function webSkipReason(): string | null {
  return missingTools(['chromium']);
}

export interface WebApp {
  url: string;
  origin: string;
  token: string;
  vaultDir: string;
  stop(): Promise<void>;
}

export async function startWebApp(env: Record<string, string> = {}): Promise<WebApp> {
  // `npm test` builds first: a missing build is a failure, never a skip.
  if (!existsSync(WEB)) throw new Error('out/main/web.js is missing: run `npm run build` first.');
  const child: ChildProcess = spawn(process.execPath, [WEB], {
    cwd: ROOT,
    env: { ...process.env, DOSSIER_BRIDGE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const found = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Dossier bridge: (\S+)\nVault: (.+)\n/.exec(out);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`web.js exited (${code}): ${out}${err}`)));
  });
  const url = new URL(found[1]!);
  return {
    url: url.href,
    origin: url.origin,
    token: url.searchParams.get('token')!,
    vaultDir: found[2]!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The app behind its bridge, Chromium, and one watched page: where an e2e test starts. */
export interface AppInChromium {
  app: WebApp;
  browser: Browser;
  page: Page;
  watch: { problems: string[] };
}

/**
 * Starts the app and opens it in a new Chromium page of the given size. `prepare` runs on the
 * browser context before the page opens (permissions, request routes). Close with
 * closeAppInChromium, which also takes what a failed start left.
 */
export async function openAppInChromium(
  opts: {
    viewport?: { width: number; height: number };
    env?: Record<string, string>;
    prepare?: (context: BrowserContext, origin: string) => Promise<void>;
  } = {},
): Promise<AppInChromium> {
  const app = await startWebApp(opts.env);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: opts.viewport ?? { width: 1280, height: 800 },
    });
    await opts.prepare?.(context, app.origin);
    const page = await context.newPage();
    return { app, browser, page, watch: watchPage(page, app.origin) };
  } catch (e) {
    await browser?.close();
    await app.stop();
    throw e;
  }
}

export async function closeAppInChromium(s: Partial<AppInChromium> | undefined): Promise<void> {
  await s?.browser?.close();
  await s?.app?.stop();
}

/** Console errors, page errors and requests that left the machine, for asserting none happened. */
export function watchPage(page: Page, origin: string): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) {
      problems.push(`request off the machine: ${u}`);
    }
  });
  return { problems };
}

export const PASSPHRASE = 'correct horse battery staple';

/**
 * First run in the page: create the vault, type back the recovery code, reach the library.
 * `onRecoveryCode` runs while the code is on screen (to look at that screen).
 */
export async function createVaultInPage(
  page: Page,
  passphrase = PASSPHRASE,
  onRecoveryCode?: () => Promise<void>,
): Promise<string> {
  await page.getByRole('heading', { name: 'Create your Dossier vault' }).waitFor();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Type it again').fill(passphrase);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { name: 'Write down your recovery code' }).waitFor({
    timeout: 30_000,
  });
  const code = (await page.getByLabel('Recovery code', { exact: true }).innerText()).trim();
  await onRecoveryCode?.();
  const groups = code.split(/\s+/);
  await confirmRecoveryCodeInPage(page, groups);
  await page.getByRole('heading', { name: 'Library' }).waitFor();
  return groups.join('-');
}

/** The code screen asks for one group, picked at random: types that one back. */
export async function confirmRecoveryCodeInPage(page: Page, groups: string[]): Promise<void> {
  const field = page.getByLabel(/type group \d of the code/);
  const label = await page.locator('label[for="recovery-check"]').innerText();
  const asked = Number(/group (\d)/.exec(label)![1]);
  await field.fill(groups[asked - 1]!);
  await page.getByRole('button', { name: /I have saved it/ }).click();
}

/**
 * Serious and critical accessibility problems on the page as it is now (axe-core). With
 * `frames: false` frames are left out: an email's frame is sandboxed without scripts, so axe
 * cannot run in it (it would wait for it forever), and it holds the sender's markup.
 */
export async function seriousAxeViolations(
  page: Page,
  { frames = true }: { frames?: boolean } = {},
): Promise<string[]> {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const builder = new AxeBuilder({ page });
  // Legacy mode runs axe in the page alone; the default mode waits on every frame.
  if (!frames) builder.options({ iframes: false }).setLegacyMode(true);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** From anywhere in the app to the export wizard's step 2, "Everything" chosen, the case named. */
export async function openExportWizard(page: Page, caseName: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: 'Export', exact: true })
    .click();
  await page.getByLabel('Everything').check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Case name').fill(caseName);
}

/** On the wizard's last steps: the folder given, the export started, and waited for. */
export async function startExport(page: Page, folder: string): Promise<void> {
  await page.getByLabel('Folder on this computer to save the bundle in').fill(folder);
  await page.getByRole('button', { name: 'Start export' }).click();
  await page.getByText(/Verified: \d+ files, all hashes match/).waitFor({ timeout: 120_000 });
}
