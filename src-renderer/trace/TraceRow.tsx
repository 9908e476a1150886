// One event of the trace: seq, time from the run's start and from the row
// above, category, type (red where it reports an error), a truncation tag
// and a one-line preview. Fixed height: the list is virtualized by index.
import type { RunEvent } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { categoryClass } from './categories.ts';
import { contentPreview } from './trace-filter.ts';
import { gap, isErrorEvent, offsetLabel, truncation, truncationText } from './trace-rows.ts';

interface TraceRowProps {
  event: RunEvent;
  previous: RunEvent | undefined;
  runStartMs: number;
  selected: boolean;
  /** One of the events of the span opened in the waterfall. */
  inSpan?: boolean;
  top: number;
  height: number;
  taskLabel: string | undefined;
  onSelect: (seq: number) => void;
}

export function TraceRow({ event, previous, runStartMs, selected, inSpan = false, top, height, taskLabel, onSelect }: TraceRowProps) {
  const at = instantMs(event.created_at);
  const sincePrevious = gap(at, previous && instantMs(previous.created_at));
  const cut = truncation(event.metadata);
  const error = isErrorEvent(event);
  const taskId = typeof event.metadata.task_id === 'string' ? event.metadata.task_id : null;
  return (
    <div
      id={`trace-event-${event.seq}`}
      role="option"
      aria-selected={selected}
      data-seq={event.seq}
      data-category={event.category}
      data-error={error || undefined}
      data-in-span={inSpan || undefined}
      className={`trace-row ${categoryClass(event.category)}${error ? ' trace-row-error' : ''}${selected ? ' selected' : ''}${inSpan ? ' in-span' : ''}`}
      style={{ height, transform: `translateY(${top}px)` }}
      onClick={() => onSelect(event.seq)}
    >
      <span className="trace-seq">#{event.seq}</span>
      <span className="trace-time" title={event.created_at}>
        {offsetLabel(at, runStartMs)}
      </span>
      <span className="trace-gap" title={sincePrevious.title}>
        {sincePrevious.label}
      </span>
      <span className="cat-chip">{event.category}</span>
      <span className="trace-type">{event.event_type}</span>
      <span className="trace-preview">
        {cut && (
          <span className="trunc-tag" title={truncationText(cut)}>
            truncated
          </span>
        )}
        {taskId !== null && (
          <span className="task-tag" title={taskLabel ? `${taskLabel} (${taskId})` : taskId}>
            {taskLabel ?? taskId}
          </span>
        )}
        {contentPreview(event.content)}
      </span>
    </div>
  );
}
