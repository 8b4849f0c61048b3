import { useEffect, useId, useMemo, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { ErrorNote } from '../../components/ErrorNote';
import { dateText, timeText } from '../../format';
import { useCases } from '../../stores/cases';
import { useSelection } from '../../stores/selection';
import { snippetText } from '../library/snippet-text';
import { buildTimeline, messageLines } from './timeline';

/**
 * Every incident on one line, oldest at the top, with the gap before each said in words:
 * what the police need to see as a course of conduct, not one "insignificant" email.
 */
export function TimelineScreen() {
  const incidents = useCases((s) => s.incidents);
  const people = useCases((s) => s.people);
  const loaded = useCases((s) => s.loaded);
  const error = useCases((s) => s.error);
  const load = useCases((s) => s.load);
  const openChat = useSelection((s) => s.openChat);
  const [personId, setPersonId] = useState('');
  const filterId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  const person = people.find((p) => p.id === personId) ?? null;
  const timeline = useMemo(
    () => buildTimeline(incidents, person ? person.id : null),
    [incidents, person],
  );
  const names = useMemo(() => new Map(people.map((p) => [p.id, displayName(p.name)])), [people]);
  const first = timeline.entries[0]?.incident;
  const last = timeline.entries.at(-1)?.incident;

  return (
    <section className="timeline-screen" aria-labelledby="timeline-title">
      <header className="screen-header">
        <h1 id="timeline-title">Timeline</h1>
        <div className="field inline">
          <label htmlFor={filterId}>Show incidents involving</label>
          <select id={filterId} value={personId} onChange={(e) => setPersonId(e.target.value)}>
            <option value="">Everyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {displayName(p.name)} ({p.role})
              </option>
            ))}
          </select>
        </div>
      </header>
      <ErrorNote message={error} />
      <p className="timeline-summary" role="status">
        <strong>{timeline.summary}</strong>
        {person && ` involving ${displayName(person.name)}`}
        {first && last && first !== last && (
          <span className="muted">
            {' '}
            — from {dateText(first.occurredAt)} to {dateText(last.occurredAt)}
          </span>
        )}
        {timeline.entries.length > 1 && (
          <span className="muted"> (days counted in the {timeline.timeZone} time zone)</span>
        )}
      </p>
      {loaded && incidents.length === 0 && (
        <p className="muted">
          Incidents you record appear here in date order, with the time between each one.
        </p>
      )}
      <ol className="timeline">
        {timeline.entries.map(({ incident: i, gap }) => {
          const who = i.personIds.map((id) => names.get(id)).filter(Boolean);
          const messages = messageLines(i, names);
          return (
            <li key={i.id} className="timeline-entry">
              {gap && <p className="timeline-gap">{gap.text}</p>}
              <article className="timeline-card" aria-labelledby={`tl-${i.id}`}>
                <h2 id={`tl-${i.id}`} className="timeline-when">
                  {timeText(i.occurredAt)}
                  {i.occurredUntil && (
                    <span className="muted"> until {timeText(i.occurredUntil)}</span>
                  )}
                </h2>
                {i.place && <p className="timeline-place">{displayName(i.place)}</p>}
                {i.summary && <p className="timeline-summary-text">{displayName(i.summary)}</p>}
                {messages.length > 0 && (
                  <ul className="timeline-messages" aria-label="Messages linked to this incident">
                    {messages.map((m) => (
                      <li key={m.id}>
                        <button
                          type="button"
                          className="timeline-message"
                          data-message-id={m.id}
                          onClick={() => openChat(m.conversationId, m.index)}
                        >
                          <span className="visually-hidden">Open in its conversation: </span>
                          <span className="timeline-message-from">
                            <bdi>{displayName(m.who)}</bdi>
                            {m.time ? `, ${timeText(m.time)}` : ''}:
                          </span>{' '}
                          <bdi className="timeline-message-text">{snippetText(m.excerpt)}</bdi>
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                <p className="tile-meta">
                  {messages.length > 0 &&
                    `${messages.length} message${messages.length === 1 ? '' : 's'} · `}
                  {i.itemIds.length} item{i.itemIds.length === 1 ? '' : 's'} · {i.personIds.length}{' '}
                  {i.personIds.length === 1 ? 'person' : 'people'}
                  {who.length > 0 && `: ${who.join(', ')}`}
                  {i.policeRef && ` · Police ref. ${displayName(i.policeRef)}`}
                </p>
              </article>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
