// Above a run's trace: its status, why it ended (linked to the event that
// says so), how long it took, its LLM and tool calls, its tokens — summed
// from its messages, and the runs row's record where that differs — and the
// models it used. From the run's anatomy (runSummary).
import type { ReactNode } from 'react';
import type { RunAnatomy, RunStop } from '../../src-shared/types.ts';
import { formatCount, formatDuration, plural } from '../common/format.ts';
import type { Load } from '../common/hooks.ts';
import { RunStatus } from '../runs/RunStatus.tsx';
import { stopText, tokensText } from './run-header-text.ts';

interface RunHeaderProps {
  summary: Load<RunAnatomy>;
  onSelect: (seq: number) => void;
  onRetry: () => void;
}

export function RunHeader({ summary, onSelect, onRetry }: RunHeaderProps) {
  const anatomy = summary.value;
  if (!anatomy) {
    return (
      <section className="run-header muted" aria-label="Run summary" data-state={summary.state}>
        {summary.state === 'error' ? (
          <>
            <span>Could not summarise this run: {summary.error}</span>
            <button type="button" className="link-button" onClick={onRetry}>
              Try again
            </button>
          </>
        ) : (
          'Summarising the run…'
        )}
      </section>
    );
  }
  const tokens = tokensText(anatomy.tokens, anatomy.tokens_recorded);
  return (
    <section className="run-header" aria-label="Run summary" data-state={summary.state}>
      {/* The contract calls a run without an end `running`; one whose events stopped long ago was killed, and says so. */}
      <RunStatus status={anatomy.stop.reason === 'no_end' ? 'no end' : anatomy.status} />
      <StopReason stop={anatomy.stop} onSelect={onSelect} />
      <dl className="rh-figures">
        <Figure label="Duration">{anatomy.duration_ms === null ? '—' : formatDuration(anatomy.duration_ms)}</Figure>
        <Figure label="LLM calls">{formatCount(anatomy.llm_calls)}</Figure>
        <Figure label="Tool calls">
          {formatCount(anatomy.tool_calls)}
          {anatomy.tool_errors > 0 && <span className="tool-errors"> · {plural(anatomy.tool_errors, 'error')}</span>}
        </Figure>
        {anatomy.subagent_tasks > 0 && <Figure label="Subagent tasks">{formatCount(anatomy.subagent_tasks)}</Figure>}
        <Figure label="Tokens">
          <span className={tokens.differ ? 'tokens-differ' : undefined} title={tokens.detail}>
            {tokens.text}
          </span>
        </Figure>
        <Figure label={anatomy.models.length === 1 ? 'Model' : 'Models'}>{anatomy.models.length > 0 ? anatomy.models.join(', ') : '—'}</Figure>
      </dl>
    </section>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div data-figure={label}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function StopReason({ stop, onSelect }: { stop: RunStop; onSelect: (seq: number) => void }) {
  const words = stopText(stop);
  return (
    <div className={`rh-stop stop-${stop.reason}`} role="note" aria-label="Why the run ended">
      {stop.seq === null ? (
        <span className="rh-stop-text" title={words}>
          {words}
        </span>
      ) : (
        <button type="button" className="link-button" title={`${words} — open event #${stop.seq}`} onClick={() => onSelect(stop.seq as number)}>
          {words}
        </button>
      )}
    </div>
  );
}
