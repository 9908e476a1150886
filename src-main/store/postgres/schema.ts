// What an existing DeerFlow database on a server has: its vintage decides
// which columns the statements read and write (sql.ts storeStatements), by
// the rules the sqlite backend follows (deerflow-columns.ts). Only reads.
import type pg from 'pg';
import { StoreError } from '../../../src-shared/errors.ts';
import { hasThreadsMeta, missingEventColumns, runsTableOf } from '../deerflow-columns.ts';
import { hasFeedback } from '../run-records.ts';
import { SCHEMA_SQL, type PostgresSchema } from './sql.ts';



interface SchemaRow {
  run_events: string[] | null;
  runs: string[] | null;
  threads_meta: string[] | null;
  feedback: string[] | null;
  unique_thread_seq: boolean;
}

/** Reads what the database's tables have; a run_events lacking a column the app cannot do without is a SOURCE error naming them. */
export async function readSchema(db: pg.Pool | pg.PoolClient, displayUrl: string): Promise<PostgresSchema> {
  const [row] = (await db.query<SchemaRow>(SCHEMA_SQL)).rows;
  const events = new Set(row.run_events);
  const missing = missingEventColumns(events);
  if (missing.length > 0) throw new StoreError('SOURCE', `${displayUrl}: run_events has no ${missing.join(', ')} column; is this DeerFlow's database?`);
  return {
    userId: events.has('user_id'),
    uniqueThreadSeq: row.unique_thread_seq,
    runs: runsTableOf(new Set(row.runs)),
    threadsMeta: hasThreadsMeta(new Set(row.threads_meta)),
    feedback: hasFeedback(new Set(row.feedback)),
  };
}
