// The hot queries stay on DeerFlow's indexes (issue 13: no sequential scan of
// run_events for a page, a run or a count): each statement of sql.ts,
// prepared as the store prepares it (same text, parameter types inferred the
// same way), explained for its custom plan and for the generic plan a named
// statement switches to after five executions, on 20,000 events in 50 threads;
// in today's DeerFlow tables and in the oldest vintage's (no user_id, no
// unique (thread_id, seq)), each with the statements the store builds for it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsHaveUserId, type Vintage } from '../../../test/support/deerflow-databases.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { readSchema } from './schema.ts';
import { numbered } from './named-statements.ts';
import { healthStatements, storeStatements, type PostgresSchema, type Statement, type StoreStatements } from './sql.ts';

const THREADS = 50;
const EVENTS = 20_000;
const THREAD = 'thread-7';
const RUN = 'run-7-3';

/** The plan tree's nodes, EXPLAIN (FORMAT JSON)'s shape. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** A value as a SQL literal for EXECUTE (the prepared statement's parameter types decide what it becomes). */
function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  return pg.escapeLiteral(String(value));
}

/** The plan of `statement` with these values, prepared from sql.ts's text as the store prepares it. */
async function planOf(client: pg.PoolClient, statement: Statement, values: Record<string, unknown>, mode: 'custom' | 'generic'): Promise<PlanNode[]> {
  const { text, names } = numbered(statement.text);
  expect(Object.keys(values).sort(), statement.name).toEqual([...names].sort());
  await client.query(`SET plan_cache_mode = force_${mode}_plan`);
  await client.query(`PREPARE ${statement.name} AS ${text}`);
  try {
    const [row] = (await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE ${statement.name}(${names.map((n) => literal(values[n])).join(', ')})`)).rows;
    return nodesOf(row['QUERY PLAN'][0].Plan);
  } finally {
    await client.query(`DEALLOCATE ${statement.name}`);
    await client.query('RESET plan_cache_mode');
  }
}

const PAGE = { thread: THREAD, after: 0, before: 2 ** 31, limit: 50 };

/** The statements the plans are of: those that are always there. */
type HotStatement = { [K in keyof StoreStatements]: StoreStatements[K] extends Statement ? K : never }[keyof StoreStatements];

/** Each hot statement, the values the store gives it, and the index it must use where one is the right one. */
const CASES: [string, HotStatement, Record<string, unknown>, string | null][] = [
  ['listMessages, latest page', 'messagesBackward', PAGE, 'ix_events_thread_cat_seq'],
  ['listMessages, before a cursor', 'messagesBackward', { ...PAGE, before: 200 }, 'ix_events_thread_cat_seq'],
  ['listMessages, after a cursor', 'messagesForward', { ...PAGE, after: 100 }, 'ix_events_thread_cat_seq'],
  ['listMessagesByRun, whole run', 'runMessagesBackward', { ...PAGE, run: RUN, limit: null }, 'ix_events_run'],
  ['listMessagesByRun, after a cursor', 'runMessagesForward', { ...PAGE, run: RUN, after: 130, limit: 5 }, 'ix_events_run'],
  ['listEvents', 'events', { thread: THREAD, run: RUN, after: 0, types: null, task: null, limit: 1000 }, 'ix_events_run'],
  ['listEvents by event types', 'events', { thread: THREAD, run: RUN, after: 125, types: ['llm.start', 'run.end'], task: null, limit: 1000 }, 'ix_events_run'],
  ['listEvents by task', 'events', { thread: THREAD, run: RUN, after: 0, types: null, task: 'k1', limit: 1000 }, 'ix_events_run'],
  ['putIfAbsent', 'firstOfType', { thread: THREAD, run: RUN, type: 'run.start' }, 'ix_events_run'],
  ['countMessages', 'countMessages', { thread: THREAD }, 'ix_events_thread_cat_seq'],
  ['getEvent', 'getEvent', { thread: THREAD, seq: 200 }, null],
  ['maxSeq', 'maxSeq', { thread: THREAD }, null],
  ['threadRange', 'threadRange', { thread: THREAD }, null],
  ['countAfter', 'countAfter', { thread: THREAD, after: 350 }, null],
  ['overviewCounts', 'overviewCounts', { thread: THREAD, first: 1, last: 400, width: 4 }, null],
  ['overviewMarks', 'overviewMarks', { thread: THREAD, after: 0, last: 400 }, null],
  ['eventCounts of a run', 'runCounts', { thread: THREAD, run: RUN }, 'ix_events_run'],
  ['eventCounts of a thread', 'threadCounts', { thread: THREAD }, null],
  ['listRuns', 'runsOfThreads', { threads: [THREAD] }, null],
  ["a run's facts", 'runFactEvents', { thread: THREAD, runs: [RUN] }, 'ix_events_run'],
  ["the thread list's statuses", 'runOutcomes', { threads: [THREAD, 'thread-8'], runs: [RUN, 'run-8-9'] }, 'ix_events_run'],
  ['deleteByRun', 'deleteRun', { thread: THREAD, run: RUN }, 'ix_events_run'],
  ['deleteByThread', 'deleteThread', { thread: THREAD }, null],
];

/** A database of `vintage`, thread g % 50 holding event g at seq g / 50 + 1: 400 events a thread in runs of 40, messages and traces taking turns, a task now and then. */
async function loadedDatabase(vintage: Vintage): Promise<TestDatabase> {
  const db = await createTestDatabase({ vintage });
  const user = eventsHaveUserId(vintage);
  await db.query(
    `INSERT INTO run_events (thread_id, run_id, ${user ? 'user_id, ' : ''}event_type, category, content, event_metadata, seq, created_at)
     SELECT 'thread-' || g % ${THREADS}, 'run-' || g % ${THREADS} || '-' || g / ${THREADS} / 40, ${user ? "'u1', " : ''}
       CASE WHEN g / ${THREADS} % 2 = 0 THEN 'llm.ai.response' ELSE 'llm.start' END,
       CASE WHEN g / ${THREADS} % 2 = 0 THEN 'message' ELSE 'trace' END,
       'event ' || g, CASE WHEN g / ${THREADS} % 7 = 0 THEN '{"task_id": "k1"}' ELSE '{}' END::json,
       g / ${THREADS} + 1, timestamptz '2026-04-04 00:00:00+00' + g * interval '1 second'
     FROM generate_series(0, ${EVENTS - 1}) AS g`,
  );
  await db.query('ANALYZE');
  return db;
}

describe.each(['current', 'before-mid-april-2026'] as const)("the hot queries on DeerFlow's indexes (20,000 events, 50 threads), %s tables", (vintage) => {
  let db: TestDatabase;
  let client: pg.PoolClient;
  let sql: StoreStatements;
  let schema: PostgresSchema;

  beforeAll(async () => {
    db = await loadedDatabase(vintage);
    client = await db.pool.connect();
    schema = await readSchema(client, db.url);
    sql = storeStatements(schema);
  });

  afterAll(async () => {
    client?.release();
    await db?.drop();
  });

  for (const mode of ['custom', 'generic'] as const) {
    describe(`${mode} plan`, () => {
      for (const [label, key, values, index] of CASES) {
        it(`${label} (${key}) reads run_events through ${index ?? 'an index'}, never a sequential scan`, async () => {
          const nodes = await planOf(client, sql[key], values, mode);
          const scans = nodes.filter((n) => n['Relation Name'] === 'run_events' || n['Index Name'] !== undefined);
          expect(scans.length, JSON.stringify(nodes)).toBeGreaterThan(0);
          expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'run_events'), JSON.stringify(nodes)).toEqual([]);
          const indexes = new Set(nodes.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])));
          expect(indexes.size, JSON.stringify(nodes)).toBeGreaterThan(0);
          if (index !== null) expect([...indexes]).toContain(index);
        });
      }
    });
  }

  it.each(['custom', 'generic'] as const)("the health check's page of a thread seeks its keyset on the index, reading only rows after it (%s plan)", async (mode) => {
    const { threadEvents } = healthStatements(schema);
    // The keyset's values the vintage's statement takes (seq alone along the unique index).
    const bound = (values: Record<string, unknown>) => Object.fromEntries(numbered(threadEvents.text).names.map((name) => [name, values[name]]));
    const [index, keyset] = vintage === 'current' ? ['uq_events_thread_seq', /seq > ('\d+'::bigint|\$\d)/] : ['ix_events_run', /ROW\(\(run_id\)::text, seq\) >= ROW\(/];
    // A page a small part of its thread, as the check's 5,000 rows are of a big one.
    const page = { thread: THREAD, run: '', seq: 0, id: 0, limit: 20 };
    for (const after of [page, { ...page, run: RUN, seq: 130, id: 6500 }]) {
      const nodes = await planOf(client, threadEvents, bound(after), mode);
      expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan'), JSON.stringify(nodes)).toEqual([]);
      const seeks = nodes.filter((n) => n['Index Name'] !== undefined);
      expect(seeks.map((n) => n['Index Name']), JSON.stringify(nodes)).toEqual(seeks.map(() => index));
      for (const seek of seeks) expect(seek['Index Cond']).toMatch(keyset);
    }
  });

  it('sees a sequential scan where there is one (the check can fail)', async () => {
    const nodes = await planOf(client, { name: 'ri_probe_whole_table', text: "SELECT count(*) FROM run_events WHERE content LIKE $pattern" }, { pattern: '%7%' }, 'custom');
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'run_events')).toBe(true);
  });
});
