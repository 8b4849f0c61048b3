import { useEffect, useState, type DragEvent, type MouseEvent } from 'react';
import { connection } from '../api/transport';
import { useJobs } from '../stores/jobs';
import { useExportChoice } from '../stores/export-choice';
import { entriesOf, filesOf } from './import/dropped-files';
import { useSelection } from '../stores/selection';
import { useReadOnly, useSession } from '../stores/session';
import { ReviewBanner } from './review/ReviewBanner';
import { OpenBundleFromVault } from './review/OpenBundle';
import { YourReview } from './review/YourReview';
import { ImportPanel } from './import/ImportPanel';
import { LibraryScreen } from './library/LibraryScreen';
import { RESULTS_ID } from './library/ItemGrid';
import { CustodyScreen } from './custody/CustodyScreen';
import { IncidentsScreen } from './incidents/IncidentsScreen';
import { PeopleScreen } from './people/PeopleScreen';
import { TimelineScreen } from './timeline/TimelineScreen';
import { ItemView } from './item/ItemView';
import { ConversationView } from './conversation/ConversationView';
import { ChatChoiceDialog } from './import/ChatChoiceDialog';
import { ExportScreen } from './export/ExportScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { TextRecognitionProgress } from './TextRecognitionProgress';

type Screen =
  'library' | 'incidents' | 'timeline' | 'people' | 'custody' | 'export' | 'settings' | 'review';

const SCREENS: Array<{ id: Screen; label: string }> = [
  { id: 'library', label: 'Library' },
  { id: 'incidents', label: 'Incidents' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'people', label: 'People' },
  { id: 'custody', label: 'Custody log' },
  { id: 'export', label: 'Export' },
  { id: 'settings', label: 'Settings' },
  { id: 'review', label: 'Your review' },
];

/** While a bundle is open for review: only the screens that read (export and settings write). */
const REVIEW_SCREENS: ReadonlySet<Screen> = new Set([
  'library',
  'incidents',
  'timeline',
  'people',
  'custody',
  'review',
]);

/**
 * Past the search and filters to the items: the tile last used (the grid is one Tab stop),
 * else the list itself; with nothing listed, the library.
 */
function skipToResults(e: MouseEvent): void {
  e.preventDefault();
  const results = document.getElementById(RESULTS_ID);
  const target =
    results?.querySelector<HTMLElement>('.tile-open[tabindex="0"]') ??
    results ??
    document.getElementById('content');
  target?.focus();
}

/**
 * The unlocked app: navigation, the Lock button, and import from anywhere (drop files or
 * folders onto the window, or paste an image). A bundle open for review shows the same
 * screens that read, under its banner, with nothing that changes anything.
 */
export function Workspace() {
  const lock = useSession((s) => s.lock);
  const readOnly = useReadOnly();
  const [askingToReview, setAskingToReview] = useState(false);
  const importDropped = useJobs((s) => s.importDropped);
  const importFiles = useJobs((s) => s.importFiles);
  const [screen, setScreen] = useState<Screen>('library');
  const [dragging, setDragging] = useState(false);
  // An open item covers the screen; what is under it is inert until it closes.
  const itemOpen = useSelection((s) => s.openItemId !== null);
  const chatOpen = useSelection((s) => s.openConversation !== null);
  const needsChoice = useJobs((s) => s.chatChoices.length > 0);
  // Anything over the screen (an item, a conversation, the date-order question) makes it inert.
  const covered = itemOpen || chatOpen || needsChoice;
  // "Export these messages…" in a conversation goes to the export wizard.
  const exportAsked = useExportChoice((s) => s.opening);
  useEffect(() => {
    if (exportAsked) setScreen('export');
  }, [exportAsked]);

  useEffect(() => {
    if (readOnly) return; // nothing can be added to a bundle under review
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest('input, textarea, [contenteditable="true"]')) return; // pasting text
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      void importFiles(
        files.map((f, i) =>
          f.name && f.name !== 'image.png'
            ? f
            : new File([f], `pasted-${stamp}${i ? `-${i}` : ''}.${f.type.split('/')[1] || 'png'}`, {
                type: f.type,
                lastModified: Date.now(),
              }),
        ),
      );
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [importFiles, readOnly]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (readOnly) return;
    const files = [...e.dataTransfer.files];
    if (files.length === 0) return;
    if (connection.surface === 'desktop') {
      // The app gets each dropped file's or folder's path; main walks folders itself.
      void importDropped(files);
    } else {
      // A browser gives bytes only: walk dropped folders here.
      const entries = entriesOf(e.dataTransfer);
      // No entries (a drop made by a script, some platforms): the files themselves.
      if (entries.length < files.length) void importFiles(files);
      else void filesOf(entries).then((all) => importFiles(all));
    }
  };

  return (
    <div
      className={`workspace${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (readOnly || !e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <a className="skip-link" href="#content" inert={covered}>
        Skip to content
      </a>
      {screen === 'library' && (
        <a className="skip-link" href={`#${RESULTS_ID}`} inert={covered} onClick={skipToResults}>
          Skip to results
        </a>
      )}
      {readOnly && (
        <div inert={covered}>
          <ReviewBanner
            onOpenReview={() => setScreen('review')}
            onReviewScreen={screen === 'review'}
          />
        </div>
      )}
      <header className="app-bar" inert={covered}>
        <span className="app-name">Dossier</span>
        <nav aria-label="Sections">
          <ul>
            {SCREENS.filter((s) => (readOnly ? REVIEW_SCREENS.has(s.id) : s.id !== 'review')).map(
              (s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className="nav-link"
                    aria-current={screen === s.id ? 'page' : undefined}
                    onClick={() => setScreen(s.id)}
                  >
                    {s.label}
                  </button>
                </li>
              ),
            )}
          </ul>
        </nav>
        {!readOnly && <TextRecognitionProgress />}
        {!readOnly && (
          <button
            type="button"
            className="secondary"
            aria-expanded={askingToReview}
            onClick={() => setAskingToReview(!askingToReview)}
          >
            Review a bundle…
          </button>
        )}
        <button type="button" className="lock-button" onClick={() => void lock()}>
          Lock
        </button>
      </header>
      {askingToReview && !readOnly && (
        <div inert={covered}>
          <OpenBundleFromVault onDone={() => setAskingToReview(false)} />
        </div>
      )}
      <main id="content" tabIndex={-1} inert={covered}>
        {screen === 'library' && <LibraryScreen />}
        {screen === 'incidents' && <IncidentsScreen />}
        {screen === 'timeline' && <TimelineScreen />}
        {screen === 'people' && <PeopleScreen />}
        {screen === 'custody' && <CustodyScreen />}
        {screen === 'export' && !readOnly && <ExportScreen />}
        {screen === 'settings' && !readOnly && <SettingsScreen />}
        {screen === 'review' && readOnly && <YourReview />}
      </main>
      {chatOpen && <ConversationView />}
      {itemOpen && <ItemView />}
      {needsChoice && !readOnly && <ChatChoiceDialog />}
      {!readOnly && <ImportPanel />}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop to add to Dossier
        </div>
      )}
    </div>
  );
}
