// 9. Text recognition (issue 13): 100 of the bench's phone screenshots read by Dossier's queue
//    (`dossier ocr`, one engine for all of them) against Debian's `tesseract IMG - -l eng`, one
//    process per picture as people run it, same pictures, same run: ratio ≤ 1.5 (goal ≤ 1.0).
//    Also the peak RSS of the process while the engine thread reads, and the word accuracy of
//    both against the text the pictures were drawn from.
import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { screenshotText } from '../fixtures/evidence';
import { wordAccuracy } from '../support/text-picture';
import {
  CONFIG,
  PASSPHRASE,
  dossier,
  dossierCommand,
  initCheapVault,
  initVault,
  list,
  loadCore,
  log,
  median,
  mib,
  parseJsonLines,
  run,
  secs,
  skipped,
  syncDisks,
  verdict,
  warm,
  type Bench,
} from './lib';
import { DISTINCT_PICTURES, HEIGHT, makeScreenshots, sharpThumbnails } from './screenshots';

const TARGET = 1.5;
const GOAL = 1.0;
/** The screenshots benchmark's target, checked here with a queue reading at the same time. */
const IMPORT_TARGET = 1.5;
const PICTURES = pictureCount();
const POLL_MS = 20;

/** 100, or DOSSIER_BENCH_OCR_PICTURES for a quick look (the targets mean something at 100). */
function pictureCount(): number {
  const v = process.env.DOSSIER_BENCH_OCR_PICTURES;
  if (v === undefined || v === '') return 100;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > 1000)
    throw new Error('DOSSIER_BENCH_OCR_PICTURES must be an integer from 1 to 1000');
  return n;
}

/**
 * The screenshots benchmark's import (`dossier add` of its whole folder into a vault made by
 * `dossier init`) while `dossier ocr` reads a queue of `queueDir`'s pictures in another vault
 * (its engine thread at nice 19, as in the app), against that benchmark's baseline on the same
 * files. The reading is stopped (Ctrl-C) once the import has returned.
 */
async function importWhileReading(
  ctx: Parameters<Bench['run']>[0],
  queueDir: string,
  dir: string,
  paths: readonly string[],
): Promise<{ add: number; baseline: number; readDuring: number }> {
  const busy = ctx.vaultPath('ocr-busy');
  await initCheapVault(busy);
  await dossier(busy, ['add', queueDir, '--json']);
  const target = ctx.vaultPath('ocr-import');
  await initVault(target);
  await syncDisks();
  await warm(paths);
  const thumbs = await sharpThumbnails(paths);
  const sha = (await run('sha256sum', [...paths], { discardStdout: true })).ms;
  await syncDisks();
  await warm(paths);
  const { cmd, args, env } = dossierCommand(busy, ['ocr', '--json']);
  const reader = spawn(cmd, args, { env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => reader.once('exit', () => resolve()));
  try {
    // Let it unlock and start its engine, so the import runs while a picture is being read.
    await new Promise((r) => setTimeout(r, 3000));
    const res = await dossier(target, ['add', dir, '--json']);
    const added = parseJsonLines(res.stdout).filter(
      (x) => x.status === 'added' && Array.isArray(x.warnings) && x.warnings.length === 0,
    );
    if (added.length !== paths.length) throw new Error(`${added.length} added cleanly`);
    if (reader.exitCode !== null) throw new Error('dossier ocr ended before the import did');
    reader.kill('SIGINT');
    await exited;
    const status = JSON.parse((await dossier(busy, ['ocr', '--status', '--json'])).stdout) as {
      done: number;
    };
    return { add: res.ms, baseline: thumbs + sha, readDuring: status.done };
  } finally {
    if (reader.exitCode === null) reader.kill('SIGKILL');
    await ctx.remove(busy);
    await ctx.remove(target);
  }
}

/** The known text of bench screenshot number `i` (makeScreenshots draws seed i % 60). */
function expectedText(i: number): string[] {
  return screenshotText(HEIGHT, i % DISTINCT_PICTURES);
}

/** Which screenshot a file is, from its name ("Screenshot 0042.png"). */
function indexOf(name: string): number {
  const m = /^Screenshot (\d+)\.png$/.exec(name);
  if (!m) throw new Error(`not a bench screenshot: ${name}`);
  return Number(m[1]);
}

async function hasTesseract(): Promise<boolean> {
  const r = await run('tesseract', ['--version'], { check: false }).catch(() => null);
  return r !== null && r.code === 0;
}

/** Debian's command on each picture in turn; the texts, for accuracy. */
async function tesseractEach(paths: readonly string[]): Promise<{ ms: number; texts: string[] }> {
  const texts: string[] = [];
  let ms = 0;
  for (const p of paths) {
    const r = await run('tesseract', [p, '-', '-l', 'eng']);
    ms += r.ms;
    texts.push(r.stdout);
  }
  return { ms, texts };
}

/** Mean word accuracy over the pictures, each picture's read text against its known text. */
function accuracy(reads: readonly { index: number; text: string }[]): number {
  let sum = 0;
  for (const r of reads) sum += wordAccuracy(expectedText(r.index), r.text);
  return reads.length ? sum / reads.length : NaN;
}

/** Each picture's stored reading, from the vault in-process. */
async function dossierReadings(vaultDir: string): Promise<{ index: number; text: string }[]> {
  const { Vault } = await loadCore();
  const vault = await Vault.unlock(vaultDir, PASSPHRASE, { actor: 'bench' });
  try {
    return vault.list().map((item) => {
      const reading = vault.ocr.store.reading(item.id);
      if (reading?.state !== 'done') throw new Error(`${item.name} was not read`);
      return { index: indexOf(item.name), text: reading.text ?? '' };
    });
  } finally {
    await vault.lock();
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export const ocr: Bench = {
  name: 'ocr',
  title: `Text in ${PICTURES} screenshots: dossier ocr vs tesseract, one process per picture`,
  async run(ctx) {
    // The screenshots benchmark's files (all of them for the import check), the first 100 here.
    if (CONFIG.screenshots < PICTURES)
      throw new Error(`DOSSIER_BENCH_SCREENSHOTS must be at least ${PICTURES} for this benchmark`);
    const all = await makeScreenshots(ctx, CONFIG.screenshots);
    const dir = await ctx.mkdir('ocr-screenshots');
    const paths: string[] = [];
    for (const p of all.slice(0, PICTURES)) {
      const to = join(dir, basename(p));
      await copyFile(p, to);
      paths.push(to);
    }
    const tesseract = await hasTesseract();
    if (tesseract) {
      const v = await run('tesseract', ['--version']);
      log(
        `  ${(v.stdout || v.stderr).split('\n')[0]} (Debian); the engine: tesseract.js in Dossier`,
      );
    }
    const baseline: number[] = [];
    const measured: number[] = [];
    const peaks: number[] = [];
    const idlePeaks: number[] = [];
    const importMs: number[] = [];
    const busyAdd: number[] = [];
    const busyBaseline: number[] = [];
    let dossierAccuracy = NaN;
    let tesseractAccuracy = NaN;

    for (let r = 1; r <= CONFIG.reps; r++) {
      // The vault is made and filled untimed; the import returns with every picture queued.
      const vault = ctx.vaultPath('ocr');
      await initCheapVault(vault);
      const add = await dossier(vault, ['add', dir, '--json']);
      importMs.push(add.ms);
      const added = parseJsonLines(add.stdout).filter((x) => x.status === 'added').length;
      const queued = JSON.parse((await dossier(vault, ['ocr', '--status', '--json'])).stdout) as {
        queued: number;
        done: number;
      };
      if (added !== PICTURES || queued.queued !== PICTURES || queued.done !== 0) {
        throw new Error(
          `after dossier add: ${added} added, ${queued.queued} queued, ${queued.done} read`,
        );
      }
      idlePeaks.push((await dossier(vault, ['ls', '--json'], { pollRssMs: POLL_MS })).peakRss!);

      // Alternate which side goes first, so a burst of outside load hits both.
      const runTesseract = async (): Promise<void> => {
        if (!tesseract) return;
        await syncDisks();
        await warm(paths);
        const t = await tesseractEach(paths);
        baseline.push(t.ms);
        if (r === 1) {
          tesseractAccuracy = accuracy(
            t.texts.map((text, i) => ({ index: indexOf(basename(paths[i]!)), text })),
          );
        }
      };
      const runDossier = async (): Promise<void> => {
        await syncDisks();
        const res = await dossier(vault, ['ocr', '--json'], { pollRssMs: POLL_MS });
        const after = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as {
          done: number;
          failed: number;
        };
        if (after.done !== PICTURES) throw new Error(`dossier ocr read ${after.done} pictures`);
        measured.push(res.ms);
        peaks.push(res.peakRss!);
      };
      if (r % 2) {
        await runTesseract();
        await runDossier();
      } else {
        await runDossier();
        await runTesseract();
      }
      if (r === 1) dossierAccuracy = accuracy(await dossierReadings(vault));
      await ctx.remove(vault);
      const busy = await importWhileReading(ctx, dir, join(ctx.root, 'screenshots'), all);
      busyAdd.push(busy.add);
      busyBaseline.push(busy.baseline);
      log(
        `  round ${r}, ${all.length} screenshots imported while another vault's queue reads: ` +
          `dossier add ${secs(busy.add)}, ` +
          `sharp + sha256sum ${secs(busy.baseline)} (ratio ${(busy.add / busy.baseline).toFixed(2)}; ` +
          `${busy.readDuring} pictures read meanwhile)`,
      );
      log(
        `  round ${r}: ${tesseract ? `tesseract ${secs(baseline.at(-1)!)}, ` : ''}dossier ocr ` +
          `${secs(measured.at(-1)!)}, peak RSS ${mib(peaks.at(-1)!)}` +
          (tesseract ? `  (ratio ${(measured.at(-1)! / baseline.at(-1)!).toFixed(2)})` : ''),
      );
    }

    const mMeasured = median(measured);
    log(
      `  ${PICTURES} PNGs, 1170×2532, vaults with a 1 MiB Argon2id cost; medians of ${CONFIG.reps} runs`,
    );
    log(
      `  dossier add (queues, reads none)  ${secs(median(importMs))}  ${list(importMs, secs)}  ` +
        `(returned with all ${PICTURES} queued, 0 read: the import does not wait)`,
    );
    if (tesseract) {
      log(
        `  tesseract IMG - -l eng, each      ${secs(median(baseline))}  ${list(baseline, secs)}  ` +
          `(${(median(baseline) / PICTURES).toFixed(0)} ms/picture)`,
      );
    }
    log(
      `  dossier ocr --json (whole run)    ${secs(mMeasured)}  ${list(measured, secs)}  ` +
        `(${(mMeasured / PICTURES).toFixed(0)} ms/picture, start and unlock included)`,
    );
    log(
      `  peak RSS, dossier ocr             ${mib(median(peaks))}  ${list(peaks, mib)}; dossier ls ` +
        `on the same vault ${mib(median(idlePeaks))}: the engine thread and its pictures add ` +
        `${mib(median(peaks) - median(idlePeaks))} (one process: VmHWM polled every ${POLL_MS} ms)`,
    );
    log(
      `  word accuracy against the drawn text (round 1, mean over the pictures): Dossier ` +
        `${pct(dossierAccuracy)}` +
        (tesseract ? `, tesseract ${pct(tesseractAccuracy)}` : ''),
    );
    const importRatio = median(busyAdd) / median(busyBaseline);
    log(
      `  dossier add of ${all.length} while dossier ocr reads another vault  ${secs(median(busyAdd))}  ` +
        `${list(busyAdd, secs)}; sharp thumbnails + sha256sum ${secs(median(busyBaseline))}  ` +
        `${list(busyBaseline, secs)}`,
    );
    const importCheck = verdict(
      this.name,
      'import while recognition runs / (sharp thumbnails + sha256sum)',
      `${secs(median(busyAdd))} / ${secs(median(busyBaseline))} = ${importRatio.toFixed(2)}`,
      `≤ ${IMPORT_TARGET} (the screenshots target)`,
      importRatio <= IMPORT_TARGET,
    );
    if (!tesseract) {
      return [
        importCheck,
        skipped(
          this.name,
          'dossier ocr / tesseract',
          'Debian tesseract not installed (apt install tesseract-ocr)',
          `≤ ${TARGET}`,
        ),
      ];
    }
    const ratio = mMeasured / median(baseline);
    log(`  goal ≤ ${GOAL}: ${ratio <= GOAL ? 'met' : 'not met'}`);
    return [
      importCheck,
      verdict(
        this.name,
        'dossier ocr / tesseract per picture',
        `${secs(mMeasured)} / ${secs(median(baseline))} = ${ratio.toFixed(2)}`,
        `≤ ${TARGET} (goal ≤ ${GOAL})`,
        ratio <= TARGET,
      ),
    ];
  },
};
