import { useSession } from '../../stores/session';

/**
 * What opening the vault reported, in plain words (files moved to quarantine/, a read-only
 * session…), at the top of the library until the person dismisses each one.
 */
export function VaultNotices() {
  const notices = useSession((s) => s.notices);
  const dismissed = useSession((s) => s.dismissedNotices);
  const dismiss = useSession((s) => s.dismissNotice);
  return <NoticeList notices={notices} dismissed={dismissed} onDismiss={dismiss} />;
}

/** The notices not yet dismissed, as text (a notice may name a file), in a live region. */
export function NoticeList({
  notices,
  dismissed,
  onDismiss,
}: {
  notices: readonly string[];
  dismissed: readonly number[];
  onDismiss(index: number): void;
}) {
  const shown = notices
    .map((text, index) => ({ text, index }))
    .filter((n) => !dismissed.includes(n.index));
  return (
    <div className="vault-notices" role="status" aria-label="Notices about your vault">
      {shown.length > 0 && (
        <ul>
          {shown.map((n) => (
            <li key={n.index} className="notice">
              <p id={`vault-notice-${n.index}`}>{n.text}</p>
              <button
                type="button"
                className="link"
                aria-describedby={`vault-notice-${n.index}`}
                onClick={() => onDismiss(n.index)}
              >
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
