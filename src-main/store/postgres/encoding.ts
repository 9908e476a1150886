// How values come back from PostgreSQL (issue 13): timestamps as text, never a
// JavaScript Date (milliseconds would lose DeerFlow's microseconds); json as
// the text the writer wrote (key order and separators kept); counts as numbers.
import pg from 'pg';
import { fromSqliteUtc } from '../../../src-shared/time.ts';
import type { EventParams } from '../sqlite/rows.ts';

const OIDS = { int8: 20, numeric: 1700, json: 114, jsonb: 3802, timestamp: 1114, timestamptz: 1184 } as const;

/**
 * A timestamptz's text (the session is in UTC: `2026-07-20 01:00:03.423086+00`) as DeerFlow's reader
 * returns it: ISO-8601 in UTC with `+00:00` and microseconds, no fraction when it is zero.
 */
export function createdAtFromPg(text: string): string {
  // What a UTC session prints, read without the general parser: a first thread list parses 60,000 of them.
  const utc = UTC_TEXT.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}${utc[3] ? `.${utc[3].padEnd(6, '0')}` : ''}+00:00`;
  return fromSqliteUtc(/[+-]\d\d$/.test(text) ? `${text}:00` : text);
}

/** A timestamptz as a session in UTC with DateStyle ISO prints it; PostgreSQL leaves out a zero fraction, and trailing zeros. */
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

const asText = (text: string) => text;
const asNumber = (text: string) => Number(text);

/** The pool's parsers: what a row's values are in JS. */
export const TYPE_PARSERS: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    switch (oid) {
      case OIDS.timestamptz:
        return createdAtFromPg;
      case OIDS.timestamp:
      case OIDS.json:
      case OIDS.jsonb:
        return asText;
      // count(*) is a bigint and sum() a numeric: never above 2^53 in a run-event store.
      case OIDS.int8:
      case OIDS.numeric:
        return asNumber;
      default:
        return pg.types.getTypeParser(oid, format as 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** An encoded row's created_at (DeerFlow's SQLite text, in UTC) as an unambiguous timestamptz literal. */
export const createdAtToPg = (row: Pick<EventParams, 'created_at'>) => `${row.created_at}+00`;

/** Rows as the column arrays SQL.insertRows and SQL.importRows unnest. */
export function columnArrays(rows: readonly EventParams[]): Record<string, unknown[]> {
  return {
    threads: rows.map((r) => r.thread_id),
    runs: rows.map((r) => r.run_id),
    users: rows.map((r) => r.user_id),
    types: rows.map((r) => r.event_type),
    categories: rows.map((r) => r.category),
    contents: rows.map((r) => r.content),
    metadata: rows.map((r) => r.event_metadata),
    seqs: rows.map((r) => r.seq),
    stamps: rows.map(createdAtToPg),
  };
}
