// Whether a function of hostile input stays linear: its CPU time for 8N characters is compared
// with its time for N (linear is about 8x, quadratic about 64x), the best of a few runs, with N
// grown until the small run is above noise. See test/unit/evidence/email-linear.test.ts.

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function bestOf(runs: number, run: () => unknown): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = cpuMs();
    run();
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}

/** Throws, with the timings, when `make(8N)` takes more than 30 times `make(N)`. */
export function expectLinear(label: string, make: (size: number) => () => unknown): void {
  const noise = 2;
  let n = 16 * 1024;
  let small = make(n);
  small();
  let ts = bestOf(3, small);
  while (ts < noise && n < 256 * 1024) {
    n *= 2;
    small = make(n);
    small();
    ts = bestOf(3, small);
  }
  const big = make(n * 8);
  let seen = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const tb = bestOf(2, big);
    ts = bestOf(3, small);
    if (tb <= 30 * Math.max(ts, noise)) return;
    seen += ` ${n}: ${ts.toFixed(2)} ms, ${n * 8}: ${tb.toFixed(2)} ms;`;
  }
  throw new Error(`${label}: not linear:${seen}`);
}

async function bestOfAsync(runs: number, run: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = cpuMs();
    await run();
    best = Math.min(best, cpuMs() - t0);
  }
  return best;
}

/**
 * expectLinear for an asynchronous reader (the email and mailbox readers are): each run is
 * awaited. Starts at `startN` bytes, doubled (below `maxN`) until a run is measurable.
 */
export async function expectLinearAsync(
  label: string,
  make: (size: number) => () => Promise<unknown>,
  { startN = 16 * 1024, maxN = 256 * 1024 }: { startN?: number; maxN?: number } = {},
): Promise<void> {
  const noise = 2;
  let n = startN;
  let small = make(n);
  await small();
  let ts = await bestOfAsync(3, small);
  while (ts < noise && n < maxN) {
    n *= 2;
    small = make(n);
    await small();
    ts = await bestOfAsync(3, small);
  }
  const big = make(n * 8);
  let seen = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const tb = await bestOfAsync(2, big);
    ts = await bestOfAsync(3, small);
    if (tb <= 30 * Math.max(ts, noise)) return;
    seen += ` ${n}: ${ts.toFixed(2)} ms, ${n * 8}: ${tb.toFixed(2)} ms;`;
  }
  throw new Error(`${label}: not linear:${seen}`);
}
