// The benchmark's live part on PostgreSQL (issues 12 and 13): a follower on
// the loaded server, idle, then with a DeerFlow-style writer committing once
// a second, then a delete. Its statements are timed as they answer (the
// server's time and the round trip, so at most what the server spent), and
// this process's CPU is read around each stretch.
import { followPostgres } from '../src-main/live/postgres-follower.ts';
import { SCAN_SHARE } from '../src-main/live/postgres-changes.ts';
import type { PostgresStore } from '../src-main/store/postgres/postgres-store.ts';
import { LIVE_SQL } from '../src-main/store/postgres/sql.ts';
import { recordingStatements, type StatementTiming } from '../test/support/live-statements.ts';
import { deerflowWriteEvents, type TestDatabase } from '../test/support/postgres-databases.ts';
import { log, record } from './figures.ts';

const IDLE_SECONDS = 10;
const COMMITS = 10;
const THREAD = 'live-bench-postgres';

const cpuMs = (before: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sum = (timings: StatementTiming[]) => timings.reduce((total, timing) => total + timing.ms, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function benchPostgresLive(store: PostgresStore, database: TestDatabase): Promise<void> {
  log('postgres live: following the loaded server');
  const timings: StatementTiming[] = [];
  const announced: { threads: string[] | null; at: number }[] = [];
  const follower = followPostgres(recordingStatements(store, timings), { onChanged: (threads) => announced.push({ threads, at: performance.now() }), onReplaced: () => {} });
  try {
    const startedAt = performance.now();
    await follower.started;
    record({ name: 'postgres live: the follower reads the server as it is (its start)', value: performance.now() - startedAt, unit: 'ms' });

    let from = timings.length;
    const cpuBefore = process.cpuUsage();
    await sleep(IDLE_SECONDS * 1000);
    const idle = timings.slice(from);
    record({
      name: `postgres live: CPU of following an idle server for ${IDLE_SECONDS} s, per second (10 ms = 1 % of a core)`,
      value: cpuMs(cpuBefore) / IDLE_SECONDS,
      unit: 'ms',
      target: { atMost: 10 },
    });
    record({ name: 'postgres live: statements a second while idle', value: idle.length / IDLE_SECONDS, unit: 'statements' });
    record({ name: "postgres live: the follower's statements' time a second while idle (server and round trip)", value: sum(idle) / IDLE_SECONDS, unit: 'ms' });

    // A census, now, at this size: what the budget spaces out.
    follower.absorb([]);
    const census = timings.length;
    await sleep(1000);
    const total = timings.slice(census).filter((timing) => timing.name === LIVE_SQL.eventTotal.name);
    record({
      name: `postgres live: the census's count of run_events (spaced so it takes under ${SCAN_SHARE * 100} % of the server's time)`,
      value: median(total.map((timing) => timing.ms)),
      unit: 'ms',
    });

    from = timings.length;
    const latencies: number[] = [];
    const writeStarted = performance.now();
    for (let i = 0; i < COMMITS; i++) {
      const before = announced.length;
      await deerflowWriteEvents(database.pool, [{ thread_id: THREAD, run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: `live ${i}` }]);
      const committed = performance.now();
      while (!announced.slice(before).some((change) => change.threads?.includes(THREAD))) await sleep(5);
      latencies.push(announced.find((change, at) => at >= before && change.threads?.includes(THREAD))!.at - committed);
      await sleep(Math.max(0, writeStarted + (i + 1) * 1000 - performance.now()));
    }
    record({ name: `postgres live: commit to announcement, a commit a second ×${COMMITS} (median)`, value: median(latencies), unit: 'ms', target: { atMost: 2000 } });
    record({ name: 'postgres live: commit to announcement (max)', value: Math.max(...latencies), unit: 'ms', target: { atMost: 2000 } });
    record({
      name: "postgres live: the follower's statements' time a second while a commit comes each second",
      value: sum(timings.slice(from)) / ((performance.now() - writeStarted) / 1000),
      unit: 'ms',
    });

    const before = announced.length;
    await database.query('DELETE FROM run_events WHERE thread_id = $1', [THREAD]);
    const deleted = performance.now();
    while (!announced.slice(before).some((change) => change.threads?.includes(THREAD))) await sleep(5);
    record({ name: "postgres live: another process's delete to announcement", value: performance.now() - deleted, unit: 'ms' });
  } finally {
    follower.stop();
  }
}
