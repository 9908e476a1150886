import { describe, expect, it } from 'vitest';
import { pythonJson } from '../python-json.ts';
import { eventToRow, MAX_TRACE_CONTENT_BYTES, recordToRow, rowToEvent } from './encoding.ts';
import type { EventRow } from './rows.ts';

const input = { thread_id: 't1', run_id: 'r1', event_type: 'llm.end', category: 'trace', created_at: '2026-04-04T00:49:25.123456+00:00' };
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('pythonJson', () => {
  it("matches json.dumps(value, ensure_ascii=False) byte for byte", () => {
    // Expected text printed by CPython 3 for the same value.
    const value = { a: 1, b: [1, 2, { c: null }], d: 'é\n"\u0001\t', e: {}, f: [], g: 12.5, h: true, '😀': '\u2028' };
    expect(pythonJson(value)).toBe('{"a": 1, "b": [1, 2, {"c": null}], "d": "é\\n\\"\\u0001\\t", "e": {}, "f": [], "g": 12.5, "h": true, "😀": "\u2028"}');
    expect(pythonJson('plain')).toBe('"plain"');
    expect(pythonJson(null)).toBe('null');
  });
});

describe('trace truncation', () => {
  it('cuts trace content over 10,240 bytes to a valid UTF-8 prefix and marks it', () => {
    const content = 'é'.repeat(6000) + '🚀'; // 12,004 bytes, two-byte characters across the cut
    const row = eventToRow({ ...input, content, metadata: { caller: 'lead_agent' } }, 1);
    expect(bytes(row.content)).toBe(MAX_TRACE_CONTENT_BYTES);
    expect(row.content).toBe('é'.repeat(5120));
    expect(JSON.parse(row.event_metadata)).toEqual({ caller: 'lead_agent', content_truncated: true, original_byte_length: 12_004 });
  });

  it('never splits a character: a four-byte emoji across the limit is dropped whole', () => {
    const content = 'a'.repeat(MAX_TRACE_CONTENT_BYTES - 2) + '🚀🚀';
    const row = eventToRow({ ...input, content }, 1);
    expect(row.content).toBe('a'.repeat(MAX_TRACE_CONTENT_BYTES - 2));
  });

  it('serializes structured trace content before measuring, and the cut result is a plain string', () => {
    const content = { text: 'x'.repeat(20_000) };
    const row = eventToRow({ ...input, content }, 1);
    const expected = pythonJson(content);
    expect(row.content).toBe(expected.slice(0, MAX_TRACE_CONTENT_BYTES));
    expect(JSON.parse(row.event_metadata)).toEqual({ content_truncated: true, original_byte_length: bytes(expected) });
  });

  it('leaves content at the limit, and every other category, untouched', () => {
    const atLimit = 'x'.repeat(MAX_TRACE_CONTENT_BYTES);
    expect(eventToRow({ ...input, content: atLimit }, 1).content).toBe(atLimit);
    const big = 'x'.repeat(50_000);
    expect(eventToRow({ ...input, category: 'message', content: big }, 1).content).toBe(big);
  });

  it('is not applied to imported records, which stay as exported', () => {
    const big = 'x'.repeat(50_000);
    expect(recordToRow({ ...input, seq: 3, content: big, metadata: {} }).content).toBe(big);
  });
});

describe('rowToEvent', () => {
  const row = (over: Partial<EventRow>): EventRow => ({
    thread_id: 't1',
    run_id: 'r1',
    event_type: 'x',
    category: 'message',
    content: '',
    event_metadata: '{}',
    seq: 1,
    created_at: '2026-04-04 00:49:25.000000',
    ...over,
  });

  it('decodes content only under a truthy marker, as Python tests it', () => {
    expect(rowToEvent(row({ content: '{"a": 1}', event_metadata: '{"content_is_json": true}' })).content).toEqual({ a: 1 });
    expect(rowToEvent(row({ content: '{"a": 1}', event_metadata: '{"content_is_dict": 1}' })).content).toEqual({ a: 1 });
    expect(rowToEvent(row({ content: '{"a": 1}', event_metadata: '{"content_is_json": false}' })).content).toBe('{"a": 1}');
    expect(rowToEvent(row({ content: '{"a": 1}', event_metadata: '{"content_is_json": []}' })).content).toBe('{"a": 1}');
  });

  it('keeps marked content that does not parse as the raw string', () => {
    expect(rowToEvent(row({ content: '{broken', event_metadata: '{"content_is_json": true}' })).content).toBe('{broken');
  });

  it("shows a foreign writer's malformed metadata as empty instead of failing the page", () => {
    expect(rowToEvent(row({ event_metadata: 'not json' })).metadata).toEqual({});
  });

  it('returns created_at as ISO-8601 with +00:00, without a zero fraction', () => {
    expect(rowToEvent(row({})).created_at).toBe('2026-04-04T00:49:25+00:00');
  });
});
