// Two runs side by side (issue 12): the figures compared above, then their
// steps aligned, run a left and run b right. Unchanged stretches are folded
// into one row that opens in place; a changed step shows its two texts
// diffed word by word; a step only one run has is marked on its side. `n`
// and `p` go to the next and previous difference. The list is virtualized:
// two 5,000-step runs draw only what is in view.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AlignedStep, StepRef } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { plural } from '../common/format.ts';
import { useLoad } from '../common/hooks.ts';
import { Empty, ErrorNote, Loading } from '../common/States.tsx';
import { isTyping } from '../common/typing.ts';
import { CompareHeader } from './CompareHeader.tsx';
import { formatRunKey, type ComparePair } from './compare-pair.ts';
import { compareRows, nextDifference, rowOfStep, type CompareRow } from './compare-rows.ts';
import { wordDiff, type DiffPart } from './word-diff.ts';
import '../styles/compare.css';
import { useItemKey } from '../common/item-key.ts';

const ROW_ESTIMATE = 64;

const KIND_WORDS: Record<AlignedStep['kind'], string> = { same: 'Unchanged', changed: 'Changed', only_a: 'Only in run a', only_b: 'Only in run b' };

export function CompareView({ pair }: { pair: ComparePair }) {
  const key = `${formatRunKey(pair.a)} ${formatRunKey(pair.b)}`;
  const [comparison, retry] = useLoad(() => api.compareRuns(pair), key);
  const state = comparison.value ? 'ready' : comparison.state;
  return (
    <section className="compare" aria-label="Compare runs" data-state={state}>
      {state === 'loading' && <Loading label="Comparing the runs…" />}
      {comparison.state === 'error' && <ErrorNote title="Could not compare these runs" message={comparison.error} onRetry={retry} />}
      {comparison.value && (
        <>
          <CompareHeader a={comparison.value.a} b={comparison.value.b} keys={pair} />
          <AlignedSteps key={key} steps={comparison.value.steps} />
        </>
      )}
    </section>
  );
}

function AlignedSteps({ steps }: { steps: AlignedStep[] }) {
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  const rows = useMemo(() => compareRows(steps, opened), [steps, opened]);
  /** The step index of the difference n / p last went to (-1: none yet). */
  const [current, setCurrent] = useState(-1);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey: useItemKey(rows, rowKey),
    overscan: 8,
  });
  const differences = useMemo(() => steps.filter(({ kind }) => kind !== 'same').length, [steps]);
  const stepCounts = useMemo(() => ({ a: steps.filter(({ a }) => a).length, b: steps.filter(({ b }) => b).length }), [steps]);

  const goTo = (index: number | null) => {
    if (index === null) return;
    setCurrent(index);
    virtualizer.scrollToIndex(rowOfStep(rows, index), { align: 'center' });
  };
  const step = (direction: 1 | -1) => goTo(nextDifference(steps, current, direction));
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return;
      if (event.key !== 'n' && event.key !== 'p') return;
      event.preventDefault();
      stepRef.current(event.key === 'n' ? 1 : -1);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  if (steps.length === 0) return <Empty title="Neither run has steps to compare" />;
  return (
    <div className="compare-steps">
      <div className="compare-toolbar" role="toolbar" aria-label="Differences">
        <span className="muted" data-figure="Differences">
          {differences === 0 ? 'The runs take the same steps' : plural(differences, 'difference')}
        </span>
        <button type="button" disabled={differences === 0} onClick={() => step(-1)} aria-keyshortcuts="p">
          Previous difference
        </button>
        <button type="button" disabled={differences === 0} onClick={() => step(1)} aria-keyshortcuts="n">
          Next difference
        </button>
      </div>
      <div className="compare-columns muted small">
        <span data-side="a">Run a · {plural(stepCounts.a, 'step')}</span>
        <span data-side="b">Run b · {plural(stepCounts.b, 'step')}</span>
      </div>
      <div className="compare-scroll" ref={scrollRef} role="list" aria-label="Aligned steps">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="listitem"
                className="compare-row-slot"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'unchanged' ? (
                  <button type="button" className="compare-fold" aria-expanded="false" onClick={() => setOpened((before) => new Set(before).add(row.start))}>
                    {plural(row.count, 'unchanged step')}
                  </button>
                ) : (
                  <StepRow step={steps[row.index]} index={row.index} current={row.index === current} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

const rowKey = (row: CompareRow) => (row.kind === 'step' ? `s${row.index}` : `u${row.start}`);

function StepRow({ step, index, current }: { step: AlignedStep; index: number; current: boolean }) {
  const diff = useMemo(() => (step.kind === 'changed' ? wordDiff(step.a!.text, step.b!.text) : null), [step]);
  return (
    <div className={`compare-row compare-${step.kind}`} data-kind={step.kind} data-step={index} data-current={current || undefined} aria-current={current || undefined}>
      <span className="visually-hidden">{KIND_WORDS[step.kind]}</span>
      <StepCell side="a" step={step.a} parts={diff?.left} />
      <StepCell side="b" step={step.b} parts={diff?.right} />
    </div>
  );
}

function StepCell({ side, step, parts }: { side: 'a' | 'b'; step: StepRef | null; parts?: DiffPart[] }) {
  if (!step) return <div className="compare-cell compare-cell-missing" data-side={side} aria-label={`Not in run ${side}`} />;
  return (
    <div className="compare-cell" data-side={side}>
      <div className="compare-step-head">
        <span className="compare-label">{step.label}</span> <span className="muted mono small">#{step.seq}</span>
      </div>
      {step.text !== '' && (
        <div className="compare-text">
          {parts ? parts.map((part, i) => <DiffText key={i} part={part} side={side} />) : step.text}
          {step.truncated && <span className="muted small"> … (cut)</span>}
        </div>
      )}
    </div>
  );
}

/** A word both texts have as it is; one only this side has as deleted (run a) or inserted (run b). */
function DiffText({ part, side }: { part: DiffPart; side: 'a' | 'b' }) {
  if (!part.marked) return <span>{part.text}</span>;
  return side === 'a' ? <del>{part.text}</del> : <ins>{part.text}</ins>;
}
