import { useId, useRef, useState } from 'react';
import type { Region } from '../../stores/item';
import { describeRect, percentToRect, type FractionRect } from './geometry';
import { safeMultiline } from './text';
import { useReadOnly } from '../../stores/session';

/**
 * Region marks on an image: the list (numbered as on the image), each removable, and a way
 * to add one by typing percentages instead of dragging. The image itself is never changed.
 */
export function Regions(props: {
  regions: Region[];
  saving: boolean;
  onAdd(rect: FractionRect, comment: string): Promise<boolean>;
  onRemove(regionId: string): Promise<boolean>;
}) {
  const readOnly = useReadOnly();
  const [open, setOpen] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  return (
    <section className="item-section" aria-labelledby="item-regions-title">
      <h2 id="item-regions-title" ref={heading} tabIndex={-1}>
        Marked regions
      </h2>
      {props.regions.length === 0 ? (
        <p className="hint">
          {readOnly
            ? 'None.'
            : 'None yet. Use “Mark a region” above the image and drag over the part that matters, or add one by numbers below.'}
        </p>
      ) : (
        <ol className="region-list">
          {props.regions.map((r, i) => (
            <li key={r.id}>
              <span className="region-number" aria-hidden="true">
                {i + 1}
              </span>
              <div className="region-text">
                <p className="note-body">
                  {r.comment ? safeMultiline(r.comment) : <em>No comment</em>}
                </p>
                <p className="detail">{describeRect(r)}</p>
              </div>
              {!readOnly && (
                <button
                  type="button"
                  className="secondary small"
                  disabled={props.saving}
                  aria-label={`Remove region ${i + 1}`}
                  onClick={() => {
                    heading.current?.focus(); // the row goes away
                    void props.onRemove(r.id);
                  }}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {readOnly ? null : open ? (
        <BoxByNumbers
          saving={props.saving}
          onCancel={() => setOpen(false)}
          onAdd={async (rect, comment) => {
            if (await props.onAdd(rect, comment)) setOpen(false);
          }}
        />
      ) : (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Add region by numbers
        </button>
      )}
    </section>
  );
}

/**
 * The keyboard way to draw a box: four percentages. A region mark's takes a comment; a box to
 * cover in a redacted copy (`title` and `submitLabel` given, `withComment` false) does not.
 */
export function BoxByNumbers(props: {
  saving: boolean;
  onAdd(rect: FractionRect, comment: string): Promise<void> | void;
  onCancel(): void;
  title?: string;
  submitLabel?: string;
  withComment?: boolean;
}) {
  const title = props.title ?? 'Add region by numbers';
  const id = useId();
  const [v, setV] = useState({ x: '', y: '', w: '', h: '' });
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const fields: Array<{ key: keyof typeof v; label: string }> = [
    { key: 'x', label: 'From the left (%)' },
    { key: 'y', label: 'From the top (%)' },
    { key: 'w', label: 'Width (%)' },
    { key: 'h', label: 'Height (%)' },
  ];
  return (
    <form
      className="region-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        const r = percentToRect(v);
        if ('error' in r) {
          setError(r.error);
          return;
        }
        setError(null);
        void props.onAdd(r.rect, comment);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          props.onCancel();
        }
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="hint">
        Percentages of the image: 0 is the left or top edge, 100 the right or bottom edge.
      </p>
      <div className="number-grid">
        {fields.map((f, i) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${id}-${f.key}`}>{f.label}</label>
            <input
              id={`${id}-${f.key}`}
              inputMode="decimal"
              value={v[f.key]}
              autoFocus={i === 0}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => setV({ ...v, [f.key]: e.target.value })}
            />
          </div>
        ))}
      </div>
      {props.withComment !== false && (
        <div className="field">
          <label htmlFor={`${id}-comment`}>Comment</label>
          <textarea
            id={`${id}-comment`}
            value={comment}
            maxLength={5000}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>
      )}
      {error && (
        <p className="error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" disabled={props.saving}>
          {props.submitLabel ?? 'Save region'}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
