import { displayName } from '../../../../shared/display-name';
import { ThumbnailImage } from '../../components/ThumbnailImage';
import { timeText } from '../../format';
import type { Message } from '../../stores/conversation';
import { safeMultiline } from '../item/text';
import { highlight } from './highlight';
import { howOfClick, type SelectHow } from './selection';
import { timeSourceText } from './time-source';

const KIND_WORDS: Record<Message['kind'], string> = {
  message: '',
  system: 'Written by the platform',
  deleted: 'Deleted message',
  call: 'Call',
};

/** One message: sender, time and where the time came from, text, media, what was added. */
export function MessageRow(props: {
  index: number;
  message: Message | undefined;
  timeZone: string | null;
  active: boolean;
  selected: boolean;
  highlighted: boolean;
  words: readonly string[];
  personName: string | null;
  incidentNames: ReadonlyMap<string, string>;
  onSelect(how: SelectHow): void;
  onFocus(): void;
  onOpenItem(id: string): void;
}) {
  const m = props.message;
  if (!m) {
    return (
      <div role="listitem" className="msg loading" aria-busy="true">
        <span className="visually-hidden">Loading message {props.index + 1}…</span>
      </div>
    );
  }
  const sender = displayName(m.sender || m.senderId || 'the platform');
  const source = timeSourceText(m.timeSource, props.timeZone);
  const kindWord = KIND_WORDS[m.kind];
  const text = safeMultiline(m.text);
  const media = m.attachments.filter((a) => !a.omitted);
  const omitted = m.attachments.filter((a) => a.omitted);
  const label = [
    `Message ${m.index + 1}`,
    kindWord,
    `from ${sender}`,
    m.time ? timeText(m.time) : 'no time',
    m.edited && 'edited',
    props.selected && 'selected',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <div
      role="listitem"
      className={`msg msg-${m.kind}${props.selected ? ' selected' : ''}${props.highlighted ? ' highlighted' : ''}`}
    >
      <div
        className="msg-card"
        data-index={props.index}
        data-message-id={m.id}
        tabIndex={props.active ? 0 : -1}
        aria-label={label}
        onFocus={props.onFocus}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest('button')) return;
          props.onSelect(howOfClick(e));
        }}
      >
        <div className="msg-head">
          <span className="msg-sender">
            <bdi>{sender}</bdi>
            {props.personName && <span className="badge"> {displayName(props.personName)}</span>}
          </span>
          <span className="msg-time">
            {m.time ? timeText(m.time, true) : 'No time'}
            <span className="msg-source">{source}</span>
          </span>
        </div>
        {kindWord && <p className="msg-kind">{kindWord}</p>}
        <p className="msg-text">
          <bdi>
            {highlight(text, props.words).map((s, i) =>
              s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
            )}
          </bdi>
          {m.textLength > m.text.length && (
            <span className="muted">
              {' '}
              … ({(m.textLength - m.text.length).toLocaleString('en-GB')} more characters)
            </span>
          )}
        </p>
        {m.edited && <p className="msg-edited">Edited</p>}
        {media.length > 0 && (
          <ul className="msg-media" aria-label="Attached">
            {media.map((a, i) => (
              <li key={i}>
                {a.itemId ? (
                  <button
                    type="button"
                    className="msg-thumb"
                    tabIndex={props.active ? 0 : -1}
                    onClick={() => props.onOpenItem(a.itemId!)}
                    aria-label={`Open ${displayName(a.name)}`}
                  >
                    <ThumbnailImage itemId={a.itemId} />
                    <span className="msg-thumb-name">{displayName(a.name)}</span>
                  </button>
                ) : (
                  <span className="muted">
                    {displayName(a.name)} (named in the export, but the file is not in it)
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        {omitted.length > 0 && (
          <p className="msg-omitted">
            {omitted.length === 1
              ? 'A media file was sent here, but the export left it out'
              : `${omitted.length} media files were sent here, but the export left them out`}
          </p>
        )}
        {(m.tags.length > 0 || m.noteCount > 0 || m.incidentIds.length > 0) && (
          <p className="msg-marks">
            {m.tags.map((t) => (
              <span key={t} className="badge">
                {displayName(t)}
              </span>
            ))}
            {m.noteCount > 0 && (
              <span className="badge">
                {m.noteCount} note{m.noteCount === 1 ? '' : 's'}
              </span>
            )}
            {m.incidentIds.map((id) => (
              <span key={id} className="badge">
                Incident {displayName(props.incidentNames.get(id) ?? '')}
              </span>
            ))}
          </p>
        )}
        <p className="msg-ref muted">
          {m.line !== null &&
            `Line ${m.line}${m.lineEnd !== null && m.lineEnd !== m.line ? `–${m.lineEnd}` : ''}, `}
          bytes {m.offset.toLocaleString('en-GB')}–{(m.offset + m.length).toLocaleString('en-GB')}
        </p>
      </div>
      <input
        type="checkbox"
        className="msg-check"
        checked={props.selected}
        tabIndex={-1}
        aria-label={`Select message ${m.index + 1}`}
        onChange={() => props.onSelect('toggle')}
      />
    </div>
  );
}
