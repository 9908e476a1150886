// The thread's runs with status, counts and tokens; each opens its trace,
// exports or is deleted from here, and two are picked to compare (issue 12):
// by their checkboxes, or "Compare with…" on one and then on the other, in
// this thread or another. The table is virtualized (a thread may have
// thousands of runs): only the rows near the view are in the DOM, between
// two spacer rows that keep the scroll height.
import { measureElement, useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { RunSummary } from '../../src-shared/types.ts';
import { instantMs } from '../../src-shared/time.ts';
import { formatCount, formatDateTime, formatDuration } from '../common/format.ts';
import { type Load, useNow } from '../common/hooks.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import type { ComparePair, RunKey } from '../compare/compare-pair.ts';
import { pickRun, usePickedRun } from '../compare/picked-run.ts';
import { useRunHealth } from '../health/last-report.ts';
import { RunHealthMarker } from '../health/RunHealthMarker.tsx';
import { RunStatus, shownStatus } from './RunStatus.tsx';
import { useItemKey } from '../common/item-key.ts';

interface RunsListProps {
  threadId: string;
  runs: Load<RunSummary[]>;
  readOnly: boolean;
  onRetry: () => void;
  onTrace: (runId: string) => void;
  onExport: (runId: string) => void;
  onDelete: (run: RunSummary) => void;
  onCompare: (pair: ComparePair) => void;
}

// As the read model fills them (RunSummary): JSONL sources and runs without a runs row still have totals.
const SUMMED = "From the run's row in DeerFlow's runs table, else summed from its AI messages' usage and model";

const CALLS = "The run's llm.ai.response events, the tool-call entries in them, and the tool results whose status is error";

/** "35 LLM · 68 tools · 4 failed" in one cell, so the table fits beside the threads pane; a dash while the source has not counted them. */
function RunCalls({ run }: { run: RunSummary }) {
  if (run.llm_calls === undefined || run.tool_calls === undefined) return '—';
  return (
    <>
      <span className="figure-group">
        <span data-figure="LLM calls">{formatCount(run.llm_calls)}</span> LLM · <span data-figure="Tool calls">{formatCount(run.tool_calls)}</span> tools
      </span>
      {(run.tool_errors ?? 0) > 0 && ' '}
      {(run.tool_errors ?? 0) > 0 && (
        <span className="tool-errors figure-group">
          {'· '}
          <span data-figure="Errors">{formatCount(run.tool_errors ?? 0)}</span> failed
        </span>
      )}
    </>
  );
}

const span = (run: RunSummary) =>
  run.first_created_at && run.last_created_at ? formatDuration(instantMs(run.last_created_at) - instantMs(run.first_created_at)) : '—';

const ORIGINAL_WORDS = { regenerate: 'regenerates', follow_up: 'follows up' } as const;

/** A row's height before any of its shape is measured: one line in the table, two once the runs fold into lines. */
const ROW_ESTIMATE_PX = 46;

/** What a row's height depends on besides the layout: a line for the run it was made from, one for its error. */
const shapeOf = (run: RunSummary) => (run.original ? 1 : 0) + (run.error ? 2 : 0);
/**
 * Rows rendered beyond the view on each side. The virtualizer counts from the top of the scroller,
 * the rows from below the table's header: the header's height is covered by these.
 */
const OVERSCAN_ROWS = 5;

const runIdOf = (run: RunSummary) => run.run_id;

export function RunsList({ threadId, runs, readOnly, onRetry, onTrace, onExport, onDelete, onCompare }: RunsListProps) {
  const state = runs.value ? 'ready' : runs.state;
  const now = useNow();
  // The checkboxes keep the latest two picked.
  const [checked, setChecked] = useState<string[]>([]);
  const toggle = (runId: string) => setChecked((before) => (before.includes(runId) ? before.filter((id) => id !== runId) : [...before, runId].slice(-2)));
  const picked = usePickedRun();
  const runHealth = useRunHealth(threadId);
  const keyOf = (runId: string): RunKey => ({ threadId, runId });
  const isPicked = (runId: string) => picked?.threadId === threadId && picked.runId === runId;
  const compareWithPicked = (runId: string) => {
    onCompare({ a: picked!, b: keyOf(runId) });
    pickRun(null);
  };
  const list = runs.value ?? [];
  const scrollRef = useRef<HTMLDivElement>(null);
  // The height last measured of each shape estimates the rows not measured yet: measuring one of them then changes
  // nothing, and the virtualizer does not lay out again every run after it (58,579 of them, for each row scrolled in).
  const measuredHeights = useRef(new Map<number, number>());
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => measuredHeights.current.get(shapeOf(list[index])) ?? ROW_ESTIMATE_PX,
    measureElement: (element, entry, instance) => {
      const height = measureElement(element, entry, instance);
      const run = list[instance.indexFromElement(element)];
      if (run) measuredHeights.current.set(shapeOf(run), height);
      return height;
    },
    getItemKey: useItemKey(list, runIdOf),
    overscan: OVERSCAN_ROWS,
  });
  const rows = virtualizer.getVirtualItems();
  const above = rows[0]?.start ?? 0;
  const below = rows.length > 0 ? virtualizer.getTotalSize() - rows[rows.length - 1].end : 0;
  return (
    <section className="runs" aria-label="Runs" data-state={state} data-count={runs.value?.length ?? 0}>
      {state === 'loading' && <Loading label="Loading runs…" />}
      {state === 'error' && runs.state === 'error' && <ErrorNote title="Could not load the runs" message={runs.error} onRetry={onRetry} />}
      {runs.value && runs.value.length === 0 && <Empty title="This thread has no runs" />}
      {runs.value && runs.value.length > 0 && (
        <div className="runs-compare" role="toolbar" aria-label="Compare runs">
          <button type="button" disabled={checked.length !== 2} onClick={() => onCompare({ a: keyOf(checked[0]), b: keyOf(checked[1]) })}>
            Compare
          </button>
          {picked ? (
            <span className="picked-run" data-picked={`${picked.threadId}:${picked.runId}`}>
              Comparing with run <code>{picked.runId}</code>
              {picked.threadId !== threadId && ' of another thread'}: choose the other run.{' '}
              <button type="button" onClick={() => pickRun(null)}>
                Cancel
              </button>
            </span>
          ) : (
            <span className="muted small">{checked.length === 2 ? 'Two runs picked' : 'Pick two runs with their boxes, or “Compare…” on a run, then on a run of any thread'}</span>
          )}
        </div>
      )}
      {runs.value && runs.value.length > 0 && (
        <div ref={scrollRef} className="table-scroll">
          <table className="runs-table" aria-rowcount={list.length + 1}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col" className="num" title="The run's events, and the messages among them">
                  Events
                </th>
                <th scope="col" title={CALLS}>
                  Calls
                </th>
                <th scope="col" className="num" title={SUMMED}>
                  Tokens
                </th>
                <th scope="col" title={SUMMED}>
                  Model
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {above > 0 && <SpacerRow height={above} />}
              {rows.map(({ index, key }) => {
                const run = list[index];
                const findings = runHealth.get(run.run_id);
                return (
                  <tr key={key} ref={virtualizer.measureElement} data-index={index} aria-rowindex={index + 2} data-run-id={run.run_id}>
                    <td className="run-id-cell">
                      <input
                        type="checkbox"
                        className="run-pick"
                        aria-label={`Pick run ${run.run_id} to compare`}
                        checked={checked.includes(run.run_id)}
                        onChange={() => toggle(run.run_id)}
                      />
                      <code title={run.run_id}>{run.run_id}</code>
                      {findings && <RunHealthMarker health={findings} />}
                      {run.original && (
                        <div className="muted small run-original">
                          {ORIGINAL_WORDS[run.original.relation]} <code>{run.original.run_id}</code>
                        </div>
                      )}
                      {run.error && (
                        <div className="run-error" title={run.error}>
                          {run.error}
                        </div>
                      )}
                    </td>
                    <td className="status-cell">
                      <RunStatus status={shownStatus(run, now)} />
                    </td>
                    <td data-label="Started">
                      {formatDateTime(run.first_created_at)}
                    </td>
                    <td data-label="Duration">{span(run)}</td>
                    <td className="num" data-label="Events">
                      <span data-figure="Events">{formatCount(run.event_count)}</span>{' '}
                      <span className="muted figure-group">
                        {'· '}
                        <span data-figure="Messages">{formatCount(run.message_count)}</span> msgs
                      </span>
                    </td>
                    <td className="calls-cell" data-label="Calls">
                      <RunCalls run={run} />
                    </td>
                    <td className="num" data-label="Tokens">
                      {run.total_tokens != null ? formatCount(run.total_tokens) : '—'}
                    </td>
                    <td className="model-cell" data-label="Model" title={run.model_name ?? undefined}>
                      {run.model_name ?? '—'}
                    </td>
                    <td className="actions">
                      <div>
                        <button type="button" className="trace-button" aria-label={`Trace of run ${run.run_id}`} onClick={() => onTrace(run.run_id)}>
                          Trace
                        </button>
                        {run.original && (
                          <button
                            type="button"
                            aria-label={`Compare run ${run.run_id} with its original`}
                            onClick={() => onCompare({ a: keyOf(run.original!.run_id), b: keyOf(run.run_id) })}
                          >
                            vs original
                          </button>
                        )}
                        {picked && !isPicked(run.run_id) ? (
                          <button type="button" aria-label={`Compare run ${run.run_id} with the picked run`} onClick={() => compareWithPicked(run.run_id)}>
                            vs picked
                          </button>
                        ) : (
                          <button type="button" aria-label={`Compare run ${run.run_id} with…`} disabled={isPicked(run.run_id)} onClick={() => pickRun(keyOf(run.run_id))}>
                            Compare…
                          </button>
                        )}
                        <button type="button" aria-label={`Export run ${run.run_id}`} onClick={() => onExport(run.run_id)}>
                          Export
                        </button>
                        <button
                          type="button"
                          className="danger"
                          aria-label={`Delete run ${run.run_id}`}
                          disabled={readOnly}
                          title={readOnly ? 'This source is read-only' : undefined}
                          onClick={() => onDelete(run)}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
              {below > 0 && <SpacerRow height={below} />}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Stands in for the rows out of view, above or below the rendered ones. */
function SpacerRow({ height }: { height: number }) {
  return (
    <tr className="runs-spacer" aria-hidden="true">
      <td colSpan={9} style={{ height }} />
    </tr>
  );
}
