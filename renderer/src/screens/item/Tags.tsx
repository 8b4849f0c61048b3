import { useId, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { useReadOnly } from '../../stores/session';

/** Tags as chips, each removable, and a field that suggests tags already in the vault. */
export function Tags(props: {
  tags: string[];
  suggestions: string[];
  saving: boolean;
  onAdd(tag: string): Promise<boolean>;
  onRemove(tag: string): Promise<boolean>;
}) {
  const readOnly = useReadOnly();
  const id = useId();
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const unused = props.suggestions.filter(
    (s) => !props.tags.some((t) => t.toLowerCase() === s.toLowerCase()),
  );

  const add = async () => {
    const tag = draft.trim();
    if (!tag) return;
    if (await props.onAdd(tag)) setDraft('');
  };

  return (
    <section className="item-section" aria-labelledby="item-tags-title">
      <h2 id="item-tags-title">Tags</h2>
      {props.tags.length === 0 ? (
        <p className="hint">{readOnly ? 'No tags.' : 'No tags yet.'}</p>
      ) : (
        <ul className="tag-list">
          {props.tags.map((t) => (
            <li key={t} className="chip">
              {displayName(t)}
              {!readOnly && (
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove tag ${displayName(t)}`}
                  disabled={props.saving}
                  onClick={() => {
                    // The chip goes away: keep focus in the tags, not lost on the page.
                    input.current?.focus();
                    void props.onRemove(t);
                  }}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <form
          className="tag-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label htmlFor={id}>Add a tag</label>
          <div className="inline-row">
            <input
              id={id}
              ref={input}
              list={`${id}-list`}
              value={draft}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => setDraft(e.target.value)}
              placeholder="e.g. threat, school"
            />
            <button type="submit" disabled={props.saving || !draft.trim()}>
              Add tag
            </button>
          </div>
          <datalist id={`${id}-list`}>
            {unused.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </form>
      )}
    </section>
  );
}
