import type { ReviewStatus } from '../../../../shared/review';

/**
 * The adviser's keys in the item view while reviewing: a digit sets a status, N and P go to
 * the next and previous exhibit in the bundle's order. None of them fires while typing.
 */
// No key clears a status ("No status" does): 0 is the picture's zoom reset.
export const STATUS_KEYS: ReadonlyArray<{ key: string; status: ReviewStatus }> = [
  { key: '1', status: 'relevant' },
  { key: '2', status: 'not-relevant' },
  { key: '3', status: 'need-original' },
  { key: '4', status: 'need-context' },
  { key: '5', status: 'privileged' },
];

export type ReviewKeyAction =
  { kind: 'status'; status: ReviewStatus | null } | { kind: 'next' } | { kind: 'previous' };

/** What a key pressed does, or null: a modifier held, or focus in a place that takes text. */
export function reviewKeyAction(e: {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}): ReviewKeyAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (takesText(e.target)) return null;
  const key = e.key.toLowerCase();
  if (key === 'n') return { kind: 'next' };
  if (key === 'p') return { kind: 'previous' };
  const s = STATUS_KEYS.find((k) => k.key === e.key);
  return s ? { kind: 'status', status: s.status } : null;
}

/** A text field, a list box or anything editable: keys there are the person's typing. */
function takesText(target: EventTarget | null): boolean {
  const el = target as {
    tagName?: string;
    type?: string;
    isContentEditable?: boolean;
    closest?(selector: string): unknown;
  } | null;
  if (!el?.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    // Buttons-like inputs take no text: a key there is the adviser's.
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(
      (el.type ?? 'text').toLowerCase(),
    );
  }
  return Boolean(el.closest?.('[contenteditable="true"], [role="textbox"], [role="combobox"]'));
}
