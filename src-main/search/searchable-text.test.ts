import { describe, expect, it } from 'vitest';
import { foldCase, matchesAll, parseQuery } from '../../src-shared/search-query.ts';
import { searchableText } from './searchable-text.ts';

const matches = (event: Parameters<typeof searchableText>[0], query: string) => matchesAll(foldCase(searchableText(event)), parseQuery(query));

describe('searchableText', () => {
  it('is the content string itself, even one that looks like JSON', () => {
    expect(searchableText({ content: '{"type": "ai"}', metadata: {} })).toBe('{"type": "ai"}');
  });

  it('holds every string value of structured content at any depth and of metadata, and no key or number', () => {
    const event = {
      content: {
        type: 'ai',
        content: [{ type: 'text', text: 'Comparing Acme' }],
        tool_calls: [{ id: 'call_XYZ', name: 'web_search', args: { query: 'borealis pricing', max: 5 } }],
        additional_kwargs: { reasoning_content: 'think first' },
      },
      metadata: { caller: 'lead_agent', latency_ms: 812, usage: { total_tokens: 99 } },
    };
    for (const query of ['acme', 'call_xyz', 'web_search', '"borealis pricing"', 'think', 'lead_agent']) expect(matches(event, query)).toBe(true);
    for (const query of ['tool_calls', 'reasoning_content', 'latency_ms', '812', '99']) expect(matches(event, query)).toBe(false);
  });

  it('collapses the whitespace runs of each value to one space, as those of a phrase, so a phrase matches them', () => {
    expect(searchableText({ content: ['rate \t limit', 'a\n\nb'], metadata: { note: 'x  y' } })).toBe('rate limit\na b\nx y');
    for (const text of ['rate  limit', 'rate\tlimit', 'rate\r\nlimit', 'rate\u00a0limit']) expect(matches({ content: text, metadata: {} }, '"rate limit"'), text).toBe(true);
  });

  it('never matches across two values', () => {
    expect(matches({ content: ['rate', 'limit'], metadata: {} }, '"rate limit"')).toBe(false);
    expect(matches({ content: ['rate ', ' limit'], metadata: {} }, '"rate limit"')).toBe(false);
    expect(matches({ content: ['rate', 'limit'], metadata: {} }, 'rate limit')).toBe(true);
  });
});
