import { useEffect, useId, useState } from 'react';
import { displayName } from '../../../shared/display-name';
import { dateText } from '../format';
import { useCases, type Outcome } from '../stores/cases';
import { useSelection } from '../stores/selection';
import { ErrorNote } from './ErrorNote';

/**
 * Two ways to link items: everything selected in the library at once, or a short
 * search-and-pick list. `linked` says which items are already linked.
 */
export function ItemPicker(props: {
  linked: ReadonlySet<string>;
  onLink(itemIds: string[]): Promise<Outcome<null>>;
}) {
  const { linked, onLink } = props;
  const selected = useSelection((s) => s.selected);
  const clearSelection = useSelection((s) => s.clear);
  const pick = useCases((s) => s.pick);
  const searchItems = useCases((s) => s.searchItems);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const searchId = useId();

  useEffect(() => {
    const t = setTimeout(() => void searchItems(text), 250);
    return () => clearTimeout(t);
  }, [text, searchItems]);

  const link = async (ids: string[], done: string) => {
    setBusy(true);
    const r = await onLink(ids);
    setBusy(false);
    if (r.ok) {
      setError(null);
      setStatus(done);
    } else {
      setError(r.message);
      setStatus('');
    }
  };

  const n = selected.size;
  const searched = pick.text.trim() !== '' && pick.text === text;
  return (
    <div className="item-picker">
      {n > 0 ? (
        <p className="picker-selection">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void link([...selected], `Linked ${n} selected item${n === 1 ? '' : 's'}.`)
            }
          >
            Link the {n} selected item{n === 1 ? '' : 's'}
          </button>{' '}
          <button type="button" className="link" onClick={clearSelection}>
            Clear the library selection
          </button>
        </p>
      ) : (
        <p className="muted">
          Tip: select items in the Library (tick them, or press Space on one), then come back here
          to link them all at once.
        </p>
      )}
      <div className="field">
        <label htmlFor={searchId}>Find items to link</label>
        <input
          id={searchId}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="A word from the name, notes or text"
        />
      </div>
      <ErrorNote message={error ?? pick.error} />
      <p role="status" className="picker-status">
        {status}
      </p>
      {searched && pick.rows.length === 0 && !pick.error && (
        <p className="muted">No items match those words.</p>
      )}
      {searched && pick.rows.length > 0 && (
        <>
          <ul className="pick-list" aria-label="Matching items">
            {pick.rows.map((row) => {
              const name = displayName(row.name);
              const isLinked = linked.has(row.id);
              return (
                <li key={row.id}>
                  <span className="pick-name" title={name}>
                    {name}
                  </span>
                  <span className="tile-meta">
                    {row.kind} · {dateText(row.sourceTime ?? row.ingestedAt)}
                  </span>
                  {isLinked ? (
                    <span className="linked-mark">Linked</span>
                  ) : (
                    <button
                      type="button"
                      className="secondary"
                      disabled={busy}
                      aria-label={`Link ${name}`}
                      onClick={() => void link([row.id], `Linked ${name}.`)}
                    >
                      Link
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          {pick.total > pick.rows.length && (
            <p className="muted">
              Showing the first {pick.rows.length} of {pick.total}. Add more words to narrow it
              down.
            </p>
          )}
        </>
      )}
    </div>
  );
}
