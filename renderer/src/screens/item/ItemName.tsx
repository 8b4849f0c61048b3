import { useId, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { itemNameProblem, itemNameText } from '../../../../shared/item-name';
import { useReadOnly } from '../../stores/session';

/**
 * The item's name, which the person may change (a screenshot called IMG_4411.PNG becomes
 * "Threat from Jo, 9 March"). The name it was imported with is kept and shown as such; the
 * original file and its fingerprint never change.
 */
export function ItemName(props: {
  name: string;
  originalName: string | null;
  saving: boolean;
  onRename(name: string): Promise<boolean>;
}) {
  const readOnly = useReadOnly();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const problem = draft === null ? null : itemNameProblem(itemNameText(draft));

  return (
    <section className="item-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Name</h2>
      {draft === null ? (
        <div className="inline-row">
          <p className="wrap">{displayName(props.name)}</p>
          {!readOnly && (
            <button type="button" className="secondary small" onClick={() => setDraft(props.name)}>
              Rename
            </button>
          )}
        </div>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (problem) return;
            if (await props.onRename(itemNameText(draft))) setDraft(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setDraft(null);
            }
          }}
        >
          <label htmlFor={`${id}-input`}>New name</label>
          <div className="inline-row">
            <input
              id={`${id}-input`}
              autoFocus
              value={draft}
              maxLength={255}
              aria-invalid={problem !== null}
              aria-describedby={`${id}-problem`}
              onChange={(e) => setDraft(e.target.value)}
            />
            <button type="submit" disabled={props.saving || problem !== null}>
              Save name
            </button>
            <button type="button" className="secondary" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
          <p id={`${id}-problem`} className={problem ? 'error' : 'hint'}>
            {problem
              ? `The name ${problem}.`
              : 'The original file is not changed; the rename is recorded in the custody log.'}
          </p>
        </form>
      )}
      {props.originalName !== null && (
        <p className="hint">
          Original name: <span className="wrap">{displayName(props.originalName)}</span>
        </p>
      )}
    </section>
  );
}
