// The JSONL repaired copy (issue 15): a layout with misfiled records,
// duplicates of one record and a line that is not one comes out with each
// record once, in its own run's file, in seq order; two different records of
// one seq are both kept and counted; the source's files keep every byte; an
// out folder inside the source or holding anything is refused before
// anything is written; the job reports its progress, in a worker as in-process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress, JobResult, RepairSummary } from '../../src-shared/contract.ts';
import type { HealthKind } from '../../src-shared/health.ts';
import { createHandlers, dispatch } from '../handlers/handlers.ts';
import { Session } from '../handlers/session.ts';
import { checkHealth } from '../health/check-store.ts';
import { healthSourceFor } from '../health/source-for-store.ts';
import { fileHashes as hashes, writeLayout } from '../../test/support/layout-files.ts';
import { openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { JobRunner } from './job-runner.ts';
import type { ProgressReport } from './job-spec.ts';
import { checkRepairTarget, repairJsonl } from './repair-jsonl.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-repair-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const record = (thread: string, run: string, seq: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({ thread_id: thread, run_id: run, event_type: 'llm.ai.response', category: 'message', content: `${run} #${seq}`, metadata: {}, seq, created_at: '2026-04-04T00:49:25.123456+00:00', ...over });

/** The same record with its keys in another order: identical in every field, not in its bytes. */
const reordered = (line: string) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(line) as object).reverse()));

const copyOf = (out: string, thread: string, run: string) => fs.readFileSync(path.join(out, 'threads', thread, 'runs', `${run}.jsonl`), 'utf8');

function runHere(source: string, out: string) {
  const progress: ProgressReport[] = [];
  const summary = repairJsonl({ kind: 'repair', source, out }, { onProgress: (report) => progress.push(report), signal: new AbortController().signal });
  return { summary, progress };
}

/** What the health check finds in the layout at `root`, by kind. */
async function findings(root: string): Promise<Record<HealthKind, number>> {
  const store = await openJsonlStore(root);
  const opened = healthSourceFor(store);
  try {
    return (await checkHealth(opened.source)).counts;
  } finally {
    opened.close();
    await store.close();
  }
}

// Thread t1: run r1's file holds a record of run r2 (seq 3), a line that is not a record and, after a CRLF line, its own;
// run r2's file holds the same seq-3 record again (its keys reordered) and seq 4 twice, byte for byte.
const misfiled = record('t1', 'r2', 3);
const LAYOUT = {
  't1/r1': `${record('t1', 'r1', 1)}\n${record('t1', 'r1', 2)}\r\n${misfiled}\n{"seq": 9, "content": "cut off\n${record('t1', 'r1', 5)}\n`,
  't1/r2': `${reordered(misfiled)}\n${record('t1', 'r2', 4)}\n${record('t1', 'r2', 4)}\n`,
  't2/r9': `${record('t2', 'r9', 1)}\n`,
};

describe('the repaired copy of a JSONL layout', () => {
  it('holds each record once in its own run\'s file, in seq order, the line as the source has it; the source keeps every byte', async () => {
    const source = path.join(dir, 'source');
    writeLayout(source, LAYOUT);
    const before = hashes(source);
    const out = path.join(dir, 'repaired');
    const { summary, progress } = runHere(source, out);
    expect(await summary).toEqual({
      records: 6,
      moved: 1,
      duplicatesDropped: 2,
      malformedSkipped: 1,
      seqConflicts: 0,
      files: 3,
      out,
      seconds: expect.any(Number),
    } satisfies RepairSummary);
    expect(hashes(source)).toEqual(before);
    expect(Object.keys(hashes(out)).sort()).toEqual(['threads/t1/runs/r1.jsonl', 'threads/t1/runs/r2.jsonl', 'threads/t2/runs/r9.jsonl'].map((file) => file.split('/').join(path.sep)));
    expect(copyOf(out, 't1', 'r1')).toBe(`${record('t1', 'r1', 1)}\n${record('t1', 'r1', 2)}\n${record('t1', 'r1', 5)}\n`);
    // The first of the identical records read is kept: the misfiled one, read from r1's file before r2's.
    expect(copyOf(out, 't1', 'r2')).toBe(`${misfiled}\n${record('t1', 'r2', 4)}\n`);
    expect(copyOf(out, 't2', 'r9')).toBe(`${record('t2', 'r9', 1)}\n`);
    expect(progress.at(-1)).toEqual({ done: 3, total: 3, message: '3 of 3 files read' });
    expect(progress.map((report) => report.done)).toEqual([2, 3]);
  });

  it('leaves none of the kinds it repairs for the health check to find', async () => {
    const source = path.join(dir, 'source');
    writeLayout(source, LAYOUT);
    const out = path.join(dir, 'repaired');
    await runHere(source, out).summary;
    expect(await findings(source)).toMatchObject({ malformed_line: 1, event_in_wrong_run_file: 1, duplicate_seq: 2 });
    expect(await findings(out)).toMatchObject({ malformed_line: 0, event_in_wrong_run_file: 0, duplicate_seq: 0 });
  });

  it('keeps two different records of one seq, both, and counts the seq; records of one seq in two runs are not duplicates of each other', async () => {
    const source = path.join(dir, 'source');
    const first = record('t1', 'r1', 2);
    writeLayout(source, {
      't1/r1': `${record('t1', 'r1', 1)}\n${first}\n`,
      't1/r2': `${record('t1', 'r2', 2, { content: 'another' })}\n${record('t1', 'r2', 1, { content: 'r1 #1', run_id: 'r2' })}\n`,
    });
    const out = path.join(dir, 'repaired');
    expect(await runHere(source, out).summary).toMatchObject({ records: 4, moved: 0, duplicatesDropped: 0, seqConflicts: 2, files: 2 });
    expect(copyOf(out, 't1', 'r2')).toBe(`${record('t1', 'r2', 1, { content: 'r1 #1', run_id: 'r2' })}\n${record('t1', 'r2', 2, { content: 'another' })}\n`);
  });

  it('refuses an out folder inside the source, the source itself, or one that holds anything, before writing anything', async () => {
    const project = path.join(dir, 'project');
    const root = path.join(project, '.deer-flow');
    writeLayout(root, LAYOUT);
    const before = hashes(project);
    fs.mkdirSync(path.join(dir, 'full'));
    fs.writeFileSync(path.join(dir, 'full', 'notes.txt'), 'mine');
    fs.symlinkSync(root, path.join(dir, 'link'));
    const refusals: [string, string][] = [
      [root, 'is inside the source'],
      [path.join(root, 'threads', 'repaired'), 'is inside the source'],
      // The folder holding .deer-flow, as the store was opened, is the source too.
      [path.join(project, 'repaired'), 'is inside the source'],
      // Through a link to the source, still inside it.
      [path.join(dir, 'link', 'repaired'), 'is inside the source'],
      [path.join(dir, 'full'), 'is not empty'],
      [path.join(dir, 'full', 'notes.txt'), 'is a file'],
    ];
    for (const [out, why] of refusals) {
      await expect(runHere(project, out).summary, out).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining(why) });
    }
    expect(hashes(project)).toEqual(before);
    expect(fs.readdirSync(path.join(dir, 'full'))).toEqual(['notes.txt']);
    expect(() => checkRepairTarget(path.join(dir, 'full'), path.join(dir, 'elsewhere'))).toThrow(/not a JSONL folder/);
    // An empty folder that exists is taken.
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(await runHere(project, path.join(dir, 'empty')).summary).toMatchObject({ records: 6, files: 3 });
  });

  it('runs as a job in the worker: progress, then job:done with the summary', async () => {
    const source = path.join(dir, 'source');
    writeLayout(source, LAYOUT);
    const pushed: (JobProgress | JobResult)[] = [];
    const jobs = new JobRunner({ onProgress: (progress) => pushed.push(progress), onDone: (result) => pushed.push(result) });
    expect(jobs.hasWorker).toBe(true);
    const out = path.join(dir, 'repaired');
    const { jobId, done } = jobs.start({ kind: 'repair', source, out });
    const result = await done;
    expect(result).toEqual({ jobId, kind: 'repair', ok: true, summary: expect.objectContaining({ records: 6, moved: 1, duplicatesDropped: 2, malformedSkipped: 1, files: 3, out }) });
    expect(pushed).toEqual([
      { jobId, kind: 'repair', done: 2, total: 3, message: '2 of 3 files read' },
      { jobId, kind: 'repair', done: 3, total: 3, message: '3 of 3 files read' },
      result,
    ]);
  });
});

describe("a page's repaired copy", () => {
  it('is asked for by its folder, refused at once where the copy cannot go, and the copy the job wrote opens by the job id', async () => {
    const source = path.join(dir, 'source');
    writeLayout(source, LAYOUT);
    // The page's rules for paths (createHandlers' caller); the scripts' transport lists a JSONL folder's threads once all are read.
    const session = await Session.create(source, { transport: 'rpc', userDataDir: path.join(dir, 'profile'), workerUrl: null });
    try {
      const handlers = createHandlers(session);
      const call = (method: string, params: unknown) => dispatch(handlers, method, params);
      await expect(call('exportRepaired', { out: path.join(source, 'copy') })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('inside the source') });
      const done = new Promise<JobResult>((resolve) => session.push.subscribe((event) => event.channel === 'job:done' && resolve(event.message as JobResult)));
      const out = path.join(dir, 'repaired');
      const { jobId } = (await call('exportRepaired', { out })) as { jobId: string };
      expect(await done).toMatchObject({ jobId, kind: 'repair', ok: true, summary: { records: 6, out } });
      expect(await call('openRepaired', { jobId })).toEqual({ kind: 'jsonl', path: out, readOnly: false });
      expect(((await call('listThreads', {})) as { thread_id: string; event_count: number }[]).map((t) => `${t.thread_id} ${t.event_count}`)).toEqual(['t1 5', 't2 1']);
      await expect(call('openRepaired', { jobId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'job nope: no repaired copy of this session has that id' });
    } finally {
      await session.close();
    }
  });
});
