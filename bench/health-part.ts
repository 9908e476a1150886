// The store health check (issue 15: "1,000,000 events are checked in ≤ 10 s"):
// `npm run bench -- --only health`. A whole-store checkHealth of the SQLite
// store as the app runs it, in the job worker on a read-only connection of
// its own (JobRunner.runHealth), its wall time and the process's CPU time
// (the load other processes put on the machine lengthens the one, hardly the
// other), median of a few turns; the health:progress reports it made and
// their highest rate; beside it, in turns with it, the floor: its SQL alone
// (the same statements over every thread, page by page, the rows dropped), so the figure's share of SQLite and of the check's own rules is
// plain whatever the load. Then `run-inspector check STORE --json` once, as CI
// runs it. The store is only read.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HealthReport } from '../src-shared/health.ts';
import { HEALTH_PAGE_ROWS } from '../src-main/health/row-event.ts';
import { JobRunner } from '../src-main/jobs/job-runner.ts';
import { healthKeyAfter, type HealthRow } from '../src-main/store/health-columns.ts';
import { detectSchema } from '../src-main/store/sqlite/schema.ts';
import { prepareHealthStatements } from '../src-main/store/sqlite/sql.ts';
import { log, record } from './figures.ts';

const TURNS = 3;
const TARGET_MS = { atMost: 10_000 };
const CLI = path.join(import.meta.dirname, '..', 'src-main', 'cli', 'cli.ts');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

interface Turn {
  wallS: number;
  cpuS: number;
}

async function measured<T>(work: () => Promise<T>): Promise<Turn & { value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6 };
}

/** The check's SQL without its rules: every thread's pages read, nothing decoded. */
async function floor(database: string): Promise<number> {
  const db = new Database(database, { readonly: true });
  try {
    const sql = prepareHealthStatements(db, detectSchema(db, database));
    let rows = 0;
    for (const { thread_id: thread } of sql.threads.all()) {
      for (let after: HealthRow | null = null; ; ) {
        const page = sql.threadEvents.all({ thread, ...healthKeyAfter(after), limit: HEALTH_PAGE_ROWS });
        rows += page.length;
        if (page.length < HEALTH_PAGE_ROWS) break;
        after = page[page.length - 1];
      }
    }
    sql.runsRows?.all();
    sql.metaThreads?.all();
    return rows;
  } finally {
    db.close();
  }
}

/** `run-inspector check STORE --json`: its wall time, exit code and report. */
function checkCli(database: string): Promise<{ wallS: number; code: number | null; report: HealthReport }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'check', database, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ wallS: (performance.now() - started) / 1000, code, report: JSON.parse(out) as HealthReport }));
  });
}

export async function benchHealth(database: string, events: number): Promise<void> {
  log(`\nstore health check (${events.toLocaleString('en-US')} events, ${TURNS} turns)`);
  const jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
  const checks: Turn[] = [];
  const floors: Turn[] = [];
  let report: HealthReport | null = null;
  let reports: { at: number; checked: number; total: number }[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    const told: typeof reports = [];
    const check = await measured(() => jobs.runHealth({ kind: 'sqlite', source: database }, ({ done, total }) => told.push({ at: performance.now(), checked: done, total: total ?? 0 })).done);
    checks.push(check);
    report = check.value;
    reports = told;
    const rows = await measured(async () => floor(database));
    floors.push(rows);
    log(`  turn ${turn + 1}: check ${check.wallS.toFixed(2)} s (CPU ${check.cpuS.toFixed(2)} s), its SQL alone ${rows.wallS.toFixed(2)} s (${rows.value.toLocaleString('en-US')} rows)`);
  }
  const found = Object.entries(report!.counts).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none';
  const wall = median(checks.map((turn) => turn.wallS));
  record({ name: 'health: whole-store check, job worker', value: wall * 1000, unit: 'ms', target: TARGET_MS, note: `median of ${TURNS}; findings: ${found}` });
  record({ name: 'health: its CPU time', value: median(checks.map((turn) => turn.cpuS)) * 1000, unit: 'ms', target: TARGET_MS, note: 'both cores counted: the worker and this process' });
  record({ name: 'health: check / its SQL alone', value: wall / median(floors.map((turn) => turn.wallS)), unit: '×', note: `the SQL alone ${median(floors.map((turn) => turn.wallS)).toFixed(2)} s, in turns with the check` });
  const gaps = reports.slice(1).map((r, i) => r.at - reports[i].at);
  const last = reports.at(-1);
  record({
    name: 'health: progress reports a second, at most',
    value: gaps.length === 0 ? 0 : 1000 / Math.min(...gaps),
    unit: '/s',
    note: `${reports.length} reports, the last ${last?.checked} of ${last?.total} threads`,
  });
  const cli = await checkCli(database);
  record({ name: 'health: run-inspector check --json', value: cli.wallS * 1000, unit: 'ms', target: TARGET_MS, note: `exit ${cli.code}, a process of its own: start, open, check, print` });
  await jobs.idle();
}
