import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { ErrorNote } from '../../components/ErrorNote';
import { dateText, timeText } from '../../format';
import { useCases } from '../../stores/cases';
import { useCustody, type CustodyEntry } from '../../stores/custody';
import { actionText } from './custody-text';

const MAX_SUBJECTS = 4;

/**
 * The custody log, readable: every entry in plain words, and whether the chain of hashes is
 * whole. Only the rows on screen are in the DOM, so a log of 100,000+ entries scrolls freely.
 */
export function CustodyScreen() {
  const entries = useCustody((s) => s.entries);
  const loaded = useCustody((s) => s.loaded);
  const loading = useCustody((s) => s.loading);
  const error = useCustody((s) => s.error);
  const load = useCustody((s) => s.load);
  const loadCases = useCases((s) => s.load);
  const people = useCases((s) => s.people);
  const incidents = useCases((s) => s.incidents);
  const [newestFirst, setNewestFirst] = useState(true);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [jump, setJump] = useState('');
  const [jumpError, setJumpError] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const jumpId = useId();

  useEffect(() => {
    void load();
    void loadCases();
  }, [load, loadCases]);

  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of people) m.set(p.id, `${displayName(p.name)} (person)`);
    for (const i of incidents) m.set(i.id, `the incident on ${dateText(i.occurredAt)}`);
    return m;
  }, [people, incidents]);

  const count = entries.length;
  const entryAt = (index: number): CustodyEntry | undefined =>
    entries[newestFirst ? count - 1 - index : index];
  const indexOfSeq = (seq: number): number => {
    // Entries are sorted by seq, usually 1..n with no holes; search to be safe.
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = entries[mid]!.seq;
      if (s === seq) return newestFirst ? count - 1 - mid : mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => 76,
    overscan: 8,
    getItemKey: (index) => entryAt(index)?.seq ?? index,
  });

  const showSeq = (seq: number): boolean => {
    const index = indexOfSeq(seq);
    if (index < 0) return false;
    virtualizer.scrollToIndex(index, { align: 'start' });
    // Once rendered, put focus on the entry so it is read out.
    setTimeout(
      () => scroller.current?.querySelector<HTMLElement>(`[data-seq="${seq}"]`)?.focus(),
      80,
    );
    return true;
  };

  const onJump = (e: FormEvent) => {
    e.preventDefault();
    const seq = Number(jump);
    if (!Number.isInteger(seq) || !showSeq(seq)) {
      setJumpError(
        count
          ? `There is no entry ${jump || 'with that number'}. Entries run from ${entries[0]!.seq} to ${entries[count - 1]!.seq}.`
          : 'The log is empty.',
      );
    } else setJumpError(null);
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
            checked={newestFirst}
            onChange={(e) => {
              setNewestFirst(e.target.checked);
              virtualizer.scrollToOffset(0);
            }}
          />
          Newest first
        </label>
        <form className="inline-form" onSubmit={onJump}>
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
          {loaded ? `${count.toLocaleString('en-GB')} entries` : 'Reading the log…'}
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
          {virtualizer.getVirtualItems().map((v) => {
            const entry = entryAt(v.index);
            if (!entry) return null;
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
                <EntryView
                  entry={entry}
                  names={names}
                  expanded={expanded.has(entry.seq)}
                  onToggle={() => toggle(entry.seq)}
                />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

function VerifyBanner({ onShow }: { onShow(seq: number): boolean }) {
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
        <button type="button" className="secondary" onClick={() => onShow(broken.seq)}>
          Show entry {broken.seq}
        </button>
      )}
    </div>
  );
}

function EntryView(props: {
  entry: CustodyEntry;
  names: Map<string, string>;
  expanded: boolean;
  onToggle(): void;
}) {
  const { entry, names, expanded } = props;
  const report = useCustody((s) => s.report);
  const broken = report?.firstBroken?.seq === entry.seq;
  const subjects = entry.subjects;
  const shown = subjects.slice(0, MAX_SUBJECTS).map((s) => names.get(s) ?? displayName(s));
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
