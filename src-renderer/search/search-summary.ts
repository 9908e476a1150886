// What a search looked through, in words: the no-hits message names the
// scope and the filters, so an empty list is never a mystery.
import type { SearchRequest } from './hit-stream.ts';
import { ERROR_CATEGORY, ERROR_EVENT_TYPE } from './hit-stream.ts';

/** `threadName`: the thread's title where known (its id otherwise). */
export function searchScopeText(request: SearchRequest, threadName: string | null): string {
  const parts = [request.runId ? `run ${request.runId} of ${threadName ?? request.threadId}` : request.threadId ? `thread ${threadName ?? request.threadId}` : 'the whole source'];
  if (request.errorsOnly) parts.push(`errors only (category ${ERROR_CATEGORY} or type ${ERROR_EVENT_TYPE})`);
  else {
    if (request.categories.length > 0) parts.push(`${request.categories.length === 1 ? 'category' : 'categories'} ${request.categories.join(', ')}`);
    if (request.eventTypes.length > 0) parts.push(`${request.eventTypes.length === 1 ? 'type' : 'types'} ${request.eventTypes.join(', ')}`);
  }
  return parts.join(' · ');
}

export function noHitsText(request: SearchRequest, threadName: string | null): string {
  return `No event matches “${request.query.trim()}” in ${searchScopeText(request, threadName)}.`;
}
