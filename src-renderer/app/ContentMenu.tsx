// The context menu on content (issue 9, point 7): on a timeline message or a
// trace row (an element with data-seq), by right click or from the keyboard
// (Shift+F10, the ContextMenu key: the browser sends the same event to the
// focused element), in both modes. Copy takes the selection or the element's
// text; Copy as JSON the stored event; Copy seq link a URL that opens it.
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { api } from '../api.ts';
import { copyText } from '../common/CopyButton.tsx';
import { errorMessage } from '../common/error-message.ts';
import { parseHash, toHash } from './selection.ts';

interface Target {
  seq: number;
  element: HTMLElement;
  /** The selection inside the element when the menu opened (a click on a menu item would clear it). */
  selected: string;
  /** Where focus goes back to when the menu closes. */
  returnFocus: HTMLElement | null;
  x: number;
  y: number;
}

interface ContentMenuProps {
  threadId: string | null;
  /** Says what was copied, or why not. */
  onNotice: (message: string) => void;
}

function seqLink(threadId: string, seq: number): string {
  const url = new URL(window.location.href);
  // Browser mode's token stays out of a link meant to be pasted elsewhere: the page's cookie carries it.
  url.searchParams.delete('token');
  // The page's own place (tab, run) with the event set.
  url.hash = toHash({ ...parseHash(url.hash), threadId, eventSeq: seq });
  return url.href;
}

export function ContentMenu({ threadId, onNotice }: ContentMenuProps) {
  const [target, setTarget] = useState<Target | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    /** Opens the menu for the content element holding `node`; false when there is none. */
    const openAt = (node: EventTarget | null, pointer: { x: number; y: number } | null): boolean => {
      const element = node instanceof Element ? node.closest<HTMLElement>('[data-seq]') : null;
      const seq = Number(element?.dataset.seq);
      if (!element || !threadId || !Number.isInteger(seq) || seq < 1) return false;
      const selection = window.getSelection();
      const selected = selection && !selection.isCollapsed && element.contains(selection.anchorNode) ? selection.toString() : '';
      // From the keyboard there is no pointer: the menu opens at the element.
      const box = element.getBoundingClientRect();
      const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setTarget({ seq, element, selected, returnFocus, x: pointer?.x ?? box.left + 16, y: pointer?.y ?? box.top + 16 });
      return true;
    };
    const onContextMenu = (event: MouseEvent) => {
      const fromKeyboard = event.clientX === 0 && event.clientY === 0;
      if (openAt(event.target, fromKeyboard ? null : { x: event.clientX, y: event.clientY })) event.preventDefault();
    };
    // Not every platform turns these keys into a contextmenu event.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
      // A list that keeps focus itself (the trace) points at its current row.
      const focused = document.activeElement;
      const active = focused?.getAttribute('aria-activedescendant');
      if (openAt(active ? document.getElementById(active) : focused, null)) event.preventDefault();
    };
    document.addEventListener('contextmenu', onContextMenu);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('contextmenu', onContextMenu);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [threadId]);

  useEffect(() => {
    if (!target) return;
    menuRef.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setTarget(null);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [target]);

  if (!target || !threadId) return null;

  const close = () => {
    setTarget(null);
    if (target.returnFocus?.isConnected) target.returnFocus.focus();
  };
  const copy = (what: string, text: () => Promise<string>) => {
    close();
    text()
      .then(copyText)
      .then(
        () => onNotice(`Copied ${what}.`),
        (error: unknown) => onNotice(`Copy failed: ${errorMessage(error)}`),
      );
  };
  const items = [
    { label: 'Copy', run: () => copy(target.selected ? 'the selection' : `seq ${target.seq}`, async () => target.selected || target.element.innerText) },
    {
      label: 'Copy as JSON',
      run: () =>
        copy(`seq ${target.seq} as JSON`, async () => {
          const event = await api.getEvent({ threadId, seq: target.seq });
          if (!event) throw new Error(`seq ${target.seq} no longer exists`);
          return JSON.stringify(event, null, 2);
        }),
    },
    { label: 'Copy seq link', run: () => copy(`a link to seq ${target.seq}`, async () => seqLink(threadId, target.seq)) },
  ];

  const onKeyDown = (event: ReactKeyboardEvent) => {
    const buttons = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (step !== undefined) {
      event.preventDefault();
      buttons[(at + step + buttons.length) % buttons.length]?.focus();
    }
  };

  return (
    <div
      ref={menuRef}
      className="content-menu"
      role="menu"
      aria-label={`Seq ${target.seq}`}
      style={{ left: Math.min(target.x, window.innerWidth - 200), top: Math.min(target.y, window.innerHeight - 120) }}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <button key={item.label} type="button" role="menuitem" onClick={item.run}>
          {item.label}
        </button>
      ))}
    </div>
  );
}
