import { useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { kindOfMime } from '../../../../shared/item-kind';
import { shortSize } from '../../../../shared/size-text';
import { durationText, timeText } from '../../format';
import type { ItemDetail } from '../../stores/item';
import { inOffset } from './geometry';
import { flattenMetadata, isLocationKey, valueText } from './text';

const SENSITIVE_TEXT: Record<string, string> = {
  gps: 'This photo records where it was taken (a GPS position, or a place named in its metadata).',
};

/** What the vault knows about an item: identity, times with their zones, origin, metadata. */
export function Details(props: {
  detail: ItemDetail;
  onOpenItem(id: string): void;
  copyHash(): Promise<boolean>;
  /** Offered in the location warning: a copy of the picture without it (docs/redaction.md). */
  onCopyWithoutLocation?: () => void;
}) {
  const d = props.detail;
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const [showLocation, setShowLocation] = useState(false);
  const rows = flattenMetadata(d.metadata).filter((r) => r.value !== null && r.value !== '');
  // Location is always behind a button, whether or not the vault flagged it.
  const plainRows = rows.filter((r) => !isLocationKey(r.key));
  const locationRows = rows.filter((r) => isLocationKey(r.key));
  const hasLocation = d.sensitive.length > 0 || locationRows.length > 0;
  const kind = kindOfMime(d.mime);
  const ingestedLocal = inOffset(d.ingestedAt, d.ingestedOffsetMinutes);

  const copy = async () => {
    setCopied((await props.copyHash()) ? 'yes' : 'no');
  };

  return (
    <section className="item-section" aria-labelledby="item-details-title">
      <h2 id="item-details-title">Details</h2>
      <dl className="facts">
        <dt>Name</dt>
        <dd className="wrap">{displayName(d.name)}</dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code className="hash" aria-label="SHA-256 fingerprint">
            {d.sha256}
          </code>
          <button type="button" className="secondary small" onClick={() => void copy()}>
            Copy fingerprint
          </button>
          <span role="status" className="hash-copied">
            {copied === 'yes' && 'Copied.'}
            {copied === 'no' && 'Could not copy. Select the text and copy it by hand.'}
          </span>
        </dd>
        <dt>Size</dt>
        <dd>
          {shortSize(d.size)}
          {d.size >= 1000 && ` (${d.size.toLocaleString('en-GB')} bytes)`}
        </dd>
        <dt>File type</dt>
        <dd>{displayName(d.mime)}</dd>
        {d.width !== null && d.height !== null && (
          <>
            <dt>{kind === 'video' ? 'Picture size' : 'Image size'}</dt>
            <dd>
              {d.width} × {d.height} pixels
            </dd>
          </>
        )}
        {d.durationSeconds !== null && (
          <>
            <dt>Length</dt>
            <dd>{durationText(d.durationSeconds)}</dd>
          </>
        )}
      </dl>

      <h3>When</h3>
      <dl className="facts">
        {d.sourceTimes.exif && (
          <>
            <dt>Taken (camera clock)</dt>
            <dd>{timeText(d.sourceTimes.exif, true)}</dd>
          </>
        )}
        {d.sourceTimes.email && (
          <>
            <dt>Sent (email Date)</dt>
            <dd>{timeText(d.sourceTimes.email, true)}</dd>
          </>
        )}
        <dt>File last modified</dt>
        <dd>{timeText(d.sourceTimes.mtime, true)}</dd>
        <dt>Added to Dossier</dt>
        <dd>
          {timeText(ingestedLocal, true)}
          {d.ingestedOffsetMinutes !== 0 && (
            <span className="muted"> ({timeText(d.ingestedAt, true)})</span>
          )}
        </dd>
      </dl>
      <p className="hint">
        Times from the file itself can be wrong or changed; the time it was added to Dossier is
        recorded by Dossier.
      </p>

      {hasLocation && (
        <div className="sensitive" role="group" aria-labelledby="item-location-title">
          <h3 id="item-location-title">Sensitive: location</h3>
          {d.sensitive.length === 0 && <p>{SENSITIVE_TEXT.gps}</p>}
          {d.sensitive.map((s) => (
            <p key={s}>{SENSITIVE_TEXT[s] ?? `Marked sensitive: ${displayName(s)}`}</p>
          ))}
          <p>
            Anyone you share the original file with can see where it was taken. Think before sharing
            it.
          </p>
          {props.onCopyWithoutLocation && (
            <p>
              To share it without the location, make a copy without it: the original is kept.{' '}
              <button type="button" className="secondary" onClick={props.onCopyWithoutLocation}>
                Make a copy without location
              </button>
            </p>
          )}
          {locationRows.length > 0 && (
            <button
              type="button"
              className="secondary"
              aria-expanded={showLocation}
              aria-controls="item-location"
              onClick={() => setShowLocation(!showLocation)}
            >
              {showLocation ? 'Hide location' : 'Show location'}
            </button>
          )}
          {showLocation && (
            <dl className="facts" id="item-location">
              {locationRows.map((r) => (
                <Fragmentish key={r.key} k={r.key} v={r.value} />
              ))}
            </dl>
          )}
        </div>
      )}

      {/* Problems the import found are in the banner at the top of the item (ItemView). */}
      {d.derivedFrom && (
        <>
          <h3>Made from another item</h3>
          <p>
            {displayName(d.derivedFrom.operation)}
            {d.derivedFrom.reason && <>: {displayName(d.derivedFrom.reason)}</>}
          </p>
          <button
            type="button"
            className="secondary"
            onClick={() => props.onOpenItem(d.derivedFrom!.parentId)}
          >
            Open the original item
          </button>
        </>
      )}

      <h3>Where it came from</h3>
      {d.sources.length > 1 && (
        <p className="hint">The same file was added {d.sources.length} times; it is kept once.</p>
      )}
      <ul className="sources">
        {d.sources.map((s, i) => (
          <li key={i}>
            <span className="wrap">{displayName(s.name)}</span>
            {s.sourcePath && <span className="detail wrap">{displayName(s.sourcePath)}</span>}
            <span className="detail">
              Added {timeText(s.seenAt)}
              {s.sourceMtime && `; file modified ${timeText(s.sourceMtime)}`}
            </span>
          </li>
        ))}
        {d.sources.length === 0 && d.sourcePath && (
          <li>
            <span className="wrap">{displayName(d.sourcePath)}</span>
          </li>
        )}
      </ul>

      {plainRows.length > 0 && (
        <details className="all-metadata">
          <summary>All recorded details ({plainRows.length})</summary>
          <dl className="facts small-text">
            {plainRows.map((r) => (
              <Fragmentish key={r.key} k={r.key} v={r.value} />
            ))}
          </dl>
          {hasLocation && !showLocation && (
            <p className="hint">Location details are hidden; use “Show location” above.</p>
          )}
        </details>
      )}
    </section>
  );
}

function Fragmentish({ k, v }: { k: string; v: unknown }) {
  return (
    <>
      <dt className="wrap">{displayName(k.replace(/^exif\.tags\./, '').replace(/^exif\./, ''))}</dt>
      <dd className="wrap">{valueText(v)}</dd>
    </>
  );
}
