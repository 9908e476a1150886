// Above a comparison: the two runs' figures side by side (status, why each
// stopped, duration, calls, errors, tokens, models), a figure that differs
// marked, as issue 12's header asks.
import type { ReactNode } from 'react';
import type { RunFigures } from '../../src-shared/types.ts';
import { formatCount, formatDuration } from '../common/format.ts';
import { RunStatus } from '../runs/RunStatus.tsx';
import { stopText } from '../trace/run-header-text.ts';
import type { RunKey } from './compare-pair.ts';

interface Figure {
  name: string;
  text: (run: RunFigures) => string;
  show?: (run: RunFigures) => ReactNode;
}

const FIGURES: Figure[] = [
  { name: 'Status', text: (run) => run.status, show: (run) => <RunStatus status={run.status} /> },
  { name: 'Stop reason', text: (run) => stopText(run.stop) },
  { name: 'Duration', text: (run) => (run.duration_ms === null ? '—' : formatDuration(run.duration_ms)) },
  { name: 'LLM calls', text: (run) => formatCount(run.llm_calls) },
  { name: 'Tool calls', text: (run) => formatCount(run.tool_calls) },
  { name: 'Tool errors', text: (run) => formatCount(run.tool_errors) },
  { name: 'Subagent tasks', text: (run) => formatCount(run.subagent_tasks) },
  { name: 'Tokens', text: (run) => formatCount(run.tokens_recorded?.total ?? run.tokens.total) },
  { name: 'Models', text: (run) => run.models.join(', ') || '—' },
];

export function CompareHeader({ a, b, keys }: { a: RunFigures; b: RunFigures; keys: { a: RunKey; b: RunKey } }) {
  return (
    <table className="compare-header" aria-label="The two runs' figures">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Figure</span>
          </th>
          <th scope="col" data-side="a">
            <code title={`Thread ${keys.a.threadId}`}>{a.run_id}</code>
          </th>
          <th scope="col" data-side="b">
            <code title={`Thread ${keys.b.threadId}`}>{b.run_id}</code>
          </th>
        </tr>
      </thead>
      <tbody>
        {FIGURES.map(({ name, text, show = text }) => (
          <tr key={name} data-figure={name} data-differs={text(a) !== text(b)}>
            <th scope="row">{name}</th>
            <td data-side="a">{show(a)}</td>
            <td data-side="b">{show(b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
