/** Small wording helpers for the page. */

export function plural(n: number, one: string, many?: string): string {
  return n + ' ' + (n === 1 ? one : (many ?? one + 's'));
}

/** "1.2 MB": the page's own short size, for progress lines. */
export function bytesText(n: number): string {
  if (n < 1000) return plural(n, 'byte');
  const u = ['kB', 'MB', 'GB', 'TB'];
  let i = -1;
  while (n >= 1000 && i < u.length - 1) {
    n /= 1000;
    i++;
  }
  return (n < 10 ? n.toFixed(1) : String(Math.round(n))) + ' ' + u[i];
}
