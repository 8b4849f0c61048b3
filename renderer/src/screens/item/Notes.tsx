import { useId, useState, type KeyboardEvent } from 'react';
import { timeText } from '../../format';
import type { Note } from '../../stores/item';
import { safeMultiline } from './text';
import { useReadOnly } from '../../stores/session';

/** The person's own notes on an item: listed oldest first, added and edited as plain text. */
export function Notes(props: {
  notes: Note[];
  saving: boolean;
  onAdd(body: string): Promise<boolean>;
  onEdit(noteId: string, body: string): Promise<boolean>;
}) {
  const readOnly = useReadOnly();
  const addId = useId();
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<string | null>(null);

  const add = async () => {
    if (!draft.trim()) return;
    if (await props.onAdd(draft.trim())) setDraft('');
  };

  return (
    <section className="item-section" aria-labelledby="item-notes-title">
      <h2 id="item-notes-title">Notes</h2>
      {props.notes.length === 0 ? (
        <p className="hint">
          {readOnly ? 'No notes.' : 'No notes yet. Write down what this shows and why it matters.'}
        </p>
      ) : (
        <ol className="notes">
          {props.notes.map((n) => (
            <li key={n.id}>
              {editing === n.id ? (
                <NoteEditor
                  note={n}
                  saving={props.saving}
                  onCancel={() => setEditing(null)}
                  onSave={async (body) => {
                    if (await props.onEdit(n.id, body)) setEditing(null);
                  }}
                />
              ) : (
                <>
                  <p className="note-body">{safeMultiline(n.body)}</p>
                  <p className="note-meta">
                    Written {timeText(n.createdAt)}
                    {n.updatedAt &&
                      n.updatedAt !== n.createdAt &&
                      `, edited ${timeText(n.updatedAt)}`}{' '}
                    {!readOnly && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => setEditing(n.id)}
                        aria-label={`Edit note written ${timeText(n.createdAt)}`}
                      >
                        Edit
                      </button>
                    )}
                  </p>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {readOnly ? null : (
        <form
          className="note-form"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label htmlFor={addId}>Add a note</label>
          <textarea
            id={addId}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void add();
              }
            }}
            aria-describedby={`${addId}-hint`}
            maxLength={20000}
          />
          <p className="hint" id={`${addId}-hint`}>
            Plain text. Ctrl+Enter saves.
          </p>
          <button type="submit" disabled={props.saving || !draft.trim()}>
            Add note
          </button>
        </form>
      )}
    </section>
  );
}

function NoteEditor(props: {
  note: Note;
  saving: boolean;
  onSave(body: string): Promise<void>;
  onCancel(): void;
}) {
  const id = useId();
  const [body, setBody] = useState(props.note.body);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault(); // closes the editor, not the item
      props.onCancel();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (body.trim()) void props.onSave(body.trim());
    }
  };
  return (
    <form
      className="note-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (body.trim()) void props.onSave(body.trim());
      }}
    >
      <label htmlFor={id}>Edit note written {timeText(props.note.createdAt)}</label>
      <textarea
        id={id}
        value={body}
        autoFocus
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        maxLength={20000}
      />
      <div className="button-row">
        <button type="submit" disabled={props.saving || !body.trim()}>
          Save note
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
