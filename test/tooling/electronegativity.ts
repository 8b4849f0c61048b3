/**
 * Runs @doyensec/electronegativity over main/ with no network, and fails on any HIGH or
 * MEDIUM finding, on any LOW finding that is not accepted in electronegativity-allowlist.json,
 * and whenever the tool could not do its job (a file it failed to parse, no result at all).
 * How and why: docs/electron-hardening.md.
 *
 *   tsx test/tooling/electronegativity.ts [--dir main] [--allowlist <file.json>]
 *
 * Exit codes: 0 clean, 1 findings, 2 the check itself could not run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { extname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const DEFAULT_ALLOWLIST = join(import.meta.dirname, 'electronegativity-allowlist.json');

/**
 * Needs Electron's live release list to say whether a newer patch has security fixes. It can
 * only work online, and offline it would read whatever releases.*.json happens to sit in the
 * OS temp folder. It also only acts on a package.json, which main/ does not contain.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** The files electronegativity reads (its own list_files filter, minus package files). */
const SCANNED = new Set(['.js', '.jsx', '.ts', '.tsx', '.html', '.htm']);

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

export interface Finding {
  check: string;
  severity: Severity;
  confidence: string;
  /** Relative to the repository, with forward slashes; "N/A" for project-wide findings. */
  file: string;
  line: number;
  column: number;
  /** The trimmed source line the finding points at ("" when there is none). */
  source: string;
  description: string;
  /** The tool's "review required": a prompt to look, rather than a detected misconfiguration. */
  review: boolean;
}

export interface Acceptance {
  check: string;
  file: string;
  /** Part of the flagged source line; leave it out only for findings with no line. */
  source?: string;
  reason: string;
}

export type Verdict = 'fail' | 'accepted' | 'info';

export interface Judged {
  finding: Finding;
  verdict: Verdict;
  note: string;
}

export interface Judgement {
  judged: Judged[];
  /** Allowlist entries that match no finding: the list must not outlive what it excuses. */
  stale: Acceptance[];
  ok: boolean;
}

function matches(entry: Acceptance, f: Finding): boolean {
  if (entry.check !== f.check || entry.file !== f.file) return false;
  return entry.source === undefined ? f.source === '' : f.source.includes(entry.source);
}

/**
 * HIGH and detected MEDIUM always fail; LOW and review-required MEDIUM fail unless accepted;
 * INFORMATIONAL never fails.
 */
export function judge(findings: Finding[], allowlist: Acceptance[]): Judgement {
  const used = new Set<Acceptance>();
  const judged = findings.map((finding): Judged => {
    const entry = allowlist.find((e) => matches(e, finding));
    if (entry) used.add(entry);
    // A MEDIUM the tool itself marks "review required" asks for a review, not a fix: it may
    // be accepted with the review's outcome. A detected HIGH or MEDIUM never can.
    const reviewed = finding.severity === 'MEDIUM' && finding.review;
    if (finding.severity === 'HIGH' || (finding.severity === 'MEDIUM' && !reviewed)) {
      const note = entry
        ? 'in the allowlist, but only LOW or review-required MEDIUM findings can be accepted'
        : 'HIGH and MEDIUM must be fixed';
      return { finding, verdict: 'fail', note };
    }
    if (finding.severity === 'LOW' || reviewed) {
      return entry
        ? { finding, verdict: 'accepted', note: entry.reason }
        : {
            finding,
            verdict: 'fail',
            note: 'not in the allowlist: fix it, or accept it with a reason',
          };
    }
    return { finding, verdict: 'info', note: '' };
  });
  const stale = allowlist.filter((e) => !used.has(e));
  return { judged, stale, ok: stale.length === 0 && judged.every((j) => j.verdict !== 'fail') };
}

export function readAllowlist(path: string): Acceptance[] {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const list = (data as { accepted?: unknown }).accepted;
  if (!Array.isArray(list)) throw new Error(`${path}: expected { "accepted": [...] }`);
  return list.map((e: Record<string, unknown>, i) => {
    const str = (k: string): boolean => typeof e[k] === 'string' && (e[k] as string).trim() !== '';
    if (
      !str('check') ||
      !str('file') ||
      !str('reason') ||
      !(e.source === undefined || str('source'))
    )
      throw new Error(
        `${path}: entry ${i} needs check, file and reason (and source, if any) as text`,
      );
    return e as unknown as Acceptance;
  });
}

/** Every file electronegativity will read under dir (it skips node_modules too). */
export function scannedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.split(sep).includes('node_modules') && SCANNED.has(extname(f).toLowerCase()))
    .map((f) => join(dir, f))
    .sort();
}

/** Its inline "eng-disable" comments hide findings before we see them: they are refused. */
export function inlineDisables(files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, i) => (/eng-disable/i.test(text) ? [`${repoPath(file)}:${i + 1}`] : [])),
  );
}

function repoPath(file: string): string {
  return relative(ROOT, file).split(sep).join('/');
}

interface RawIssue {
  id: string;
  file: string;
  location?: { line?: number; column?: number };
  severity: { name: Severity };
  confidence: { name: string };
  description: string;
  manualReview?: boolean;
}

interface RawResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RawIssue[];
}

/**
 * The tool fetches two things with `got`: translations (at start-up) and Electron's release
 * list (AvailableSecurityFixesGlobalCheck). Both go through this stub, which refuses at once
 * and records the address, so nothing leaves the machine and nothing waits on a timeout.
 */
function stubNetwork(toolRequire: NodeJS.Require): string[] {
  const refused: string[] = [];
  const offline = (url: unknown): Promise<never> => {
    refused.push(String(url));
    return Promise.reject(new Error(`offline run: no request to ${String(url)}`));
  };
  const got = Object.assign(offline, { get: offline, head: offline, post: offline });
  const path = toolRequire.resolve('got');
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = got;
  toolRequire.cache[path] = stub;
  return refused;
}

function toFinding(issue: RawIssue): Finding {
  const line = issue.location?.line ?? 0;
  const known = issue.file !== 'N/A' && line > 0;
  return {
    check: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file === 'N/A' ? 'N/A' : repoPath(issue.file),
    line,
    column: issue.location?.column ?? 0,
    source: known ? (readFileSync(issue.file, 'utf8').split('\n')[line - 1] ?? '').trim() : '',
    description: issue.description,
    review: issue.manualReview === true,
  };
}

export async function scan(
  dir: string,
): Promise<{ findings: Finding[]; refused: string[]; said: string[] }> {
  const repoRequire = createRequire(join(ROOT, 'package.json'));
  const toolRequire = createRequire(
    repoRequire.resolve('@doyensec/electronegativity/package.json'),
  );
  const refused = stubNetwork(toolRequire);
  // Main has no package.json for it to read Electron's version from; without one it assumes
  // v0.1.0 and judges against that version's defaults.
  const electronVersion = (repoRequire('electron/package.json') as { version: string }).version;
  // Its messages come from bundled locales; pin the one they are written in.
  process.env.LANG = 'en-US';
  const run = toolRequire('./dist/runner.js') as (o: object, forCli: boolean) => Promise<RawResult>;
  // The programmatic runner, not the CLI with -o: its CSV writer races its own header (the
  // first finding can be lost), SARIF has no severity, and with -o parse errors go unreported.
  // What it prints (the failed translation fetch) is kept and shown after the run.
  const said: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void said.push(args.join(' '));
  const result = await run(
    {
      input: dir,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
      isRelative: false,
      isVerbose: false,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  ).finally(() => (console.log = log));
  if (!result || !Array.isArray(result.issues) || !Array.isArray(result.errors))
    throw new Error('electronegativity returned no report');
  if (!(result.atomicChecks > 0 && result.globalChecks > 0))
    throw new Error('electronegativity loaded no checks');
  for (const e of result.errors) {
    if (!e.tolerable) throw new Error(`could not parse ${repoPath(e.file)}: ${e.message}`);
    console.warn(`warning: ${repoPath(e.file)}: ${e.message}`);
  }
  return { findings: result.issues.map(toFinding), refused, said };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function report(j: Judgement): string {
  const rows = [['VERDICT', 'SEVERITY', 'CHECK', 'WHERE', 'NOTE']];
  for (const { finding: f, verdict, note } of j.judged) {
    const where = f.file === 'N/A' ? 'N/A' : `${f.file}:${f.line}:${f.column}`;
    const what = `${f.description}${f.review ? ' (review required)' : ''}`;
    const why = verdict === 'accepted' ? 'accepted, see the allowlist' : note;
    rows.push([verdict.toUpperCase(), f.severity, f.check, where, why ? `${what}: ${why}` : what]);
  }
  const lines = j.judged.length ? [table(rows)] : ['No findings.'];
  for (const e of j.stale)
    lines.push(`STALE allowlist entry: ${e.check} ${e.file} ${e.source ?? ''} (matches nothing)`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { dir: { type: 'string', default: 'main' }, allowlist: { type: 'string' } },
  });
  const dir = resolve(ROOT, values.dir);
  let findings: Finding[];
  let allowlist: Acceptance[];
  try {
    allowlist = readAllowlist(values.allowlist ? resolve(values.allowlist) : DEFAULT_ALLOWLIST);
    const files = scannedFiles(dir);
    if (files.length === 0) throw new Error(`nothing to scan in ${repoPath(dir)}/`);
    const disabled = inlineDisables(files);
    if (disabled.length) throw new Error(`eng-disable comments are not allowed: ${disabled}`);
    const result = await scan(dir);
    findings = result.findings;
    const checks = `${findings.length} finding(s) in ${files.length} files`;
    console.log(`electronegativity over ${repoPath(dir)}/: ${checks}, offline`);
    for (const url of result.refused) console.log(`  refused a network request: ${url}`);
    for (const line of result.said) console.log(`  it said: ${line}`);
  } catch (error) {
    console.error(`electronegativity check could not run: ${(error as Error).message}`);
    return 2;
  }
  const judgement = judge(findings, allowlist);
  console.log(report(judgement));
  if (!judgement.ok) console.error('\nFAILED: see docs/electron-hardening.md');
  return judgement.ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exitCode = await main();
}
