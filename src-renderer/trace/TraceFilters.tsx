// The trace's filter controls: a chip per category and per event type, each
// with its count in the run, and a select by subagent task (named by its description).
import type { ReactNode } from 'react';
import type { EventCounts } from '../../src-shared/types.ts';
import { formatCount } from '../common/format.ts';
import type { Load } from '../common/hooks.ts';
import { categoryClass } from './categories.ts';
import type { TraceFilter } from './trace-filter.ts';
import { noFilter, toggle } from './trace-filter.ts';
import { isErrorEvent } from './trace-rows.ts';

interface FiltersProps {
  counts: Load<EventCounts>;
  filter: TraceFilter;
  typeCategory: ReadonlyMap<string, string>;
  /** task id → description, for the task select. */
  taskLabels: ReadonlyMap<string, string>;
  onChange: (filter: TraceFilter) => void;
}

export function TraceFilters({ counts, filter, typeCategory, taskLabels, onChange }: FiltersProps) {
  if (!counts.value) return counts.state === 'error' ? <p className="inline-error">Counts unavailable: {counts.error}</p> : null;
  const byCategory = Object.entries(counts.value.by_category).sort((a, b) => b[1] - a[1]);
  const byType = Object.entries(counts.value.by_event_type).sort((a, b) => a[0].localeCompare(b[0]));
  const label = (task: string) => taskLabels.get(task) ?? task;
  const tasks = Object.entries(counts.value.by_task_id).sort((a, b) => label(a[0]).localeCompare(label(b[0])));
  const typeClass = (type: string) => {
    const category = isErrorEvent({ event_type: type, category: typeCategory.get(type) ?? '' }) ? 'error' : typeCategory.get(type);
    return `chip-type ${category ? categoryClass(category) : ''}`;
  };
  return (
    <div className="filters">
      <ChipRow
        label="Category"
        groupLabel="Filter by category"
        entries={byCategory}
        selected={filter.categories}
        chipClass={categoryClass}
        onToggle={(category) => onChange({ ...filter, categories: toggle(filter.categories, category) })}
      />
      <ChipRow
        label="Type"
        groupLabel="Filter by event type"
        entries={byType}
        selected={filter.eventTypes}
        chipClass={typeClass}
        onToggle={(type) => onChange({ ...filter, eventTypes: toggle(filter.eventTypes, type) })}
      >
        {tasks.length > 0 && (
          <label className="task-filter">
            <span className="chip-row-label">Task</span>
            <select aria-label="Subagent task" value={filter.taskId ?? ''} onChange={(e) => onChange({ ...filter, taskId: e.target.value || null })}>
              <option value="">All tasks</option>
              {tasks.map(([task, n]) => (
                <option key={task} value={task} title={task}>
                  {label(task)} ({formatCount(n)})
                </option>
              ))}
            </select>
          </label>
        )}
        {(filter.categories.length > 0 || filter.eventTypes.length > 0 || filter.taskId) && (
          <button type="button" className="link-button" onClick={() => onChange(noFilter)}>
            Clear filters
          </button>
        )}
      </ChipRow>
    </div>
  );
}

interface ChipRowProps<K extends string> {
  /** Shown before the chips. */
  label: string;
  groupLabel: string;
  entries: [K, number][];
  selected: readonly K[];
  chipClass: (key: K) => string;
  onToggle: (key: K) => void;
  /** More controls at the end of the row. */
  children?: ReactNode;
}

/** A row of toggle chips, one a value with its count (the Health panel's filters too). */
export function ChipRow<K extends string>({ label, groupLabel, entries, selected, chipClass, onToggle, children }: ChipRowProps<K>) {
  return (
    <div className="chip-row" role="group" aria-label={groupLabel}>
      <span className="chip-row-label">{label}</span>
      {entries.map(([key, n]) => (
        <button key={key} type="button" className={`chip ${chipClass(key)}`} aria-pressed={selected.includes(key)} onClick={() => onToggle(key)}>
          {key} <span className="chip-count">{formatCount(n)}</span>
        </button>
      ))}
      {children}
    </div>
  );
}
