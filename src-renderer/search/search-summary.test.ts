import { describe, expect, it } from 'vitest';
import type { SearchRequest } from './hit-stream.ts';
import { noHitsText } from './search-summary.ts';

const request: SearchRequest = { query: ' 北美 ', categories: [], eventTypes: [], errorsOnly: false };

describe('noHitsText', () => {
  it('names the whole source when nothing narrows it', () => {
    expect(noHitsText(request, null)).toBe('No event matches “北美” in the whole source.');
  });

  it('names the thread by its title, else its id, and the run', () => {
    expect(noHitsText({ ...request, threadId: 't-1' }, 'Trip plan')).toBe('No event matches “北美” in thread Trip plan.');
    expect(noHitsText({ ...request, threadId: 't-1', runId: 'r-2' }, null)).toBe('No event matches “北美” in run r-2 of t-1.');
  });

  it('names the filters, and errors only instead of them', () => {
    expect(noHitsText({ ...request, categories: ['trace', 'error'], eventTypes: ['llm.error'] }, null)).toBe(
      'No event matches “北美” in the whole source · categories trace, error · type llm.error.',
    );
    expect(noHitsText({ ...request, categories: ['trace'], errorsOnly: true }, null)).toBe(
      'No event matches “北美” in the whole source · errors only (category error or type llm.error).',
    );
  });
});
