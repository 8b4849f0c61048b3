import { useEffect, useState } from 'react';
import { displayName } from '../../../shared/display-name';
import { dateText } from '../format';
import { useCases, type ItemOwner, type Outcome } from '../stores/cases';
import { useSelection } from '../stores/selection';
import { ErrorNote } from './ErrorNote';
import { ThumbnailImage } from './ThumbnailImage';
import { useReadOnly } from '../stores/session';

/**
 * The items linked to an incident or a person, as thumbnails: clicking one opens the item,
 * and each has its own Unlink button. Fetched a page at a time ("Show more").
 */
export function LinkedItems(props: {
  owner: ItemOwner;
  /** How the owner is named in labels: "this incident", "Sam". */
  ownerLabel: string;
  onUnlink(itemId: string): Promise<Outcome<null>>;
}) {
  const { owner, ownerLabel, onUnlink } = props;
  const readOnly = useReadOnly();
  const key = 'incidentId' in owner ? owner.incidentId : owner.personId;
  const isIncident = 'incidentId' in owner;
  const list = useCases((s) => s.items[isIncident ? `incident:${key}` : `person:${key}`]);
  const loadItems = useCases((s) => s.loadItems);
  const open = useSelection((s) => s.open);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    void loadItems(isIncident ? { incidentId: key } : { personId: key });
  }, [key, isIncident, loadItems]);

  const unlink = async (id: string) => {
    setBusy(id);
    const r = await onUnlink(id);
    setBusy(null);
    setError(r.ok ? null : r.message);
  };

  if (!list) return <p className="muted">Loading linked items…</p>;
  return (
    <div className="linked-items">
      <ErrorNote message={error ?? list.error} />
      {list.total === 0 && !list.loading && (
        <p className="muted">No items linked to {ownerLabel} yet.</p>
      )}
      {list.rows.length > 0 && (
        <ul className="thumb-list" aria-label={`Items linked to ${ownerLabel}`}>
          {list.rows.map((row) => {
            const name = displayName(row.name);
            return (
              <li key={row.id} className="thumb-card">
                <button
                  type="button"
                  className="thumb-open"
                  onClick={() => open(row.id)}
                  aria-label={`Open ${name}, ${row.kind}, ${dateText(row.sourceTime ?? row.ingestedAt)}`}
                >
                  <span className="thumb small">
                    {row.hasThumbnail ? (
                      <ThumbnailImage itemId={row.id} />
                    ) : (
                      <span className="kind-icon" aria-hidden="true">
                        {row.kind}
                      </span>
                    )}
                  </span>
                  <span className="thumb-name" title={name}>
                    {name}
                  </span>
                  <span className="tile-meta">{dateText(row.sourceTime ?? row.ingestedAt)}</span>
                </button>
                {!readOnly && (
                  <button
                    type="button"
                    className="link"
                    disabled={busy === row.id}
                    onClick={() => void unlink(row.id)}
                    aria-label={`Unlink ${name}`}
                  >
                    Unlink
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {list.total > list.rows.length && (
        <p>
          Showing {list.rows.length} of {list.total}.{' '}
          <button
            type="button"
            className="secondary"
            disabled={list.loading}
            onClick={() =>
              void loadItems(isIncident ? { incidentId: key } : { personId: key }, true)
            }
          >
            Show more
          </button>
        </p>
      )}
    </div>
  );
}
