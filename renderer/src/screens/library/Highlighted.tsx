import { snippetText } from './snippet-text';

/** A search snippet: matched words marked, everything else plain text (never HTML). */
export function Highlighted({ segments }: { segments: Array<{ text: string; match: boolean }> }) {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          <mark key={i}>{snippetText(s.text)}</mark>
        ) : (
          <span key={i}>{snippetText(s.text)}</span>
        ),
      )}
    </>
  );
}
