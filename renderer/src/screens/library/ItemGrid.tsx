import { REVIEW_STATUS_WORDS, type ReviewStatus } from '../../../../shared/review';
import { useReviewing } from '../../stores/reviewing';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { displayName } from '../../../../shared/display-name';
import { shortSize } from '../../../../shared/size-text';
import { ThumbnailImage } from '../../components/ThumbnailImage';
import { dateText, timeText } from '../../format';
import { DEFAULT_ORDER, useLibrary, type LibraryRow, type Sort } from '../../stores/library';
import { useSelection } from '../../stores/selection';
import { gridColumns } from './grid-layout';
import { Highlighted } from './Highlighted';
import { orderText } from './sort-text';
import { conversationGlance } from './conversation-glance';
import { NOT_MATCHING } from '../review/bundle-review';
import { useFailingLabels } from '../review/FailingExhibit';

/** Row heights (px, gaps included); a search adds a line or two for the snippet. */
const TILE_HEIGHT = 220;
const TILE_HEIGHT_SNIPPET = 264;
const LIST_ROW = 48;
const LIST_ROW_SNIPPET = 64;

/** The results' id: the "Skip to results" link goes here. */
export const RESULTS_ID = 'library-results';

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
  const searching = useLibrary((s) => s.filters.text.trim() !== '');
  const selected = useSelection((s) => s.selected);
  const toggle = useSelection((s) => s.toggle);
  const open = useSelection((s) => s.open);
  const openChat = useSelection((s) => s.openChat);

  // The scroller comes and goes with the results (none when the library is empty): its width
  // is watched from whenever it appears.
  const scroller = useRef<HTMLDivElement | null>(null);
  const [scrollerEl, setScrollerEl] = useState<HTMLDivElement | null>(null);
  const scrollerRef = useCallback((el: HTMLDivElement | null) => {
    scroller.current = el;
    setScrollerEl(el);
  }, []);
  const [width, setWidth] = useState(800);
  const [active, setActive] = useState(0);
  const focusWanted = useRef(false);

  useLayoutEffect(() => {
    if (!scrollerEl) return;
    const observer = new ResizeObserver(() => setWidth(scrollerEl.clientWidth));
    observer.observe(scrollerEl);
    setWidth(scrollerEl.clientWidth);
    return () => observer.disconnect();
  }, [scrollerEl]);

  const columns = view === 'grid' ? gridColumns(width) : 1;
  const rowHeight =
    view === 'grid'
      ? searching
        ? TILE_HEIGHT_SNIPPET
        : TILE_HEIGHT
      : searching
        ? LIST_ROW_SNIPPET
        : LIST_ROW;
  const rows = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 3,
  });
  // Sizes already laid out were for the other layout: lay every row out again.
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);
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
    const pageRows = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 600) / rowHeight));
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
    <>
      {view === 'list' && <ListHeader />}
      <div
        ref={scrollerRef}
        id={RESULTS_ID}
        tabIndex={-1}
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
              style={{
                transform: `translateY(${vrow.start}px)`,
                height: vrow.size,
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              }}
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
                    onOpen={() => {
                      if (!row) return;
                      // A conversation opens as a chat; a search hit in it, at that message.
                      if (row.kind === 'conversation') openChat(row.id, row.message?.index ?? null);
                      else open(row.id, useLibrary.getState().filters.text.trim());
                    }}
                    onToggle={() => row && toggle(row.id)}
                    onFocus={() => setActive(index)}
                  />
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </>
  );
}

/** The list's column headings; Name, When and Size sort by their column when pressed. */
function ListHeader() {
  const sort = useLibrary((s) => s.sort);
  const order = useLibrary((s) => s.order);
  const setSort = useLibrary((s) => s.setSort);
  const column = (key: Sort, label: string, className: string) => {
    const current = sort === key;
    return (
      <span className={className}>
        <button
          type="button"
          className={`column-sort${current ? ' current' : ''}`}
          onClick={() =>
            setSort(key, current ? (order === 'asc' ? 'desc' : 'asc') : DEFAULT_ORDER[key])
          }
        >
          {label}
          {current && (
            <>
              <span aria-hidden="true">{order === 'asc' ? ' ▲' : ' ▼'}</span>
              <span className="visually-hidden">, sorted {orderText(key, order)}</span>
            </>
          )}
        </button>
      </span>
    );
  };
  return (
    <div className="list-header" role="group" aria-label="List columns">
      <span className="col-thumb" />
      <span className="col-kind">Type</span>
      {column('name', 'Name', 'col-name')}
      {column('sourceTime', 'When it happened', 'col-when')}
      {column('size', 'Size', 'col-size')}
      <span className="col-tags">Tags</span>
    </div>
  );
}

function Badges({
  row,
  failing,
  status,
}: {
  row: LibraryRow;
  failing: boolean;
  status: ReviewStatus | undefined;
}) {
  if (row.warnings === 0 && !row.hasLocation && !failing && !status) return null;
  return (
    <span className="tile-badges" aria-hidden="true">
      {status && (
        <span className={`badge review-badge status-${status}`}>{REVIEW_STATUS_WORDS[status]}</span>
      )}
      {failing && <span className="badge badge-problem badge-failing">⚠ Does not match</span>}
      {row.warnings > 0 && <span className="badge badge-problem">⚠ Problem</span>}
      {row.hasLocation && <span className="badge badge-location">Location</span>}
    </span>
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
  // A bundle under review: this exhibit's file failed verification.
  const failing = useFailingLabels(row);
  // While reviewing: the status the adviser gave this exhibit.
  const status = useReviewing((s) => (row ? s.statuses.get(row.id) : undefined));
  if (!row) {
    return (
      <div role="listitem" className="tile loading" data-index={props.index} aria-busy="true">
        <span className="visually-hidden">Loading…</span>
      </div>
    );
  }
  const name = displayName(row.name);
  const time = row.sourceTime ?? row.ingestedAt;
  const chat = row.conversation ? conversationGlance(row.conversation) : null;
  const label = [
    name,
    failing && `exhibit ${failing.join(', ')}: ${NOT_MATCHING}`,
    status && `your review: ${REVIEW_STATUS_WORDS[status]}`,
    row.kind,
    chat ?? timeText(time),
    row.warnings > 0 && 'a problem was found when it was added',
    row.hasLocation && 'records where it was taken',
    props.selected && 'selected',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div
      role="listitem"
      className={`tile${props.selected ? ' selected' : ''}${failing ? ' failing' : ''}`}
      title={failing ? NOT_MATCHING : undefined}
    >
      <button
        type="button"
        className="tile-open"
        data-index={props.index}
        data-item-id={row.id}
        tabIndex={props.active ? 0 : -1}
        aria-label={label}
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
          <>
            <span className="thumb">
              {row.hasThumbnail && !failing ? (
                <ThumbnailImage itemId={row.id} />
              ) : (
                <span className={`kind-icon kind-${row.kind}`} aria-hidden="true">
                  {row.kind}
                </span>
              )}
              <Badges row={row} failing={failing !== null} status={status} />
            </span>
            <span className="tile-name" title={name}>
              {name}
            </span>
            <span className="tile-meta">{chat ?? dateText(time)}</span>
            {failing && (
              <span className="failing-mark" aria-hidden="true">
                {NOT_MATCHING}
              </span>
            )}
            {row.message ? (
              <span className="tile-snippet">
                <Highlighted segments={row.message.snippet} />
              </span>
            ) : (
              row.snippet && (
                <span className="tile-snippet">
                  <Highlighted segments={row.snippet} />
                </span>
              )
            )}
          </>
        ) : (
          <>
            <span className="list-thumb" aria-hidden="true">
              {row.hasThumbnail && !failing && <ThumbnailImage itemId={row.id} />}
            </span>
            <span className={`kind-badge kind-${row.kind}`}>{row.kind}</span>
            <span className="list-name">
              <span className="list-name-line">
                <span className="tile-name" title={name}>
                  {name}
                </span>
                <Badges row={row} failing={failing !== null} status={status} />
              </span>
              {failing && (
                <span className="failing-mark" aria-hidden="true">
                  {NOT_MATCHING}
                </span>
              )}
              {chat && <span className="tile-meta">{chat}</span>}
              {(row.message?.snippet ?? row.snippet) && (
                <span className="tile-snippet">
                  <Highlighted segments={row.message?.snippet ?? row.snippet!} />
                </span>
              )}
            </span>
            <span className="tile-meta list-when">{timeText(time)}</span>
            <span className="tile-meta list-size">{shortSize(row.size)}</span>
            <span className="tile-meta list-tags">{row.tags.map(displayName).join(', ')}</span>
          </>
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
