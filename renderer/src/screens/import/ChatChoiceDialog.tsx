import { useEffect, useMemo, useRef, useState } from 'react';
import type { Result } from '../../../../shared/contract';
import { displayName } from '../../../../shared/display-name';
import { dateText } from '../../format';
import { FocusLoop } from '../../components/FocusLoop';
import { useJobs } from '../../stores/jobs';
import { computerZone, filterZones, knownZones } from './time-zones';

type Check = Result<'items.chatChoice'>;

/**
 * A WhatsApp export does not say whether 04/03 is 4 March or 3 April, nor its time zone:
 * when its dates do not settle it, the person says, looking at dates from the file read both
 * ways. Nothing was stored until they answer; the answer goes in the custody log.
 */
export function ChatChoiceDialog() {
  const request = useJobs((s) => s.chatChoices[0]);
  const answer = useJobs((s) => s.answerChatChoice);
  const checkOf = useJobs((s) => s.chatChoiceCheck);
  const here = useMemo(computerZone, []);
  const zones = useMemo(() => knownZones(here), [here]);
  const [check, setCheck] = useState<Check | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [order, setOrder] = useState<'dmy' | 'mdy' | null>(null);
  const [zone, setZone] = useState(here);
  const [zoneQuery, setZoneQuery] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!request) return;
    let live = true;
    setCheck(null);
    setCheckError(null);
    setOrder(null);
    setZone(here);
    setZoneQuery('');
    heading.current?.focus();
    void checkOf(request).then((c) => {
      if (!live) return;
      if (c === null) setCheckError('the file is too large to read only for examples');
      else if ('error' in c) setCheckError(c.error);
      else setCheck(c);
    });
    return () => {
      live = false;
    };
  }, [request, here, checkOf]);

  if (!request) return null;
  // An item already in the vault, to be read as a conversation, rather than a file to import.
  const reading = 'itemId' in request.source;
  const shown = filterZones(zones, zoneQuery).slice(0, 400);
  const contradiction = check?.dayFirstLine != null && check?.monthFirstLine != null;

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog chat-choice"
        role="dialog"
        aria-modal="true"
        aria-labelledby="chat-choice-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            void answer(null);
          }
        }}
      >
        <FocusLoop>
          <h2 id="chat-choice-title" ref={heading} tabIndex={-1}>
            Which way round are the dates in “{displayName(request.name)}”?
          </h2>
          <p>
            WhatsApp writes dates such as 04/03/2024 without saying whether the day or the month
            comes first, and nothing in this chat settles it.{' '}
            {reading
              ? 'The file stays as it is in the vault: choose, and Dossier reads its messages with your answer and records it in the custody log.'
              : 'Nothing has been stored yet: choose, and Dossier imports it with your answer and records it in the custody log.'}
          </p>
          {contradiction && (
            <p className="error">
              The dates contradict each other: line {check!.dayFirstLine} can only be day first and
              line {check!.monthFirstLine} only month first. Dates that do not fit your choice are
              kept without a time and listed as problems.
            </p>
          )}
          {checkError && <p className="error">Example dates could not be read: {checkError}</p>}
          {!check && !checkError && <p aria-busy="true">Reading example dates from the file…</p>}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (order && zone) void answer({ dateOrder: order, timeZone: zone });
            }}
          >
            <fieldset>
              <legend>The dates are</legend>
              {(['dmy', 'mdy'] as const).map((o) => (
                <div key={o} className="choice">
                  <input
                    type="radio"
                    id={`chat-order-${o}`}
                    name="chat-order"
                    value={o}
                    checked={order === o}
                    onChange={() => setOrder(o)}
                  />
                  <label htmlFor={`chat-order-${o}`}>
                    {o === 'dmy' ? 'Day first (dd/mm/yyyy)' : 'Month first (mm/dd/yyyy)'}
                  </label>
                  {check && check.examples.length > 0 && (
                    <ul
                      className="chat-examples"
                      aria-label={o === 'dmy' ? 'Read day first' : 'Read month first'}
                    >
                      {check.examples.map((x) => (
                        <li key={x.line}>
                          Line {x.line}: “{displayName(x.written)}” would be{' '}
                          <strong>{dateText(o === 'dmy' ? x.dmy : x.mdy)}</strong>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>The phone’s time zone</legend>
              <p className="muted">
                This computer’s zone is {here}; it is chosen unless you pick another. The times in
                the export are as the phone showed them.
              </p>
              <label htmlFor="chat-zone-search">Find a zone</label>
              <input
                id="chat-zone-search"
                type="search"
                value={zoneQuery}
                placeholder="e.g. London, New York"
                onChange={(e) => setZoneQuery(e.target.value)}
              />
              <label htmlFor="chat-zone">Time zone</label>
              <select
                id="chat-zone"
                size={6}
                value={zone}
                onChange={(e) => setZone(e.target.value)}
              >
                {!shown.includes(zone) && <option value={zone}>{zone} (chosen)</option>}
                {shown.map((z) => (
                  <option key={z} value={z}>
                    {z === here ? `${z} (this computer)` : z}
                  </option>
                ))}
              </select>
            </fieldset>
            <div className="button-row">
              <button type="submit" disabled={!order}>
                {reading ? 'Read with these' : 'Import with these'}
              </button>
              <button type="button" className="secondary" onClick={() => void answer(null)}>
                {reading ? 'Not now' : 'Don’t import this file'}
              </button>
            </div>
            {!order && (
              <p className="muted">Choose the date order to {reading ? 'read' : 'import'} it.</p>
            )}
          </form>
        </FocusLoop>
      </div>
    </div>
  );
}
