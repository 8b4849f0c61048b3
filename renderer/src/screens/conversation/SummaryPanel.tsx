import { displayName } from '../../../../shared/display-name';
import { timeText } from '../../format';
import type { Summary } from '../../stores/conversation';
import { useCases } from '../../stores/cases';
import { useSelection } from '../../stores/selection';
import { dateOrderText, timeSourceText } from './time-source';

const FORMAT_NAMES: Record<Summary['format'], string> = {
  mbox: 'Mailbox (mbox)',
  whatsapp: 'WhatsApp export',
  telegram: 'Telegram Desktop export',
  instagram: 'Instagram messages',
  facebook: 'Facebook messages',
};

/** Shown first, at most; the rest are counted. */
const SHOWN_PARTICIPANTS = 20;
const SHOWN_PROBLEMS = 50;

/** What the conversation is: who, how many, when, how its times were read, what went wrong. */
export function SummaryPanel({ summary: s }: { summary: Summary }) {
  const people = useCases((c) => c.people);
  const open = useSelection((c) => c.open);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const participants = [...s.participants].sort((a, b) => b.messages - a.messages);
  return (
    <details className="conversation-summary" open={s.problems.length > 0 ? true : undefined}>
      <summary>
        {s.messageCount.toLocaleString('en-GB')} message{s.messageCount === 1 ? '' : 's'} ·{' '}
        {participants.length} sender{participants.length === 1 ? '' : 's'}
        {s.firstTime && ` · ${timeText(s.firstTime)} to ${timeText(s.lastTime)}`}
        {s.problems.length > 0 &&
          ` · ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'} found when read`}
      </summary>
      <dl className="details-list">
        <dt>Read from</dt>
        <dd>
          {FORMAT_NAMES[s.format]}
          {s.chatFile && (
            <>
              , chat file <code>{displayName(s.chatFile)}</code> inside it
            </>
          )}{' '}
          <button type="button" className="link" onClick={() => open(s.itemId)}>
            Open the original file
          </button>
        </dd>
        <dt>Reader</dt>
        <dd>
          {displayName(s.reader)}, {timeText(s.readAt)}
        </dd>
        <dt>Date order</dt>
        <dd>{dateOrderText(s.dateOrder, s.format)}</dd>
        <dt>Times</dt>
        <dd>{s.timeSource ? timeSourceText(s.timeSource, s.timeZone) : 'no times recorded'}</dd>
        <dt>Senders</dt>
        <dd>
          <ul className="conversation-participants">
            {participants.slice(0, SHOWN_PARTICIPANTS).map((p, i) => (
              <li key={i}>
                <bdi>{displayName(p.sender || p.senderId || 'the platform')}</bdi>
                {p.senderId && p.senderId !== p.sender && (
                  <span className="muted">
                    {' '}
                    (<bdi>{displayName(p.senderId)}</bdi>)
                  </span>
                )}
                : {p.messages.toLocaleString('en-GB')}
                {p.personId && names.get(p.personId) && (
                  <span className="badge"> marked as {displayName(names.get(p.personId)!)}</span>
                )}
              </li>
            ))}
          </ul>
          {participants.length > SHOWN_PARTICIPANTS &&
            `and ${participants.length - SHOWN_PARTICIPANTS} more`}
        </dd>
      </dl>
      {s.problems.length > 0 && (
        <section className="item-problem" aria-labelledby="conversation-problems">
          <h2 id="conversation-problems">Problems found when reading it</h2>
          <p>
            The original file is kept exactly as received; the messages below are everything that
            could be read.
          </p>
          <ul>
            {s.problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <li key={i}>
                {p.line !== null && `Line ${p.line}: `}
                {displayName(p.message)}
              </li>
            ))}
          </ul>
          {s.problems.length > SHOWN_PROBLEMS && `and ${s.problems.length - SHOWN_PROBLEMS} more`}
        </section>
      )}
    </details>
  );
}
