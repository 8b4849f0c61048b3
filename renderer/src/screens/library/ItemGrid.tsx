import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { shortSize } from '../../../../shared/size-text';
import { ThumbnailImage } from '../../components/ThumbnailImage';
import { dateText } from '../../format';
import { useLibrary, type LibraryRow } from '../../stores/library';
import { useSelection } from '../../stores/selection';
import { Highlighted } from './Highlighted';

const TILE = 184; // px, tile width including its gap
const TILE_HEIGHT = 220;
const LIST_ROW = 44;

/**
 * The library, virtualized: only the rows on screen (plus a few) are in the DOM, whether
 * there are 20 items or 100,000. One tile holds focus at a time (arrow keys move it, Enter
 * opens, Space selects), so the whole grid is one Tab stop.
 */
export function ItemGrid() {
  const total = useLibrary((s) => s.total) ?? 0;
  const view = useLibrary((s) => s.view);
  const pages = useLibrary((s) => s.pages);
  const ensureRange = useLibrary((s) => s.ensureRange);
  const rowAt = useLibrary((s) => s.rowAt);
  const selected = useSelection((s) => s.selected);
  const toggle = useSelection((s) => s.toggle);
  const open = useSelection((s) => s.open);

  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  const columns = view === 'grid' ? Math.max(1, Math.floor(width / TILE)) : 1;
  const rows = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => (view === 'grid' ? TILE_HEIGHT : LIST_ROW),
    overscan: 3,
  });
  const visible = virtualizer.getVirtualItems();
  const first = visible[0]?.index ?? 0;
  const last = visible.at(-1)?.index ?? 0;

  useEffect(() => {
    ensureRange(first * columns, (last + 1) * columns);
  }, [first, last, columns, ensureRange, pages]);

  useEffect(() => {
    if (active >= total) setActive(Math.max(0, total - 1));
  }, [total, active]);

  // After a keyboard move, focus the new tile once it is rendered.
  useEffect(() => {
    if (!focusWanted.current) return;
    // A tile still loading is not focusable yet: wait for its page to arrive.
    const el = scroller.current?.querySelector<HTMLElement>(`.tile-open[data-index="${active}"]`);
    if (el) {
      el.focus();
      focusWanted.current = false;
    }
  });

  const move = (to: number) => {
    const next = Math.min(Math.max(0, to), total - 1);
    if (next < 0) return;
    setActive(next);
    focusWanted.current = true;
    virtualizer.scrollToIndex(Math.floor(next / columns), { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const pageRows = Math.max(
      1,
      Math.floor(
        (scroller.current?.clientHeight ?? 600) / (view === 'grid' ? TILE_HEIGHT : LIST_ROW),
      ),
    );
    const keys: Record<string, () => void> = {
      ArrowRight: () => move(active + 1),
      ArrowLeft: () => move(active - 1),
      ArrowDown: () => move(active + columns),
      ArrowUp: () => move(active - columns),
      PageDown: () => move(active + columns * pageRows),
      PageUp: () => move(active - columns * pageRows),
      Home: () => move(0),
      End: () => move(total - 1),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  };

  if (total === 0) return null;

  return (
    <div
      ref={scroller}
      className={`item-scroller ${view}`}
      role="list"
      aria-label="Items"
      onKeyDown={onKeyDown}
    >
      <div className="item-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {visible.map((vrow) => (
          <div
            key={vrow.key}
            className="item-row"
            style={{ transform: `translateY(${vrow.start}px)`, height: vrow.size }}
          >
            {Array.from({ length: columns }, (_, c) => {
              const index = vrow.index * columns + c;
              if (index >= total) return null;
              const row = rowAt(index);
              return (
                <Tile
                  key={row?.id ?? `pending-${index}`}
                  index={index}
                  row={row}
                  view={view}
                  active={index === active}
                  selected={row ? selected.has(row.id) : false}
                  onOpen={() => row && open(row.id)}
                  onToggle={() => row && toggle(row.id)}
                  onFocus={() => setActive(index)}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}

function Tile(props: {
  index: number;
  row: LibraryRow | undefined;
  view: 'grid' | 'list';
  active: boolean;
  selected: boolean;
  onOpen(): void;
  onToggle(): void;
  onFocus(): void;
}) {
  const { row, view } = props;
  if (!row) {
    return (
      <div role="listitem" className="tile loading" data-index={props.index} aria-busy="true">
        <span className="visually-hidden">Loading…</span>
      </div>
    );
  }
  const name = displayName(row.name);
  const time = row.sourceTime ?? row.ingestedAt;
  return (
    <div role="listitem" className={`tile${props.selected ? ' selected' : ''}`}>
      <button
        type="button"
        className="tile-open"
        data-index={props.index}
        data-item-id={row.id}
        tabIndex={props.active ? 0 : -1}
        aria-label={`${name}, ${row.kind}, ${dateText(time)}${props.selected ? ', selected' : ''}`}
        onClick={props.onOpen}
        onFocus={props.onFocus}
        onKeyDown={(e) => {
          if (e.key === ' ') {
            e.preventDefault();
            props.onToggle();
          }
        }}
      >
        {view === 'grid' ? (
          <span className="thumb">
            {row.hasThumbnail ? (
              <ThumbnailImage itemId={row.id} />
            ) : (
              <span className={`kind-icon kind-${row.kind}`} aria-hidden="true">
                {row.kind}
              </span>
            )}
          </span>
        ) : (
          <>
            <span className="list-thumb" aria-hidden="true">
              {row.hasThumbnail && <ThumbnailImage itemId={row.id} />}
            </span>
            <span className={`kind-badge kind-${row.kind}`}>{row.kind}</span>
          </>
        )}
        <span className="tile-name" title={name}>
          {name}
        </span>
        <span className="tile-meta">
          {dateText(time)}
          {view === 'list' && ` · ${shortSize(row.size)}`}
          {view === 'list' && row.tags.length > 0 && ` · ${row.tags.map(displayName).join(', ')}`}
        </span>
        {row.snippet && (
          <span className="tile-snippet">
            <Highlighted segments={row.snippet} />
          </span>
        )}
      </button>
      <input
        type="checkbox"
        className="tile-check"
        checked={props.selected}
        onChange={props.onToggle}
        tabIndex={-1}
        aria-label={`Select ${name}`}
      />
    </div>
  );
}
