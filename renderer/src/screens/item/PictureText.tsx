import { useEffect, useId, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import {
  LOW_CONFIDENCE,
  matchCountText,
  readingLabel,
  readingStateText,
  textSegments,
  type PictureReading,
} from './picture-text';

/**
 * "Text in this picture": the words read by machine, selectable and copyable, labelled as a
 * machine reading with its confidence; low-confidence words underlined with dots and listed
 * (never by colour alone); a find box whose matches are marked here and on the picture; and
 * "Read again". The picture itself is never changed.
 */
export function PictureText(props: {
  reading: PictureReading | null;
  loadError: string | null;
  paused: boolean;
  languageName: string | null;
  find: string;
  onFind(text: string): void;
  matches: readonly number[];
  busy: boolean;
  onReadAgain(): void;
  /** A bundle open for review: nothing is read again, and no reading is promised. */
  readOnly?: boolean;
}) {
  const readOnly = props.readOnly ?? false;
  const { reading: r } = props;
  const findId = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(r?.text ?? '');
      setCopied('yes');
    } catch {
      setCopied('no');
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 4000);
  };

  // A bundle under review is never read here: a picture it holds no reading for says so.
  const state = r
    ? readOnly && (r.state === 'queued' || r.state === 'none')
      ? 'The bundle holds no text read from this picture.'
      : readingStateText(r, props.paused)
    : null;
  const hasText = !!r?.text && r.words.length > 0;
  const matchSet = new Set(props.matches);
  const low = r ? r.words.filter((w) => w.c < LOW_CONFIDENCE) : [];
  const canReadAgain = r !== null && r.state !== 'none' && r.state !== 'queued';

  return (
    <section className="item-section picture-text" aria-labelledby="picture-text-title">
      <h2 id="picture-text-title">Text in this picture</h2>
      {props.loadError && <p className="error">{props.loadError}</p>}
      {!r && !props.loadError && <p aria-busy="true">Looking for the text read…</p>}
      {r && r.state !== 'none' && (hasText || r.state === 'done') && (
        <p className="hint">{readingLabel(r, props.languageName)}</p>
      )}
      {state && (
        <p className={r?.state === 'failed' ? 'error' : 'hint'} role="status">
          {state}
        </p>
      )}
      {hasText && r.state !== 'done' && (
        <p className="hint">The earlier reading is shown until the new one is saved.</p>
      )}
      {hasText && (
        <>
          <div className="picture-text-find">
            <label htmlFor={findId}>Find in this text</label>
            <input
              id={findId}
              type="search"
              value={props.find}
              maxLength={500}
              onChange={(e) => props.onFind(e.target.value)}
            />
          </div>
          <p className="picture-text-count" role="status">
            {props.find.trim() ? matchCountText(props.matches.length) : ''}
          </p>
          <div
            className="picture-text-body"
            tabIndex={0}
            role="region"
            aria-label="Text read from the picture"
          >
            {textSegments(r.text!, r.words, matchSet).map((s, i) => {
              const shown = s.word === null ? safeLines(s.text) : displayName(s.text);
              if (s.word === null) return <span key={i}>{shown}</span>;
              const className =
                `${s.low ? 'ocr-low' : ''}${s.match ? ' ocr-match-word' : ''}`.trim();
              return s.match ? (
                <mark key={i} className={className}>
                  {shown}
                </mark>
              ) : (
                <span key={i} className={className || undefined}>
                  {shown}
                </span>
              );
            })}
          </div>
          {low.length > 0 && (
            <p className="hint picture-text-low">
              <span className="ocr-low">Underlined with dots</span>: {low.length} word
              {low.length === 1 ? '' : 's'} read with low confidence (below {LOW_CONFIDENCE}%):{' '}
              {low
                .slice(0, 20)
                .map((w) => displayName(w.t))
                .join(', ')}
              {low.length > 20 ? '…' : ''}
            </p>
          )}
        </>
      )}
      <div className="button-row">
        {hasText && (
          <button type="button" className="secondary" onClick={() => void copy()}>
            Copy the text
          </button>
        )}
        {canReadAgain && !readOnly && (
          <button
            type="button"
            className="secondary"
            disabled={props.busy}
            onClick={props.onReadAgain}
          >
            Read again
          </button>
        )}
      </div>
      <p role="status" className="hint">
        {copied === 'yes'
          ? 'Copied.'
          : copied === 'no'
            ? 'Could not copy; select the text instead.'
            : ''}
      </p>
    </section>
  );
}

/** The spaces and line breaks between words, with anything hidden in them shown. */
function safeLines(s: string): string {
  return s
    .split('\n')
    .map((line) => (line.trim() ? displayName(line) : line))
    .join('\n');
}
