// One finding in the Health panel: its severity and kind, where it is
// (thread by its title where the list has it, run, seq, a JSONL file:line)
// and what the checker says of it.
import { memo } from 'react';
import type { HealthFinding } from '../../src-shared/health.ts';
import type { ThreadSummary } from '../../src-shared/types.ts';
import { ThreadName } from '../threads/ThreadName.tsx';
import { findingPlace } from './health-model.ts';
import { SeverityIcon } from './SeverityIcon.tsx';

export const FINDING_ROW_HEIGHT = 54;

export const findingOptionId = (index: number) => `health-finding-${index}`;

interface FindingRowProps {
  finding: HealthFinding;
  index: number;
  /** How many findings the list holds (its rows are only those near the view). */
  setSize: number;
  /** Absent when the thread is not in the list (events with no threads_meta row may still be listed; a deleted one is not). */
  thread: ThreadSummary | undefined;
  active: boolean;
  top: number;
  onOpen: (index: number) => void;
}

export const FindingRow = memo(function FindingRow({ finding, index, setSize, thread, active, top, onOpen }: FindingRowProps) {
  const place = findingPlace(finding);
  // A line of an export file names no thread: there is nowhere to go.
  const leads = finding.thread_id !== null;
  return (
    <div
      id={findingOptionId(index)}
      role="option"
      aria-selected={active}
      aria-setsize={setSize}
      aria-posinset={index + 1}
      aria-disabled={!leads || undefined}
      data-kind={finding.kind}
      data-thread-id={finding.thread_id ?? ''}
      data-run-id={finding.run_id ?? ''}
      data-seq={finding.seq ?? ''}
      className={`virtual-row health-finding health-${finding.severity}${active ? ' active' : ''}`}
      style={{ height: FINDING_ROW_HEIGHT, transform: `translateY(${top}px)` }}
      // The list keeps the focus (and the keys) while a row is clicked.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => onOpen(index)}
    >
      <div className="health-finding-head">
        <span className="health-severity">
          <SeverityIcon severity={finding.severity} />
          {finding.severity}
        </span>
        <span className="health-kind mono">{finding.kind}</span>
        {finding.thread_id !== null && (thread ? <ThreadName thread={thread} className="health-thread" /> : <span className="health-thread mono">{finding.thread_id}</span>)}
        {finding.run_id !== null && (
          <span className="health-run mono muted" title={`Run ${finding.run_id}`}>
            {finding.run_id}
          </span>
        )}
        <span className="spacer" />
        {place !== null && (
          <span className="health-place mono muted" title={place}>
            {place}
          </span>
        )}
        {finding.seq !== null && <span className="health-seq mono muted">#{finding.seq}</span>}
      </div>
      <p className="health-message" title={finding.message}>
        {finding.message}
      </p>
    </div>
  );
});
