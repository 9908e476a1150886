// PLACEHOLDER until the span derivation lands (issue 11): owned by the anatomy helper.
import type { InspectorStore, RunAnatomy } from '../../src-shared/types.ts';

export async function runAnatomy(_store: InspectorStore, _threadId: string, _runId: string): Promise<RunAnatomy> {
  throw new Error('runSummary: not built yet');
}
