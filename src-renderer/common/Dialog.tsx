// A real modal: the native <dialog> opened with showModal() traps focus,
// makes the rest of the page inert and closes on Escape.
import type { ReactNode } from 'react';
import { useEffect, useId, useRef } from 'react';

interface DialogProps {
  title: string;
  children: ReactNode;
  /** Called on Escape or a Cancel button; ignored while `busy`. */
  onClose: () => void;
  busy?: boolean;
  className?: string;
  testId?: string;
}

export function Dialog({ title, children, onClose, busy = false, className = '', testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-busy={busy}
      className={`dialog ${className}`}
      data-testid={testId}
      onCancel={(event) => {
        // A dialog opened over this one (the password a server asks for) cancels only itself: React hands its cancel on to this one too.
        if (event.target !== event.currentTarget) return;
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** The footer of a dialog that only shows something: one Close button, focused so Enter closes it. */
export function CloseActions({ onClose }: { onClose: () => void }) {
  return (
    <div className="dialog-actions">
      <button type="button" className="primary" onClick={onClose} autoFocus>
        Close
      </button>
    </div>
  );
}
