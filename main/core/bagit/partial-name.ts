import { randomBytes } from 'node:crypto';

/** The temporary name a bag is written under until it is complete: `<final>.partial-<12 hex>`. */
export function partialName(finalPath: string): string {
  return `${finalPath}.partial-${randomBytes(6).toString('hex')}`;
}

/** True when `partialPath` is a temporary name partialName could have given `finalPath`. */
export function isPartialOf(partialPath: string, finalPath: string): boolean {
  const prefix = `${finalPath}.partial-`;
  return partialPath.startsWith(prefix) && /^[0-9a-f]{12}$/.test(partialPath.slice(prefix.length));
}
