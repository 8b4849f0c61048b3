import { useReadOnly } from '../../stores/session';
import { useReviewing } from '../../stores/reviewing';
import { ReviewStatusFilter } from '../review/ReviewStatusFilter';
import { useEffect, useState } from 'react';
import { ITEM_KIND_LABELS, ITEM_KINDS } from '../../../../shared/item-kind';
import { useLibrary, type Sort } from '../../stores/library';
import { orderSwitchLabel, orderText } from './sort-text';

const SORTS: Array<{ value: Sort; label: string }> = [
  { value: 'sourceTime', label: 'When it happened' },
  { value: 'ingestedAt', label: 'When it was added' },
  { value: 'name', label: 'Name' },
  { value: 'size', label: 'Size' },
];

/** Search, sort and filters for the library. Typing searches after a short pause. */
export function FilterBar(props: {
  people: Array<{ id: string; name: string }>;
  incidents: Array<{ id: string; label: string }>;
}) {
  const { filters, setFilters, clearFilters, sort, order, setSort, view, setView, facets, total } =
    useLibrary();
  const [text, setText] = useState(filters.text);
  const readOnly = useReadOnly();
  const statusFilter = useReviewing((s) => s.statusFilter);
  const setStatusFilter = useReviewing((s) => s.setStatusFilter);
  useEffect(() => {
    if (text === filters.text) return;
    const t = setTimeout(() => setFilters({ text }), 200);
    return () => clearTimeout(t);
  }, [text, filters.text, setFilters]);
  useEffect(() => setText(filters.text), [filters.text]);

  const kindCount = (k: string) => facets?.kinds.find((f) => f.kind === k)?.count ?? 0;
  const active =
    filters.text ||
    filters.kinds.length ||
    filters.tags.length ||
    filters.personIds.length ||
    filters.incidentIds.length ||
    filters.from ||
    filters.to ||
    statusFilter;

  return (
    <section className="filter-bar" aria-label="Search and filters">
      <div className="field search">
        <label htmlFor="library-search">Search names, notes and text</label>
        <input
          id="library-search"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. children, care, a name"
        />
      </div>
      <fieldset className="kinds">
        <legend>Type</legend>
        {ITEM_KINDS.filter((k) => kindCount(k) > 0 || filters.kinds.includes(k)).map((k) => (
          <label key={k} className="chip">
            <input
              type="checkbox"
              checked={filters.kinds.includes(k)}
              onChange={(e) =>
                setFilters({
                  kinds: e.target.checked
                    ? [...filters.kinds, k]
                    : filters.kinds.filter((x) => x !== k),
                })
              }
            />
            {ITEM_KIND_LABELS[k]} <span className="count">{kindCount(k)}</span>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="filter-tag">Tag</label>
        <select
          id="filter-tag"
          value={filters.tags[0] ?? ''}
          onChange={(e) => setFilters({ tags: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">Any tag</option>
          {facets?.tags.map((t) => (
            <option key={t.name} value={t.name}>
              {t.name} ({t.count})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-person">Person</label>
        <select
          id="filter-person"
          value={filters.personIds[0] ?? ''}
          onChange={(e) => setFilters({ personIds: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">Anyone</option>
          {props.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {readOnly && <ReviewStatusFilter />}
      <div className="field">
        <label htmlFor="filter-incident">Incident</label>
        <select
          id="filter-incident"
          value={filters.incidentIds[0] ?? ''}
          onChange={(e) => setFilters({ incidentIds: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">Any incident</option>
          {props.incidents.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input
          id="filter-from"
          type="date"
          value={filters.from}
          onChange={(e) => setFilters({ from: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To</label>
        <input
          id="filter-to"
          type="date"
          value={filters.to}
          onChange={(e) => setFilters({ to: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="library-sort">Sort by</label>
        <select id="library-sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="secondary"
        onClick={() => setSort(sort, order === 'asc' ? 'desc' : 'asc')}
        aria-label={orderSwitchLabel(sort, order)}
      >
        {orderText(sort, order)}
      </button>
      <div className="segmented" role="group" aria-label="Layout">
        <button type="button" aria-pressed={view === 'grid'} onClick={() => setView('grid')}>
          Grid
        </button>
        <button type="button" aria-pressed={view === 'list'} onClick={() => setView('list')}>
          List
        </button>
      </div>
      {active ? (
        <button
          type="button"
          className="link"
          onClick={() => {
            setStatusFilter(null);
            clearFilters();
          }}
        >
          Clear filters
        </button>
      ) : null}
      <p className="result-count" role="status">
        {total === null
          ? 'Loading…'
          : `${total.toLocaleString('en-GB')} item${total === 1 ? '' : 's'}`}
      </p>
    </section>
  );
}
