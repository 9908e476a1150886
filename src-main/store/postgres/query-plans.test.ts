// The hot queries stay on DeerFlow's indexes (issue 13: no sequential scan of
// run_events for a page, a run or a count): each statement of sql.ts,
// prepared as the store prepares it (same text, parameter types inferred the
// same way), explained for its custom plan and for the generic plan a named
// statement switches to after five executions, on 20,000 events in 50 threads.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { numbered, SQL, type Statement } from './sql.ts';

const THREADS = 50;
const EVENTS = 20_000;
const THREAD = 'thread-7';
const RUN = 'run-7-3';

/** The plan tree's nodes, EXPLAIN (FORMAT JSON)'s shape. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
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

let db: TestDatabase;
let client: pg.PoolClient;

beforeAll(async () => {
  db = await createTestDatabase();
  // Thread g % 50, seq g / 50 + 1: 400 events a thread in runs of 40, messages and traces taking turns, a task now and then.
  await db.query(
    `INSERT INTO run_events (thread_id, run_id, user_id, event_type, category, content, event_metadata, seq, created_at)
     SELECT 'thread-' || g % ${THREADS}, 'run-' || g % ${THREADS} || '-' || g / ${THREADS} / 40, 'u1',
       CASE WHEN g / ${THREADS} % 2 = 0 THEN 'llm.ai.response' ELSE 'llm.start' END,
       CASE WHEN g / ${THREADS} % 2 = 0 THEN 'message' ELSE 'trace' END,
       'event ' || g, CASE WHEN g / ${THREADS} % 7 = 0 THEN '{"task_id": "k1"}' ELSE '{}' END::json,
       g / ${THREADS} + 1, timestamptz '2026-04-04 00:00:00+00' + g * interval '1 second'
     FROM generate_series(0, ${EVENTS - 1}) AS g`,
  );
  await db.query('ANALYZE');
  client = await db.pool.connect();
});

afterAll(async () => {
  client?.release();
  await db?.drop();
});

/** The plan of `statement` with these values, prepared from sql.ts's text as the store prepares it. */
async function planOf(statement: Statement, values: Record<string, unknown>, mode: 'custom' | 'generic'): Promise<PlanNode[]> {
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

/** Each hot statement, the values the store gives it, and the index it must use where one is the right one. */
const CASES: [string, Statement, Record<string, unknown>, string | null][] = [
  ['listMessages, latest page', SQL.messagesBackward, PAGE, 'ix_events_thread_cat_seq'],
  ['listMessages, before a cursor', SQL.messagesBackward, { ...PAGE, before: 200 }, 'ix_events_thread_cat_seq'],
  ['listMessages, after a cursor', SQL.messagesForward, { ...PAGE, after: 100 }, 'ix_events_thread_cat_seq'],
  ['listMessagesByRun, whole run', SQL.runMessagesBackward, { ...PAGE, run: RUN, limit: null }, 'ix_events_run'],
  ['listMessagesByRun, after a cursor', SQL.runMessagesForward, { ...PAGE, run: RUN, after: 130, limit: 5 }, 'ix_events_run'],
  ['listEvents', SQL.events, { thread: THREAD, run: RUN, after: 0, types: null, task: null, limit: 1000 }, 'ix_events_run'],
  ['listEvents by event types', SQL.events, { thread: THREAD, run: RUN, after: 125, types: ['llm.start', 'run.end'], task: null, limit: 1000 }, 'ix_events_run'],
  ['listEvents by task', SQL.events, { thread: THREAD, run: RUN, after: 0, types: null, task: 'k1', limit: 1000 }, 'ix_events_run'],
  ['putIfAbsent', SQL.firstOfType, { thread: THREAD, run: RUN, type: 'run.start' }, 'ix_events_run'],
  ['countMessages', SQL.countMessages, { thread: THREAD }, 'ix_events_thread_cat_seq'],
  ['getEvent', SQL.getEvent, { thread: THREAD, seq: 200 }, null],
  ['maxSeq', SQL.maxSeq, { thread: THREAD }, null],
  ['threadRange', SQL.threadRange, { thread: THREAD }, null],
  ['countAfter', SQL.countAfter, { thread: THREAD, after: 350 }, null],
  ['overviewCounts', SQL.overviewCounts, { thread: THREAD, first: 1, last: 400, width: 4 }, null],
  ['overviewMarks', SQL.overviewMarks, { thread: THREAD, after: 0, last: 400 }, null],
  ['eventCounts of a run', SQL.runCounts, { thread: THREAD, run: RUN }, 'ix_events_run'],
  ['eventCounts of a thread', SQL.threadCounts, { thread: THREAD }, null],
  ['listRuns', SQL.runsOfThreads, { threads: [THREAD] }, null],
  ["a run's facts", SQL.runFactEvents, { thread: THREAD, runs: [RUN] }, 'ix_events_run'],
  ["the thread list's statuses", SQL.runOutcomes, { threads: [THREAD, 'thread-8'], runs: [RUN, 'run-8-9'] }, 'ix_events_run'],
  ['deleteByRun', SQL.deleteRun, { thread: THREAD, run: RUN }, 'ix_events_run'],
  ['deleteByThread', SQL.deleteThread, { thread: THREAD }, null],
];

describe('the hot queries on DeerFlow\'s indexes (20,000 events, 50 threads)', () => {
  for (const mode of ['custom', 'generic'] as const) {
    describe(`${mode} plan`, () => {
      for (const [label, statement, values, index] of CASES) {
        it(`${label} (${statement.name}) reads run_events through ${index ?? 'an index'}, never a sequential scan`, async () => {
          const nodes = await planOf(statement, values, mode);
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

  it('sees a sequential scan where there is one (the check can fail)', async () => {
    const nodes = await planOf({ name: 'ri_probe_whole_table', text: "SELECT count(*) FROM run_events WHERE content LIKE $pattern" }, { pattern: '%7%' }, 'custom');
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'run_events')).toBe(true);
  });
});
