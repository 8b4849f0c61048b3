import { CopyValue } from '../../components/CopyValue';
import { ErrorNote } from '../../components/ErrorNote';
import { useSession, type ReviewSummary } from '../../stores/session';
import { bannerTitle, compareText, problemText } from './bundle-review';
import { useEffect, useRef } from 'react';
import { useReviewing } from '../../stores/reviewing';
import { StartReviewing } from './StartReviewing';
import { useFocusWhenOpened } from './ReviewControls';

/** Problems listed in full up to this many; the rest behind "Show all". */
const SHOWN = 8;

/**
 * On every screen while a bundle is open for review: whose bundle it is, that it is read-only,
 * the signing-key fingerprint to compare by another route, and, when verification failed,
 * every problem with its file. "Close the bundle" goes back to the start screen.
 */
export function ReviewBanner({
  onOpenReview,
  onReviewScreen,
}: {
  onOpenReview(): void;
  /** The "Your review" screen is showing: it has the same controls, so the banner's go. */
  onReviewScreen: boolean;
}) {
  const review = useSession((s) => s.review);
  const closeReview = useSession((s) => s.closeReview);
  const busy = useSession((s) => s.busy);
  const error = useSession((s) => s.error);
  if (!review) return null;
  const errors = review.problems.filter((p) => p.severity === 'error');
  const warnings = review.problems.filter((p) => p.severity === 'warning');
  const listed = [...errors, ...warnings];

  return (
    <section
      className={`review-banner${review.verified ? '' : ' failed'}`}
      aria-labelledby="review-banner-title"
    >
      <div className="review-banner-head">
        <h2 id="review-banner-title" className="wrap">
          {bannerTitle(review)}
        </h2>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void closeReview()}
        >
          Close the bundle
        </button>
      </div>
      {review.verified ? (
        <p className="review-verdict">
          Every file, the signature and the custody log were checked: nothing in the bundle was
          changed since it was made.
        </p>
      ) : (
        <p className="review-verdict error">
          <span aria-hidden="true">⚠ </span>
          This bundle failed verification:{' '}
          {errors.length === 1 ? 'one problem was found' : `${errors.length} problems were found`}.
          Do not rely on the files named below.
        </p>
      )}
      {listed.length > 0 && <ProblemList problems={listed} />}
      {review.fingerprint ? (
        <div className="review-fingerprint">
          <CopyValue label="Signing-key fingerprint" value={review.fingerprint} />
          <p className="hint">{compareText(review)}</p>
        </div>
      ) : (
        <p className="review-verdict error">
          This bundle is not signed: nothing in it shows who made it.
        </p>
      )}
      <ErrorNote message={error} />
      {!onReviewScreen && <YourReviewLine onOpenReview={onOpenReview} />}
    </section>
  );
}

/**
 * The adviser's own review, in the banner: "Start reviewing" until the review store is open,
 * then how far the review has got and the way to the "Your review" screen.
 */
function YourReviewLine({ onOpenReview }: { onOpenReview(): void }) {
  const state = useReviewing((s) => s.state);
  const statuses = useReviewing((s) => s.statuses);
  const load = useReviewing((s) => s.load);
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusWhenOpened(state?.store, heading);
  useEffect(() => {
    if (!state) void load();
  }, [state, load]);
  if (!state) return null;
  return (
    <div className="review-yours">
      <h3 ref={heading} tabIndex={-1}>
        Your review
      </h3>
      {state.store === 'unlocked' ? (
        <p>
          {statuses.size} of {state.exhibits.length} exhibits have a status.{' '}
          <button type="button" className="link" onClick={onOpenReview}>
            Overall note, fingerprint check and sending
          </button>
        </p>
      ) : (
        <StartReviewing />
      )}
    </div>
  );
}

function ProblemList({ problems }: { problems: ReviewSummary['problems'] }) {
  const first = problems.slice(0, SHOWN);
  const rest = problems.slice(SHOWN);
  return (
    <>
      <ul className="review-problems" aria-label="Problems found">
        {first.map((p, i) => (
          <li key={i} className={p.severity === 'error' ? 'error' : 'warning'}>
            {p.severity === 'warning' && 'Warning: '}
            {problemText(p)}
          </li>
        ))}
      </ul>
      {rest.length > 0 && (
        <details>
          <summary>Show the other {rest.length.toLocaleString('en-GB')} problems</summary>
          <ul className="review-problems">
            {rest.map((p, i) => (
              <li key={i} className={p.severity === 'error' ? 'error' : 'warning'}>
                {p.severity === 'warning' && 'Warning: '}
                {problemText(p)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

/**
 * Over the item view and a conversation (which cover the screen): the bundle is read-only,
 * and whether it verified, in one line.
 */
export function ReviewStrip() {
  const review = useSession((s) => s.review);
  if (!review) return null;
  return (
    <p className={`review-strip${review.verified ? '' : ' failed'}`}>
      <span className="wrap">{bannerTitle(review)}.</span>
      {!review.verified && <strong> This bundle failed verification.</strong>}
    </p>
  );
}
