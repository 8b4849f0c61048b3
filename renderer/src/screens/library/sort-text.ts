import type { Sort } from '../../stores/library';

/** Each sort's two directions in words: "A to Z" for names, not "Oldest first". */
const ORDER_WORDS: Record<Sort, { asc: string; desc: string }> = {
  sourceTime: { asc: 'Oldest first', desc: 'Newest first' },
  ingestedAt: { asc: 'Oldest first', desc: 'Newest first' },
  name: { asc: 'A to Z', desc: 'Z to A' },
  size: { asc: 'Smallest first', desc: 'Largest first' },
};

/** The order as the order button shows it: "A to Z". */
export function orderText(sort: Sort, order: 'asc' | 'desc'): string {
  return ORDER_WORDS[sort][order];
}

/** What the order button says to a screen reader: "A to Z; switch to Z to A". */
export function orderSwitchLabel(sort: Sort, order: 'asc' | 'desc'): string {
  const other = ORDER_WORDS[sort][order === 'asc' ? 'desc' : 'asc'];
  // "oldest first" mid-sentence; "Z to A" keeps its capital letters.
  return `${ORDER_WORDS[sort][order]}; switch to ${other.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}`;
}
