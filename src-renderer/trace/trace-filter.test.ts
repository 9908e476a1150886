import { describe, expect, it } from 'vitest';
import { contentPreview, noFilter, queryTypes, toggle, unmappedTypes } from './trace-filter.ts';

const typeCategory = new Map([
  ['run.start', 'trace'],
  ['llm.ai.response', 'message'],
  ['llm.human.input', 'message'],
  ['run.end', 'outputs'],
]);
const allTypes = ['run.start', 'llm.ai.response', 'llm.human.input', 'run.end', 'mystery'];

describe('trace filter', () => {
  it('asks for every type when nothing is filtered', () => {
    expect(queryTypes(noFilter, typeCategory, allTypes)).toBeUndefined();
  });

  it('turns categories into their event types', () => {
    expect(queryTypes({ ...noFilter, categories: ['message'] }, typeCategory, allTypes)).toEqual(['llm.ai.response', 'llm.human.input']);
    expect(queryTypes({ ...noFilter, categories: ['message', 'outputs'] }, typeCategory, allTypes)).toEqual(['llm.ai.response', 'llm.human.input', 'run.end']);
  });

  it('intersects chosen types with chosen categories', () => {
    expect(queryTypes({ ...noFilter, eventTypes: ['run.start', 'llm.ai.response'] }, typeCategory, allTypes)).toEqual(['llm.ai.response', 'run.start']);
    expect(queryTypes({ ...noFilter, categories: ['outputs'], eventTypes: ['run.start'] }, typeCategory, allTypes)).toBe('none');
  });

  it('names the types whose category is still unknown', () => {
    expect(unmappedTypes(allTypes, typeCategory)).toEqual(['mystery']);
  });

  it('toggles chips', () => {
    expect(toggle(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('previews content on one line', () => {
    expect(contentPreview('a\n\n  b')).toBe('a b');
    expect(contentPreview({ chain: 'lead' })).toBe('{"chain":"lead"}');
    expect(contentPreview('x'.repeat(1000))).toHaveLength(240);
    expect(contentPreview(null)).toBe('null');
  });
});
