/**
 * Which messages are selected, by index in the conversation: a click picks one, Ctrl/⌘-click
 * adds or removes one, Shift-click (or Shift with the arrows) takes the run from the anchor.
 * Pure, so the rules are tested without a screen.
 */
export interface MessageSelection {
  readonly selected: ReadonlySet<number>;
  /** Where a Shift-range starts: the last message clicked or toggled on its own. */
  readonly anchor: number | null;
}

export const NO_SELECTION: MessageSelection = { selected: new Set(), anchor: null };

/** The most a range may hold (the API takes 10,000 messages at a time). */
export const MAX_SELECTED = 10_000;

export type SelectHow = 'only' | 'toggle' | 'range' | 'add-range';

export function select(s: MessageSelection, index: number, how: SelectHow): MessageSelection {
  switch (how) {
    case 'only':
      return { selected: new Set([index]), anchor: index };
    case 'toggle': {
      const next = new Set(s.selected);
      if (next.has(index)) next.delete(index);
      else if (next.size < MAX_SELECTED) next.add(index);
      return { selected: next, anchor: index };
    }
    case 'range':
    case 'add-range': {
      const anchor = s.anchor ?? index;
      const lo = Math.min(anchor, index);
      const hi = Math.min(Math.max(anchor, index), lo + MAX_SELECTED - 1);
      // A plain Shift-click replaces the selection with the run; Ctrl+Shift adds the run.
      const next = how === 'add-range' ? new Set(s.selected) : new Set<number>();
      for (let i = lo; i <= hi && next.size < MAX_SELECTED; i++) next.add(i);
      return { selected: next, anchor };
    }
  }
}

/** What a pointer click means given its modifier keys. */
export function howOfClick(e: {
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}): SelectHow {
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.shiftKey) return ctrl ? 'add-range' : 'range';
  return ctrl ? 'toggle' : 'only';
}

/** The selected indices in order (for actions and for "3 messages selected"). */
export function selectedIndices(s: MessageSelection): number[] {
  return [...s.selected].sort((a, b) => a - b);
}
