// The run header's words: why the run ended (the compare header's too), and
// its token figure: what the run's AI messages' usage sums to, and what
// DeerFlow's runs row recorded, both where they differ.
import type { RecordedTokens, RunStop, TokenCounts } from '../../src-shared/types.ts';
import { formatCount } from '../common/format.ts';

const STOP_WORDS: Record<RunStop['reason'], string> = {
  completed: 'Completed',
  error: 'Failed',
  middleware: 'Stopped by middleware',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  running: 'Still running',
  no_end: 'No end recorded',
};

/** `Failed: tool bash raised`, `Completed`. */
export const stopText = (stop: Pick<RunStop, 'reason' | 'detail'>): string => (stop.detail ? `${STOP_WORDS[stop.reason]}: ${stop.detail}` : STOP_WORDS[stop.reason]);

export interface TokensText {
  text: string;
  /** The split, for a tooltip. */
  detail: string;
  differ: boolean;
}

const BY_CALLER: [keyof RecordedTokens, string][] = [
  ['lead_agent', 'lead agent'],
  ['subagent', 'subagents'],
  ['middleware', 'middleware'],
];

export function tokensText(summed: TokenCounts, recorded: RecordedTokens | null): TokensText {
  const split = `in ${formatCount(summed.input)} · out ${formatCount(summed.output)}, summed from the AI messages' usage`;
  if (recorded?.total == null) return { text: formatCount(summed.total), detail: split, differ: false };
  const callers = BY_CALLER.flatMap(([key, name]) => (recorded[key] == null ? [] : [`${name} ${formatCount(recorded[key] as number)}`]));
  const record = `the runs row records ${formatCount(recorded.total)}${callers.length > 0 ? ` (${callers.join(' · ')})` : ''}`;
  if (recorded.total === summed.total) return { text: formatCount(summed.total), detail: `${split}; ${record}`, differ: false };
  return { text: `recorded ${formatCount(recorded.total)} · summed ${formatCount(summed.total)}`, detail: `${split}; ${record}`, differ: true };
}
