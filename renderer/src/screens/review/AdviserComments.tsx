import { useEffect, useId } from 'react';
import { displayName } from '../../../../shared/display-name';
import { timeText } from '../../format';
import {
  commentsFor,
  useAdviserReviews,
  type AdviserComment,
  type AdviserTarget,
} from '../../stores/adviser-reviews';
import { safeMultiline } from '../item/text';

/** "A. Solicitor (Smith & Co)", or "Your adviser" when the review names no one. */
export function reviewerText(r: { name: string | null; organisation: string | null }): string {
  const name = r.name?.trim() ? displayName(r.name.trim()) : null;
  const org = r.organisation?.trim() ? displayName(r.organisation.trim()) : null;
  if (name && org) return `${name} (${org})`;
  return name ?? org ?? 'Your adviser';
}

/**
 * "From your adviser": what the reviews the person imported say now about one item, incident
 * or message. A panel of its own, never mixed with her notes, and read-only. Nothing is shown
 * when no review says anything about it.
 */
export function AdviserComments({
  target,
  className,
}: {
  target: AdviserTarget;
  className: string;
}) {
  const titleId = useId();
  const comments = useAdviserReviews((s) => commentsFor(s.about, target));
  const loadAbout = useAdviserReviews((s) => s.loadAbout);
  const missing = comments === undefined;
  const key = JSON.stringify(target);
  useEffect(() => {
    if (missing) void loadAbout(JSON.parse(key) as AdviserTarget);
  }, [key, missing, loadAbout]);

  if (!comments || comments.length === 0) return null;
  return (
    <section className={`${className} adviser-comments`} aria-labelledby={titleId}>
      <h2 id={titleId}>From your adviser</h2>
      <p className="hint">
        From a review your adviser sent back. These are their words, kept apart from your own notes.
      </p>
      {comments.map((c) => (
        <AdviserCommentView key={c.reviewId} comment={c} />
      ))}
    </section>
  );
}

function AdviserCommentView({ comment: c }: { comment: AdviserComment }) {
  return (
    <article className="adviser-comment">
      <p className="adviser-by">
        {reviewerText(c.reviewer)}
        <span className="muted">
          {' · '}
          {c.signed ? 'signed' : 'unsigned (from the offline viewer)'}
          {' · '}
          {timeText(c.updatedAt)}
        </span>
      </p>
      <dl className="adviser-facts">
        {c.statusWords && (
          <>
            <dt>Status</dt>
            <dd className={`adviser-status status-${c.status ?? 'none'}`}>{c.statusWords}</dd>
          </>
        )}
        {c.order !== null && (
          <>
            <dt>Proposed place in the exhibit order</dt>
            <dd>{c.order}</dd>
          </>
        )}
        {c.comment && (
          <>
            <dt>Comment</dt>
            <dd className="adviser-text">{safeMultiline(c.comment)}</dd>
          </>
        )}
        {c.questions.length > 0 && (
          <>
            <dt>Questions for you</dt>
            <dd>
              <ul className="adviser-questions">
                {c.questions.map((q, i) => (
                  <li key={i} className="adviser-text">
                    {safeMultiline(q)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </article>
  );
}
