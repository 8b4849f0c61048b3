import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The reference tools that check our formats from outside (and the Debian package of each).
 * .ci/run installs every one of these packages; keep the two lists equal.
 */
export const REFERENCE_TOOLS = {
  age: 'age',
  'age-keygen': 'age',
  chromium: 'chromium',
  exiftool: 'libimage-exiftool-perl',
  openssl: 'openssl',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdfimages: 'poppler-utils',
  qpdf: 'qpdf',
  mutool: 'mupdf-tools',
  python3: 'python3',
  script: 'bsdutils',
  sha256sum: 'coreutils',
  shasum: 'perl',
  sha512sum: 'coreutils',
  sqlite3: 'sqlite3',
  unzip: 'unzip',
} as const;

export type ReferenceTool = keyof typeof REFERENCE_TOOLS;

/** The browser the end-to-end tests drive: Debian's, at its fixed path. */
export const CHROMIUM = '/usr/bin/chromium';

/** The environment variable under which a missing reference tool fails instead of skipping. */
export const REQUIRE_TOOLS = 'DOSSIER_REQUIRE_TOOLS';

/** Whether `tool` can be run here. */
export function isInstalled(tool: ReferenceTool): boolean {
  if (tool === 'chromium') return existsSync(CHROMIUM);
  // The name is one of ours (a literal key), never a caller's string, so the shell sees no input.
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Where `tool` is on PATH, for a test that must name its file (null when it is not there). */
export function toolPath(tool: ReferenceTool): string | null {
  if (tool === 'chromium') return existsSync(CHROMIUM) ? CHROMIUM : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return null;
}

export interface ToolCheck {
  env?: NodeJS.ProcessEnv;
  installed?: (tool: ReferenceTool) => boolean;
}

/**
 * Why a test that needs `tools` cannot run here, or null when it can. On a person's machine a
 * missing tool means the test skips and says why. Under DOSSIER_REQUIRE_TOOLS=1 (CI) it throws
 * "required tool missing: <name>": a check against a reference tool must never pass by being
 * skipped. Call it at the top of a test file, so the throw fails that file.
 */
export function missingTools(
  tools: readonly ReferenceTool[],
  check: ToolCheck = {},
): string | null {
  const env = check.env ?? process.env;
  const installed = check.installed ?? isInstalled;
  const missing = tools.filter((t) => !installed(t));
  if (missing.length === 0) return null;
  const packages = [...new Set(missing.map((t) => REFERENCE_TOOLS[t]))].join(' ');
  const names = missing.join(', ');
  if (env[REQUIRE_TOOLS] === '1') {
    throw new Error(
      `required tool missing: ${names} (${REQUIRE_TOOLS}=1; apt-get install -y ${packages})`,
    );
  }
  return `${names} ${missing.length === 1 ? 'is' : 'are'} not installed (apt-get install -y ${packages})`;
}

/**
 * Whether `tool` is here, for a check that is one part of a larger test. When it is not, says
 * so on stderr (the part is skipped), or throws under DOSSIER_REQUIRE_TOOLS=1.
 */
export function haveTool(tool: ReferenceTool, what: string, check: ToolCheck = {}): boolean {
  const reason = missingTools([tool], check);
  if (reason !== null) console.warn(`${what} — SKIPPED: ${reason}`);
  return reason === null;
}

/** A test's title, with why it is skipped when it is. */
export function skipTitle(title: string, reason: string | null): string {
  return reason === null ? title : `${title} — SKIPPED: ${reason}`;
}
