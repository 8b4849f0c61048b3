import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { kindOfMime } from '../../../../shared/item-kind';
import { useCases } from '../../stores/cases';
import { useItem, type CopyMade, type ItemDetail } from '../../stores/item';
import { useLibrary } from '../../stores/library';
import { useSelection } from '../../stores/selection';
import { useJobs } from '../../stores/jobs';
import { conversationCount } from '../../stores/conversation';
import { FocusLoop } from '../../components/FocusLoop';
import { Details } from './Details';
import type { FractionRect } from './geometry';
import { RemoveConfirm } from '../../components/RemoveConfirm';
import { ImageViewer } from './ImageViewer';
import { ItemName } from './ItemName';
import { Links } from './Links';
import { Notes } from './Notes';
import { AdviserComments } from '../review/AdviserComments';
import { Regions } from './Regions';
import { CopiesSection, CopyBanner, RedactPanel } from './Copies';
import { coverBoxesArgs, redactableAsText, type CoverBox } from './copies';
import { RedactTextPanel } from './RedactText';
import { Tags } from './Tags';
import { PictureText } from './PictureText';
import { matchRects } from './picture-text';
import { usePictureReading } from '../../stores/picture-reading';
import { matchingWordIndexes } from '../../../../shared/search-words';
import { useTextRecognition } from '../../stores/text-recognition';
import { messageOf } from '../../api/errors';
import { EmailViewer, MediaViewer, NoPreview, TextViewer } from './Viewers';
import { useReadOnly } from '../../stores/session';
import { ReviewStrip } from '../review/ReviewBanner';
import { FailingExhibitNotice, useFailingLabels } from '../review/FailingExhibit';
import { ReviewControls } from '../review/ReviewControls';
import { reviewKeyAction } from '../review/review-keys';
import { exhibitTarget, neighbourExhibit, useReviewing } from '../../stores/reviewing';
import { REVIEW_STATUS_WORDS } from '../../../../shared/review';

/** A format a reader recognised, in words (items.get's readableAsConversation). */
const FORMAT_WORDS: Record<NonNullable<ItemDetail['readableAsConversation']>, string> = {
  mbox: 'a mailbox (mbox)',
  whatsapp: 'a WhatsApp export',
  telegram: 'a Telegram export',
  instagram: 'an Instagram export',
  facebook: 'a Facebook export',
};

/**
 * One item, over the library: the evidence itself on the left, what is known and written
 * about it on the right. "Back to library" or Escape closes it and focus returns to the tile
 * it was opened from.
 */
export function ItemView() {
  const openItemId = useSelection((s) => s.openItemId);
  const open = useSelection((s) => s.open);
  const item = useItem();
  const people = useCases((s) => s.people);
  const incidents = useCases((s) => s.incidents);
  const casesLoaded = useCases((s) => s.loaded);
  const loadCases = useCases((s) => s.load);
  const facets = useLibrary((s) => s.facets);
  const loadFacets = useLibrary((s) => s.loadFacets);

  const heading = useRef<HTMLHeadingElement>(null);
  const reviewAnnouncement = useReviewing((s) => s.announcement);
  // A bundle open for review: read-only, and this exhibit's file may have failed verification.
  const readOnly = useReadOnly();
  const failing = useFailingLabels(item.detail);
  const [marking, setMarking] = useState(false);
  // A chat export or mailbox read message by message: offer its conversation view.
  const [chatCount, setChatCount] = useState<number | null>(null);
  const openChat = useSelection((s) => s.openChat);
  const chatOpenHere = useSelection((s) => s.openConversation?.id === openItemId);
  const [pending, setPending] = useState<FractionRect | null>(null);
  // A chat export or mailbox stored as a plain file: offer to read it (items.readAsConversation).
  const readJob = useJobs((s) => (s.readJob?.itemId === openItemId ? s.readJob : null));
  const readAsConversation = useJobs((s) => s.readAsConversation);
  const dismissRead = useJobs((s) => s.dismissRead);
  // The date-order question covers this view while it is asked.
  const asking = useJobs((s) => s.chatChoices.length > 0);
  // The words to find in a picture's text: the library search it was opened by, at first.
  const openSearch = useSelection((s) => s.openSearch);
  const [find, setFind] = useState(openSearch);
  const [readAgainError, setReadAgainError] = useState<string | null>(null);
  const [readingAgain, setReadingAgain] = useState(false);
  // Making a redacted copy: the boxes drawn so far, and whether they are shown as the copy.
  const [redact, setRedact] = useState<{ boxes: CoverBox[]; preview: boolean } | null>(null);
  // Making a redacted copy of an email or a text file: its panel takes the preview's place.
  const [redactingText, setRedactingText] = useState(false);
  const [askingWithoutLocation, setAskingWithoutLocation] = useState(false);
  // The copy just made, said over its view once it opens.
  const [justMade, setJustMade] = useState<CopyMade | null>(null);

  // Remember where focus was (the tile), before the library goes inert, and give it back on
  // close; if the tile was redrawn meanwhile, the grid's current tile takes it.
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);
  const [openedId] = useState(() => useSelection.getState().openItemId ?? '');
  useEffect(
    () => () => {
      setTimeout(() => {
        const target =
          (returnTo?.isConnected ? returnTo : null) ??
          document.querySelector<HTMLElement>(
            `#content [data-item-id="${CSS.escape(openedId)}"]`,
          ) ??
          document.querySelector<HTMLElement>('#content [data-index][tabindex="0"]') ??
          document.getElementById('content');
        target?.focus();
      }, 0);
    },
    [returnTo, openedId],
  );

  const load = item.load;
  const clear = item.clear;
  useEffect(() => {
    if (!openItemId) return;
    setMarking(false);
    setPending(null);
    setRedact(null);
    setRedactingText(false);
    setAskingWithoutLocation(false);
    // "Saved as a new item" is said once, as the copy opens.
    setJustMade((j) => (j?.id === openItemId ? j : null));
    setFind(useSelection.getState().openSearch);
    setReadAgainError(null);
    void load(openItemId);
    let live = true;
    setChatCount(null);
    void conversationCount(openItemId).then((n) => live && setChatCount(n));
    return () => {
      live = false;
    };
  }, [openItemId, load]);
  useEffect(() => clear, [clear]);
  useEffect(() => {
    if (!casesLoaded) void loadCases();
    if (!facets) void loadFacets();
  }, [casesLoaded, loadCases, facets, loadFacets]);

  // Focus the title once the item is there, so a screen reader says what opened.
  const loadedId = item.detail?.id ?? (item.loadError ? 'error' : null);
  useEffect(() => {
    if (loadedId) heading.current?.focus();
  }, [loadedId]);

  const close = () => open(null);
  // While reviewing: this item's exhibit, and the adviser's keys (status, next, previous).
  const reviewState = useReviewing((s) => s.state);
  const recordReview = useReviewing((s) => s.record);
  const announce = useReviewing((s) => s.announce);
  const exhibit = readOnly
    ? (reviewState?.exhibits.find((x) => x.itemId === openItemId) ?? null)
    : null;
  const onReviewKey = (e: Parameters<typeof reviewKeyAction>[0]): boolean => {
    if (!exhibit || !reviewState || redact) return false;
    const action = reviewKeyAction(e);
    if (!action) return false;
    const label = displayName(exhibit.label);
    if (action.kind === 'status') {
      if (reviewState.store !== 'unlocked') {
        announce('Start reviewing first: your review store is not open.');
        return true;
      }
      const words = action.status ? REVIEW_STATUS_WORDS[action.status] : 'No status';
      void recordReview(
        exhibitTarget(exhibit),
        [{ op: 'status', value: action.status }],
        `${label}: ${words}. Saved in your review.`,
      );
      return true;
    }
    // Moving on would lose what was written: said, and nothing moves.
    const unsaved = useReviewing.getState().unsaved;
    if (unsaved) {
      announce(`${unsaved}: save it first, or take it out.`);
      return true;
    }
    const next = neighbourExhibit(
      reviewState.exhibits,
      exhibit.itemId,
      action.kind === 'next' ? 1 : -1,
    );
    const at = reviewState.exhibits.indexOf(exhibit);
    if (!next) {
      announce(
        action.kind === 'next' ? `${label} is the last exhibit.` : `${label} is the first exhibit.`,
      );
      return true;
    }
    const n = at + (action.kind === 'next' ? 2 : 0);
    announce(`Exhibit ${displayName(next.label)}, ${n} of ${reviewState.exhibits.length}.`);
    open(next.itemId);
    return true;
  };
  // A click on the page's text leaves the focus on the body, outside this view: the keys
  // still work from there (and from nowhere else: the view is modal).
  const reviewKeyRef = useRef(onReviewKey);
  reviewKeyRef.current = onReviewKey;
  useEffect(() => {
    if (!readOnly) return;
    const onBodyKey = (e: globalThis.KeyboardEvent) => {
      if (e.target !== document.body || e.defaultPrevented) return;
      if (reviewKeyRef.current(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onBodyKey);
    return () => window.removeEventListener('keydown', onBodyKey);
  }, [readOnly]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    if (onReviewKey(e)) {
      e.preventDefault();
      return;
    }
    if (e.key !== 'Escape') return;
    // What was written in the review panel and not saved is not thrown away by a key either.
    const unsaved = readOnly ? useReviewing.getState().unsaved : null;
    if (unsaved) {
      e.preventDefault();
      announce(`${unsaved}: save it first, or take it out.`);
      return;
    }
    // Boxes being drawn are not thrown away by a key: "Cancel" says it.
    if (redact || redactingText) return;
    const t = e.target as HTMLInputElement | HTMLTextAreaElement;
    // Never throw away something being typed.
    if ((t.tagName === 'TEXTAREA' || t.tagName === 'INPUT') && t.value) return;
    e.preventDefault();
    close();
  };

  const d = item.detail;
  const kind = d ? kindOfMime(d.mime) : null;
  const title = d ? displayName(d.name) : item.loadError ? 'Could not open this item' : 'Opening…';
  const regions = d?.regions ?? [];
  const picture = usePictureReading(d?.id ?? null, kind === 'image');
  const words = picture.reading?.words;
  const matches = useMemo(() => (words ? matchingWordIndexes(find, words) : []), [find, words]);
  const highlights = useMemo(
    () => matchRects(picture.reading, matches),
    [picture.reading, matches],
  );
  const ocrPaused = useTextRecognition((s) => s.status?.paused ?? false);
  const languages = useTextRecognition((s) => s.languages);
  const loadLanguages = useTextRecognition((s) => s.loadLanguages);
  const readAgain = useTextRecognition((s) => s.readAgain);
  const ocrBusy = useTextRecognition((s) => s.busy);
  useEffect(() => {
    if (kind === 'image' && !languages) void loadLanguages();
  }, [kind, languages, loadLanguages]);
  const languageName =
    languages?.installed.find((l) => l.code === picture.reading?.language)?.name ??
    picture.reading?.language ??
    null;
  const problems = d?.metadataErrors ?? [];

  /** A copy made (or found made before) opens, with what it is said over it. */
  const makeCopy = async (boxes: CoverBox[] | null): Promise<string | null> =>
    opened(await item.makeCopy(boxes ? coverBoxesArgs(boxes) : null));
  const opened = (r: { made: CopyMade } | { error: string }): string | null => {
    if ('error' in r) return r.error;
    setJustMade(r.made);
    open(r.made.id);
    return null;
  };

  const copyHash = async () => {
    if (!d) return false;
    try {
      await navigator.clipboard.writeText(d.sha256);
      return true;
    } catch {
      return false;
    }
  };

  return (
    <div
      className="item-view"
      role="dialog"
      aria-modal="true"
      aria-labelledby="item-title"
      aria-describedby={problems.length > 0 ? 'item-problem-title' : undefined}
      onKeyDown={onKeyDown}
      inert={asking}
    >
      <FocusLoop>
        {readOnly && <ReviewStrip />}
        <div className="item-bar">
          <button type="button" className="secondary" onClick={close}>
            ← Back to library
          </button>
          <h1 id="item-title" ref={heading} tabIndex={-1} className="wrap">
            {title}
          </h1>
          {kind && <span className={`kind-badge kind-${kind}`}>{kind}</span>}
        </div>
        <p className="visually-hidden" role="status">
          {item.status}
        </p>
        {readOnly && (
          // Seen as well as heard: a key that did nothing says why.
          <p className="review-announce" role="status" aria-live="polite">
            {reviewAnnouncement}
          </p>
        )}
        {item.loadError && (
          <div className="item-error">
            <p className="error" role="alert">
              {item.loadError}
            </p>
            <div className="button-row">
              <button type="button" onClick={() => openItemId && void load(openItemId)}>
                Try again
              </button>
              <button type="button" className="secondary" onClick={close}>
                Back to library
              </button>
            </div>
          </div>
        )}
        {item.loading && <p aria-busy="true">Opening the item…</p>}
        {d && failing && <FailingExhibitNotice labels={failing} />}
        {d && problems.length > 0 && <ProblemBanner problems={problems} />}
        {d?.copyOf && (
          <CopyBanner
            copy={d.copyOf}
            justMade={justMade?.id === d.id ? justMade : null}
            onOpenItem={(id) => open(id)}
          />
        )}
        {d && chatCount !== null && !chatOpenHere && (
          <p className="item-chat-link">
            <button
              type="button"
              onClick={() => {
                openChat(d.id);
                open(null);
              }}
            >
              Read it as a conversation ({chatCount.toLocaleString('en-GB')} message
              {chatCount === 1 ? '' : 's'})
            </button>
          </p>
        )}
        {d && chatCount === null && d.readableAsConversation && !readOnly && (
          <div className="item-read-chat">
            <p>
              This file looks like {FORMAT_WORDS[d.readableAsConversation]}. Dossier can read it
              message by message; the file itself stays unchanged.
            </p>
            <button
              type="button"
              disabled={readJob?.state === 'running'}
              onClick={() => void readAsConversation(d.id, d.name)}
            >
              {readJob?.state === 'running' ? 'Reading the messages…' : 'Read as a conversation'}
            </button>
            {readJob?.state === 'running' && (
              <p className="visually-hidden" role="status">
                Reading the messages…
              </p>
            )}
            {readJob?.state === 'failed' && (
              <div className="action-error" role="alert">
                <p className="error">It could not be read as a conversation: {readJob.error}</p>
                <button type="button" className="link" onClick={dismissRead}>
                  Dismiss
                </button>
              </div>
            )}
          </div>
        )}
        {d && kind && (
          <div className="item-body">
            <section className="item-preview" aria-label="Preview">
              {failing ? (
                // Main never serves a file that failed verification as the exhibit.
                <p className="failing-preview">
                  Dossier does not show this file: it is not the file that was exported, so what it
                  holds now may mislead.
                </p>
              ) : kind === 'image' ? (
                <>
                  <ImageViewer
                    detail={d}
                    regions={redact ? [] : regions}
                    marking={marking}
                    pending={redact ? null : pending}
                    onMarkingChange={(on) => {
                      setMarking(on);
                      if (!on) setPending(null);
                    }}
                    onDrawn={(rect) => {
                      if (redact)
                        setRedact({
                          ...redact,
                          boxes: [...redact.boxes, { ...rect, reason: '', otherReason: '' }],
                        });
                      else setPending(rect);
                    }}
                    highlights={redact ? undefined : highlights}
                    covers={redact ? { boxes: redact.boxes, filled: redact.preview } : undefined}
                  />
                  {pending && !redact && (
                    <PendingRegion
                      saving={item.saving}
                      onCancel={() => setPending(null)}
                      onSave={async (comment) => {
                        if (await item.addRegion(pending, comment)) {
                          setPending(null);
                          setMarking(false);
                        }
                      }}
                    />
                  )}
                </>
              ) : kind === 'audio' || kind === 'video' ? (
                <MediaViewer detail={d} kind={kind} />
              ) : redactingText ? (
                <RedactTextPanel
                  detail={d}
                  saving={item.saving}
                  onSave={async (spans) => opened(await item.makeTextCopy(spans))}
                  onCancel={() => setRedactingText(false)}
                />
              ) : kind === 'text' ? (
                <TextViewer detail={d} />
              ) : kind === 'email' ? (
                <EmailViewer detail={d} />
              ) : (
                <NoPreview detail={d} />
              )}
            </section>
            <aside className="item-side" aria-label="About this item">
              {redact && kind === 'image' ? (
                <RedactPanel
                  originalName={d.name}
                  boxes={redact.boxes}
                  preview={redact.preview}
                  saving={item.saving}
                  onChange={(boxes) => setRedact({ ...redact, boxes })}
                  onPreview={(on) => {
                    setRedact({ ...redact, preview: on });
                    setMarking(!on);
                  }}
                  onSave={() => makeCopy(redact.boxes)}
                  onCancel={() => {
                    setRedact(null);
                    setMarking(false);
                  }}
                />
              ) : (
                <>
                  {item.actionError && (
                    <div className="action-error" role="alert">
                      <p className="error">{item.actionError}</p>
                      <p>Your change was not saved. Check it and try again.</p>
                      <button type="button" className="link" onClick={item.clearActionError}>
                        Dismiss
                      </button>
                    </div>
                  )}
                  <ItemName
                    key={d.id}
                    name={d.name}
                    originalName={d.originalName ?? null}
                    saving={item.saving}
                    onRename={item.rename}
                  />
                  <Notes
                    notes={d.notes}
                    saving={item.saving}
                    onAdd={item.addNote}
                    onEdit={item.editNote}
                  />
                  {!readOnly && (
                    <AdviserComments className="item-section" target={{ itemId: d.id }} />
                  )}
                  {exhibit && exhibit.itemId === d.id && (
                    <ReviewControls
                      className="item-section"
                      what={displayName(exhibit.label)}
                      target={exhibitTarget(exhibit)}
                      keys
                    />
                  )}
                  <Tags
                    tags={d.tags}
                    suggestions={facets?.tags.map((t) => t.name) ?? []}
                    saving={item.saving}
                    onAdd={item.addTag}
                    onRemove={item.removeTag}
                  />
                  {kind === 'image' && (
                    <PictureText
                      readOnly={readOnly}
                      reading={picture.reading}
                      loadError={picture.error ?? readAgainError}
                      paused={ocrPaused}
                      languageName={languageName}
                      find={find}
                      onFind={setFind}
                      matches={matches}
                      busy={ocrBusy || readingAgain}
                      onReadAgain={() => {
                        // Once per click: each read-again is a custody entry.
                        if (readingAgain) return;
                        setReadAgainError(null);
                        setReadingAgain(true);
                        readAgain([d.id])
                          .then(picture.reload, (e: unknown) => setReadAgainError(messageOf(e)))
                          .finally(() => setReadingAgain(false));
                      }}
                    />
                  )}
                  {kind === 'image' && (
                    <Regions
                      regions={regions}
                      saving={item.saving}
                      onAdd={item.addRegion}
                      onRemove={item.removeRegion}
                    />
                  )}
                  {(kind === 'image' ||
                    (redactableAsText(d.mime) && chatCount === null && !redactingText)) &&
                    d.copies !== undefined &&
                    !readOnly && (
                      <CopiesSection
                        detail={d}
                        picture={kind === 'image'}
                        saving={item.saving}
                        askingWithoutLocation={askingWithoutLocation}
                        onAskWithoutLocation={setAskingWithoutLocation}
                        onRedact={() => {
                          if (kind !== 'image') {
                            setRedactingText(true);
                            return;
                          }
                          setAskingWithoutLocation(false);
                          setPending(null);
                          setRedact({ boxes: [], preview: false });
                          setMarking(true);
                        }}
                        onMakeWithoutLocation={() => makeCopy(null)}
                        onOpenItem={(id) => open(id)}
                      />
                    )}
                  <Links
                    incidentIds={d.incidentIds ?? []}
                    personIds={d.personIds ?? []}
                    incidents={incidents}
                    people={people}
                  />
                  <Details
                    detail={d}
                    onOpenItem={(id) => open(id)}
                    copyHash={copyHash}
                    onCopyWithoutLocation={
                      kind === 'image' && d.copies !== undefined && !d.copyOf && !readOnly
                        ? () => setAskingWithoutLocation(true)
                        : undefined
                    }
                  />
                  {!readOnly && (
                    <section className="item-section" aria-label="Remove">
                      <RemoveConfirm
                        key={d.id}
                        what="item"
                        consequences="Its encrypted file is deleted from the vault, and it leaves the library, its incidents and people, and every future export."
                        onRemove={item.remove}
                      />
                    </section>
                  )}
                </>
              )}
            </aside>
          </div>
        )}
      </FocusLoop>
    </div>
  );
}

/**
 * What the import found wrong with the file (damaged, empty, unreadable metadata), above the
 * preview: a damaged image may show as a strip or not at all, and the reason must not be
 * below the fold.
 */
function ProblemBanner({ problems }: { problems: readonly string[] }) {
  return (
    <section className="item-problem" aria-labelledby="item-problem-title">
      <h2 id="item-problem-title">
        <span aria-hidden="true">⚠ </span>
        {problems.length === 1
          ? 'Dossier found a problem with this file'
          : `Dossier found ${problems.length} problems with this file`}
      </h2>
      <ul>
        {problems.map((m, i) => (
          <li key={i}>{displayName(m)}</li>
        ))}
      </ul>
      <p>The file is kept exactly as it was received; its preview and details may be incomplete.</p>
    </section>
  );
}

/** The comment for a region just drawn, and Save / Cancel. */
function PendingRegion(props: {
  saving: boolean;
  onSave(comment: string): Promise<void>;
  onCancel(): void;
}) {
  const [comment, setComment] = useState('');
  return (
    <form
      className="pending-region"
      onSubmit={(e) => {
        e.preventDefault();
        void props.onSave(comment);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !comment) {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <label htmlFor="pending-region-comment">What does this region show?</label>
      <textarea
        id="pending-region-comment"
        autoFocus
        value={comment}
        maxLength={5000}
        onChange={(e) => setComment(e.target.value)}
      />
      <div className="button-row">
        <button type="submit" disabled={props.saving}>
          Save region
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
