// The text-recognition engine: tesseract.js (Tesseract compiled to WebAssembly) on its own
// worker thread, with language data from a registry package. Nothing is ever fetched: the
// data is read from the package's folder, the engine's thread has no fetch, and no cache is
// written (docs/ocr.md).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Tesseract from 'tesseract.js';
import { DEFAULT_LANGUAGE } from './mimes';

const require = createRequire(import.meta.url);

/** The language data shipped (npm package per language) and its model folder inside it. */
export const LANGUAGE_PACKAGES: Readonly<Record<string, string>> = {
  eng: '@tesseract.js-data/eng',
};
/** The name a person knows each language by (Tesseract codes are ISO 639-2). */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  ara: 'Arabic',
  ben: 'Bengali',
  chi_sim: 'Chinese (simplified)',
  chi_tra: 'Chinese (traditional)',
  cym: 'Welsh',
  deu: 'German',
  eng: 'English',
  fra: 'French',
  gle: 'Irish',
  hin: 'Hindi',
  ita: 'Italian',
  pan: 'Punjabi',
  pol: 'Polish',
  por: 'Portuguese',
  ron: 'Romanian',
  rus: 'Russian',
  spa: 'Spanish',
  tur: 'Turkish',
  ukr: 'Ukrainian',
  urd: 'Urdu',
};

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}
/** LSTM "best" model in integers: as accurate as 4.0.0 here, 25% faster, 3 MB not 11 MB. */
export const MODEL = '4.0.0_best_int';

/** One recognised word: pixels of the picture as read (after EXIF rotation). */
export interface OcrWord {
  /** The word as read. */
  t: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Tesseract's confidence, 0–100, rounded. */
  c: number;
}

export interface Recognition {
  text: string;
  words: OcrWord[];
  /** Mean word confidence, 0–100, rounded; 0 when no word was read. */
  confidence: number;
}

export interface EngineInfo {
  engine: string;
  version: string;
  language: string;
}

/** In a packaged app, files the engine's thread opens live beside app.asar, unpacked. */
export function unpackedPath(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/**
 * The vault's folder where a person adds a language's data by hand: `<code>.traineddata`
 * (or `.traineddata.gz`), e.g. from github.com/tesseract-ocr/tessdata_best. Read only from
 * there, never fetched; its SHA-256 goes into each reading's engine version.
 */
export const ADDED_LANGUAGES_FOLDER = 'ocr-languages';
const ADDED_FILE = /^([a-z]{3}(?:_[a-z]{3,4})?)\.traineddata(\.gz)?$/;
/** Larger than any Tesseract model (the largest "best" ones are ~40 MB): not loaded. */
export const MAX_ADDED_LANGUAGE_BYTES = 200 * 1024 * 1024;

/** Data files added by hand in `dir`: language code → file name (a shipped language wins). */
function addedLanguages(dir: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir) return out;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const code = ADDED_FILE.exec(name)?.[1];
    if (!code || code in LANGUAGE_PACKAGES || out.has(code)) continue;
    try {
      const st = statSync(join(dir, name));
      if (st.isFile() && st.size > 0 && st.size <= MAX_ADDED_LANGUAGE_BYTES) out.set(code, name);
    } catch {
      // Gone or unreadable: not offered.
    }
  }
  return out;
}

/**
 * The languages whose data is installed: a registry package that resolves, then those added
 * by hand in `addedDir` (the vault's ADDED_LANGUAGES_FOLDER).
 */
export function installedLanguages(addedDir: string | null = null): string[] {
  const shipped = Object.keys(LANGUAGE_PACKAGES).filter((code) => {
    try {
      packageDir(LANGUAGE_PACKAGES[code]!);
      return true;
    } catch {
      return false;
    }
  });
  return [...shipped, ...addedLanguages(addedDir).keys()];
}

/** Where the engine reads a language's data: a local folder, never a URL. */
export function languageDataPath(language: string): string {
  const pkg = LANGUAGE_PACKAGES[language];
  if (!pkg)
    throw new Error(`No text-recognition data is installed for the language "${language}".`);
  return unpackedPath(join(packageDir(pkg), MODEL));
}

interface LanguageData {
  langPath: string;
  gzip: boolean;
  /** What the data is, for the engine version kept with every reading. */
  source: string;
}

const addedHashes = new Map<string, { key: string; sha256: string }>();

/** A shipped language's package folder, or a file added by hand (hashed: it is not ours). */
function languageData(language: string, addedDir: string | null): LanguageData {
  const pkg = LANGUAGE_PACKAGES[language];
  if (pkg) {
    const data = require(`${pkg}/package.json`) as { version: string };
    return {
      langPath: languageDataPath(language),
      gzip: true,
      source: `${pkg}@${data.version} ${MODEL}`,
    };
  }
  const name = addedLanguages(addedDir).get(language);
  if (!name || !addedDir)
    throw new Error(`No text-recognition data is installed for the language "${language}".`);
  const path = join(addedDir, name);
  const st = statSync(path);
  const key = `${st.size}:${st.mtimeMs}`;
  let hash = addedHashes.get(path);
  if (hash?.key !== key) {
    hash = { key, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
    addedHashes.set(path, hash);
  }
  return {
    langPath: addedDir,
    gzip: name.endsWith('.gz'),
    source: `${name} added by hand, sha256 ${hash.sha256}`,
  };
}

/** tesseract.js's own Node worker script, as a file the engine's thread can open. */
export function engineWorkerScript(): string {
  return unpackedPath(join(packageDir('tesseract.js'), 'src', 'worker-script', 'node', 'index.js'));
}

export function engineInfo(language: string, addedDir: string | null = null): EngineInfo {
  const js = require('tesseract.js/package.json') as { version: string };
  return {
    engine: 'tesseract.js',
    version: `${js.version} (data ${languageData(language, addedDir).source})`,
    language,
  };
}

/**
 * The engine thread's first module: lowers its own scheduling priority (on Linux a thread
 * has its own nice value, so only recognition yields to the app) and removes fetch before
 * tesseract.js's worker script loads, so any attempt to download fails instead.
 */
function bootstrapUrl(): URL {
  const script = pathToFileURL(engineWorkerScript()).href;
  const code = `import { setPriority } from 'node:os';
try { setPriority(0, 19); } catch {}
globalThis.fetch = async (url) => { throw new Error('Dossier never downloads: refused ' + String(url).slice(0, 200)); };
await import(${JSON.stringify(script)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/**
 * One tesseract.js worker for one language. Recognition runs on its thread; a failure of
 * the engine rejects the current call and leaves this engine unusable (`broken`): the
 * caller makes a new one.
 */
export class OcrEngine {
  private constructor(
    private readonly worker: Tesseract.Worker,
    readonly info: EngineInfo,
    private readonly failures: { error: unknown },
  ) {}

  broken = false;

  static async start(
    language: string = DEFAULT_LANGUAGE,
    addedDir: string | null = null,
  ): Promise<OcrEngine> {
    const failures: { error: unknown } = { error: null };
    const data = languageData(language, addedDir);
    // Loaded when first needed: commands that read no picture never load the engine.
    const { default: Tesseract } = await import('tesseract.js');
    const worker = await Tesseract.createWorker(language, Tesseract.OEM.LSTM_ONLY, {
      // A URL object passes through tesseract.js's path handling unchanged in Node.
      workerPath: bootstrapUrl() as unknown as string,
      langPath: data.langPath,
      gzip: data.gzip,
      cacheMethod: 'none',
      // Never print to the terminal; errors come back to the caller.
      logger: () => undefined,
      errorHandler: (e: unknown) => {
        failures.error = e;
      },
    });
    // Screenshots hold blocks of text of every size: automatic page segmentation.
    await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO });
    return new OcrEngine(worker, engineInfo(language, addedDir), failures);
  }

  /** Reads the picture (an encoded image file, e.g. PNG). */
  async recognize(image: Buffer): Promise<Recognition> {
    const { data } = await this.worker
      .recognize(image, {}, { text: true, blocks: true })
      .catch((e: unknown) => {
        this.broken = true;
        throw e instanceof Error ? e : new Error(String(e));
      });
    const words: OcrWord[] = [];
    for (const block of data.blocks ?? []) {
      for (const para of block.paragraphs) {
        for (const line of para.lines) {
          for (const w of line.words) {
            const t = w.text.trim();
            if (!t) continue;
            words.push({
              t,
              x: w.bbox.x0,
              y: w.bbox.y0,
              w: Math.max(1, w.bbox.x1 - w.bbox.x0),
              h: Math.max(1, w.bbox.y1 - w.bbox.y0),
              c: Math.round(w.confidence),
            });
          }
        }
      }
    }
    const confidence = words.length
      ? Math.round(words.reduce((s, w) => s + w.c, 0) / words.length)
      : 0;
    return { text: data.text.replace(/\n{3,}/g, '\n\n').trim(), words, confidence };
  }

  async terminate(): Promise<void> {
    this.broken = true;
    await this.worker.terminate().catch(() => undefined);
  }
}
