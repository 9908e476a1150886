// The handler cases, written once and run through every way of calling them:
// dispatch directly, a fake ipcMain, HTTP, and the stdio RPC child process.
// Each transport's test file calls describeHandlerCases with a connector.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserPageApi, desktopPageApi, type AppInfo, type DropOutcome, type MethodName } from '../../src-shared/contract.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';
import type { EventInput, RunAnatomy, RunComparison, RunEvent, SearchResult } from '../../src-shared/types.ts';
import { createVintageDatabase } from './deerflow-databases.ts';
import { testEvent } from './event-input.ts';
import { TWO_THREADS } from './run-records.suite.ts';

/** A failed call as every transport reports it: the StoreError code and its message. */
export interface CallFailure {
  code: string;
  message: string;
}

export interface HandlerClient {
  /** Resolves with the result, rejects with a CallFailure. */
  call(method: string, params?: unknown): Promise<unknown>;
  /** Writes events behind the transport's back where it cannot write them (the page's); else `putBatch` through it. */
  seed?(events: EventInput[]): Promise<RunEvent[]>;
  close(): Promise<void>;
}

/** Awaits a call expected to fail; fails the test when it succeeds. */
export async function failure(promise: Promise<unknown>): Promise<CallFailure> {
  try {
    const result = await promise;
    throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  } catch (error) {
    const { code, message } = error as CallFailure;
    if (typeof code !== 'string') throw error;
    return { code, message };
  }
}

const ev = (over: Partial<EventInput> = {}) => testEvent({ created_at: '2026-04-04T00:49:25.123456+00:00', ...over });

export interface TransportTraits {
  /** False for IPC: a method is a channel, so an unknown one is not even addressable. */
  callsByName?: boolean;
  /**
   * The page a transport serves, which offers its list only (contract.ts): IPC the desktop's
   * (no typed paths), HTTP browser mode's (no native dialogs, no drops); neither writes events.
   * Undefined for scripts' transports, which offer every method.
   */
  page?: 'desktop' | 'browser';
  /** Whose path rules importJsonl and exportSource apply (HandlerOptions.caller). */
  caller?: 'page' | 'script';
}

const pageLists: Record<NonNullable<TransportTraits['page']>, readonly MethodName[]> = { desktop: desktopPageApi, browser: browserPageApi };

export function describeHandlerCases(
  name: string,
  transport: AppInfo['transport'],
  connect: () => Promise<HandlerClient>,
  { callsByName = true, page, caller = 'page' }: TransportTraits = {},
): void {
  const offers = (method: MethodName) => page === undefined || pageLists[page].includes(method);
  const writes = offers('put');
  describe(`handler cases: ${name}`, () => {
    let client: HandlerClient;
    let dir: string;
    const call = <T>(method: string, params?: unknown) => client.call(method, params) as Promise<T>;
    const seed = (events: EventInput[]) => (client.seed ? client.seed(events) : call<RunEvent[]>('putBatch', { events }));

    beforeEach(async () => {
      client = await connect();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-handler-cases-'));
    });
    afterEach(async () => {
      await client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it.runIf(writes)('put returns the record a later query returns', async () => {
      const put = await call<RunEvent>('put', { event: ev({ content: { type: 'ai', content: 'hi 你好' } }) });
      expect(put).toMatchObject({ thread_id: 't1', run_id: 'r1', seq: 1, content: { type: 'ai', content: 'hi 你好' }, metadata: {} });
      expect(await call('listMessages', { threadId: 't1' })).toEqual([put]);
      expect(await call('getEvent', { threadId: 't1', seq: 1 })).toEqual(put);
      expect(await call('getEvent', { threadId: 't1', seq: 2 })).toBeNull();
    });

    it.runIf(writes)('a string that looks like JSON stays a string', async () => {
      const put = await call<RunEvent>('put', { event: ev({ content: '{"a": 1}' }) });
      expect(put.content).toBe('{"a": 1}');
    });

    it('listEvents filters, listMessagesByRun, countMessages over a batch', async () => {
      const events = await seed([
        ev({ event_type: 'run.start', category: 'trace' }),
        ev(),
        ev({ event_type: 'subagent.start', category: 'subagent', metadata: { task_id: 'k1' } }),
        ev({ run_id: 'r2' }),
      ]);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(await call('listEvents', { threadId: 't1', runId: 'r1', eventTypes: ['run.start'] })).toEqual([events[0]]);
      expect(await call('listEvents', { threadId: 't1', runId: 'r1', taskId: 'k1' })).toEqual([events[2]]);
      expect(await call('listEvents', { threadId: 't1', runId: 'r1', afterSeq: 1, limit: 1 })).toEqual([events[1]]);
      expect(await call('listMessagesByRun', { threadId: 't1', runId: 'r2' })).toEqual([events[3]]);
      expect(await call('listMessages', { threadId: 't1', beforeSeq: 4, limit: 5 })).toEqual([events[1]]);
      expect(await call('countMessages', { threadId: 't1' })).toBe(2);
    });

    it.runIf(writes)('putIfAbsent writes once per run and event type', async () => {
      const first = await call<{ created: boolean; event: RunEvent }>('putIfAbsent', { event: ev({ event_type: 'run.start', category: 'trace' }) });
      const second = await call<{ created: boolean; event: RunEvent }>('putIfAbsent', { event: ev({ event_type: 'run.start', category: 'trace' }) });
      expect(first.created).toBe(true);
      expect(second).toEqual({ created: false, event: first.event });
    });

    it('deletes return how many events they removed', async () => {
      await seed([ev(), ev(), ev({ run_id: 'r2' })]);
      expect(await call('deleteByRun', { threadId: 't1', runId: 'r1' })).toBe(2);
      expect(await call('deleteByRun', { threadId: 't1', runId: 'r1' })).toBe(0);
      expect(await call('deleteByThread', { threadId: 't1' })).toBe(1);
      expect(await call('listThreads')).toEqual([]);
    });

    it("a DeerFlow-style delete takes the run records with the events, on a database that keeps them; unasked, the events only", async () => {
      await seed([ev()]);
      // The memory store keeps no run records: nothing to offer, the events go.
      expect(await call('deletableRecords', { threadId: 't1' })).toBeNull();
      expect(await call('deleteWithRecords', { threadId: 't1', records: true })).toEqual({ events: 1, runs: 0, threadsMeta: 0, feedback: 0 });
      const file = path.join(dir, 'deerflow.db');
      createVintageDatabase(file, 'current', TWO_THREADS);
      // How this page opens a database it names: typed, or dropped on the desktop window.
      await call(offers('openSource') ? 'openSource' : 'openDropped', { path: file });
      expect(await call('deletableRecords', { threadId: 't1', runId: 'r1' })).toEqual({ runs: 1, threadsMeta: 0, feedback: 1, active: 0 });
      expect(await call('deleteWithRecords', { threadId: 't1', runId: 'r1', records: false })).toEqual({ events: 2, runs: 0, threadsMeta: 0, feedback: 0 });
      expect(await call('deletableRecords', { threadId: 't1', runId: 'r1' })).toEqual({ runs: 1, threadsMeta: 0, feedback: 1, active: 0 });
      expect(await call('deletableRecords', { threadId: 't1' })).toEqual({ runs: 3, threadsMeta: 1, feedback: 2, active: 0 });
      expect(await call('deleteWithRecords', { threadId: 't1', records: true })).toEqual({ events: 1, runs: 3, threadsMeta: 1, feedback: 2 });
      expect(await call('deletableRecords', { threadId: 't1' })).toEqual({ runs: 0, threadsMeta: 0, feedback: 0, active: 0 });
      expect((await call<{ thread_id: string }[]>('listThreads')).map((thread) => thread.thread_id)).toEqual(['t2']);
      // The seed's delete keeps its meaning: the number of events.
      expect(await call('deleteByThread', { threadId: 't2' })).toBe(2);
      expect((await failure(call('deleteWithRecords', { threadId: 't2' }))).message).toContain('records');
    });

    it('the read model: threads, runs, counts, issues', async () => {
      await seed([ev(), ev({ event_type: 'run.end', category: 'outputs', metadata: { status: 'success' } }), ev({ run_id: 'r2' })]);
      expect(await call('listThreads', {})).toEqual([
        expect.objectContaining({ thread_id: 't1', message_count: 2, event_count: 3, run_count: 2 }),
      ]);
      expect(await call('listRuns', { threadId: 't1' })).toEqual([
        expect.objectContaining({ run_id: 'r1', event_count: 2, status: 'success' }),
        expect.objectContaining({ run_id: 'r2', event_count: 1 }),
      ]);
      expect(await call('eventCounts', { threadId: 't1', runId: 'r1' })).toEqual({
        by_category: { message: 1, outputs: 1 },
        by_event_type: { 'llm.ai.response': 1, 'run.end': 1 },
        by_task_id: {},
      });
      expect(await call('sourceIssues')).toEqual([]);
    });

    it('threadOverview counts the thread in at most `buckets` buckets; a bucket count outside 1–2,000 is refused', async () => {
      await seed([ev(), ev({ event_type: 'run.error', category: 'error' }), ev({ event_type: 'llm.start', category: 'trace' })]);
      expect(await call('threadOverview', { threadId: 't1', buckets: 2 })).toEqual({
        first_seq: 1,
        last_seq: 3,
        bucket_seqs: 2,
        buckets: { events: [2, 1], messages: [1, 0], errors: [1, 0], tool_errors: [0, 0] },
      });
      for (const buckets of [0, 2001, 2.5, '10']) {
        const { code, message } = await failure(call('threadOverview', { threadId: 't1', buckets }));
        expect([code, message], String(buckets)).toEqual(['BAD_ARGUMENT', expect.stringContaining('buckets')]);
      }
      expect((await failure(call('threadOverview', { threadId: 't1' }))).code).toBe('BAD_ARGUMENT');
      expect(await call('threadOverview', { threadId: 't1', buckets: 2, marks: false })).toMatchObject({ buckets: { events: [2, 1], errors: null, tool_errors: null } });
      expect((await failure(call('threadOverview', { threadId: 't1', buckets: 2, marks: 'no' }))).code).toBe('BAD_ARGUMENT');
      expect(await call('threadOverview', { threadId: 't1', buckets: 2, marks: 'kept' })).toMatchObject({ buckets: { events: [2, 1] } });
    });

    it("runSummary answers a run's anatomy; a run with no events and no runs row is NOT_FOUND", async () => {
      await seed([
        ev({ event_type: 'run.start', category: 'trace', created_at: '2026-01-01T00:00:00+00:00' }),
        ev({ content: { type: 'ai', content: '', tool_calls: [{ id: 'c1', name: 'bash', args: {} }] }, metadata: { latency_ms: 500 }, created_at: '2026-01-01T00:00:01+00:00' }),
        ev({ event_type: 'llm.tool.result', content: { type: 'tool', tool_call_id: 'c1', content: 'Traceback …', status: 'error' }, created_at: '2026-01-01T00:00:03+00:00' }),
        ev({ event_type: 'run.error', category: 'error', content: 'boom', created_at: '2026-01-01T00:00:04+00:00' }),
      ]);
      const anatomy = await call<RunAnatomy>('runSummary', { threadId: 't1', runId: 'r1' });
      expect(anatomy).toMatchObject({ run_id: 'r1', status: 'error', duration_ms: 4000, stop: { reason: 'error', detail: 'boom', seq: 4 }, llm_calls: 1, tool_calls: 1, tool_errors: 1 });
      expect(anatomy.spans.map(({ kind, name, status, seq, end_seq, duration_ms, parent }) => ({ kind, name, status, seq, end_seq, duration_ms, parent }))).toEqual([
        { kind: 'run', name: 'run', status: 'error', seq: 1, end_seq: 4, duration_ms: 4000, parent: null },
        { kind: 'llm', name: 'llm', status: 'ok', seq: 2, end_seq: 2, duration_ms: 500, parent: 0 },
        { kind: 'tool', name: 'bash', status: 'error', seq: 2, end_seq: 3, duration_ms: 2000, parent: 0 },
      ]);
      expect((await failure(call('runSummary', { threadId: 't1', runId: 'nope' }))).code).toBe('NOT_FOUND');
      expect((await failure(call('runSummary', { threadId: 't1' }))).code).toBe('BAD_ARGUMENT');
    });

    it("compareRuns answers both runs' figures and their steps aligned, of one thread or two; a run with itself is all same", async () => {
      const ask = (runId: string, query: string) => ({ content: { type: 'ai', content: '', tool_calls: [{ id: `${runId}-c`, name: 'web_search', args: { query } }] } });
      await seed([
        ev({ event_type: 'llm.human.input', content: { type: 'human', content: 'Find it' } }),
        ev(ask('r1', 'revenue 2025')),
        ev({ thread_id: 't2', run_id: 'r9', event_type: 'llm.human.input', content: { type: 'human', content: 'Find it' } }),
        ev({ thread_id: 't2', run_id: 'r9', ...ask('r9', 'revenue 2024') }),
        ev({ thread_id: 't2', run_id: 'r9', content: 'Down 8%' }),
      ]);
      const comparison = await call<RunComparison>('compareRuns', { a: { threadId: 't1', runId: 'r1' }, b: { threadId: 't2', runId: 'r9' } });
      expect([comparison.a, comparison.b]).toMatchObject([{ run_id: 'r1', llm_calls: 1, tool_calls: 1 }, { run_id: 'r9', llm_calls: 2, tool_calls: 1 }]);
      expect(comparison.a).not.toHaveProperty('spans');
      expect(comparison.steps).toEqual([
        { kind: 'same', a: { seq: 1, event_type: 'llm.human.input', label: 'Human input', text: 'Find it', truncated: false }, b: expect.objectContaining({ seq: 1 }) },
        { kind: 'same', a: expect.objectContaining({ seq: 2, label: 'AI response' }), b: expect.objectContaining({ seq: 2, label: 'AI response' }) },
        {
          kind: 'changed',
          a: expect.objectContaining({ seq: 2, label: 'Tool call web_search', text: '{"query":"revenue 2025"}' }),
          b: expect.objectContaining({ seq: 2, label: 'Tool call web_search', text: '{"query":"revenue 2024"}' }),
        },
        { kind: 'only_b', a: null, b: expect.objectContaining({ seq: 3, label: 'AI response', text: 'Down 8%' }) },
      ]);
      const itself = await call<RunComparison>('compareRuns', { a: { threadId: 't2', runId: 'r9' }, b: { threadId: 't2', runId: 'r9' } });
      expect(itself.steps.map(({ kind }) => kind)).toEqual(['same', 'same', 'same', 'same']);
      expect((await failure(call('compareRuns', { a: { threadId: 't1', runId: 'r1' }, b: { threadId: 't1', runId: 'nope' } }))).code).toBe('NOT_FOUND');
      expect((await failure(call('compareRuns', { a: { threadId: 't1', runId: 'r1' } }))).code).toBe('BAD_ARGUMENT');
    });

    it('search finds events by their text, newest first, a page at a time', async () => {
      await seed([
        ev({ content: 'the Borealis plan' }),
        ev({ event_type: 'llm.end', category: 'trace', content: { type: 'ai', content: 'BOREALIS again' }, created_at: '2026-04-04T00:50:00+00:00' }),
        ev({ thread_id: 't2', content: 'nothing here' }),
      ]);
      const first = await call<SearchResult>('search', { query: 'borealis', limit: 1 });
      expect(first).toEqual({
        hits: [{ thread_id: 't1', run_id: 'r1', seq: 2, event_type: 'llm.end', category: 'trace', created_at: '2026-04-04T00:50:00+00:00', snippet: 'ai BOREALIS again' }],
        nextCursor: expect.any(String),
        index: { state: 'ready', indexed: 3, total: 3 },
      });
      const second = await call<SearchResult>('search', { query: 'borealis', limit: 1, cursor: first.nextCursor });
      expect([second.hits.map((hit) => hit.seq), second.nextCursor]).toEqual([[1], null]);
      const scoped = await call<SearchResult>('search', { query: '"borealis plan"', threadId: 't1', runId: 'r1', categories: ['message'], eventTypes: ['llm.ai.response'] });
      expect(scoped.hits.map((hit) => hit.seq)).toEqual([1]);
      expect((await call<SearchResult>('search', { query: 'borealis', threadId: 't2' })).hits).toEqual([]);
    });

    it('source and app info', async () => {
      expect(await call('sourceInfo')).toEqual({ kind: 'memory', path: null, readOnly: false });
      expect(await call('recentSources')).toEqual([]);
      expect(await call('appInfo')).toMatchObject({ name: 'Run Inspector', transport, version: expect.any(String) });
    });

    it('rejects bad params naming the field, and changes nothing', async () => {
      const writeCases: [string, unknown, string][] = [
        ['put', { event: ev({ thread_id: '' }) }, 'event.thread_id'],
        ['put', { event: ev({ event_type: 'x'.repeat(33) }) }, 'event.event_type'],
        ['put', { event: { ...ev(), metadata: [1] } }, 'event.metadata'],
        ['putBatch', { events: [ev(), ev({ run_id: 'r'.repeat(65) })] }, 'events.1.run_id'],
      ];
      const cases: [string, unknown, string][] = [
        ...(writes ? writeCases : []),
        ['listMessages', { threadId: 't1', limit: 0 }, 'limit'],
        ['listMessages', { threadId: 't1', beforeSeq: -1 }, 'beforeSeq'],
        ['listMessages', {}, 'threadId'],
        ['listEvents', { threadId: 't1', runId: 'r1', colour: 'red' }, 'colour'],
        ['countMessages', [1], 'params'],
        ['getEvent', { threadId: 't1', seq: 0 }, 'seq'],
        ...(offers('openSource') ? [['openSource', { path: '/x.db', create: 'yes' }, 'create'] as [string, unknown, string]] : []),
        ...(offers('pickAndOpen') ? [['pickAndOpen', { kind: 'anything' }, 'kind'] as [string, unknown, string]] : []),
        ['search', { query: '' }, 'query'],
        ['search', { query: ' "" ' }, 'query'],
        ['search', { query: 'x', runId: 'r1' }, 'runId'],
        ['search', { query: 'x', limit: 0 }, 'limit'],
        ['search', { query: 'x', cursor: 'not-a-cursor' }, 'cursor'],
      ];
      for (const [method, params, field] of cases) {
        const { code, message } = await failure(call(method, params));
        expect(code, `${method} ${field}`).toBe('BAD_ARGUMENT');
        expect(message, `${method} ${field}`).toContain(field);
      }
      expect(await call('listThreads')).toEqual([]);
    });

    it.runIf(callsByName)('an unknown method is METHOD_NOT_FOUND', async () => {
      expect(await failure(call('dropDatabase', {}))).toEqual({ code: 'METHOD_NOT_FOUND', message: 'unknown method: dropDatabase' });
      expect((await failure(call('toString'))).code).toBe('METHOD_NOT_FOUND');
    });

    it.runIf(!writes && callsByName)('never writes events: put, putBatch and putIfAbsent are for scripts (rpc)', async () => {
      for (const [method, params] of [
        ['put', { event: ev() }],
        ['putBatch', { events: [ev()] }],
        ['putIfAbsent', { event: ev() }],
      ] as const) {
        const { code, message } = await failure(call(method, params));
        expect([code, message], method).toEqual(['METHOD_NOT_FOUND', expect.stringContaining('run-inspector rpc')]);
      }
      expect(await call('listThreads')).toEqual([]);
    });

    it.runIf(page !== undefined && callsByName)("a page's transport does not offer the other page's path methods", async () => {
      const otherPages =
        page === 'desktop'
          ? ['openSource', 'importJsonl', 'exportSource', 'exportRepaired', 'completePath']
          : ['pickAndOpen', 'pickImport', 'pickExport', 'pickRepairedExport', 'openDropped', 'openDroppedAsIs'];
      for (const method of otherPages) expect((await failure(call(method, {}))).code, method).toBe('METHOD_NOT_FOUND');
    });

    it.runIf(offers('openSource'))('openSource never creates: a missing path is NOT_FOUND naming it, a relative one is refused', async () => {
      const missing = path.join(dir, 'does', 'not', 'exist.db');
      expect(await failure(call('openSource', { path: missing }))).toEqual({ code: 'NOT_FOUND', message: `${missing}: no such file or folder` });
      expect(await failure(call('openSource', { path: path.join(dir, 'typo') }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await failure(call('openSource', { path: missing, create: true }))).toEqual({ code: 'NOT_FOUND', message: `${path.dirname(missing)}: no such folder` });
      expect(await failure(call('openSource', { path: path.join(dir, 'new-store'), create: true }))).toMatchObject({ code: 'BAD_ARGUMENT' });
      const relative = await failure(call('openSource', { path: 'runs.db', create: true }));
      expect([relative.code, relative.message]).toEqual(['BAD_ARGUMENT', expect.stringContaining('runs.db is relative')]);
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(await call('sourceInfo')).toMatchObject({ kind: 'memory' });
    });

    it.runIf(offers('openSource'))('openSource with create makes a new database in a folder that exists', async () => {
      const file = path.join(dir, 'new.db');
      expect(await call('openSource', { path: file, create: true })).toMatchObject({ kind: 'sqlite', path: file });
      expect(await call('sourceInfo')).toMatchObject({ path: file });
    });

    it('openRecent opens only what is on the recent list; one that was moved or deleted says so and is never created; forgetRecent and clearRecent empty the list', async () => {
      const file = path.join(dir, 'gone-store');
      fs.mkdirSync(file);
      // How this page opens a path it names: typed, or dropped on the desktop window.
      if (offers('openSource')) await call('openSource', { path: file });
      else await call('openDroppedAsIs', { dropId: (await call<Extract<DropOutcome, { kind: 'choose' }>>('openDropped', { path: file })).dropId });
      const other = path.join(dir, 'never-opened');
      fs.mkdirSync(other);
      expect(await failure(call('openRecent', { path: other }))).toEqual({ code: 'NOT_FOUND', message: `${other} is not on the recent list` });
      expect(await call('sourceInfo')).toMatchObject({ path: file });
      fs.rmSync(file, { recursive: true });
      expect(await failure(call('openRecent', { path: file }))).toEqual({ code: 'NOT_FOUND', message: `${file} was moved or deleted` });
      expect(fs.existsSync(file)).toBe(false);
      expect(await call('forgetRecent', { path: file })).toEqual([]);
      expect(await call('clearRecent')).toEqual([]);
    });

    it.runIf(offers('openDropped'))('a drop opens a SQLite file at once; a JSONL file or folder waits, under the latest drop id, for the choice', async () => {
      fs.mkdirSync(path.join(dir, 'folder'));
      fs.writeFileSync(path.join(dir, 'export.jsonl'), `${JSON.stringify({ ...ev(), seq: 1 })}\n`);
      // A real database: the scripts' transport opens it for real.
      await openSqliteStore(path.join(dir, 'runs.db'), { create: true }).close();
      expect(await call('openDropped', { path: path.join(dir, 'runs.db') })).toEqual({ kind: 'opened', info: expect.objectContaining({ kind: 'sqlite', path: path.join(dir, 'runs.db') }) });
      const folder = await call<DropOutcome>('openDropped', { path: path.join(dir, 'folder') });
      expect(folder).toEqual({ kind: 'choose', dropId: expect.any(String), path: path.join(dir, 'folder'), pathKind: 'jsonl' });
      const file = await call<DropOutcome>('openDropped', { path: path.join(dir, 'export.jsonl') });
      expect(file).toEqual({ kind: 'choose', dropId: expect.any(String), path: path.join(dir, 'export.jsonl'), pathKind: 'jsonl-file' });
      if (folder.kind !== 'choose' || file.kind !== 'choose') throw new Error('a JSONL drop asks what to do');
      // Only the latest drop can be acted on: an older id names nothing any more.
      expect((await failure(call('openDroppedAsIs', { dropId: folder.dropId }))).code).toBe('NOT_FOUND');
      expect(await call('sourceInfo')).toMatchObject({ path: path.join(dir, 'runs.db') });
      expect(await call('openDroppedAsIs', { dropId: file.dropId })).toMatchObject({ path: path.join(dir, 'export.jsonl') });
      expect((await failure(call('openDropped', { path: path.join(dir, 'nothing') }))).code).toBe('NOT_FOUND');
      expect((await failure(call('openDropped', { path: 'relative.db' }))).code).toBe('BAD_ARGUMENT');
    });

    it.runIf(offers('completePath'))('completePath lists the folders and files a typed prefix could go on to, folders first; hidden ones only when typed', async () => {
      fs.mkdirSync(path.join(dir, 'runs-folder'));
      fs.writeFileSync(path.join(dir, 'runs.db'), '');
      fs.writeFileSync(path.join(dir, 'other.jsonl'), '');
      fs.mkdirSync(path.join(dir, '.deer-flow'));
      expect(await call('completePath', { prefix: path.join(dir, 'run') })).toEqual([
        { path: path.join(dir, 'runs-folder'), folder: true },
        { path: path.join(dir, 'runs.db'), folder: false },
      ]);
      expect(await call('completePath', { prefix: `${dir}${path.sep}` })).toHaveLength(3);
      expect(await call('completePath', { prefix: path.join(dir, '.d') })).toEqual([{ path: path.join(dir, '.deer-flow'), folder: true }]);
      expect(await call('completePath', { prefix: 'relative/ru' })).toEqual([]);
      expect(await call('completePath', { prefix: path.join(dir, 'nowhere', 'x') })).toEqual([]);
    });

    it.runIf(offers('pickAndOpen'))('the native file dialogs are only the desktop app\'s: without them pickAndOpen, pickImport, pickExport and pickRepairedExport say so', async () => {
      for (const [method, params] of [
        ['pickAndOpen', { kind: 'database' }],
        ['pickImport', { kind: 'file' }],
        ['pickExport', {}],
        ['pickRepairedExport', {}],
      ] as const) {
        const { code, message } = await failure(call(method, params));
        expect([code, message], method).toEqual(['METHOD_NOT_FOUND', expect.stringContaining('typed paths')]);
      }
    });

    it.runIf(offers('importJsonl'))('import needs a SQLite target when the open source is not one', async () => {
      fs.writeFileSync(path.join(dir, 'export.jsonl'), '');
      const { code, message } = await failure(call('importJsonl', { path: path.join(dir, 'export.jsonl') }));
      expect(code).toBe('BAD_ARGUMENT');
      expect(message).toContain('into');
    });

    it.runIf(offers('importJsonl') && caller === 'page')("a page's import and export take absolute paths that exist; a typo makes nothing", async () => {
      const input = path.join(dir, 'export.jsonl');
      fs.writeFileSync(input, '');
      const refusals: [string, unknown, string, string][] = [
        ['importJsonl', { path: 'export.jsonl', into: path.join(dir, 'x.db') }, 'BAD_ARGUMENT', 'path: export.jsonl is relative'],
        ['importJsonl', { path: input, into: 'x.db' }, 'BAD_ARGUMENT', 'into: x.db is relative'],
        ['importJsonl', { path: path.join(dir, 'nothing.jsonl'), into: path.join(dir, 'x.db') }, 'NOT_FOUND', `path: ${path.join(dir, 'nothing.jsonl')}: no such file or folder`],
        ['importJsonl', { path: input, into: path.join(dir, 'typo', 'x.db') }, 'NOT_FOUND', `into: ${path.join(dir, 'typo')}: no such folder`],
        ['exportSource', { out: 'exported' }, 'BAD_ARGUMENT', 'out: exported is relative'],
        ['exportRepaired', { out: 'repaired' }, 'BAD_ARGUMENT', 'out: repaired is relative'],
        ['exportRepaired', { out: path.join(dir, 'repaired') }, 'BAD_ARGUMENT', 'only a JSONL folder has a repaired copy'],
      ];
      for (const [method, params, code, message] of refusals) {
        const refused = await failure(call(method, params));
        expect([refused.code, refused.message], JSON.stringify(params)).toEqual([code, expect.stringContaining(message)]);
      }
      expect(fs.readdirSync(dir)).toEqual(['export.jsonl']);
    });
  });
}
