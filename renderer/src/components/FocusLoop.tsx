import { useRef, type ReactNode } from 'react';

const TABBABLE =
  'a[href], button, input, select, textarea, iframe, audio[controls], video[controls], summary, [tabindex], [contenteditable="true"]';

/** What Tab can reach between the two guards, in document order. */
function tabbables(start: HTMLElement, end: HTMLElement): HTMLElement[] {
  const within = start.parentElement;
  if (!within) return [];
  return [...within.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) =>
      el !== start &&
      el !== end &&
      start.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING &&
      end.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING &&
      el.tabIndex >= 0 &&
      !(el as HTMLButtonElement).disabled &&
      el.closest('[inert]') === null &&
      el.getClientRects().length > 0,
  );
}

/**
 * Keeps Tab and Shift+Tab among `children` (a modal dialog's content): focus wraps from the
 * last control to the first and back instead of leaving for the page or the browser. Guards
 * that take focus for an instant do it, so it holds even when focus is in a frame (an email),
 * whose key presses never reach this document.
 */
export function FocusLoop({ children }: { children: ReactNode }) {
  const start = useRef<HTMLSpanElement>(null);
  const end = useRef<HTMLSpanElement>(null);
  const wrap = (to: 'first' | 'last') => {
    if (!start.current || !end.current) return;
    const all = tabbables(start.current, end.current);
    (to === 'first' ? all[0] : all.at(-1))?.focus();
  };
  return (
    <>
      <span ref={start} tabIndex={0} className="focus-guard" onFocus={() => wrap('last')} />
      {children}
      <span ref={end} tabIndex={0} className="focus-guard" onFocus={() => wrap('first')} />
    </>
  );
}
