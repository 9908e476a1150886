import { describe, expect, it } from 'vitest';
import { isNarrowed, noSearchFilters, offeredCategories, parseTypes } from './filters.ts';

describe('parseTypes', () => {
  it('splits on commas and spaces, dropping blanks and repeats', () => {
    expect(parseTypes(' llm.error,tool.call  llm.error , ')).toEqual(['llm.error', 'tool.call']);
    expect(parseTypes('  ')).toEqual([]);
  });
});

describe('isNarrowed', () => {
  it('is true once any filter is set', () => {
    expect(isNarrowed(noSearchFilters)).toBe(false);
    expect(isNarrowed({ ...noSearchFilters, errorsOnly: true })).toBe(true);
    expect(isNarrowed({ ...noSearchFilters, categories: ['trace'] })).toBe(true);
    expect(isNarrowed({ ...noSearchFilters, eventTypes: ['x'] })).toBe(true);
  });
});

describe('offeredCategories', () => {
  it('offers the known categories first, then every other one seen or picked, once each, sorted', () => {
    expect(offeredCategories(['message', 'trace'], ['trace', 'zeta', 'audit'], new Set(['audit', 'message']), ['picked'])).toEqual(['message', 'trace', 'audit', 'picked', 'zeta']);
    expect(offeredCategories(['message'])).toEqual(['message']);
  });
});
