import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue, RunEvent } from '../../src-shared/types.ts';
import { generateEvents } from '../generator/generate.ts';
import { interpretRecord } from '../store/jsonl/jsonl-reader.ts';
import { pythonJson } from '../store/python-json.ts';
import { NULL_SPAN, type RowBatch } from '../store/sqlite/row-batch.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { ImportRows } from './import-rows.ts';

type Ids = { thread_id: string; run_id: string } | null;
const LAYOUT: Ids = { thread_id: 'thread-1', run_id: 'run_1' };

/** A batch's rows as plain values, to compare the two paths. */
function rowsOf(batch: RowBatch): unknown[][] {
  return Array.from({ length: batch.rows }, (_, r) => [
    ...Array.from({ length: batch.columns }, (_, c) => {
      const at = (r * batch.columns + c) * 2;
      return batch.spans[at] === NULL_SPAN ? null : Buffer.from(batch.bytes.subarray(batch.spans[at], batch.spans[at + 1])).toString('hex');
    }),
    batch.seqs[r],
  ]);
}

// One for all: each has a megabyte of buffer.
const plain = new ImportRows();
/** Rows for a database whose run_events has two columns this app does not know. */
const withExtras = new ImportRows(['extra', 'note']);

/** The row the parsing path makes of a line (what import did for every line before), or why it makes none. */
function parsedRow(line: string, ids: Ids, rows = plain): unknown[][] | 'skipped or warned' | 'refused' {
  const outcome = interpretRecord(JSON.parse(line), ids);
  if ('error' in outcome || outcome.warnings.length > 0) return 'skipped or warned';
  try {
    rows.addRecord(outcome.record);
  } catch {
    return 'refused';
  }
  return rowsOf(rows.writer.take());
}

/** The fast path's row, or null when it leaves the line to the parsing path. */
function fastRow(line: string, ids: Ids, rows = plain): unknown[][] | null {
  const bytes = Buffer.from(line);
  if (!rows.lineTaker(ids)(bytes, 0, bytes.length)) return null;
  return rowsOf(rows.writer.take());
}

const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }).map((value) => JSON.parse(JSON.stringify(value)) as JsonValue);
const FIELDS = ['thread_id', 'run_id', 'user_id', 'event_type', 'category', 'content', 'metadata', 'seq', 'created_at', 'extra'] as const;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** created_at stamps around DeerFlow's form, a part now and then out of range, another form or zone. */
const stamp = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.constantFrom('', '', '.5', '.123456', '.1234567', '.', '.12a'),
    separator: fc.constantFrom('T', 'T', 'T', ' '),
    zone: fc.constantFrom('+00:00', '+00:00', '+00:00', 'Z', '-05:30', '+0000', ''),
  })
  .map((t) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}${t.separator}${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.fraction}${t.zone}`);
/** Mostly what DeerFlow writes, so the fast path is taken often… */
const usual = fc.record({
  thread_id: fc.constantFrom('thread-1', 'thread-1', 'other'),
  run_id: fc.constantFrom('run_1', 'run_1', 'r2'),
  event_type: fc.constantFrom('llm.ai.response', 'run.start'),
  category: fc.constantFrom('message', 'trace'),
  content: fc.oneof(json, fc.string({ unit: 'grapheme', maxLength: 60 })),
  metadata: fc.dictionary(fc.constantFrom('caller', 'task_id', 'n', 'z'), json, { maxKeys: 3 }),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  created_at: fc.oneof(
    { arbitrary: fc.constantFrom('2026-04-04T00:49:25.123456+00:00', '2026-04-04T00:49:25+00:00', '2026-04-04T02:49:25.5+02:00', '2026-04-04T00:49:25Z'), weight: 1 },
    { arbitrary: stamp, weight: 1 },
  ),
});
/** …with a field or two replaced by something unusual, or left out. */
const unusual: Record<(typeof FIELDS)[number], fc.Arbitrary<JsonValue>> = {
  thread_id: fc.constantFrom('', 'é', 'x'.repeat(70), 'a\nb', 7, null),
  run_id: fc.constantFrom('', 'run 1', 'x'.repeat(70), null),
  user_id: fc.oneof(fc.constant(null), fc.constantFrom('owner', 'ü', 'a"b'), fc.integer(), fc.constant(true)),
  event_type: fc.constantFrom('', 'x'.repeat(40), 'é', 7),
  category: fc.constantFrom('', 'x'.repeat(20), 'ü', null),
  content: fc.constantFrom(null, 'a\u0000b', '\ud800', 1.5, -0),
  metadata: fc.oneof(json, fc.constantFrom<JsonValue>({ content_is_json: false }, { content_is_dict: 1, a: 2 }, { '1': 2 }, {})),
  seq: fc.constantFrom(0, -1, 1.5, 2 ** 53, '3', 1e21),
  created_at: fc.oneof(json, fc.constantFrom('', 'later', '2026-04-04 00:49:25', '2026-02-30T00:00:00+00:00', '２０２６-04-04T00:49:25+00:00')),
  extra: json,
};
const record = fc
  .tuple(
    usual,
    fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, { arbitrary: fc.subarray([...FIELDS], { maxLength: 2 }), weight: 3 }),
    fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, { arbitrary: fc.subarray([...FIELDS], { maxLength: 1 }), weight: 1 }),
  )
  .chain(([value, changed, dropped]) =>
    fc.tuple(...changed.map((field) => unusual[field])).map((values) => {
      const out: Record<string, unknown> = { ...value };
      changed.forEach((field, i) => (out[field] = values[i]));
      for (const field of dropped) delete out[field];
      return out;
    }),
  );

describe('the fast path of import rows', () => {
  it('makes exactly the row the parsing path makes, and leaves every other line to it', () => {
    fc.assert(
      fc.property(record, fc.constantFrom(LAYOUT, null), fc.constantFrom(plain, withExtras), (value, ids, rows) => {
        const canonical = pythonJson(value as JsonObject);
        for (const line of [canonical, JSON.stringify(value)]) {
          const fast = fastRow(line, ids, rows);
          const parsed = parsedRow(line, ids, rows);
          if (fast !== null) expect(fast).toEqual(parsed);
          if (typeof parsed === 'string') expect(fast).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the lines of an export as DeerFlow and this app write them', () => {
    let taken = 0;
    let total = 0;
    for (const event of generateEvents({ seed: 7, threads: 4, totalEvents: 2000 })) {
      const line = formatJsonlLine(event).trimEnd();
      const ids = { thread_id: event.thread_id, run_id: event.run_id };
      const fast = fastRow(line, ids);
      if (fast) {
        taken++;
        expect(fast).toEqual(parsedRow(line, ids));
      }
      total++;
    }
    // Only lines with a lone surrogate escaped in their text (the generator cuts some strings mid-emoji) are left to the parser.
    expect(taken / total).toBeGreaterThan(0.99);
  });

  it('stores what the parsing path stores for the markers, content kinds, owners and times', () => {
    const base: RunEvent = { thread_id: 'thread-1', run_id: 'run_1', event_type: 'x', category: 'trace', content: '', metadata: {}, seq: 1, created_at: '2026-04-04T02:49:25.5+02:00' };
    const cases: RunEvent[] = [
      { ...base, content: { a: [1, 'é\n'] }, metadata: { caller: 'lead' } },
      { ...base, content: [1, 2] },
      { ...base, content: 5 },
      { ...base, content: false },
      { ...base, content: 'line\nbreak "quoted" \u0001 \u2028 🚀' },
      { ...base, content: {}, metadata: { z: { content_is_json: false } } },
      { ...base, user_id: 'owner' },
      { ...base, user_id: null },
      { ...base, created_at: '2026-04-04 00:49:25+00:00' },
      { ...base, created_at: '2026-04-04T00:49:25.1234567+00:00' },
      { ...base, created_at: '2028-02-29T23:59:59.000001+00:00' },
      { ...base, created_at: '2026-01-31T00:00:00+00:00' },
      { ...base, created_at: '0001-01-01T00:00:00+00:00' },
    ];
    for (const event of cases) {
      const line = formatJsonlLine(event).trimEnd();
      const fast = fastRow(line, LAYOUT);
      expect(fast, line).not.toBeNull();
      expect(fast, line).toEqual(parsedRow(line, LAYOUT));
    }
  });

  it("fills a database's extra columns from the keys of those names: the value's JSON text, NULL when the record has none", () => {
    const base = { thread_id: 'thread-1', run_id: 'run_1', event_type: 'x', category: 'trace', content: 'c', metadata: {}, seq: 1, created_at: '2026-04-04T00:49:25+00:00' };
    const hex = (text: string) => Buffer.from(text).toString('hex');
    const values: (typeof base & { extra?: JsonValue; note?: JsonValue })[] = [{ ...base, extra: 'é "q"', note: { a: [1, null] } }, { ...base, extra: null }, base];
    for (const value of values) {
      const line = pythonJson(value as JsonObject);
      const fast = fastRow(line, LAYOUT, withExtras);
      expect(fast).toEqual(parsedRow(line, LAYOUT, withExtras));
      const extras = [value.extra === undefined ? null : hex(pythonJson(value.extra)), value.note === undefined ? null : hex(pythonJson(value.note))];
      expect(fast![0].slice(8, 10)).toEqual(extras);
    }
    // A name a line would write escaped or as UTF-8 is not looked for in the bytes: the parsed path fills it.
    const unusual = new ImportRows(['ünï']);
    const line = pythonJson({ ...base, ünï: 5 });
    expect(fastRow(line, LAYOUT, unusual)).toBeNull();
    expect((parsedRow(line, LAYOUT, unusual) as unknown[][])[0][8]).toBe(hex('5'));
  });

  it('leaves a created_at no database row can hold to the parsing path, which refuses it', () => {
    const base: RunEvent = { thread_id: 'thread-1', run_id: 'run_1', event_type: 'x', category: 'trace', content: '', metadata: {}, seq: 1, created_at: '' };
    const stamps = [
      '',
      'garbage',
      '2026-04-04T00:49:25',
      '2026-02-30T00:00:00+00:00',
      '2026-02-29T00:00:00+00:00',
      '2026-04-31T00:00:00+00:00',
      '2026-13-01T00:00:00+00:00',
      '2026-00-01T00:00:00+00:00',
      '2026-04-00T00:00:00+00:00',
      '0000-01-01T00:00:00+00:00',
      '2026-04-04T24:00:00+00:00',
      '2026-04-04T00:60:00+00:00',
      '2026-04-04T00:00:60+00:00',
      '2026-04-04T00:49:25.+00:00',
      '2026-04-04T00:49:25+24:00',
    ];
    for (const created_at of stamps) {
      const line = formatJsonlLine({ ...base, created_at }).trimEnd();
      expect(fastRow(line, LAYOUT), line).toBeNull();
      expect(parsedRow(line, LAYOUT), line).toBe('refused');
    }
  });
});
