// How the pool reads PostgreSQL's text values, without a server: timestamptz
// as DeerFlow's reader returns it (UTC, +00:00, microseconds), json as the
// text written, counts as numbers.
import { describe, expect, it } from 'vitest';
import { eventToRow } from '../sqlite/encoding.ts';
import { columnArrays, createdAtFromPg, createdAtToPg, TYPE_PARSERS } from './encoding.ts';

const parserOf = (oid: number) => TYPE_PARSERS.getTypeParser(oid, 'text') as (text: string) => unknown;

describe('createdAtFromPg', () => {
  it('gives the server\'s UTC text as ISO-8601 with +00:00 and all six digits of microseconds', () => {
    expect(createdAtFromPg('2026-07-20 01:00:03.423086+00')).toBe('2026-07-20T01:00:03.423086+00:00');
    // The server drops trailing zeros of the fraction; Python's isoformat keeps six digits.
    expect(createdAtFromPg('2026-07-20 01:00:03.5+00')).toBe('2026-07-20T01:00:03.500000+00:00');
    expect(createdAtFromPg('2026-07-20 01:00:03.000001+00')).toBe('2026-07-20T01:00:03.000001+00:00');
  });

  it('leaves the fraction out when it is zero, as Python\'s isoformat does', () => {
    expect(createdAtFromPg('2026-07-20 01:00:03+00')).toBe('2026-07-20T01:00:03+00:00');
  });

  it('reads an offset other than +00 as the same instant in UTC', () => {
    expect(createdAtFromPg('2026-07-20 09:00:03.25+08')).toBe('2026-07-20T01:00:03.250000+00:00');
    expect(createdAtFromPg('2026-07-20 01:00:03+05:30')).toBe('2026-07-19T19:30:03+00:00');
    expect(createdAtFromPg('2026-01-01 00:30:00-01')).toBe('2026-01-01T01:30:00+00:00');
  });

  it('shows a value it cannot read as it is', () => {
    expect(createdAtFromPg('infinity')).toBe('infinity');
  });
});

describe('TYPE_PARSERS', () => {
  it('reads timestamptz with createdAtFromPg, never as a Date', () => {
    expect(parserOf(1184)('2026-07-20 01:00:03.423086+00')).toBe('2026-07-20T01:00:03.423086+00:00');
  });

  it('keeps json, jsonb and timestamp as the text the server sent (key order and separators included)', () => {
    const text = '{"z": 1, "a": {"b": [1, 2]}, "\u2028": "é"}';
    expect(parserOf(114)(text)).toBe(text);
    expect(parserOf(3802)(text)).toBe(text);
    expect(parserOf(1114)('2026-07-20 01:00:03.423086')).toBe('2026-07-20 01:00:03.423086');
  });

  it('reads count(*) (int8) and sum() (numeric) as numbers', () => {
    expect(parserOf(20)('9007199254740991')).toBe(9_007_199_254_740_991);
    expect(parserOf(1700)('15')).toBe(15);
  });

  it('leaves the other types to pg (int4 a number, text a string, bool a boolean)', () => {
    expect(parserOf(23)('42')).toBe(42);
    expect(parserOf(25)('42')).toBe('42');
    expect(parserOf(16)('t')).toBe(true);
  });
});

describe('what a write sends', () => {
  it('stamps created_at as an unambiguous UTC literal', () => {
    expect(createdAtToPg({ created_at: '2026-04-04 00:49:25.123456' })).toBe('2026-04-04 00:49:25.123456+00');
  });

  it('sends rows as one array per column, in step, in DeerFlow\'s encoding', () => {
    const rows = [
      eventToRow({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: { type: 'ai' }, created_at: '2026-04-04T08:49:25.5+08:00' }, 7),
      eventToRow({ thread_id: 't2', run_id: 'r2', event_type: 'run.start', category: 'trace', content: 'x', metadata: { caller: 'lead' }, created_at: '2026-04-04T00:00:00+00:00' }, 1),
    ];
    expect(columnArrays(rows)).toEqual({
      threads: ['t1', 't2'],
      runs: ['r1', 'r2'],
      users: [null, null],
      types: ['llm.ai.response', 'run.start'],
      categories: ['message', 'trace'],
      contents: ['{"type": "ai"}', 'x'],
      metadata: ['{"content_is_json": true, "content_is_dict": true}', '{"caller": "lead"}'],
      seqs: [7, 1],
      stamps: ['2026-04-04 00:49:25.500000+00', '2026-04-04 00:00:00.000000+00'],
    });
  });
});
