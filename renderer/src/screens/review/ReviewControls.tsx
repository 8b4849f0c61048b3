import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import {
  REVIEW_STATUSES,
  REVIEW_STATUS_WORDS,
  reviewTargetKey,
  type ReviewStatus,
  type ReviewTarget,
} from '../../../../shared/review';
import { ErrorNote } from '../../components/ErrorNote';
import { timeText } from '../../format';
import {
  changesOf,
  draftOf,
  savedWords,
  targetStateOf,
  useReviewing,
  type ReviewDraft,
} from '../../stores/reviewing';
import { STATUS_KEYS } from './review-keys';
import { StartReviewing } from './StartReviewing';

/** "1" for Relevant…: the key that sets each status in the item view. */
const KEY_OF = new Map<ReviewStatus | null, string>(STATUS_KEYS.map((k) => [k.status, k.key]));

/**
 * The adviser's controls on one exhibit, incident or message (where the client's "From your
 * adviser" panel is when she reads her vault): a status, saved as it is chosen, and a comment,
 * questions for the client and (on an exhibit) a proposed place in the exhibit order, saved
 * together. Each change is a new entry in the review's hash-chained history.
 */
export function ReviewControls({
  target,
  what,
  className,
  keys = false,
}: {
  target: ReviewTarget;
  /** What it is about, in words: "JD3", "this incident", "message 4 in JD7", "the bundle". */
  what: string;
  className: string;
  /** The item view: the status keys work, and are listed. */
  keys?: boolean;
}) {
  const titleId = useId();
  const state = useReviewing((s) => s.state);
  const current = useReviewing((s) => targetStateOf(s.targets, target));
  const heading = useRef<HTMLHeadingElement>(null);
  useFocusWhenOpened(state?.store, heading);
  if (!state) return null;
  return (
    <section className={`${className} review-controls`} aria-labelledby={titleId}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {target.kind === 'bundle' ? 'Overall note' : `Your review of ${what}`}
      </h2>
      {state.store !== 'unlocked' ? (
        <StartReviewing compact />
      ) : (
        <ReviewForm
          key={reviewTargetKey(target)}
          target={target}
          what={what}
          keys={keys}
          current={current}
        />
      )}
    </section>
  );
}

/**
 * Once the store opens, the "Start reviewing" form is gone and the focus with it: it goes to
 * `target` (never into an inert part of the page, nor away from where it already is).
 */
export function useFocusWhenOpened(
  store: 'none' | 'locked' | 'unlocked' | undefined,
  target: RefObject<HTMLElement | null>,
): void {
  const was = useRef(store);
  useEffect(() => {
    const opened = was.current !== undefined && was.current !== 'unlocked' && store === 'unlocked';
    was.current = store;
    if (!opened) return;
    const el = target.current;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (el && lost && !el.closest('[inert]')) el.focus();
  }, [store, target]);
}

function ReviewForm({
  target,
  what,
  keys,
  current,
}: {
  target: ReviewTarget;
  /** "JD3", "this incident"…: what the form is about, in words. */
  what: string;
  keys: boolean;
  current: ReturnType<typeof targetStateOf>;
}) {
  const record = useReviewing((s) => s.record);
  const busy = useReviewing((s) => s.busy);
  const storeError = useReviewing((s) => s.error);
  const [draft, setDraft] = useState<ReviewDraft>(() => draftOf(current));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const statusName = useId();
  const commentId = useId();
  const questionsId = useId();
  const questionsHint = useId();
  const orderId = useId();
  const keysHint = useId();

  // The status chosen shows at once; if main refuses it, the saved one comes back.
  const [pending, setPending] = useState<ReviewStatus | null | undefined>(undefined);
  const savedStatus = current?.status ?? null;
  const status = pending === undefined ? savedStatus : pending;
  const setStatus = async (value: ReviewStatus | null) => {
    if (busy) return;
    setError(null);
    setPending(value);
    const words = value ? REVIEW_STATUS_WORDS[value] : 'No status';
    await record(target, [{ op: 'status', value }], `Status: ${words}. Saved in your review.`);
    setPending(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setSaved(null);
    // The status is saved as it is chosen: only the written parts here.
    const r = changesOf(target, current, { ...draft, status: savedStatus });
    if ('error' in r) {
      setError(r.error);
      return;
    }
    if (r.changes.length === 0) {
      setSaved('Nothing changed since the last save.');
      return;
    }
    if (await record(target, r.changes, savedWords(r.changes))) setSaved(savedWords(r.changes));
  };

  // Written but not saved: said beside Save, and the item view's keys will not move away.
  const pendingChanges = changesOf(target, current, { ...draft, status: savedStatus });
  const dirty = 'error' in pendingChanges || pendingChanges.changes.length > 0;
  const setUnsaved = useReviewing((s) => s.setUnsaved);
  useEffect(() => {
    setUnsaved(dirty ? `What you wrote about ${what} is not saved yet` : null);
  }, [dirty, what, setUnsaved]);
  useEffect(() => () => setUnsaved(null), [setUnsaved]);

  const touched = (patch: Partial<ReviewDraft>) => {
    setSaved(null);
    setDraft({ ...draft, ...patch });
  };

  return (
    <>
      {target.kind !== 'bundle' && (
        <fieldset className="review-status" aria-describedby={keys ? keysHint : undefined}>
          <legend>Status</legend>
          {[...REVIEW_STATUSES, null].map((s) => {
            const id = `${statusName}-${s ?? 'none'}`;
            const key = keys ? KEY_OF.get(s) : undefined;
            return (
              <div className="choice" key={s ?? 'none'}>
                <input
                  type="radio"
                  id={id}
                  name={statusName}
                  checked={status === s}
                  aria-keyshortcuts={key}
                  onChange={() => void setStatus(s)}
                />
                <label htmlFor={id}>
                  {s ? REVIEW_STATUS_WORDS[s] : 'No status'}
                  {key && <kbd className="review-key">{key}</kbd>}
                </label>
              </div>
            );
          })}
        </fieldset>
      )}
      {keys && (
        <p className="hint" id={keysHint}>
          Keys here: 1 to 5 set the status as listed, N goes to the next exhibit and P to the
          previous one (in the bundle&apos;s order). They do nothing while you type in a box.
        </p>
      )}
      <form className="review-form" onSubmit={(e) => void submit(e)}>
        {target.kind === 'exhibit' && (
          <div className="field">
            <label htmlFor={orderId}>Proposed place in the exhibit order</label>
            <input
              id={orderId}
              inputMode="numeric"
              value={draft.order}
              maxLength={7}
              className="short"
              onChange={(e) => touched({ order: e.target.value })}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor={commentId}>
            {target.kind === 'bundle' ? 'Overall note on the bundle' : 'Comment'}
          </label>
          <textarea
            id={commentId}
            value={draft.comment}
            rows={3}
            onChange={(e) => touched({ comment: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={questionsId}>Questions for the client</label>
          <textarea
            id={questionsId}
            value={draft.questions}
            rows={2}
            aria-describedby={questionsHint}
            onChange={(e) => touched({ questions: e.target.value })}
          />
          <p className="hint" id={questionsHint}>
            One question a line.
          </p>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <ErrorNote message={storeError} />
        <div className="button-row">
          {/* Never disabled: a disabled button drops the focus, and the keys with it. */}
          <button type="submit" aria-disabled={busy || undefined}>
            {busy ? 'Saving…' : 'Save in my review'}
          </button>
          {saved && !dirty && (
            <span className="review-saved" role="status">
              {saved}
            </span>
          )}
          {dirty && <span className="review-unsaved">Not saved yet.</span>}
        </div>
      </form>
      <p className="hint review-history">
        {current
          ? `Last changed ${timeText(current.updatedAt)}. `
          : 'Nothing recorded about this yet. '}
        Every change is a new entry in your review&apos;s history; nothing earlier is overwritten.
      </p>
    </>
  );
}
