import { useEffect, useMemo, useState } from 'react';
import { displayName } from '../../../../shared/display-name';
import { shortSize } from '../../../../shared/size-text';
import { connection } from '../../api/transport';
import { TEXT_LIMIT, useItem, type ItemDetail } from '../../stores/item';
import { emailDocument, sanitiseEmailHtml } from './sanitize';
import { safeMultiline } from './text';

const KEPT = 'The original is kept unchanged in the vault.';

/** Audio and video with the browser's own controls; the original is streamed with seeking. */
export function MediaViewer({ detail, kind }: { detail: ItemDetail; kind: 'audio' | 'video' }) {
  const [failed, setFailed] = useState(false);
  const src = connection.evidenceUrl(detail.id, 'original');
  const label = `${kind === 'video' ? 'Video' : 'Recording'}: ${displayName(detail.name)}`;
  if (failed) {
    return (
      <div className="viewer-card">
        <p>
          This {kind === 'video' ? 'video' : 'recording'} cannot be played here (its format may not
          be supported). {KEPT} You can export it to play it in another program.
        </p>
      </div>
    );
  }
  return (
    <div className={`media-viewer ${kind}`}>
      {kind === 'video' ? (
        <video
          src={src}
          controls
          preload="metadata"
          aria-label={label}
          onError={() => setFailed(true)}
        />
      ) : (
        <audio
          src={src}
          controls
          preload="metadata"
          aria-label={label}
          onError={() => setFailed(true)}
        />
      )}
    </div>
  );
}

/** A text file as written, up to its first megabyte. */
export function TextViewer({ detail }: { detail: ItemDetail }) {
  const content = useItem((s) => s.content);
  const loadText = useItem((s) => s.loadText);
  useEffect(() => {
    void loadText();
  }, [detail.id, loadText]);
  const shown = useMemo(
    () => (content.text ? safeMultiline(content.text.text) : ''),
    [content.text],
  );

  if (content.error) return <ContentError message={content.error} />;
  if (!content.text) return <p aria-busy="true">Reading the file…</p>;
  return (
    <div className="text-viewer">
      {content.text.truncated && (
        <p className="notice">
          Showing the first {shortSize(TEXT_LIMIT)} of {shortSize(detail.size)}. {KEPT}
        </p>
      )}
      <pre tabIndex={0} aria-label={`Text of ${displayName(detail.name)}`}>
        {shown}
      </pre>
    </div>
  );
}

/**
 * An email: its headers, then its HTML body made safe and shown in a sandboxed frame that
 * can load nothing (or its plain-text body). Remote images are never fetched.
 */
export function EmailViewer({ detail }: { detail: ItemDetail }) {
  const content = useItem((s) => s.content);
  const loadEmail = useItem((s) => s.loadEmail);
  const [plain, setPlain] = useState(false);
  useEffect(() => {
    void loadEmail();
  }, [detail.id, loadEmail]);
  const email = content.email?.email ?? null;
  const safe = useMemo(
    () => (email?.html ? sanitiseEmailHtml(email.html, email.inlineImages) : null),
    [email],
  );

  if (content.error) return <ContentError message={content.error} />;
  if (!content.email || !email) return <p aria-busy="true">Reading the email…</p>;
  const showHtml = safe && !(plain && email.text !== null);
  const headers: Array<[string, string]> = [
    ['From', email.from],
    ['To', email.to],
    ['Cc', email.cc],
    ['Subject', email.subject],
    ['Date', email.date],
  ];

  return (
    <div className="email-viewer">
      <dl className="email-headers">
        {headers
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="wrap">{displayName(v)}</dd>
            </div>
          ))}
      </dl>
      {content.email.truncated && (
        <p className="notice">
          This email is large; only its first {shortSize(25 * 1024 * 1024)} were read. {KEPT}
        </p>
      )}
      {email.problems.map((p) => (
        <p className="notice" key={p}>
          {p}
        </p>
      ))}
      {safe && safe.remoteBlocked > 0 && (
        <p className="notice" role="status">
          Remote images were blocked. Pictures and other content stored on the internet are never
          loaded here, so the sender cannot tell that you opened this email.
        </p>
      )}
      {safe && email.text !== null && (
        <button type="button" className="link" onClick={() => setPlain(!plain)}>
          {plain ? 'Show the formatted version' : 'Show the plain-text version'}
        </button>
      )}
      {showHtml ? (
        <iframe
          className="email-body"
          title={`Email body: ${displayName(email.subject || detail.name)}`}
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={emailDocument(safe.html)}
        />
      ) : email.text !== null ? (
        <pre className="email-text" tabIndex={0} aria-label="Email text">
          {safeMultiline(email.text)}
        </pre>
      ) : (
        <p className="viewer-card">This email has no text that can be shown here.</p>
      )}
      {email.attachments.length > 0 && (
        <section aria-labelledby="email-attachments-title">
          <h2 id="email-attachments-title">Attachments</h2>
          <p className="hint">Kept inside the original email; they are not opened here.</p>
          <ul className="plain-list">
            {email.attachments.map((a, i) => (
              <li key={i}>
                {displayName(a.name)} ({displayName(a.mime)}, {shortSize(a.size)})
              </li>
            ))}
          </ul>
        </section>
      )}
      {email.headers.length > 0 && (
        <details className="email-all-headers">
          <summary>Headers ({email.headers.length})</summary>
          <p className="hint">
            Every header line as the email has it, in order. The Received lines are the servers it
            passed through, newest first; DKIM-Signature, ARC and Authentication-Results are how a
            mail server checked who sent it. Anyone who writes an email can write its headers,
            except those added by the servers after it was sent.
          </p>
          <dl className="email-header-lines">
            {email.headers.map((h, i) => (
              <div key={i}>
                <dt className="wrap">{displayName(h.key)}</dt>
                <dd className="wrap">{displayName(h.value)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}

export function NoPreview({ detail }: { detail: ItemDetail }) {
  return (
    <div className="viewer-card">
      <h2>No preview for this kind of file</h2>
      <p>
        Dossier cannot show “{displayName(detail.name)}” here. {KEPT} Its fingerprint and details
        are on the right, and it is included when you export.
      </p>
    </div>
  );
}

function ContentError({ message }: { message: string }) {
  return (
    <div className="viewer-card">
      <p className="error" role="alert">
        {message}
      </p>
    </div>
  );
}
