// Every keyboard shortcut on one sheet, opened with "?" or the top bar's "?"
// button: the keys are spread over the panes that handle them, so this is
// the one place a user can learn them all.
import { CloseActions, Dialog } from '../common/Dialog.tsx';

interface Shortcut {
  keys: string[];
  what: string;
}

const SECTIONS: { title: string; shortcuts: Shortcut[] }[] = [
  {
    title: 'Anywhere',
    shortcuts: [
      { keys: ['/'], what: 'Filter threads' },
      { keys: ['?'], what: 'Show these shortcuts' },
      { keys: ['Esc'], what: 'Close the event detail or a dialog' },
      { keys: ['Alt+←', 'Alt+→'], what: 'Back and forward through what you opened (also the mouse’s back and forward buttons)' },
      { keys: ['Shift+F10'], what: 'On a message or trace row: Copy, Copy as JSON, Copy seq link' },
    ],
  },
  {
    title: 'Search',
    shortcuts: [
      { keys: ['Ctrl+K', 'Ctrl+Shift+F'], what: 'Search every event (⌘ instead of Ctrl on macOS)' },
      { keys: ['↑', '↓'], what: 'In the search field: move through the hits' },
      { keys: ['Enter'], what: 'Open the hit: a message in the timeline, any other event in its run’s trace' },
      { keys: ['F3', 'Shift+F3'], what: 'Open the next or the previous hit, without the list' },
      { keys: ['Esc'], what: 'Close the hits and go back where you were' },
    ],
  },
  {
    title: 'Thread list',
    shortcuts: [
      { keys: ['↑', '↓', 'j', 'k'], what: 'Move through the list' },
      { keys: ['PgUp', 'PgDn', 'Home', 'End'], what: 'Move by a page, to the first or the last thread' },
      { keys: ['Enter'], what: 'Open the thread' },
      { keys: ['↓'], what: 'From the filter box: into the list' },
      { keys: ['Esc'], what: 'In the filter box: clear it' },
    ],
  },
  {
    title: 'Open thread',
    shortcuts: [
      { keys: ['←', '→'], what: 'On the tabs: Messages, Runs, Trace' },
      { keys: ['Home', 'End'], what: 'In the timeline: to the top or the bottom (older or newer messages load from there)' },
      { keys: ['↑', '↓', 'j', 'k'], what: 'In a trace: select the previous or next event' },
    ],
  },
  {
    title: 'Compare runs',
    shortcuts: [{ keys: ['n', 'p'], what: 'Go to the next or the previous difference' }],
  },
  {
    title: 'Health panel',
    shortcuts: [
      { keys: ['↑', '↓'], what: 'Move through the findings' },
      { keys: ['PgUp', 'PgDn', 'Home', 'End'], what: 'Move by a page, to the first or the last finding' },
      { keys: ['Enter'], what: 'Open the finding: its event in its run’s trace, its run, or its thread' },
      { keys: ['Esc'], what: 'Close the panel' },
    ],
  },
  {
    title: 'Thread overview (the strip above the timeline)',
    shortcuts: [
      { keys: ['←', '→', '↓', '↑'], what: 'Take the timeline a bucket of the strip earlier or later' },
      { keys: ['PgDn', 'PgUp'], what: 'A tenth of the thread earlier or later' },
      { keys: ['Home', 'End'], what: 'To the start or the end of the thread' },
    ],
  },
  {
    title: 'Trace timeline',
    shortcuts: [
      { keys: ['↑', '↓', 'j', 'k'], what: 'Move to the span above or below' },
      { keys: ['←', '→'], what: 'Move to the enclosing span, or to the first span inside this one' },
      { keys: ['Home', 'End'], what: 'Move to the first or the last span' },
      { keys: ['Enter'], what: 'Open the span: its first event in the detail pane' },
      { keys: ['+', '−'], what: 'Zoom in or out (also Ctrl+wheel, a pinch, or the wheel over the ruler)' },
      { keys: ['0'], what: 'Show the whole run' },
      { keys: ['Shift+←', 'Shift+→'], what: 'Pan earlier or later (also a drag, Shift+wheel, or scrolling sideways)' },
    ],
  },
];

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} className="shortcuts-dialog">
      <div className="dialog-body">
        {SECTIONS.map((section) => (
          <section key={section.title} aria-label={section.title}>
            <h3 className="small-heading">{section.title}</h3>
            <dl className="shortcuts">
              {section.shortcuts.map((shortcut) => (
                <div key={shortcut.what} className="shortcut">
                  <dt>
                    {shortcut.keys.map((key) => (
                      <kbd key={key}>{key}</kbd>
                    ))}
                  </dt>
                  <dd>{shortcut.what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <CloseActions onClose={onClose} />
      </div>
    </Dialog>
  );
}
