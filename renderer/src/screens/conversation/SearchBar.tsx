import { useState } from 'react';
import { useConversation } from '../../stores/conversation';

/** Search within the conversation (next / previous, how many) and jump to a date. */
export function SearchBar() {
  const search = useConversation((s) => s.search);
  const searchError = useConversation((s) => s.searchError);
  const runSearch = useConversation((s) => s.runSearch);
  const stepSearch = useConversation((s) => s.stepSearch);
  const clearSearch = useConversation((s) => s.clearSearch);
  const jumpToDate = useConversation((s) => s.jumpToDate);
  const [text, setText] = useState('');
  const [date, setDate] = useState('');
  const [jumpNote, setJumpNote] = useState<string | null>(null);

  const jump = async () => {
    if (date) setJumpNote(await jumpToDate(date));
  };

  const status = !search
    ? ''
    : search.pending
      ? 'Searching…'
      : search.total === 0
        ? 'No messages have every word'
        : `${search.current + 1} of ${search.total.toLocaleString('en-GB')}`;

  return (
    <div className="conversation-tools">
      <form
        role="search"
        aria-label="In this conversation"
        onSubmit={(e) => {
          e.preventDefault();
          if (search && search.text === text && search.total > 0) void stepSearch(1);
          else void runSearch(text);
        }}
      >
        <label htmlFor="conversation-search">Search messages</label>
        <input
          id="conversation-search"
          type="search"
          value={text}
          maxLength={500}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value === '') clearSearch();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.shiftKey) {
              e.preventDefault();
              void stepSearch(-1);
            }
          }}
        />
        <button type="submit">Find</button>
        <button
          type="button"
          className="secondary"
          disabled={!search || search.total === 0}
          onClick={() => void stepSearch(-1)}
        >
          Previous
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!search || search.total === 0}
          onClick={() => void stepSearch(1)}
        >
          Next
        </button>
        <span className="search-count" role="status">
          {status}
        </span>
      </form>
      <form
        className="conversation-jump"
        onSubmit={(e) => {
          e.preventDefault();
          void jump();
        }}
      >
        <label htmlFor="conversation-date">Go to date</label>
        <input
          id="conversation-date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <button type="submit" className="secondary">
          Go
        </button>
        {jumpNote && <span role="status">{jumpNote}</span>}
      </form>
      {searchError && (
        <p className="error" role="alert">
          {searchError}
        </p>
      )}
    </div>
  );
}
