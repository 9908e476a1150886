import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthFinding } from '../../src-shared/health.ts';
import type { SourceIssue } from '../../src-shared/types.ts';
import { checkOpenStore, fillHealthStore, MARKED } from '../../test/support/health-store.ts';
import { generateEvents, planThreads } from '../generator/generate.ts';
import { writeJsonlLayout } from '../generator/write-store.ts';
import { openJsonlExport, openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { checkHealth } from './check-store.ts';
import { jsonlFindings } from './jsonl-findings.ts';
import { storeHealthSource } from './store-source.ts';

const where = (findings: HealthFinding[]) => findings.map(({ kind, thread_id, run_id, seq, file, line }) => ({ kind, thread_id, run_id, seq, file, line }));

const record = (thread_id: string, run_id: string, seq: number, event_type = 'middleware.trace') =>
  JSON.stringify({ thread_id, run_id, seq, event_type, category: 'trace', content: '', metadata: {}, created_at: '2026-04-04T00:49:25.123456+00:00' });

describe('the health check of a JSONL source', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-health-jsonl-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (relative: string, lines: string[]) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  };

  it("finds a layout's line that is not a record, a file holding other runs' records (once per file) and a seq used in two files", async () => {
    write('threads/t1/runs/r1.jsonl', [
      record('t1', 'r1', 1, 'run.start'),
      '{"seq": 2, "thread_id": "t1", "run_id": "r1", "content": "cut in two by a U+2028',
      // Batches of run r2 filed under r1 (DeerFlow before #4938).
      record('t1', 'r2', 3),
      record('t1', 'r2', 4),
      record('t1', 'r1', 5, 'run.end'),
    ]);
    write('threads/t1/runs/r2.jsonl', [record('t1', 'r2', 4, 'run.start'), record('t1', 'r2', 6, 'run.end')]);
    write('threads/t2/runs/r9.jsonl', [record('t2', 'r9', 1, 'run.start'), record('t2', 'r9', 2, 'run.end')]);
    const store = await openJsonlStore(dir);
    const report = await checkOpenStore(store);
    expect(where(report.findings)).toEqual([
      { kind: 'malformed_line', thread_id: 't1', run_id: 'r1', seq: null, file: 'threads/t1/runs/r1.jsonl', line: 2 },
      { kind: 'duplicate_seq', thread_id: 't1', run_id: 'r2', seq: 4, file: 'threads/t1/runs/r2.jsonl', line: 1 },
      { kind: 'event_in_wrong_run_file', thread_id: 't1', run_id: 'r1', seq: null, file: 'threads/t1/runs/r1.jsonl', line: 3 },
      { kind: 'seq_gap', thread_id: 't1', run_id: null, seq: 2, file: undefined, line: undefined },
    ]);
    const [malformed, duplicate, otherRuns] = report.findings;
    expect(duplicate.message).toBe('2 records share seq 4: the first read is kept, the other is at threads/t1/runs/r2.jsonl:1');
    expect(malformed.message).toMatch(/^malformed JSON/);
    expect(otherRuns.message).toBe('2 records name another run than its file\'s "r1" (the first at line 3); read as this run\'s');
    expect(where((await checkOpenStore(store, 't2')).findings)).toEqual([]);
    expect((await checkOpenStore(store, 't1')).counts).toMatchObject({ duplicate_seq: 1, malformed_line: 1, event_in_wrong_run_file: 1, seq_gap: 1 });
  });

  it("finds an export file's line that is not a record, naming no thread, and its duplicate seqs", async () => {
    write('export.jsonl', [record('t1', 'r1', 1, 'run.start'), 'not json', record('t1', 'r1', 1, 'run.end'), record('t1', 'r1', 2, 'run.end')]);
    const report = await checkOpenStore(await openJsonlExport(path.join(dir, 'export.jsonl')));
    expect(where(report.findings)).toEqual([
      { kind: 'malformed_line', thread_id: null, run_id: null, seq: null, file: 'export.jsonl', line: 2 },
      { kind: 'duplicate_seq', thread_id: 't1', run_id: null, seq: 1, file: 'export.jsonl', line: 3 },
    ]);
  });

  it('finds the event-level kinds as in any store', async () => {
    const layout = await openJsonlStore(dir);
    await fillHealthStore(layout);
    const memory = new MemoryStore();
    await fillHealthStore(memory);
    const expected = (await checkHealth(storeHealthSource(memory))).findings;
    expect((await checkOpenStore(layout)).findings).toEqual(expected);
    expect(expected.map((f) => f.thread_id)).toContain(MARKED.thread);
  });

  it('finds nothing in a clean generated layout', async () => {
    const options = { seed: 3, threads: 6, totalEvents: 150 };
    expect(planThreads(options).some((plan) => plan.showcase)).toBe(false);
    const layout = path.join(dir, 'generated');
    writeJsonlLayout(layout, generateEvents(options));
    expect((await checkOpenStore(await openJsonlStore(layout))).findings).toEqual([]);
  });
});

describe("jsonlFindings: a store's issues as findings", () => {
  const root = path.join(os.tmpdir(), 'a-layout');
  const runFile = (run: string) => path.join(root, 'threads', 't1', 'runs', `${run}.jsonl`);

  it('goes by what each issue says it is about, never by its wording', () => {
    const issues: SourceIssue[] = [
      { path: runFile('r1'), line: 2, severity: 'error', message: 'seq 4 was seen before', about: { kind: 'duplicate_seq', thread_id: 't1', seq: 4 } },
      { path: runFile('r1'), line: 3, severity: 'warning', message: 'names run r2', about: { kind: 'other_run', run_id: 'r2' } },
      // The store's words, without what they are about: a skipped line, and a warning that is no finding.
      { path: runFile('r1'), line: 5, severity: 'error', message: 'duplicate seq 4 in thread "t1": the first record with it is kept' },
      { path: runFile('r1'), line: 6, severity: 'warning', message: 'run_id "r2" differs from the path\'s "r1", which is used' },
    ];
    expect(where(jsonlFindings({ kind: 'jsonl', path: root }, issues))).toEqual([
      { kind: 'malformed_line', thread_id: 't1', run_id: 'r1', seq: null, file: 'threads/t1/runs/r1.jsonl', line: 5 },
      { kind: 'duplicate_seq', thread_id: 't1', run_id: 'r1', seq: 4, file: 'threads/t1/runs/r1.jsonl', line: 2 },
      { kind: 'event_in_wrong_run_file', thread_id: 't1', run_id: 'r1', seq: null, file: 'threads/t1/runs/r1.jsonl', line: 3 },
    ]);
    expect(jsonlFindings({ kind: 'jsonl', path: root }, issues, 't2')).toEqual([]);
  });
});
