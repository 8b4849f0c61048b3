import { useEffect, useRef, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { timeText } from '../../format';
import {
  chosenGroups,
  chosenText,
  useExportChoice,
  type ChosenGroup,
  type ChosenMessage,
} from '../../stores/export-choice';

/** The chosen messages as the store holds them, for the wizard's first step. */
export function ChosenMessagesOfStore() {
  const messages = useExportChoice((s) => s.messages);
  const titles = useExportChoice((s) => s.titles);
  const remove = useExportChoice((s) => s.remove);
  const clear = useExportChoice((s) => s.clear);
  return <ChosenMessages messages={messages} titles={titles} onRemove={remove} onClear={clear} />;
}

/** Messages listed per conversation before "Show all" (a long run stays one Tab away). */
export const SHOWN_AT_FIRST = 50;

/**
 * The messages chosen in conversations for this export's transcripts, by conversation: how
 * many, from when to when, each removable, and "Clear". Removing one moves the focus to the
 * next one's button (or the heading when none is left), so the keyboard never loses its place.
 */
export function ChosenMessages(props: {
  messages: readonly ChosenMessage[];
  titles: ReadonlyMap<string, string>;
  onRemove(id: string): void;
  onClear(): void;
}) {
  const { messages, titles, onRemove: remove, onClear: clear } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const [focusNext, setFocusNext] = useState<string | null>(null);
  const [said, setSaid] = useState('');

  useEffect(() => {
    if (focusNext === null) return;
    const target = buttons.current.get(focusNext) ?? heading.current;
    target?.focus();
    setFocusNext(null);
  }, [focusNext, messages]);

  const groups = chosenGroups(messages, titles);

  const removeOne = (m: ChosenMessage) => {
    const at = messages.findIndex((x) => x.id === m.id);
    const next = messages[at + 1] ?? messages[at - 1];
    remove(m.id);
    setSaid(`Removed message ${m.index + 1}. ${chosenText(messages.filter((x) => x !== m))} left.`);
    setFocusNext(next?.id ?? '');
  };

  return (
    <section className="chosen-messages" aria-labelledby="chosen-title">
      <h3 id="chosen-title" ref={heading} tabIndex={-1}>
        Chosen messages
      </h3>
      {messages.length === 0 ? (
        <p className="hint">
          No messages are chosen. To print particular messages in the transcript, open a
          conversation in the Library, select them, and choose “Export these messages…”.
        </p>
      ) : (
        <>
          <p id="chosen-summary">
            {chosenText(messages)}, printed in the transcript with their conversation as the
            exhibit, whatever else you choose above.
          </p>
          {groups.map((g) => (
            <Group
              key={g.conversationId}
              group={g}
              buttons={buttons.current}
              onRemove={removeOne}
            />
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              clear();
              setSaid('The chosen messages were cleared.');
              setFocusNext('');
            }}
          >
            Clear chosen messages
          </button>
        </>
      )}
      <p className="visually-hidden" role="status">
        {said}
      </p>
    </section>
  );
}

function Group(props: {
  group: ChosenGroup;
  buttons: Map<string, HTMLButtonElement>;
  onRemove(m: ChosenMessage): void;
}) {
  const { group } = props;
  const [all, setAll] = useState(false);
  const title = displayName(group.title);
  const shown = all ? group.messages : group.messages.slice(0, SHOWN_AT_FIRST);
  const n = group.messages.length;
  const when =
    group.firstTime === null
      ? 'no times recorded'
      : group.firstTime === group.lastTime
        ? timeText(group.firstTime)
        : `${timeText(group.firstTime)} to ${timeText(group.lastTime)}`;
  return (
    <div className="chosen-group">
      <h4>
        <bdi>{title}</bdi>
      </h4>
      <p className="hint">
        {n.toLocaleString('en-GB')} message{n === 1 ? '' : 's'}, {when}
      </p>
      <ul aria-label={`Chosen messages from ${title}`}>
        {shown.map((m) => {
          const sender = displayName(m.sender || 'the platform');
          const time = m.time ? timeText(m.time) : 'no time';
          return (
            <li key={m.id}>
              <span className="chosen-line">
                Message {m.index + 1}, <bdi>{sender}</bdi>, {time}:{' '}
                <bdi className="chosen-text">{displayName(oneLine(m.text))}</bdi>
              </span>
              <button
                type="button"
                className="link"
                ref={(el) => {
                  if (el) props.buttons.set(m.id, el);
                  else props.buttons.delete(m.id);
                }}
                aria-label={`Remove message ${m.index + 1} from ${sender}, ${time}`}
                onClick={() => props.onRemove(m)}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      {shown.length < n && (
        <button type="button" className="link" onClick={() => setAll(true)}>
          Show all {n.toLocaleString('en-GB')} from <bdi>{title}</bdi>
        </button>
      )}
    </div>
  );
}

/** A message's start on one line: its line breaks and tabs as spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}
