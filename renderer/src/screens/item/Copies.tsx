import { useEffect, useId, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { redactionReasonText, type RedactionReason } from '../../../../shared/redaction';
import { timeText } from '../../format';
import type { CopyMade, ItemDetail } from '../../stores/item';
import {
  copyNoteText,
  coverBoxesProblem,
  reasonsText,
  WITHOUT_LOCATION_TEXT,
  type CopyOf,
  type CoverBox,
} from './copies';
import { describeRect } from './geometry';
import { BoxByNumbers } from './Regions';
import { CoverRow, SaveCopyActions } from './CoverRow';

/**
 * Copies made for disclosure (docs/redaction.md) in the item view: what a copy is, above it;
 * an original's copies and the ways to make one, beside it; and the redaction panel.
 */

/** Above a copy: what it is, what it covers or left out, and its original (unchanged). */
export function CopyBanner(props: {
  copy: CopyOf;
  justMade: CopyMade | null;
  onOpenItem(id: string): void;
}) {
  const c = props.copy;
  return (
    <section className="copy-banner" aria-labelledby="copy-banner-title">
      <h2 id="copy-banner-title" className="wrap">
        {copyNoteText(c)}
      </h2>
      {props.justMade && (
        <p role="status">
          {props.justMade.alreadyMade
            ? 'This copy was made before, the same in every byte: it is shown here, and nothing new was stored.'
            : 'Saved as a new item.'}
        </p>
      )}
      {c.spans.length > 0 ? (
        <ol className="cover-summary">
          {c.spans.map((s, i) => (
            <li key={i}>
              <span className="wrap">{displayName(redactionReasonText(s))}</span>{' '}
              <span className="muted">
                (characters {s.start.toLocaleString('en-GB')} to {s.end.toLocaleString('en-GB')} of
                the original’s text)
              </span>
            </li>
          ))}
        </ol>
      ) : c.kind === 'redacted' ? (
        <ol className="cover-summary">
          {c.areas.map((a, i) => (
            <li key={i}>
              <span className="wrap">{displayName(redactionReasonText(a))}</span>{' '}
              <span className="muted">({describeRect(a)})</span>
            </li>
          ))}
        </ol>
      ) : (
        <p>
          Taken out: {c.removed.length ? c.removed.map(displayName).join('; ') : 'nothing'}.{' '}
          {c.lossless
            ? 'The image data is the original’s, byte for byte.'
            : 'The picture was saved again as a PNG of the same pixels.'}
        </p>
      )}
      <p>
        The original is kept unchanged in the vault.{' '}
        {c.originalName !== null && (
          <button type="button" className="link" onClick={() => props.onOpenItem(c.originalId)}>
            Open the original, {displayName(c.originalName)}
          </button>
        )}
      </p>
      <p className="muted">
        Made {timeText(c.madeAt)}.
        {c.originalSha256 && (
          <>
            {' '}
            The original’s SHA-256: <code className="hash">{c.originalSha256}</code>
          </>
        )}
      </p>
    </section>
  );
}

/** Beside a picture, an email or a text file: its copies for disclosure, and the ways to make one. */
export function CopiesSection(props: {
  detail: ItemDetail;
  /** A picture (boxes, and a copy without location) rather than a text (passages). */
  picture: boolean;
  saving: boolean;
  askingWithoutLocation: boolean;
  onAskWithoutLocation(on: boolean): void;
  onRedact(): void;
  onMakeWithoutLocation(): Promise<string | null>;
  onOpenItem(id: string): void;
}) {
  const copies = props.detail.copies ?? [];
  return (
    <section className="item-section" aria-labelledby="item-copies-title">
      <h2 id="item-copies-title">Copies for disclosure</h2>
      <p className="hint">
        {props.picture
          ? 'To show this picture to others (the police, a court, the other side), make a copy with parts covered, or without its location.'
          : 'To show this to others (the police, a court, the other side), make a copy with passages of its text covered.'}{' '}
        The original stays in the vault unchanged.
      </p>
      {copies.length > 0 && (
        <ul className="copy-list" aria-label="Copies of this item">
          {copies.map((c) => (
            <li key={c.id}>
              <button type="button" className="link wrap" onClick={() => props.onOpenItem(c.id)}>
                {displayName(c.name)}
              </button>{' '}
              <span className="muted">
                ({c.kind === 'redacted' ? 'redacted copy' : 'copy without location'}, made{' '}
                {timeText(c.madeAt)})
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        <button type="button" className="secondary" onClick={props.onRedact}>
          Make a redacted copy
        </button>
        {props.picture && props.detail.copyOf?.kind !== 'without-location' && (
          <button
            type="button"
            className="secondary"
            aria-expanded={props.askingWithoutLocation}
            onClick={() => props.onAskWithoutLocation(!props.askingWithoutLocation)}
          >
            Make a copy without location
          </button>
        )}
      </div>
      {props.askingWithoutLocation && (
        <WithoutLocationConfirm
          saving={props.saving}
          onMake={props.onMakeWithoutLocation}
          onCancel={() => props.onAskWithoutLocation(false)}
        />
      )}
    </section>
  );
}

/** What a copy without location is, said plainly, before it is made. */
function WithoutLocationConfirm(props: {
  saving: boolean;
  onMake(): Promise<string | null>;
  onCancel(): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <div
      className="copy-confirm"
      role="group"
      aria-labelledby="without-location-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <h3 id="without-location-title" ref={heading} tabIndex={-1}>
        Make a copy without location
      </h3>
      {WITHOUT_LOCATION_TEXT.map((t) => (
        <p key={t}>{t}</p>
      ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          disabled={props.saving}
          onClick={() => {
            setError(null);
            void props.onMake().then(setError);
          }}
        >
          {props.saving ? 'Making the copy…' : 'Make the copy'}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * Making a redacted copy: the boxes drawn on the picture (or typed), each with its reason,
 * then a preview with every box black, then save. The picture on the left shows the boxes.
 */
export function RedactPanel(props: {
  originalName: string;
  boxes: CoverBox[];
  preview: boolean;
  saving: boolean;
  onChange(boxes: CoverBox[]): void;
  onPreview(on: boolean): void;
  onSave(): Promise<string | null>;
  onCancel(): void;
}) {
  const id = useId();
  const { boxes } = props;
  const [byNumbers, setByNumbers] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const count = useRef(boxes.length);
  useEffect(() => {
    heading.current?.focus();
  }, [props.preview]);
  // A box just drawn: its reason is the next thing to choose.
  useEffect(() => {
    if (boxes.length > count.current)
      document.getElementById(`${id}-reason-${boxes.length - 1}`)?.focus();
    count.current = boxes.length;
  }, [boxes.length, id]);

  const set = (i: number, patch: Partial<CoverBox>) =>
    props.onChange(boxes.map((b, j) => (j === i ? { ...b, ...patch } : b)));

  return (
    <section
      className="item-section redact-panel"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-about`}
    >
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {props.preview ? 'Check the redacted copy' : 'Make a redacted copy'}
      </h2>
      {!props.preview ? (
        <>
          <p id={`${id}-about`}>
            Cover each part of {displayName(props.originalName)} that must not be shown: use “Draw a
            box to cover” above the picture and drag over it, or add a box by numbers. Each box
            needs a reason: a court can ask why something was covered.
          </p>
          <p className="hint">
            The copy is a new item: a PNG in which every covered pixel is black and nothing else of
            the original’s is kept (no location or other hidden details). The original stays
            unchanged in the vault.
          </p>
          {boxes.length === 0 ? (
            <p className="hint">No boxes yet.</p>
          ) : (
            <ol className="cover-list">
              {boxes.map((b, i) => (
                <CoverRow
                  key={i}
                  id={id}
                  index={i}
                  noun="box"
                  description={<p className="detail">{describeRect(b)}</p>}
                  reason={b.reason}
                  otherReason={b.otherReason}
                  onChange={(change) => set(i, change)}
                  onRemove={() => {
                    heading.current?.focus();
                    props.onChange(boxes.filter((_, j) => j !== i));
                  }}
                />
              ))}
            </ol>
          )}
          {byNumbers ? (
            <BoxByNumbers
              saving={props.saving}
              title="Add a box by numbers"
              submitLabel="Add the box"
              withComment={false}
              onCancel={() => setByNumbers(false)}
              onAdd={(rect) => {
                setByNumbers(false);
                props.onChange([...boxes, { ...rect, reason: '', otherReason: '' }]);
              }}
            />
          ) : (
            <button type="button" className="secondary" onClick={() => setByNumbers(true)}>
              Add a box by numbers
            </button>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            <button
              type="button"
              onClick={() => {
                const problem = coverBoxesProblem(boxes);
                setError(problem);
                if (!problem) props.onPreview(true);
              }}
            >
              Preview the copy
            </button>
            <button type="button" className="secondary" onClick={props.onCancel}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <>
          <p id={`${id}-about`}>
            The picture shows the copy: each covered area is black. Look over all of it: anything
            still showing will be in the copy.
          </p>
          <p>
            <strong>
              {boxes.length} {boxes.length === 1 ? 'area' : 'areas'} covered (
              {reasonsText(
                boxes.map((b) => ({
                  reason: b.reason as RedactionReason,
                  otherReason: b.reason === 'other' ? b.otherReason.trim() : null,
                })),
              )}
              )
            </strong>
          </p>
          <SaveCopyActions
            error={error}
            saving={props.saving}
            onSave={() => {
              setError(null);
              void props.onSave().then(setError);
            }}
            backLabel="Back to the boxes"
            onBack={() => props.onPreview(false)}
            onCancel={props.onCancel}
          />
        </>
      )}
    </section>
  );
}
