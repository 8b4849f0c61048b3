import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { displayName } from '../../../../shared/display-name';
import { FocusLoop } from '../../components/FocusLoop';
import { useConversation } from '../../stores/conversation';
import { useSelection } from '../../stores/selection';
import { useCases } from '../../stores/cases';
import { ActionBar } from './ActionBar';
import { MessageList } from './MessageList';
import { SummaryPanel } from './SummaryPanel';
import { SearchBar } from './SearchBar';
import { useReadOnly } from '../../stores/session';
import { ReviewStrip } from '../review/ReviewBanner';
import { ReviewControls } from '../review/ReviewControls';
import { useReviewing } from '../../stores/reviewing';
import { selectedIndices } from './selection';

/**
 * A conversation read from a chat export or mailbox, over the library: the summary, search
 * and jump to a date on top, the messages as a chat below, and the actions on the selected
 * messages. Escape or "Back to library" closes it.
 */
export function ConversationView() {
  // A bundle open for review: messages are read; nothing links, tags or notes them.
  const readOnly = useReadOnly();
  const target = useSelection((s) => s.openConversation);
  const openChat = useSelection((s) => s.openChat);
  const itemOpen = useSelection((s) => s.openItemId !== null);
  const load = useConversation((s) => s.load);
  const close = useConversation((s) => s.close);
  const setFocus = useConversation((s) => s.setFocus);
  const summary = useConversation((s) => s.summary);
  const error = useConversation((s) => s.error);
  const selected = useConversation((s) => s.selection.selected.size);
  const casesLoaded = useCases((s) => s.loaded);
  const loadCases = useCases((s) => s.load);
  const heading = useRef<HTMLHeadingElement>(null);
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);

  const id = target?.id ?? null;
  const startAt = target?.index ?? null;
  useEffect(() => {
    if (!id) return;
    void load(id).then(() => setFocus(startAt));
  }, [id, startAt, load, setFocus]);
  useEffect(
    () => () => {
      close();
      setTimeout(() => {
        // Something else took the focus as it closed (the export wizard): leave it there.
        if (document.activeElement && document.activeElement !== document.body) return;
        const back = returnTo?.isConnected ? returnTo : document.getElementById('content');
        back?.focus();
      }, 0);
    },
    [close, returnTo],
  );
  useEffect(() => {
    if (!casesLoaded) void loadCases();
  }, [casesLoaded, loadCases]);
  // Once it is there, the title takes focus, so a screen reader says what opened.
  const loadedId = summary?.itemId ?? null;
  useEffect(() => {
    if (loadedId) heading.current?.focus();
  }, [loadedId]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    const t = e.target as HTMLInputElement | HTMLTextAreaElement;
    if ((t.tagName === 'TEXTAREA' || t.tagName === 'INPUT') && t.value) return;
    e.preventDefault();
    openChat(null);
  };

  const title = summary
    ? displayName(summary.title || 'Conversation')
    : error
      ? 'Could not open this conversation'
      : 'Opening…';

  return (
    <div
      className="item-view conversation-view"
      role="dialog"
      aria-modal="true"
      aria-labelledby="conversation-title"
      onKeyDown={onKeyDown}
      inert={itemOpen}
    >
      <FocusLoop>
        {readOnly && <ReviewStrip />}
        <div className="item-bar">
          <button type="button" className="secondary" onClick={() => openChat(null)}>
            ← Back to library
          </button>
          <h1 id="conversation-title" ref={heading} tabIndex={-1} className="wrap">
            {title}
          </h1>
          <span className="kind-badge kind-conversation">conversation</span>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {!summary && !error && <p aria-busy="true">Opening the conversation…</p>}
        {summary && (
          <div className="conversation-body">
            <SummaryPanel summary={summary} />
            <SearchBar />
            {selected > 0 && !readOnly && <ActionBar />}
            {selected === 1 && readOnly && <MessageReview itemId={summary.itemId} />}
            <MessageList summary={summary} />
          </div>
        )}
      </FocusLoop>
    </div>
  );
}

/**
 * While reviewing, the one message chosen: the adviser's controls for it (the message is
 * named by its id, its conversation's exhibit label and its place in the conversation).
 */
function MessageReview({ itemId }: { itemId: string }) {
  const selection = useConversation((s) => s.selection);
  const rowAt = useConversation((s) => s.rowAt);
  const exhibit = useReviewing((s) => s.state?.exhibits.find((x) => x.itemId === itemId));
  const index = selectedIndices(selection)[0];
  const row = index === undefined ? undefined : rowAt(index);
  if (!exhibit || !row) return null;
  return (
    <ReviewControls
      className="message-adviser"
      what={`message ${row.index + 1} in ${displayName(exhibit.label)}`}
      target={{ kind: 'message', messageId: row.id, exhibit: exhibit.label, index: row.index }}
    />
  );
}
