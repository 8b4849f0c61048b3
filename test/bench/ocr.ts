// 9. Text recognition (issue 13): 100 of the bench's phone screenshots read by Dossier's queue
//    (`dossier ocr`, one engine for all of them) against Debian's `tesseract IMG - -l eng`, one
//    process per picture as people run it, same pictures, same run: ratio ≤ 1.5 (goal ≤ 1.0).
//    Also the peak RSS of the process while the engine thread reads, and the word accuracy of
//    both against the text the pictures were drawn from.
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { screenshotText } from '../fixtures/evidence';
import { wordAccuracy } from '../support/text-picture';
import {
  CONFIG,
  PASSPHRASE,
  dossier,
  initCheapVault,
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
import { DISTINCT_PICTURES, HEIGHT, makeScreenshots } from './screenshots';

const TARGET = 1.5;
const GOAL = 1.0;
const PICTURES = 100;
const POLL_MS = 20;

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
    const all = await makeScreenshots(ctx, Math.max(CONFIG.screenshots, PICTURES));
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
    if (!tesseract) {
      return [
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
