import type { Result } from '../../../../shared/contract';
import { displayName } from '../../../../shared/display-name';
import { dateText } from '../../format';

export type Glance = NonNullable<Result<'items.query'>['rows'][number]['conversation']>;

/**
 * A conversation's tile line: "1,204 messages · Alex, Me · 4 Mar 2024 – 5 May 2024".
 * Sender names come from the export, so they are made safe like any file name.
 */
export function conversationGlance(g: Glance): string {
  const count = `${g.messages.toLocaleString('en-GB')} message${g.messages === 1 ? '' : 's'}`;
  const names = g.topSenders.filter((n) => n !== '').map(displayName);
  const others = g.senders - names.length;
  const who =
    names.length === 0
      ? null
      : others > 0
        ? `${names.join(', ')} and ${others.toLocaleString('en-GB')} other${others === 1 ? '' : 's'}`
        : names.join(', ');
  const first = g.firstTime ? dateText(g.firstTime) : null;
  const last = g.lastTime ? dateText(g.lastTime) : null;
  const span = first && last ? (first === last ? first : `${first} – ${last}`) : (first ?? last);
  return [count, who, span].filter(Boolean).join(' · ');
}
