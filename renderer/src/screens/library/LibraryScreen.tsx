import { useEffect, useRef } from 'react';
import { useCases } from '../../stores/cases';
import { useLibrary } from '../../stores/library';
import { useSelection } from '../../stores/selection';
import { ImportControls } from '../import/ImportControls';
import { FilterBar } from './FilterBar';
import { ItemGrid } from './ItemGrid';
import { VaultNotices } from './VaultNotices';
import { useReadOnly } from '../../stores/session';

/** The library: search and filters on top, the virtualized items below. */
export function LibraryScreen() {
  const total = useLibrary((s) => s.total);
  const error = useLibrary((s) => s.error);
  const reload = useLibrary((s) => s.reload);
  const selected = useSelection((s) => s.selected);
  const clear = useSelection((s) => s.clear);
  const people = useCases((s) => s.people);
  const incidents = useCases((s) => s.incidents);
  const loadCases = useCases((s) => s.load);
  const readOnly = useReadOnly();
  useEffect(() => {
    reload();
    void loadCases();
  }, [reload, loadCases]);

  // Just unlocked (the unlock form is gone, focus with it): start on the library's first
  // control rather than the page. Coming here from the navigation, focus stays where it is.
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    const now = document.activeElement;
    if (now !== null && now !== document.body) return;
    section.current?.querySelector<HTMLElement>('button:not(:disabled), input, select')?.focus();
  }, []);

  return (
    <section ref={section} className="library" aria-labelledby="library-title">
      <header className="screen-header">
        <h1 id="library-title">Library</h1>
        {!readOnly && <ImportControls />}
      </header>
      <VaultNotices />
      <FilterBar
        people={people.map((p) => ({ id: p.id, name: p.name }))}
        incidents={incidents.map((i) => ({
          id: i.id,
          label: `${i.occurredAt.slice(0, 10)} ${i.place || i.summary.slice(0, 40)}`.trim(),
        }))}
      />
      {selected.size > 0 && (
        <div className="selection-bar" role="status">
          {selected.size} selected
          <button type="button" className="link" onClick={clear}>
            Clear selection
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {total === 0 && readOnly && (
        <div className="empty">
          <h2>This bundle holds no exhibits</h2>
        </div>
      )}
      {total === 0 && !readOnly && (
        <div className="empty">
          <h2>Nothing here yet</h2>
          <p>
            Drag screenshots, emails, recordings or whole folders anywhere onto this window, paste
            an image, or use <strong>Add files</strong>. Originals are stored unchanged and
            encrypted.
          </p>
        </div>
      )}
      <ItemGrid />
    </section>
  );
}
