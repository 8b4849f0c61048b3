import type { ReactNode } from 'react';
import {
  REDACTION_OTHER_MAX,
  REDACTION_REASON_WORDS,
  REDACTION_REASONS,
  type RedactionReason,
} from '../../../../shared/redaction';

/** Why one covered area (a box of a picture, a passage of a text) is covered. */
export function CoverReason(props: {
  /** The form's id, so each field's id is unique on the page. */
  id: string;
  index: number;
  /** What is covered, as the person sees it: "box" or "passage". */
  noun: string;
  reason: RedactionReason | '';
  otherReason: string;
  onChange(change: { reason?: RedactionReason | ''; otherReason?: string }): void;
}) {
  const { id, index: i, noun } = props;
  return (
    <>
      <label htmlFor={`${id}-reason-${i}`}>
        Why is {noun} {i + 1} covered?
      </label>
      <select
        id={`${id}-reason-${i}`}
        value={props.reason}
        onChange={(e) => props.onChange({ reason: e.target.value as RedactionReason | '' })}
      >
        <option value="">Choose a reason…</option>
        {REDACTION_REASONS.map((r) => (
          <option key={r} value={r}>
            {r === 'other' ? 'Other (say why)' : REDACTION_REASON_WORDS[r]}
          </option>
        ))}
      </select>
      {props.reason === 'other' && (
        <>
          <label htmlFor={`${id}-other-${i}`}>
            In words, why {noun} {i + 1}
          </label>
          <input
            id={`${id}-other-${i}`}
            value={props.otherReason}
            maxLength={REDACTION_OTHER_MAX}
            onChange={(e) => props.onChange({ otherReason: e.target.value })}
          />
        </>
      )}
    </>
  );
}

/**
 * One covered area in the list of a redacted copy being made: its number (as on the picture
 * or in the text), what it covers, its reason, and "Remove".
 */
export function CoverRow(props: {
  id: string;
  index: number;
  noun: string;
  /** What the area covers, in words. */
  description: ReactNode;
  reason: RedactionReason | '';
  otherReason: string;
  onChange(change: { reason?: RedactionReason | ''; otherReason?: string }): void;
  /** Removes the row; the caller moves the focus first (the row goes away). */
  onRemove(): void;
}) {
  const i = props.index;
  return (
    <li>
      <span className="region-number" aria-hidden="true">
        {i + 1}
      </span>
      <div className="cover-fields">
        {props.description}
        <CoverReason
          id={props.id}
          index={i}
          noun={props.noun}
          reason={props.reason}
          otherReason={props.otherReason}
          onChange={props.onChange}
        />
      </div>
      <button
        type="button"
        className="secondary small"
        aria-label={`Remove ${props.noun} ${i + 1}`}
        onClick={props.onRemove}
      >
        Remove
      </button>
    </li>
  );
}

/** Under the preview of a redacted copy: what went wrong, then save, go back, or cancel. */
export function SaveCopyActions(props: {
  error: string | null;
  saving: boolean;
  onSave(): void;
  /** "Back to the boxes", "Back to the passages". */
  backLabel: string;
  onBack(): void;
  onCancel(): void;
}) {
  return (
    <>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      <div className="button-row">
        <button type="button" disabled={props.saving} onClick={props.onSave}>
          {props.saving ? 'Saving the copy…' : 'Save the redacted copy'}
        </button>
        <button type="button" className="secondary" onClick={props.onBack}>
          {props.backLabel}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
