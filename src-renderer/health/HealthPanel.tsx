// The Health panel: the last report's findings, errors first, filtered by
// severity and kind, in a virtualized list (a broken store can have
// thousands). ↑↓, Page Up / Down, Home and End move through them, Enter (or a
// click) opens the finding's thread at its run or event; Esc closes.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent } from 'react';
import { useEffect, useMemo, useRef } from 'react';
import type { HealthFinding, HealthSeverity } from '../../src-shared/health.ts';
import { HEALTH_SEVERITIES, SEVERITY_OF } from '../../src-shared/health.ts';
import type { ThreadSummary } from '../../src-shared/types.ts';
import { Dialog } from '../common/Dialog.tsx';
import { formatCount, plural } from '../common/format.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import { ChipRow } from '../trace/TraceFilters.tsx';
import { toggle } from '../trace/trace-filter.ts';
import { FINDING_ROW_HEIGHT, FindingRow, findingOptionId } from './FindingRow.tsx';
import { filterFindings, healthSummary, isHealthFiltered, noHealthFilter, presentKinds, severityCounts } from './health-model.ts';
import type { Health } from './use-health.ts';

interface HealthPanelProps {
  health: Health;
  threads: readonly ThreadSummary[];
  /** Opens the finding's place (the panel closes). */
  onJump: (finding: HealthFinding) => void;
  onClose: () => void;
  /** Opens the Export repaired copy dialog; absent where the source has none (anything but a JSONL folder). */
  onRepair?: () => void;
}

const PAGE_ROWS = 8;

export function HealthPanel({ health, threads, onJump, onClose, onRepair }: HealthPanelProps) {
  const { report, checking, error, filter, setFilter, active, setActive } = health;
  const shown = useMemo(() => (report ? filterFindings(report.findings, filter) : []), [report, filter]);
  const threadMap = useMemo(() => new Map(threads.map((t) => [t.thread_id, t])), [threads]);
  const listRef = useRef<HTMLDivElement>(null);
  const cursor = Math.min(active, Math.max(0, shown.length - 1));

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => FINDING_ROW_HEIGHT,
    overscan: 6,
  });
  useEffect(() => {
    if (cursor < shown.length) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, shown.length, virtualizer]);
  // After the dialog's own effect has shown it (a parent's effects run after its children's): the keys are the list's at once.
  useEffect(() => listRef.current?.focus(), []);

  const open = (index: number) => {
    const finding = shown[index];
    if (!finding) return;
    setActive(index);
    if (finding.thread_id !== null) onJump(finding);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = shown.length - 1;
    const moves: Record<string, number> = { ArrowDown: cursor + 1, ArrowUp: cursor - 1, PageDown: cursor + PAGE_ROWS, PageUp: cursor - PAGE_ROWS, Home: 0, End: last };
    if (event.key in moves) {
      event.preventDefault();
      setActive(Math.max(0, Math.min(last, moves[event.key])));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(cursor);
    }
  };

  const bySeverity = report ? severityCounts(report.counts) : null;
  const severityEntries = bySeverity ? HEALTH_SEVERITIES.filter((s) => bySeverity[s] > 0).map((s): [HealthSeverity, number] => [s, bySeverity[s]]) : [];
  const state = report ? 'ready' : error ? 'error' : 'checking';

  return (
    <Dialog title="Store health" onClose={onClose} className="health-dialog" testId="health-panel">
      <div className="dialog-body health-body">
        <div className="health-summary">
          <p className="summary-line" role="status">
            {report && report.findings.length > 0 && healthSummary(report.counts)}
            {report && health.stale && ' (before the latest changes)'}
          </p>
          <span className="spacer" />
          <button type="button" disabled={checking} onClick={health.checkAgain}>
            Check again
          </button>
        </div>
        {checking && <CheckProgress health={health} />}
        {error && (report ? <p className="inline-error" role="alert">The last check failed: {error}</p> : <ErrorNote title="Could not check the store" message={error} onRetry={health.checkAgain} />)}
        {report && report.findings.length > 0 && (
          <div className="filters health-filters">
            <ChipRow
              label="Severity"
              groupLabel="Filter by severity"
              entries={severityEntries}
              selected={filter.severities}
              chipClass={(severity) => `health-${severity}`}
              onToggle={(severity) => setFilter({ ...filter, severities: toggle(filter.severities, severity) })}
            />
            <ChipRow
              label="Kind"
              groupLabel="Filter by kind"
              entries={presentKinds(report).map(({ kind, count }) => [kind, count])}
              selected={filter.kinds}
              chipClass={(kind) => `chip-type health-${SEVERITY_OF[kind]}`}
              onToggle={(kind) => setFilter({ ...filter, kinds: toggle(filter.kinds, kind) })}
            >
              {isHealthFiltered(filter) && (
                <button type="button" className="link-button" onClick={() => setFilter(noHealthFilter)}>
                  Clear filters
                </button>
              )}
            </ChipRow>
          </div>
        )}
        {report && report.findings.length > 0 && (
          <p className="muted small health-shown">
            {isHealthFiltered(filter) ? `${formatCount(shown.length)} of ${plural(report.findings.length, 'finding')} shown` : plural(report.findings.length, 'finding')}
            {' · '}Enter or a click opens a finding’s thread at its run or event
          </p>
        )}
        {!report && checking && !error && <Loading label="Checking the store…" />}
        {report && report.findings.length === 0 && (
          <Empty title="No findings">Nothing that DeerFlow’s known bugs and crashes leave behind was found in this store.</Empty>
        )}
        {report && report.findings.length > 0 && shown.length === 0 && <Empty title="No findings match the filter" />}
        <div
          ref={listRef}
          className="health-list"
          role="listbox"
          aria-label="Findings"
          tabIndex={0}
          hidden={shown.length === 0}
          aria-activedescendant={shown[cursor] ? findingOptionId(cursor) : undefined}
          data-state={state}
          data-count={shown.length}
          onKeyDown={onKeyDown}
        >
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => (
              <FindingRow
                key={item.key}
                finding={shown[item.index]}
                index={item.index}
                setSize={shown.length}
                thread={threadMap.get(shown[item.index].thread_id ?? '')}
                active={item.index === cursor}
                top={item.start}
                onOpen={open}
              />
            ))}
          </div>
        </div>
        <div className="dialog-actions">
          {onRepair && (
            <button type="button" title="A new layout with every record in its own run’s file and repeated records dropped; this folder is only read" onClick={onRepair}>
              Export repaired copy…
            </button>
          )}
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** The whole store's check as its pushes tell it: threads checked of all. */
function CheckProgress({ health }: { health: Health }) {
  const { progress } = health;
  return (
    <div className="job-progress health-progress">
      <progress aria-label="Health check" max={progress?.total || undefined} value={progress && progress.total > 0 ? Math.min(progress.checked, progress.total) : undefined} />
      <p className="muted small" aria-live="polite">
        {progress ? `Checked ${formatCount(progress.checked)} of ${plural(progress.total, 'thread')}` : 'Checking…'}
      </p>
    </div>
  );
}
