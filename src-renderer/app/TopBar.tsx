import type { ReactNode } from 'react';
import { useEffect } from 'react';
import type { SourceInfo, SourceIssue } from '../../src-shared/types.ts';
import { windowTitle } from '../../src-shared/window-title.ts';
import type { Load } from '../common/hooks.ts';
import { summarizeIssues } from '../common/source-issues.ts';
import { LiveToggle } from '../live/LiveToggle.tsx';

const KIND_LABELS: Record<SourceInfo['kind'], string> = {
  sqlite: 'SQLite',
  jsonl: 'JSONL folder',
  'jsonl-file': 'JSONL export',
  memory: 'In memory',
  postgres: 'PostgreSQL',
};

/** Why the source is read-only, and what (if anything) changes that. */
export function readOnlyReason(info: SourceInfo): string {
  if (info.kind === 'postgres') return 'Opened read-only, as every server is: deleting or importing asks to switch this source to read-write.';
  if (info.kind === 'jsonl-file') return 'A JSONL export file is read as it is: import it into a database to change it.';
  return 'Opened read-only: nothing here changes it.';
}

interface TopBarProps {
  source: Load<SourceInfo>;
  /** What reading the source skipped or defaulted; nothing is shown while there is none. */
  issues: readonly SourceIssue[] | undefined;
  onIssues: () => void;
  onOpen: () => void;
  onImport: () => void;
  /** Absent when there is nothing to export. */
  onExport: (() => void) | undefined;
  onReload: () => void;
  onShortcuts: () => void;
  /** The search field, its scope chips and hit steps. */
  search: ReactNode;
  /** The Health entry (its counts once checked). */
  health: ReactNode;
}

export function TopBar({ source, issues, onIssues, onOpen, onImport, onExport, onReload, onShortcuts, search, health }: TopBarProps) {
  const info = source.value;
  const issuesSummary = issues ? summarizeIssues(issues) : '';
  // The tab (browser mode) or the window (the desktop app follows the page's title) says what is open.
  useEffect(() => {
    document.title = windowTitle(info);
  }, [info]);
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
            {info.readOnly && (
              <span className="flag" title={readOnlyReason(info)}>
                read-only
              </span>
            )}
          </>
        ) : source.state === 'error' ? (
          <span className="error-text">{source.error}</span>
        ) : (
          <span className="muted">…</span>
        )}
      </div>
      {issuesSummary && (
        <button type="button" className="issues-indicator" title="Lines of this source that were skipped or read with defaults" aria-haspopup="dialog" onClick={onIssues}>
          <span className="issues-mark" aria-hidden="true" />
          {issuesSummary}
        </button>
      )}
      {health}
      {search}
      <span className="spacer" />
      <nav className="topbar-actions" aria-label="Source actions">
        <button type="button" onClick={onOpen}>
          Open…
        </button>
        <button type="button" onClick={onImport}>
          Import…
        </button>
        <button type="button" onClick={onExport} disabled={!onExport} title={onExport ? undefined : 'Nothing to export yet'}>
          Export…
        </button>
        <LiveToggle />
        <button type="button" className="icon-button" aria-label="Reload" title="Reload the source" onClick={onReload}>
          ⟳
        </button>
        <button type="button" className="icon-button help-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" aria-haspopup="dialog" onClick={onShortcuts}>
          ?
        </button>
      </nav>
    </header>
  );
}
