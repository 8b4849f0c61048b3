import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { ErrorNote } from '../../components/ErrorNote';
import { timeText } from '../../format';
import { useCustody, type CustodyEntry } from '../../stores/custody';
import { actionText, subjectText } from './custody-text';

const MAX_SUBJECTS = 4;

/**
 * The custody log, readable: every entry in plain words, and whether the chain of hashes is
 * whole. Only the rows on screen are in the DOM, and only the pages looked at are read, so a
 * log of 100,000+ entries scrolls freely.
 */
export function CustodyScreen() {
  const total = useCustody((s) => s.total);
  const pages = useCustody((s) => s.pages);
  const loading = useCustody((s) => s.loading);
  const error = useCustody((s) => s.error);
  const order = useCustody((s) => s.order);
  const load = useCustody((s) => s.load);
  const setOrder = useCustody((s) => s.setOrder);
  const ensureRange = useCustody((s) => s.ensureRange);
  const entryAt = useCustody((s) => s.entryAt);
  const locate = useCustody((s) => s.locate);
  const bounds = useCustody((s) => s.bounds);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [jump, setJump] = useState('');
  const [jumpError, setJumpError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const jumpId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  const count = total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 8,
  });
  const visible = virtualizer.getVirtualItems();
  const first = visible[0]?.index ?? 0;
  const last = visible.at(-1)?.index ?? 0;

  useEffect(() => {
    ensureRange(first, last + 1);
  }, [first, last, ensureRange, pages]);

  const showSeq = async (seq: number): Promise<boolean> => {
    const index = await locate(seq);
    if (index === null) return false;
    virtualizer.scrollToIndex(index, { align: 'start' });
    // Once rendered, put focus on the entry so it is read out.
    const focus = (tries: number) =>
      setTimeout(() => {
        const el = scroller.current?.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
        if (el) el.focus();
        else if (tries > 0) focus(tries - 1);
      }, 80);
    focus(10);
    return true;
  };

  const onJump = async (e: FormEvent) => {
    e.preventDefault();
    const seq = Number(jump);
    if (jump.trim() && Number.isInteger(seq) && (await showSeq(seq))) {
      setJumpError(null);
      return;
    }
    const range = await bounds();
    setJumpError(
      range
        ? `There is no entry ${jump || 'with that number'}. Entries run from ${range.first} to ${range.last}.`
        : 'The log is empty.',
    );
  };

  const toggle = (seq: number) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });

  return (
    <section className="custody" aria-labelledby="custody-title">
      <header className="screen-header">
        <h1 id="custody-title">Custody log</h1>
        <button type="button" className="secondary" onClick={() => void load()} disabled={loading}>
          Check again
        </button>
      </header>
      <p className="muted">
        Everything done to the vault is written here, in order. Each entry carries a fingerprint of
        the one before, so nothing can be changed, removed or reordered without it showing.
      </p>
      <VerifyBanner onShow={showSeq} />
      <ErrorNote message={error} />
      <div className="custody-controls">
        <label className="check">
          <input
            type="checkbox"
            checked={order === 'desc'}
            onChange={(e) => {
              setOrder(e.target.checked ? 'desc' : 'asc');
              virtualizer.scrollToOffset(0);
            }}
          />
          Newest first
        </label>
        <form className="inline-form" onSubmit={(e) => void onJump(e)}>
          <div className="field">
            <label htmlFor={jumpId}>Go to entry number</label>
            <input
              id={jumpId}
              type="number"
              inputMode="numeric"
              min={1}
              value={jump}
              onChange={(e) => setJump(e.target.value)}
            />
          </div>
          <button type="submit" className="secondary">
            Show entry
          </button>
        </form>
        <span className="muted">
          {total !== null ? `${count.toLocaleString('en-GB')} entries` : 'Reading the log…'}
        </span>
      </div>
      <ErrorNote message={jumpError} />
      <div
        ref={scroller}
        className="custody-scroller"
        tabIndex={0}
        role="region"
        aria-label="Custody log entries"
      >
        <div className="custody-canvas" style={{ height: virtualizer.getTotalSize() }} role="list">
          {visible.map((v) => {
            const entry = entryAt(v.index);
            return (
              <div
                key={v.key}
                ref={virtualizer.measureElement}
                data-index={v.index}
                role="listitem"
                aria-setsize={count}
                aria-posinset={v.index + 1}
                className="custody-row"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {entry ? (
                  <EntryView
                    entry={entry}
                    expanded={expanded.has(entry.seq)}
                    onToggle={() => toggle(entry.seq)}
                  />
                ) : (
                  <div className="custody-entry pending" aria-busy="true">
                    Reading entry…
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function VerifyBanner({ onShow }: { onShow(seq: number): Promise<boolean> }) {
  const report = useCustody((s) => s.report);
  const verifying = useCustody((s) => s.verifying);
  const verifyError = useCustody((s) => s.verifyError);
  if (verifying && !report)
    return (
      <p className="banner" role="status">
        Checking the log…
      </p>
    );
  if (verifyError)
    return (
      <p className="banner bad" role="alert">
        The log could not be checked: {verifyError}
      </p>
    );
  if (!report) return null;
  if (report.ok)
    return (
      <p className="banner good" role="status">
        <strong>The log is intact:</strong> {report.entries.toLocaleString('en-GB')}{' '}
        {report.entries === 1 ? 'entry' : 'entries'}, each linked to the one before.
      </p>
    );
  const broken = report.firstBroken;
  return (
    <div className="banner bad" role="alert">
      <p>
        <strong>The log is broken{broken ? ` at entry ${broken.seq}` : ''}.</strong>{' '}
        {broken && `${displayName(broken.reason)}. `}
        Entries from there on cannot be shown to be unchanged. Your files are not affected by this;
        keep a copy of the vault as it is and ask for help before changing anything.
      </p>
      {broken && (
        <button type="button" className="secondary" onClick={() => void onShow(broken.seq)}>
          Show entry {broken.seq}
        </button>
      )}
    </div>
  );
}

function EntryView(props: { entry: CustodyEntry; expanded: boolean; onToggle(): void }) {
  const { entry, expanded } = props;
  const report = useCustody((s) => s.report);
  const broken = report?.firstBroken?.seq === entry.seq;
  const subjects = entry.subjects;
  const shown = subjects
    .slice(0, MAX_SUBJECTS)
    .map((id, i) => subjectText(entry.subjectLabels[i] ?? { kind: 'other', label: id }));
  const detailsId = `custody-details-${entry.seq}`;
  return (
    <article
      className={`custody-entry${broken ? ' broken' : ''}`}
      data-seq={entry.seq}
      tabIndex={-1}
      aria-label={`Entry ${entry.seq}`}
    >
      <div className="custody-head">
        <span className="custody-seq">#{entry.seq}</span>
        <span className="custody-time">{timeText(entry.at, true)}</span>
        <span className="custody-actor">by {displayName(entry.actor)}</span>
        {broken && <strong className="custody-broken">First broken entry</strong>}
      </div>
      <p className="custody-what">{actionText(entry)}</p>
      {subjects.length > 0 && (
        <p className="custody-subjects">
          About: {shown.join(', ')}
          {subjects.length > MAX_SUBJECTS &&
            ` and ${(subjects.length - MAX_SUBJECTS).toLocaleString('en-GB')} more`}
        </p>
      )}
      <button
        type="button"
        className="link"
        aria-expanded={expanded}
        aria-controls={expanded ? detailsId : undefined}
        onClick={props.onToggle}
      >
        {expanded ? 'Hide details' : 'Show details'}
        <span className="visually-hidden"> of entry {entry.seq}</span>
      </button>
      {expanded && (
        <div id={detailsId} className="custody-details">
          <pre>
            {JSON.stringify(entry.details, null, 2)
              .slice(0, 20_000)
              .split('\n')
              .map(displayName)
              .join('\n')}
          </pre>
          <p className="hash">
            Fingerprint: <code>{entry.hash}</code>
            <br />
            Previous: <code>{entry.prev}</code>
          </p>
        </div>
      )}
    </article>
  );
}
