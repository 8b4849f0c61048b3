import { useEffect, useRef, useState } from 'react';

/**
 * A long value people may need to read out or paste (a path, a hash, a key fingerprint):
 * monospace, selectable, with a Copy button that says when it worked.
 */
export function CopyValue({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 4000);
  };

  return (
    <div className="copy-value">
      <span className="copy-label">{label}</span>
      <div className="copy-row">
        <code>{value}</code>
        <button
          type="button"
          className="secondary"
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={() => void copy()}
        >
          Copy
        </button>
      </div>
      <span role="status" className="copy-status">
        {copied === 'yes' && 'Copied.'}
        {copied === 'no' && 'Could not copy here. Select the text and copy it yourself.'}
      </span>
    </div>
  );
}
