import { useEffect, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { LOCATION_WITHHELD, type LocationChoice } from '../../../../shared/location-fields';
import { useJobs, type Located, type LocatedArgs } from '../../stores/jobs';
import { originalsKeepLocationText } from './wizard';

/** The located items of the wizard's choices, listed before anything is exported. */
export type LocatedList =
  | { state: 'listing' }
  | { state: 'listed'; items: Located['items']; byCopies?: Located['withheldByCopies'] }
  | { state: 'failed'; error: string };

/** At most this many located items are named; the count is always said. */
const NAMED = 10;

/**
 * Where photos were taken can give away a home: said before the export, with the items named,
 * and a choice that withholds it unless the person chooses otherwise.
 */
export function LocationChoiceFields(props: {
  located: LocatedList;
  choice: LocationChoice;
  onChange(choice: LocationChoice): void;
}) {
  const { located, choice, onChange } = props;
  if (located.state === 'listing') return null;
  const n = located.state === 'listed' ? located.items.length : null;
  const byCopies = located.state === 'listed' ? (located.byCopies ?? []) : [];
  if (n === 0) return byCopies.length ? <LocatedByCopies copies={byCopies} /> : null;
  const options: Array<{ value: LocationChoice; label: string; hint: string }> = [
    {
      value: 'withheld',
      label: 'Leave the location out (recommended)',
      hint: `The bundle’s report, court bundle, metadata files and viewer do not show it; where they would, they say “${LOCATION_WITHHELD}”.`,
    },
    {
      value: 'included',
      label: 'Include the location',
      hint: 'The metadata files and the viewer show the coordinates. Anyone who gets the bundle can see where the photos were taken.',
    },
  ];
  return (
    <fieldset className="choices location-choice" aria-describedby="location-warning">
      <legend>Location in photos</legend>
      <div className="notice" id="location-warning" role="status">
        {located.state === 'failed' || n === null ? (
          <p>
            Dossier could not check which items record where they were taken (
            {located.state === 'failed' ? located.error : 'unknown'}). Choose what the bundle does
            with any location they record.
          </p>
        ) : (
          <>
            <p>
              {n === 1
                ? '1 item records where it was taken (GPS):'
                : `${n.toLocaleString('en-GB')} items record where they were taken (GPS):`}
            </p>
            <ul id="located-items">
              {located.items.slice(0, NAMED).map((x) => (
                <li key={x.itemId}>
                  {displayName(x.number)} {displayName(x.name)}
                </li>
              ))}
              {n > NAMED && <li>and {(n - NAMED).toLocaleString('en-GB')} more</li>}
            </ul>
          </>
        )}
        <p>A photo’s location can give away a home address.</p>
      </div>
      {options.map((o) => {
        const id = `location-${o.value}`;
        return (
          <div className="choice" key={o.value}>
            <input
              type="radio"
              name="location"
              id={id}
              value={o.value}
              checked={choice === o.value}
              aria-describedby={`${id}-hint`}
              onChange={() => onChange(o.value)}
            />
            <label htmlFor={id}>{o.label}</label>
            <p id={`${id}-hint`} className="hint">
              {o.hint}
            </p>
          </div>
        );
      })}
      {byCopies.length > 0 && <LocatedByCopies copies={byCopies} />}
      {/* The item view makes copies without location (docs/redaction.md): point to them. */}
      <p className="hint" id="location-originals">
        {originalsKeepLocationText(true)}
      </p>
    </fieldset>
  );
}

/**
 * In an export for disclosure: the photos that record where they were taken but go out as
 * copies without it (their originals withheld), said so that she knows.
 */
function LocatedByCopies({ copies }: { copies: Located['withheldByCopies'] }) {
  const n = copies.length;
  return (
    <div className="notice" id="location-by-copies" role="status">
      <p>
        {n === 1
          ? '1 photo records where it was taken (GPS). For disclosure it goes out as a copy that holds no location, and the original is withheld:'
          : `${n.toLocaleString('en-GB')} photos record where they were taken (GPS). For disclosure they go out as copies that hold no location, and the originals are withheld:`}
      </p>
      <ul>
        {copies.slice(0, NAMED).map((x) => (
          <li key={x.itemId}>
            {displayName(x.number)} {displayName(x.name)}
          </li>
        ))}
        {n > NAMED && <li>and {(n - NAMED).toLocaleString('en-GB')} more</li>}
      </ul>
      <p>A photo’s location can give away a home address.</p>
    </div>
  );
}

/** Lists the located items for these choices, and again whenever they change. */
export function useLocatedItems(args: LocatedArgs): LocatedList {
  const list = useJobs((s) => s.locatedItems);
  const key = JSON.stringify(args);
  const [result, setResult] = useState<{ key: string; list: LocatedList } | null>(null);
  useEffect(() => {
    let current = true; // a slower answer for earlier choices must not overwrite a newer one
    void list(JSON.parse(key) as LocatedArgs).then((r) => {
      if (!current) return;
      setResult({
        key,
        list:
          'error' in r
            ? { state: 'failed', error: r.error }
            : { state: 'listed', items: r.items, byCopies: r.withheldByCopies },
      });
    });
    return () => {
      current = false;
    };
  }, [list, key]);
  return result?.key === key ? result.list : { state: 'listing' };
}
