// `run-inspector check` as CI runs it: a child process, its exit code, its output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_KINDS, type HealthReport } from '../../src-shared/health.ts';
import { cli } from '../../test/support/cli-process.ts';
import { createVintageDatabase } from '../../test/support/deerflow-databases.ts';
import { DUPLICATED_SEQS, fillHealthStore, MARKED } from '../../test/support/health-store.ts';
import { generateEvents, planThreads } from '../generator/generate.ts';
import { writeJsonlLayout } from '../generator/write-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';

/** The summary table's rows: kind, severity, count. */
const tableOf = (stdout: string) =>
  stdout
    .split('\n')
    .slice(1, 1 + HEALTH_KINDS.length)
    .map((row) => row.trim().split(/\s+/));

describe('run-inspector check', () => {
  let dir: string;
  let clean: string;
  let marked: string;
  let duplicates: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-check-'));
    const options = { seed: 3, threads: 6, totalEvents: 150 };
    expect(planThreads(options).some((plan) => plan.showcase)).toBe(false);
    clean = path.join(dir, 'clean');
    writeJsonlLayout(clean, generateEvents(options));
    marked = path.join(dir, 'marked.db');
    const store = openSqliteStore(marked, { create: true });
    await fillHealthStore(store);
    await store.close();
    duplicates = path.join(dir, 'legacy.db');
    // t2 without its threads_meta row: its events are orphans.
    createVintageDatabase(duplicates, 'before-mid-april-2026', { ...DUPLICATED_SEQS, threads: [{ thread_id: 't1', display_name: null }] });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on a clean store, with a table of every kind at 0 and no finding', async () => {
    const { code, stdout, stderr } = await cli(['check', clean]);
    expect([code, stderr]).toEqual([0, '']);
    expect(tableOf(stdout)).toEqual(HEALTH_KINDS.map((kind) => [kind, expect.stringMatching(/^(error|warning|info)$/), '0']));
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('0 findings: 0 errors, 0 warnings, 0 info');
  });

  it('exits 0 with warnings and info only, each finding on a line of its own after the table', async () => {
    const { code, stdout } = await cli(['check', marked]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[HEALTH_KINDS.length + 1]).toBe('5 findings: 0 errors, 3 warnings, 2 info');
    const findings = lines.slice(HEALTH_KINDS.length + 3).map((line) => line.split('\t'));
    expect(findings.map(([severity, kind, thread, run]) => [severity, kind, thread, run])).toEqual([
      ['warning', 'tool_call_without_result', MARKED.thread, MARKED.ended],
      ['warning', 'subagent_without_end', MARKED.thread, MARKED.ended],
      ['warning', 'run_without_end', MARKED.thread, MARKED.killed],
      ['info', 'seq_gap', MARKED.thread, '-'],
      ['info', 'truncated_content', MARKED.thread, '-'],
    ]);
  });

  it('exits 1 on an error finding; --json prints one object of the findings and every kind counted', async () => {
    const { code, stdout } = await cli(['check', duplicates, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as HealthReport;
    expect(Object.keys(report)).toEqual(['findings', 'counts']);
    expect(Object.keys(report.counts)).toEqual([...HEALTH_KINDS]);
    expect(report.findings.map(({ kind, thread_id, seq }) => [kind, thread_id, seq])).toEqual([
      ['duplicate_seq', 't1', 3],
      ['duplicate_seq', 't1', 4],
      ['orphan_events', 't2', null],
    ]);
    expect(report.counts).toMatchObject({ duplicate_seq: 2, orphan_events: 1, seq_gap: 0 });
  });

  it('checks only the thread --thread names', async () => {
    const other = await cli(['check', duplicates, '--thread', 't2', '--json']);
    expect(other.code).toBe(0);
    expect((JSON.parse(other.stdout) as HealthReport).findings.map((f) => f.kind)).toEqual(['orphan_events']);
    const none = await cli(['check', marked, '--thread', 'clean']);
    expect(none.code).toBe(0);
    expect(none.stdout.trimEnd().split('\n').at(-1)).toBe('0 findings: 0 errors, 0 warnings, 0 info');
  });

  it('exits 1 on a JSONL line that is not a record, naming its file and line', async () => {
    const layout = path.join(dir, 'broken');
    fs.mkdirSync(path.join(layout, 'threads', 't1', 'runs'), { recursive: true });
    fs.writeFileSync(path.join(layout, 'threads', 't1', 'runs', 'r1.jsonl'), '{"seq": 1, "event_type": "run.start"}\n{"seq": 2, "ev\n{"seq": 3, "event_type": "run.end"}\n');
    const { code, stdout } = await cli(['check', layout]);
    expect(code).toBe(1);
    expect(stdout).toContain('\nerror\tmalformed_line\tt1\tr1\t-\tthreads/t1/runs/r1.jsonl:2\tmalformed JSON');
  });

  it('exits 2, saying why on stderr, for a SOURCE it cannot read or a usage error', async () => {
    const notDatabase = path.join(dir, 'not.db');
    fs.writeFileSync(notDatabase, 'plain text');
    const cases: [string[], unknown][] = [
      [['check', path.join(dir, 'typo.db')], `run-inspector: check: ${path.join(dir, 'typo.db')}: no such file or folder`],
      [['check', notDatabase], `run-inspector: check: ${notDatabase}: is not a SQLite database`],
      [['check'], 'run-inspector: check: expected one SOURCE, got 0'],
      [['check', clean, '--thread', ''], 'run-inspector: check: --thread: must not be empty'],
      [['check', clean, '--fix'], expect.stringMatching(/^run-inspector: Unknown option '--fix'/)],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli(args);
      expect([code, stdout, stderr.split('\n')[0]], args.join(' ')).toEqual([2, '', message]);
    }
    expect(fs.existsSync(path.join(dir, 'typo.db'))).toBe(false);
  });
});
