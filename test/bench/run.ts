// Dossier's performance benchmarks: `npm run bench` runs them all, `npm run bench -- NAME...`
// runs some. Each prints its figures, the ratio against a baseline measured in the same run on
// the same data, the target and PASS/FAIL; the exit code is 1 if any target is missed.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { cpus, loadavg as osLoadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { conversations } from './conversations';
import { courtBundle } from './court-bundle';
import { exportLarge } from './export-large';
import { ingestLarge } from './ingest-large';
import { ingestRss } from './ingest-rss';
import { libraryQuery } from './library-query';
import { ocr } from './ocr';
import { redact } from './redact';
import { reviewOpen } from './review-open';
import {
  BUILT_CLI,
  CONFIG,
  Context,
  TREE,
  freezeBuild,
  log,
  mib,
  secs,
  type Bench,
  type Check,
} from './lib';
import { screenshots } from './screenshots';
import { unlock } from './unlock';

// unlock goes first so that its first unlock is the first of this process (cold).
const BENCHES: Bench[] = [
  unlock,
  ingestLarge,
  ingestRss,
  screenshots,
  exportLarge,
  courtBundle,
  libraryQuery,
  conversations,
  ocr,
  reviewOpen,
  redact,
];

/** Other work on this (2-core) machine skews timings: the 1-minute load average says how much. */
function loadavg(): string {
  return osLoadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

function gitDescription(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: TREE, stdio: 'pipe' })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'main', 'shared'], {
      cwd: TREE,
      stdio: 'pipe',
    }).toString();
    return `${head}${dirty.trim() ? ' + uncommitted changes in main/ or shared/' : ''}`;
  } catch {
    return TREE;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    log('Usage: npm run bench [-- NAME...]   (default: all)\n');
    for (const b of BENCHES) log(`  ${b.name.padEnd(14)} ${b.title}`);
    return 0;
  }
  const unknown = argv.filter((a) => !BENCHES.some((b) => b.name === a));
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown benchmark ${unknown.join(', ')}. Choose from: ${BENCHES.map((b) => b.name).join(', ')}.\n`,
    );
    return 2;
  }
  if (!existsSync(BUILT_CLI)) {
    process.stderr.write('The CLI is not built: run `npm run build` (npm run bench does).\n');
    return 2;
  }
  const chosen = argv.length ? BENCHES.filter((b) => argv.includes(b.name)) : BENCHES;

  const root = await mkdtemp(join(process.env.DOSSIER_BENCH_TMPDIR ?? tmpdir(), 'dossier-bench-'));
  const build = await freezeBuild();
  const cleanUp = (): void => {
    rmSync(root, { recursive: true, force: true });
    rmSync(build.dir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    cleanUp();
    process.stderr.write(`\nStopped by ${sig}; removed ${root}.\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const ctx = new Context(root);
  const checks: Check[] = [];
  let errors = 0;
  const t0 = performance.now();
  log(
    `Dossier benchmarks at ${gitDescription()}; built CLI frozen at start, cli.js sha256 ` +
      `${build.sha256.slice(0, 12)}`,
  );
  log(
    `(Node ${process.version}, ${cpus().length} CPUs, temp folder ${root}; large file ${mib(CONFIG.largeBytes)}, ` +
      `small ${mib(CONFIG.smallBytes)}, ${CONFIG.screenshots} screenshots, ${CONFIG.reps} rounds)`,
  );
  try {
    for (const b of chosen) {
      log(`\n== ${b.name}: ${b.title}  [load average ${loadavg()}]`);
      const t = performance.now();
      try {
        checks.push(...(await b.run(ctx)));
      } catch (e) {
        errors++;
        log(`  ERROR  ${(e as Error).stack ?? String(e)}`);
        checks.push({ bench: b.name, label: 'ran', measured: 'error', target: '-', pass: false });
      }
      log(`  (${b.name} took ${secs(performance.now() - t)}; load average ${loadavg()})`);
    }
  } finally {
    cleanUp();
  }

  log(`\n== Summary (${secs(performance.now() - t0)} in all)`);
  for (const c of checks) {
    log(
      `  ${c.skipped ? 'SKIP' : c.pass ? 'PASS' : 'FAIL'}  ${c.bench.padEnd(13)} ${c.label}: ${c.measured}  (target ${c.target})`,
    );
  }
  const failed = checks.filter((c) => !c.pass).length;
  const notMeasured = checks.filter((c) => c.skipped).length;
  log(
    failed
      ? `\n${failed} target(s) missed${notMeasured ? ` (${notMeasured} not measured: a tool is missing, or DOSSIER_BENCH_ONLY left it out)` : ''}${errors ? `, ${errors} benchmark(s) failed to run` : ''}.`
      : '\nAll targets met.',
  );
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
