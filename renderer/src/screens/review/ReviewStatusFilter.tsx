import { useEffect } from 'react';
import { REVIEW_STATUSES, REVIEW_STATUS_WORDS } from '../../../../shared/review';
import { useLibrary } from '../../stores/library';
import { itemsWithStatus, useReviewing, type StatusFilter } from '../../stores/reviewing';

/**
 * The library's filter by the adviser's review status, while reviewing with the review store
 * open: one status, or the exhibits with none yet. Kept in step with the statuses as they change.
 */
export function ReviewStatusFilter() {
  const state = useReviewing((s) => s.state);
  const statuses = useReviewing((s) => s.statuses);
  const filter = useReviewing((s) => s.statusFilter);
  const setFilter = useReviewing((s) => s.setStatusFilter);
  const setOnlyItems = useLibrary((s) => s.setOnlyItems);
  const exhibits = state?.exhibits;
  useEffect(() => {
    setOnlyItems(filter && exhibits ? itemsWithStatus(exhibits, statuses, filter) : null);
  }, [filter, exhibits, statuses, setOnlyItems]);
  // Leaving the library (or the review) shows every exhibit again next time.
  useEffect(() => () => setOnlyItems(null), [setOnlyItems]);
  useEffect(() => () => setFilter(null), [setFilter]);

  if (state?.store !== 'unlocked') return null;
  const count = (f: StatusFilter) => itemsWithStatus(state.exhibits, statuses, f).length;
  return (
    <div className="field">
      <label htmlFor="filter-review-status">Review status</label>
      <select
        id="filter-review-status"
        value={filter ?? ''}
        onChange={(e) => setFilter((e.target.value || null) as StatusFilter | null)}
      >
        <option value="">Any status</option>
        {REVIEW_STATUSES.map((s) => (
          <option key={s} value={s}>
            {REVIEW_STATUS_WORDS[s]} ({count(s)})
          </option>
        ))}
        <option value="none">No status yet ({count('none')})</option>
      </select>
    </div>
  );
}
