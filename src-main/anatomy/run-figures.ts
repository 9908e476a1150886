// What a run cost and did, counted over its events: the figures the run
// header and the Runs tab show. llm_calls, tool_calls and tool_errors are
// run-facts' countCall, as the read model counts them (event-index.ts, the
// PostgreSQL store; SQLite's sql.ts by the same rules in SQL).
import { SUBAGENT_START_TYPE } from '../../src-shared/span-lanes.ts';
import type { RunEvent, TokenCounts } from '../../src-shared/types.ts';
import { aiModelOf, aiTokensOf, countCall, taskIdOf } from '../store/run-facts.ts';

export interface RunFigures {
  llm_calls: number;
  tool_calls: number;
  tool_errors: number;
  subagent_tasks: number;
  tokens: TokenCounts;
  models: string[];
}

export function countFigures(events: Iterable<RunEvent>): RunFigures {
  const figures: RunFigures = { llm_calls: 0, tool_calls: 0, tool_errors: 0, subagent_tasks: 0, tokens: { input: 0, output: 0, total: 0 }, models: [] };
  const tasks = new Set<string>();
  const models = new Set<string>();
  for (const event of events) {
    if (countCall(figures, event)) {
      const tokens = aiTokensOf(event.content, event.metadata);
      if (tokens) {
        figures.tokens.input += tokens.input;
        figures.tokens.output += tokens.output;
        figures.tokens.total += tokens.total;
      }
      const model = aiModelOf(event.content, event.metadata);
      if (model !== null) models.add(model);
    } else if (event.event_type === SUBAGENT_START_TYPE) {
      const taskId = taskIdOf(event);
      if (taskId !== null) tasks.add(taskId);
    }
  }
  figures.subagent_tasks = tasks.size;
  figures.models = [...models];
  return figures;
}
