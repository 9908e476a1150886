import type { SourceInfo } from '../../src-shared/types.ts';
import type { Load } from '../common/hooks.ts';

const KIND_LABELS: Record<SourceInfo['kind'], string> = {
  sqlite: 'SQLite',
  jsonl: 'JSONL folder',
  'jsonl-file': 'JSONL export',
  memory: 'In memory',
};

interface TopBarProps {
  source: Load<SourceInfo>;
  onOpen: () => void;
  onImport: () => void;
  onExport: () => void;
  onReload: () => void;
}

export function TopBar({ source, onOpen, onImport, onExport, onReload }: TopBarProps) {
  const info = source.value;
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Run Inspector
      </div>
      <div className="source" aria-label="Open source">
        {info ? (
          <>
            <span className="source-kind">{KIND_LABELS[info.kind] ?? info.kind}</span>
            <span className="source-path mono" title={info.path ?? 'in memory'}>
              {/* the container ellipsizes on the left (rtl) so the file name stays visible; the text itself stays ltr */}
              <bdi dir="ltr">{info.path ?? 'scratch store (not saved)'}</bdi>
            </span>
            {info.readOnly && <span className="flag">read-only</span>}
          </>
        ) : source.state === 'error' ? (
          <span className="error-text">{source.error}</span>
        ) : (
          <span className="muted">…</span>
        )}
      </div>
      <span className="spacer" />
      <nav className="topbar-actions" aria-label="Source actions">
        <button type="button" onClick={onOpen}>
          Open…
        </button>
        <button type="button" onClick={onImport}>
          Import…
        </button>
        <button type="button" onClick={onExport}>
          Export…
        </button>
        <button type="button" className="icon-button" aria-label="Reload" title="Reload" onClick={onReload}>
          ⟳
        </button>
      </nav>
    </header>
  );
}
