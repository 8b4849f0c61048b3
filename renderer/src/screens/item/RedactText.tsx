import { useEffect, useId, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { type RedactionReason } from '../../../../shared/redaction';
import { redactText, spansProblem } from '../../../../shared/redaction-text';
import {
  useItem,
  type ItemDetail,
  type RedactionSpanArgs,
  type RedactionText,
} from '../../stores/item';
import {
  coverSpansArgs,
  passageExcerpt,
  reasonsText,
  selectionProblem,
  type CoverSpan,
} from './copies';
import { CoverRow, SaveCopyActions } from './CoverRow';

/**
 * Making a redacted copy of an email or a text file (docs/redaction.md): the text the copy
 * is made from, in a read-only text area where passages are selected with the mouse or with
 * Shift and the arrow keys; each covered passage listed with its reason; a preview of the
 * copy with "[REDACTED: reason]" in their place; save. The offsets are the text area's own,
 * which count what the vault counts (shared/redaction-text.ts).
 */
export function RedactTextPanel(props: {
  detail: ItemDetail;
  saving: boolean;
  onSave(spans: RedactionSpanArgs): Promise<string | null>;
  onCancel(): void;
}) {
  const id = useId();
  const [rendering, setRendering] = useState<RedactionText | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [spans, setSpans] = useState<CoverSpan[]>([]);
  const [preview, setPreview] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  // The passage just covered, whose reason is asked for next.
  const [justCovered, setJustCovered] = useState<number | null>(null);

  const itemId = props.detail.id;
  const load = useItem((s) => s.redactionText);
  useEffect(() => {
    let live = true;
    void load(itemId).then((r) => {
      if (!live) return;
      if ('error' in r) setLoadError(r.error);
      else setRendering(r.rendering);
    });
    return () => {
      live = false;
    };
  }, [itemId, load]);
  useEffect(() => {
    heading.current?.focus();
  }, [preview]);
  // Every edit (typing, deleting, pasting) is refused before it happens: React's own
  // onBeforeInput sees typed text only, not a deletion.
  const shown = rendering !== null && !preview;
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    const refuse = (e: Event) => e.preventDefault();
    el.addEventListener('beforeinput', refuse);
    return () => el.removeEventListener('beforeinput', refuse);
  }, [shown]);
  // A passage just covered: its reason is the next thing to choose.
  useEffect(() => {
    if (justCovered === null) return;
    document.getElementById(`${id}-reason-${justCovered}`)?.focus();
    setJustCovered(null);
  }, [justCovered, id]);

  const set = (i: number, patch: Partial<CoverSpan>) =>
    setSpans(spans.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const name = displayName(props.detail.name);
  const text = rendering?.text ?? '';

  const cover = () => {
    const el = area.current;
    if (!el) return;
    const { selectionStart: start, selectionEnd: end } = el;
    const problem = selectionProblem(spans, start, end);
    setError(problem);
    if (problem) {
      el.focus();
      return;
    }
    // Listed in text order, so that a passage's number is the one the vault would say.
    const at = spans.filter((s) => s.start < start).length;
    setSpans([
      ...spans.slice(0, at),
      { start, end, reason: '', otherReason: '' },
      ...spans.slice(at),
    ]);
    setJustCovered(at);
  };

  const check = (): string | null => {
    const missing = spans.findIndex((s) => !s.reason);
    if (missing >= 0) return `Passage ${missing + 1} has no reason yet: choose why it is covered.`;
    // The vault's own check, said before anything is sent (numbered as listed here).
    return spansProblem(
      text,
      spans.map((s) => ({
        start: s.start,
        end: s.end,
        reason: s.reason as RedactionReason,
        otherReason: s.reason === 'other' ? s.otherReason.trim() : null,
      })),
    );
  };

  return (
    <section
      className="redact-text-panel"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-about`}
    >
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {preview ? 'Check the redacted copy' : 'Make a redacted copy'}
      </h2>
      {loadError ? (
        <>
          <p id={`${id}-about`} className="error" role="alert">
            {loadError}
          </p>
          <button type="button" className="secondary" onClick={props.onCancel}>
            Back
          </button>
        </>
      ) : !rendering ? (
        <p id={`${id}-about`} aria-busy="true">
          Reading the text…
        </p>
      ) : !preview ? (
        <>
          <p id={`${id}-about`}>
            Select each passage of {name} that must not be shown, with the mouse or by moving into
            the text and holding Shift with the arrow keys, then choose “Cover the selected text”
            and say why: a court can ask why something was covered.
          </p>
          <p className="hint">
            {rendering.kind === 'email'
              ? `This is the text the copy is made from: the email’s From, To, Cc, Subject and Date, and its words. Its other headers, formatting and ${rendering.attachments === 1 ? 'attachment are' : rendering.attachments > 1 ? `${rendering.attachments} attachments are` : 'attachments are'} not in the copy.`
              : 'This is the text the copy is made from.'}{' '}
            Hidden characters are shown as {'\\u{…}'}. The copy is a new text file; the original
            stays unchanged in the vault.
          </p>
          <textarea
            ref={area}
            className="redact-text"
            // Not `readOnly`: Chromium then scrolls on the arrow keys instead of moving the
            // caret, so a selection could not be made from the keyboard. Edits are refused
            // before they happen, and the value is always the rendering.
            aria-readonly="true"
            value={text}
            onPaste={(e) => e.preventDefault()}
            onCut={(e) => e.preventDefault()}
            onDrop={(e) => e.preventDefault()}
            onChange={(e) => {
              if (e.target.value !== text) e.target.value = text;
            }}
            rows={16}
            spellCheck={false}
            aria-label={`Text of ${name}, to select passages in`}
          />
          <div className="button-row">
            <button type="button" onClick={cover}>
              Cover the selected text
            </button>
          </div>
          {spans.length === 0 ? (
            <p className="hint">No passages covered yet.</p>
          ) : (
            <ol className="cover-list" aria-label="Passages to cover">
              {spans.map((s, i) => (
                <CoverRow
                  key={`${s.start}-${s.end}`}
                  id={id}
                  index={i}
                  noun="passage"
                  description={
                    <p className="detail wrap">
                      “{passageExcerpt(text, s)}”{' '}
                      <span className="muted">
                        (characters {s.start.toLocaleString('en-GB')} to{' '}
                        {s.end.toLocaleString('en-GB')})
                      </span>
                    </p>
                  }
                  reason={s.reason}
                  otherReason={s.otherReason}
                  onChange={(change) => set(i, change)}
                  onRemove={() => {
                    heading.current?.focus();
                    setSpans(spans.filter((_, j) => j !== i));
                  }}
                />
              ))}
            </ol>
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
                const problem = spans.length === 0 ? selectionProblem([], 0, 0) : check();
                setError(problem);
                if (!problem) setPreview(true);
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
            This is the text of the copy: each covered passage is replaced by its reason. Read all
            of it: anything still showing will be in the copy.
          </p>
          <p>
            <strong>
              {spans.length} {spans.length === 1 ? 'passage' : 'passages'} covered (
              {reasonsText(coverSpansArgs(spans))})
            </strong>
          </p>
          <pre className="redact-preview" tabIndex={0} aria-label="The redacted copy’s text">
            {redactText(text, coverSpansArgs(spans))}
          </pre>
          <SaveCopyActions
            error={error}
            saving={props.saving}
            onSave={() => {
              setError(null);
              void props.onSave(coverSpansArgs(spans)).then(setError);
            }}
            backLabel="Back to the passages"
            onBack={() => setPreview(false)}
            onCancel={props.onCancel}
          />
        </>
      )}
    </section>
  );
}
