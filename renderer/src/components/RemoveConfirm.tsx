import { useId, useState } from 'react';

/**
 * Removing something (an item, an incident, a person) cannot be undone, so it takes two
 * steps: "Remove …" opens this confirmation, which says what will happen and asks why.
 * The reason is required (the custody log keeps it); the button stays off until one is given.
 */
export function RemoveConfirm(props: {
  /** "item", "incident", "person". */
  what: string;
  /** What removing it does, in plain words. */
  consequences: string;
  onRemove(reason: string): Promise<boolean>;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const problem = removalReasonProblem(reason);

  if (!open) {
    return (
      <button type="button" className="secondary danger" onClick={() => setOpen(true)}>
        Remove this {props.what}…
      </button>
    );
  }
  const cancel = () => {
    setOpen(false);
    setReason('');
  };
  return (
    <div className="remove-confirm" role="group" aria-labelledby={`${id}-title`}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (problem || busy) return;
          setBusy(true);
          try {
            if (await props.onRemove(reason.trim())) cancel();
          } finally {
            setBusy(false);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !reason) {
            e.preventDefault();
            cancel();
          }
        }}
      >
        <h3 id={`${id}-title`}>Remove this {props.what}?</h3>
        <p>{props.consequences} This cannot be undone.</p>
        <p>The custody log keeps a record that it was removed, when, and your reason.</p>
        <label htmlFor={`${id}-reason`}>Why are you removing it? (required)</label>
        <textarea
          id={`${id}-reason`}
          autoFocus
          required
          value={reason}
          maxLength={2000}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. imported by mistake"
        />
        <p id={`${id}-hint`} className="hint">
          {problem ?? 'Ready to remove.'}
        </p>
        <div className="button-row">
          <button type="submit" className="danger" disabled={problem !== null || busy}>
            Remove permanently
          </button>
          <button type="button" className="secondary" onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

/** Why the reason cannot be used yet, or null (the vault checks the same). */
export function removalReasonProblem(reason: string): string | null {
  if (reason.trim() === '') return 'Give a reason to remove it.';
  if (reason.length > 2000) return 'The reason is too long: 2,000 characters at most.';
  return null;
}
