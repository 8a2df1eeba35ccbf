// Copies the page's link (config, seed and lesson hide list in the hash; backend in the query).
// Where the clipboard is refused (no permission, http), the link is shown to copy by hand.
import { useState } from 'react';
import { currentHash } from '../../store/configStore';

export function currentLink(): string {
  return `${location.origin}${location.pathname}${location.search}#${currentHash()}`;
}

export function CopyLinkButton({ label = 'Copy link' }: { label?: string }) {
  const [shown, setShown] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const link = currentLink();
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setShown(null);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setShown(link);
    }
  };
  return (
    <span className="copy-link">
      <button type="button" onClick={() => void copy()}>
        {label}
      </button>
      {copied && <span role="status"> copied</span>}
      {shown && <input className="link-text" readOnly value={shown} aria-label="Link to copy" onFocus={(e) => e.target.select()} />}
    </span>
  );
}
