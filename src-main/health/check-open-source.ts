// checkHealth for the session's open source (issue 15): where the check runs
// for each backend.
import type { HealthProgress, HealthReport } from '../../src-shared/health.ts';
import type { InspectorStore } from '../../src-shared/types.ts';
import { checkHealth } from './check-store.ts';
import { storeHealthSource } from './store-source.ts';

export interface OpenSourceCheck {
  threadId?: string;
  onProgress?: (progress: HealthProgress) => void;
}

export function checkOpenSource(store: InspectorStore, { threadId, onProgress }: OpenSourceCheck): Promise<HealthReport> {
  return checkHealth(storeHealthSource(store), { threadId, onProgress });
}
