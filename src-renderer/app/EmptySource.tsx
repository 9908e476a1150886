// What the main pane shows when the open source holds no threads at all (a
// new database, an empty folder): what that means and every way to get
// run events in, each with a line on what it does.
import type { SourceInfo } from '../../src-shared/types.ts';
import { isDesktop } from '../api.ts';

interface EmptySourceProps {
  source: SourceInfo | undefined;
  onImport: () => void;
  onOpen: () => void;
  onOpenSample: () => void;
}

export function EmptySource({ source, onImport, onOpen, onOpenSample }: EmptySourceProps) {
  const where = source?.path ?? 'This scratch store';
  return (
    <div className="state state-empty empty-source" data-testid="empty-source">
      <p className="state-title">No run events here yet</p>
      <p className="state-body">
        <bdi className="mono">{where}</bdi> is open and empty. Bring runs in:
      </p>
      <ul className="empty-choices">
        <li>
          <button type="button" className="primary" onClick={onImport}>
            Import JSONL…
          </button>
          <span>A DeerFlow export file or a <code>.deer-flow</code> folder, copied into this store (or a new database).</span>
        </li>
        <li>
          <button type="button" onClick={onOpen}>
            Open…
          </button>
          <span>Another SQLite database, JSONL folder or JSONL export, or DeerFlow&apos;s PostgreSQL database by its URL.</span>
        </li>
        <li>
          <button type="button" onClick={onOpenSample}>
            Open sample data
          </button>
          <span>A generated store with every kind of message and trace event, to look around.</span>
        </li>
      </ul>
      <p className="state-body small">
        {isDesktop && 'You can also drop a database or a JSONL file onto this window. '}
        From a terminal: <code>run-inspector import export.jsonl --into store.db</code>, then open <code>store.db</code>.
      </p>
    </div>
  );
}
