import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthFinding } from '../../src-shared/health.ts';
import { createVintageDatabase, execSql } from '../../test/support/deerflow-databases.ts';
import { checkSqliteFile, DUPLICATED_SEQS, MARKED, writeHealthDatabase } from '../../test/support/health-store.ts';
import { generateEvents, planThreads, type GenerateOptions } from '../generator/generate.ts';
import { writeSqliteStore } from '../generator/write-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { checkHealth } from './check-store.ts';
import { openSqliteHealthSource } from './sqlite-source.ts';
import { storeHealthSource } from './store-source.ts';

const brief = (findings: HealthFinding[]) => findings.map(({ kind, thread_id, run_id, seq }) => ({ kind, thread_id, run_id, seq }));

describe('the health check of a SQLite database', () => {
  let dir: string;
  /** fillHealthStore's threads, a thread whose run is still going, and DeerFlow's runs and threads_meta (HEALTH_TABLES). */
  let marked: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-health-sqlite-'));
    marked = path.join(dir, 'marked.db');
    await writeHealthDatabase(marked);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the event-level kinds as the store read through its API does, and what only its tables tell', async () => {
    const report = await checkSqliteFile(marked);
    const store = openSqliteStore(marked, { create: false, readOnly: true });
    const throughApi = await checkHealth(storeHealthSource(store));
    await store.close();
    const fromTables = report.findings.filter((f) => f.kind === 'orphan_events' || f.kind === 'runs_row_without_events');
    expect(brief(fromTables)).toEqual([
      { kind: 'orphan_events', thread_id: MARKED.thread, run_id: null, seq: null },
      { kind: 'runs_row_without_events', thread_id: 'clean', run_id: 'r-ghost', seq: null },
    ]);
    // The run the runs table says is running has no end yet: not a finding; the interrupted one is.
    expect(brief(report.findings.filter((f) => !fromTables.includes(f)))).toEqual(brief(throughApi.findings.filter((f) => f.thread_id !== 'live')));
    expect(report.findings.find((f) => f.kind === 'run_without_end')!.message).toContain('its runs row says "interrupted"');
    expect(report.counts).toMatchObject({ orphan_events: 1, runs_row_without_events: 1, run_without_end: 1, seq_gap: 1, duplicate_seq: 0 });
  });

  it("checks one thread and its own runs rows only", async () => {
    expect(brief((await checkSqliteFile(marked, 'clean')).findings)).toEqual([{ kind: 'runs_row_without_events', thread_id: 'clean', run_id: 'r-ghost', seq: null }]);
    expect((await checkSqliteFile(marked, 'live')).findings).toEqual([]);
    expect((await checkSqliteFile(marked, MARKED.thread)).counts).toMatchObject({ orphan_events: 1, runs_row_without_events: 0, seq_gap: 1 });
  });

  it('finds duplicate seqs, one finding per thread and seq, in the legacy schema that allows them', async () => {
    const legacy = path.join(dir, 'legacy.db');
    createVintageDatabase(legacy, 'before-mid-april-2026', DUPLICATED_SEQS);
    const report = await checkSqliteFile(legacy);
    expect(brief(report.findings)).toEqual([
      { kind: 'duplicate_seq', thread_id: 't1', run_id: null, seq: 3 },
      { kind: 'duplicate_seq', thread_id: 't1', run_id: null, seq: 4 },
      // Seqs 1 and 2 of t2 are not in its range (3–4): no gap.
    ]);
    expect(report.findings.map((f) => f.message)).toEqual(['3 events share seq 3', '2 events share seq 4']);
    // Read a page at a time along ix_events_run (the vintage has no unique (thread_id, seq)): a page boundary inside a repeated seq loses none of its events.
    for (const pageRows of [1, 2, 3]) {
      const source = openSqliteHealthSource(legacy, pageRows);
      expect(await checkHealth(source)).toEqual(report);
      source.close();
    }
  });

  it('finds nothing in a clean generated store (its threads too short for the showcase run, whose interrupted run and truncated content are findings)', async () => {
    const options: GenerateOptions = { seed: 3, threads: 6, totalEvents: 150 };
    const plans = planThreads(options);
    expect(plans.some((plan) => plan.showcase)).toBe(false);
    const file = path.join(dir, 'generated.db');
    await writeSqliteStore(file, generateEvents(options), plans.map(({ thread_id, display_name }) => ({ thread_id, display_name })));
    const report = await checkSqliteFile(file);
    expect(report.findings).toEqual([]);
  });

  it('finds the showcase thread of a generated store as it is: its interrupted run and its cut content', async () => {
    const options: GenerateOptions = { seed: 3, threads: 3, totalEvents: 300 };
    const plans = planThreads(options);
    const showcase = plans.find((plan) => plan.showcase)!;
    const file = path.join(dir, 'showcase.db');
    await writeSqliteStore(file, generateEvents(options), plans.map(({ thread_id, display_name }) => ({ thread_id, display_name })));
    const report = await checkSqliteFile(file);
    expect(report.findings.map((f) => [f.kind, f.thread_id])).toEqual([
      ['run_without_end', showcase.thread_id],
      ['truncated_content', showcase.thread_id],
    ]);
    expect(report.findings[1].message).toMatch(/^2 events with content the recorder truncated/);
  });

  it('reads a run_events view, which has no row key to page by, a thread at a time', async () => {
    const viewed = path.join(dir, 'viewed.db');
    fs.copyFileSync(marked, viewed);
    execSql(viewed, 'ALTER TABLE run_events RENAME TO stored_events; CREATE VIEW run_events AS SELECT * FROM stored_events');
    expect(await checkSqliteFile(viewed)).toEqual(await checkSqliteFile(marked));
  });

  it('says a file that is not a database is unreadable, naming it', async () => {
    const file = path.join(dir, 'not.db');
    fs.writeFileSync(file, 'not a database');
    expect(() => openSqliteHealthSource(file)).toThrow(expect.objectContaining({ code: 'SOURCE', message: expect.stringContaining(file) }));
  });
});
