import { useId, useState } from 'react';

/** A passphrase input with a show/hide toggle; the value is never cleared on an error. */
export function PassphraseField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  autoFocus?: boolean;
  autoComplete: 'new-password' | 'current-password';
  describedBy?: string;
  invalid?: boolean;
}) {
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="passphrase-row">
        <input
          id={id}
          type={shown ? 'text' : 'password'}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          autoFocus={props.autoFocus}
          autoComplete={props.autoComplete}
          spellCheck={false}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid || undefined}
        />
        <button
          type="button"
          className="secondary"
          aria-pressed={shown}
          onClick={() => setShown(!shown)}
        >
          {shown ? 'Hide' : 'Show'}
        </button>
      </div>
    </div>
  );
}
