import { readFileSync } from 'node:fs';

/**
 * Node decodes command-line arguments as UTF-8 and replaces bytes that are not UTF-8 with
 * U+FFFD, so a file whose name is not UTF-8 could not be named on the command line. On
 * Linux the exact bytes are in /proc/self/cmdline: an argument that came through with
 * U+FFFD is swapped for the raw bytes it was decoded from. Elsewhere (or if they cannot be
 * matched), the text stays as it is, and the import says the name could not be found as given.
 */
export function exactArgs(args: readonly string[]): (string | Buffer)[] {
  if (!args.some((a) => a.includes('\uFFFD'))) return [...args];
  const raw = rawUserArgs();
  if (!raw) return [...args];
  // The k-th argument with a given decoded form takes the k-th raw argument with that form.
  const used = new Set<number>();
  return args.map((a) => {
    if (!a.includes('\uFFFD')) return a;
    const i = raw.findIndex((r, j) => !used.has(j) && r.toString('utf8') === a);
    if (i < 0) return a;
    used.add(i);
    return raw[i]!;
  });
}

/** The arguments after the script, as bytes; null where /proc is not available. */
function rawUserArgs(): Buffer[] | null {
  let cmdline: Buffer;
  try {
    cmdline = readFileSync('/proc/self/cmdline');
  } catch {
    return null;
  }
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < cmdline.length; i++) {
    if (cmdline[i] === 0) {
      parts.push(cmdline.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < cmdline.length) parts.push(cmdline.subarray(start));
  // cmdline is node, its own options, the script, then the arguments process.argv ends with.
  const count = process.argv.length - 2;
  if (count < 0 || parts.length < count) return null;
  return parts.slice(parts.length - count);
}
