// A subagent task is named by the description its `subagent.start` event
// carries (the lead agent's `task` tool call's), not by its call id.
import type { RunEvent } from '../../src-shared/types.ts';
import { parseJsonText } from '../common/JsonTree.tsx';

/** task id → description, from a run's subagent.start events. */
export function taskDescriptions(starts: readonly RunEvent[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const event of starts) {
    // Databases before May 2026 store dict content as text without the JSON marker.
    const content = typeof event.content === 'string' ? parseJsonText(event.content) : event.content;
    const fields = content !== null && typeof content === 'object' && !Array.isArray(content) ? content : {};
    const taskId = typeof event.metadata.task_id === 'string' ? event.metadata.task_id : fields.task_id;
    const description = typeof fields.description === 'string' ? fields.description.replace(/\s+/g, ' ').trim() : '';
    if (typeof taskId === 'string' && description) labels.set(taskId, description);
  }
  return labels;
}
