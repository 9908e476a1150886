import { useState } from 'react';

/** Clipboard API where the page may use it; the selection trick where it may not (plain http). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** The button keeps its name; the outcome is announced beside it. */
export function CopyButton({ label, text }: { label: string; text: () => string }) {
  const [status, setStatus] = useState('');
  return (
    <span className="copy-button">
      <button
        type="button"
        onClick={() => {
          copyText(text()).then(
            () => setStatus('Copied'),
            () => setStatus('Copy failed'),
          );
        }}
        onBlur={() => setStatus('')}
      >
        {label}
      </button>
      <span role="status" className="copy-status">
        {status}
      </span>
    </span>
  );
}
