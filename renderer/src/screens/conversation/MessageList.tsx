import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useConversation, type Summary } from '../../stores/conversation';
import { useCases } from '../../stores/cases';
import { useSelection } from '../../stores/selection';
import { searchWords } from './highlight';
import { MessageRow } from './MessageRow';

/** A first guess at a message's height (px); each row is measured once drawn. */
const ESTIMATE = 72;

/**
 * The messages, virtualised: only those on screen (and a few around) are in the DOM and in
 * memory, fetched a page at a time as they scroll into view. One message holds focus at a
 * time (the arrows move it, Space selects, Shift extends), so the list is one Tab stop.
 */
export function MessageList({ summary }: { summary: Summary }) {
  const count = summary.messageCount;
  const pages = useConversation((s) => s.pages);
  const rowAt = useConversation((s) => s.rowAt);
  const ensureRange = useConversation((s) => s.ensureRange);
  const selection = useConversation((s) => s.selection);
  const select = useConversation((s) => s.select);
  const focusIndex = useConversation((s) => s.focusIndex);
  const search = useConversation((s) => s.search);
  const people = useCases((s) => s.people);
  const incidents = useCases((s) => s.incidents);
  const openItem = useSelection((s) => s.open);
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATE,
    overscan: 6,
  });
  const visible = virtualizer.getVirtualItems();
  const first = visible[0]?.index ?? 0;
  const last = visible.at(-1)?.index ?? 0;
  useEffect(() => {
    ensureRange(first, last + 1);
  }, [first, last, ensureRange, pages]);

  // A search hit, a date, a library hit or a timeline link: go there and highlight it.
  useLayoutEffect(() => {
    if (focusIndex === null || focusIndex >= count) return;
    setActive(focusIndex);
    virtualizer.scrollToIndex(focusIndex, { align: 'center' });
  }, [focusIndex, count, virtualizer]);

  useEffect(() => {
    if (!focusWanted.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`.msg-card[data-index="${active}"]`);
    if (el) {
      el.focus();
      focusWanted.current = false;
    }
  });

  const names = new Map(people.map((p) => [p.id, p.name]));
  const incidentNames = new Map(
    incidents.map((i) => [
      i.id,
      `${i.occurredAt.slice(0, 10)} ${i.place || i.summary.slice(0, 40)}`.trim(),
    ]),
  );
  const words = search ? searchWords(search.text) : [];

  const move = (to: number, extend: boolean) => {
    if (count === 0) return;
    const next = Math.min(Math.max(0, to), count - 1);
    setActive(next);
    focusWanted.current = true;
    virtualizer.scrollToIndex(next, { align: 'auto' });
    if (extend) select(next, 'range');
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('button, a, input') && e.key === ' ') return;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 600) / ESTIMATE));
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1, e.shiftKey),
      ArrowUp: () => move(active - 1, e.shiftKey),
      PageDown: () => move(active + page, e.shiftKey),
      PageUp: () => move(active - page, e.shiftKey),
      Home: () => move(0, e.shiftKey),
      End: () => move(count - 1, e.shiftKey),
      // Space toggles the message in focus; Shift+Space takes the run from the anchor.
      ' ': () => select(active, e.shiftKey ? 'range' : 'toggle'),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  if (count === 0) return <p className="muted">No messages could be read from this export.</p>;

  return (
    <div
      ref={scroller}
      className="message-scroller"
      role="list"
      aria-label={`Messages, ${count.toLocaleString('en-GB')} in all; arrows move, Space selects, Shift extends`}
      onKeyDown={onKeyDown}
    >
      <div className="message-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {visible.map((v) => {
          const m = rowAt(v.index);
          return (
            <div
              key={v.key}
              data-index={v.index}
              ref={virtualizer.measureElement}
              className="message-slot"
              style={{ transform: `translateY(${v.start}px)` }}
            >
              <MessageRow
                index={v.index}
                message={m}
                timeZone={summary.timeZone}
                active={v.index === active}
                selected={selection.selected.has(v.index)}
                highlighted={v.index === focusIndex}
                words={words}
                personName={m?.personId ? (names.get(m.personId) ?? null) : null}
                incidentNames={incidentNames}
                onSelect={(how) => {
                  setActive(v.index);
                  select(v.index, how);
                }}
                onFocus={() => setActive(v.index)}
                onOpenItem={openItem}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
