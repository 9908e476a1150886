// Random sequences of store operations for the property tests: the
// arbitraries, one way to apply an operation to any store, and the
// normalisation that compares two backends modulo DeerFlow's documented
// quirks (DESIGN.md §2).
import fc from 'fast-check';
import { StoreError } from '../../src-shared/errors.ts';
import { toSqliteUtc } from '../../src-shared/time.ts';
import type { StoreQuirks } from '../support/store-contract.suite.ts';
import type {
  EventInput,
  InspectorStore,
  JsonObject,
  JsonValue,
  ListEventsOptions,
  ListMessagesOptions,
  RunEvent,
} from '../../src-shared/types.ts';

// Small pools so operations collide: the same threads, runs and types recur.
const THREADS = ['t1', 't2', 'T_3-x'];
const RUNS = ['r1', 'run-2'];
const EVENT_TYPES = ['llm.ai.response', 'llm.human.input', 'run.start', 'run.end', 'subagent.step', 'llm.start', 'llm.tool.result', 'run.error'];
const CATEGORIES = ['message', 'message', 'trace', 'outputs', 'subagent', 'error'];
const TASKS = ['k1', 'k2'];
const MARKERS = new Set(['content_is_json', 'content_is_dict']);

/** Ids, types and categories every backend must reject the same way (BAD_ARGUMENT). */
const badId = fc.constantFrom('', 'x'.repeat(65));

const threadId = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...THREADS) }, { weight: 1, arbitrary: badId });
const runId = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...RUNS) }, { weight: 1, arbitrary: badId });

/** Strings with the characters that break naive line and JSON handling, plus any Unicode. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '{"looks":"like json"}', '{"type":"tool","status":"error"}', '[1,2]', '42', 'null', 'a\u2028b\u2029c', 'crlf\r\nline', 'nul\u0000byte', '你好 🚀', '\ufeffbom'),
  fc.json({ maxDepth: 2 }),
);

// Through JSON text once: fast-check may produce -0, which no JSON file or column can hold (it reads back as 0).
const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).map((value) => JSON.parse(JSON.stringify(value)) as JsonValue);

const metadataKey = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((key) => !MARKERS.has(key));

const metadata: fc.Arbitrary<JsonObject> = fc
  .tuple(fc.dictionary(metadataKey, json, { maxKeys: 3 }), fc.option(fc.constantFrom(...TASKS), { nil: undefined }))
  .map(([rest, taskId]) => (taskId === undefined ? rest : { ...rest, task_id: taskId }));

/** Years 2000–2020, so a stamp the store assigns ("now") is told apart from a given one. */
const createdAt = fc
  .tuple(fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2020, 11, 31) / 1000 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([seconds, micros]) => `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}+00:00`);

const goodInput: fc.Arbitrary<EventInput> = fc.record(
  {
    thread_id: fc.constantFrom(...THREADS),
    run_id: fc.constantFrom(...RUNS),
    event_type: fc.constantFrom(...EVENT_TYPES),
    category: fc.constantFrom(...CATEGORIES),
    // A failed tool call's message among them, for threadOverview's count of failed tool calls.
    content: fc.oneof(text, json, fc.constant({ type: 'tool', content: 'Traceback', status: 'error' })),
    metadata,
    created_at: createdAt,
  },
  { requiredKeys: ['thread_id', 'run_id', 'event_type', 'category'] },
);

/** One field broken in a way every backend must refuse. */
const breakages: Record<string, unknown>[] = [
  { thread_id: '' },
  { run_id: 'x'.repeat(65) },
  { event_type: 'e'.repeat(33) },
  { category: 'c'.repeat(17) },
  { metadata: [1] },
  { created_at: '2020-01-01T00:00:00' },
];

const eventInput: fc.Arbitrary<EventInput> = fc.oneof(
  { weight: 40, arbitrary: goodInput },
  { weight: 1, arbitrary: fc.tuple(goodInput, fc.constantFrom(...breakages)).map(([input, broken]) => ({ ...input, ...broken }) as EventInput) },
);

const cursor = fc.option(fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 0, max: 15 }) }, { weight: 1, arbitrary: fc.constant(-1) }), {
  nil: undefined,
  freq: 2,
});
const limit = fc.option(fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 10 }) }, { weight: 1, arbitrary: fc.constant(0) }), {
  nil: undefined,
  freq: 2,
});

const pageOptions: fc.Arbitrary<ListMessagesOptions> = fc.record({ limit, beforeSeq: cursor, afterSeq: cursor }).map(dropUndefined);
const eventOptions: fc.Arbitrary<ListEventsOptions> = fc
  .record({
    eventTypes: fc.option(fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 4 }), { nil: undefined, freq: 2 }),
    taskId: fc.option(fc.constantFrom(...TASKS), { nil: undefined, freq: 3 }),
    limit,
    afterSeq: cursor,
  })
  .map(dropUndefined);

/** Options objects as a caller writes them: absent keys, not keys set to undefined. */
function dropUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

export type StoreOp =
  | { op: 'put'; event: EventInput }
  | { op: 'putBatch'; events: EventInput[] }
  | { op: 'putIfAbsent'; event: EventInput }
  | { op: 'listMessages'; threadId: string; options: ListMessagesOptions }
  | { op: 'listEvents'; threadId: string; runId: string; options: ListEventsOptions }
  | { op: 'listMessagesByRun'; threadId: string; runId: string; options: ListMessagesOptions }
  | { op: 'countMessages'; threadId: string }
  | { op: 'deleteByRun'; threadId: string; runId: string }
  | { op: 'deleteByThread'; threadId: string }
  | { op: 'listThreads' }
  | { op: 'listRuns'; threadId: string }
  | { op: 'eventCounts'; threadId: string; runId?: string }
  | { op: 'getEvent'; threadId: string; seq: number }
  | { op: 'threadOverview'; threadId: string; buckets: number };

/** Writes are weighted up so the reads have something to find. */
export const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
  { weight: 6, arbitrary: eventInput.map((event) => ({ op: 'put' as const, event })) },
  { weight: 4, arbitrary: fc.array(eventInput, { maxLength: 6 }).map((events) => ({ op: 'putBatch' as const, events })) },
  { weight: 2, arbitrary: eventInput.map((event) => ({ op: 'putIfAbsent' as const, event })) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('listMessages' as const), threadId, options: pageOptions }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('listEvents' as const), threadId, runId, options: eventOptions }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('listMessagesByRun' as const), threadId, runId, options: pageOptions }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('countMessages' as const), threadId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteByRun' as const), threadId, runId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteByThread' as const), threadId }) },
  { weight: 1, arbitrary: fc.constant({ op: 'listThreads' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('listRuns' as const), threadId }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('eventCounts' as const), threadId, runId: fc.option(runId, { nil: undefined }) }, { requiredKeys: ['op', 'threadId'] }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('getEvent' as const), threadId, seq: fc.integer({ min: 1, max: 15 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('threadOverview' as const), threadId, buckets: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: fc.constant(0) }) }) },
);

/** A sequence that starts from a seeded store (one putBatch), so reads find something. */
export const opSequence = (maxLength: number): fc.Arbitrary<StoreOp[]> =>
  fc
    .tuple(fc.array(goodInput, { minLength: 5, maxLength: 30, size: 'medium' }), fc.array(storeOp, { minLength: 1, maxLength }))
    .map(([seed, steps]) => [{ op: 'putBatch' as const, events: seed }, ...steps]);

export type Outcome = { ok: unknown } | { error: string };

/** Applies one operation; a rejection becomes its error code (a crash of any other kind is rethrown). */
export async function applyOp(store: InspectorStore, step: StoreOp): Promise<Outcome> {
  try {
    return { ok: await dispatchOp(store, step) };
  } catch (error) {
    if (error instanceof StoreError) return { error: error.code };
    throw error;
  }
}

function dispatchOp(store: InspectorStore, step: StoreOp): Promise<unknown> {
  switch (step.op) {
    case 'put':
      return store.put(step.event);
    case 'putBatch':
      return store.putBatch(step.events);
    case 'putIfAbsent':
      return store.putIfAbsent(step.event);
    case 'listMessages':
      return store.listMessages(step.threadId, step.options);
    case 'listEvents':
      return store.listEvents(step.threadId, step.runId, step.options);
    case 'listMessagesByRun':
      return store.listMessagesByRun(step.threadId, step.runId, step.options);
    case 'countMessages':
      return store.countMessages(step.threadId);
    case 'deleteByRun':
      return store.deleteByRun(step.threadId, step.runId);
    case 'deleteByThread':
      return store.deleteByThread(step.threadId);
    case 'listThreads':
      // Backends may order threads differently (the UI sorts); empty threads are not events; a title is kept by some backends only.
      return store
        .listThreads()
        .then((threads) => threads.filter((t) => t.event_count > 0).map(({ title: _, ...thread }) => thread).sort((a, b) => (a.thread_id < b.thread_id ? -1 : 1)));
    case 'listRuns':
      return store.listRuns(step.threadId);
    case 'eventCounts':
      return store.eventCounts(step.threadId, step.runId);
    case 'getEvent':
      return store.getEvent(step.threadId, step.seq);
    case 'threadOverview':
      return store.threadOverview(step.threadId, step.buckets);
  }
}

const PYTHON_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

/**
 * Makes results of two backends comparable: created_at becomes its instant
 * (or "now" when the store stamped it), sqlite's content markers are dropped,
 * and a null user_id (a column the memory backend does not have) is left out.
 */
export function normalize(value: unknown, quirks: StoreQuirks, stampedAfterMs: number): unknown {
  if (Array.isArray(value)) return value.map((item) => normalize(item, quirks, stampedAfterMs));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (isRunEvent(record)) return normalizeEvent(record, quirks, stampedAfterMs);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    out[key] = key.endsWith('created_at') && typeof item === 'string' ? normalizeTime(item, stampedAfterMs) : normalize(item, quirks, stampedAfterMs);
  }
  return out;
}

function isRunEvent(record: Record<string, unknown>): record is RunEvent & Record<string, unknown> {
  return typeof record.thread_id === 'string' && typeof record.seq === 'number' && 'event_type' in record;
}

function normalizeEvent(event: RunEvent, quirks: StoreQuirks, stampedAfterMs: number): unknown {
  const { user_id, metadata, created_at, ...rest } = event;
  const kept = quirks.contentMarkers ? Object.fromEntries(Object.entries(metadata).filter(([key]) => !MARKERS.has(key))) : metadata;
  return {
    ...rest,
    metadata: kept,
    created_at: normalizeTime(created_at, stampedAfterMs),
    ...(user_id === null || user_id === undefined ? {} : { user_id }),
  };
}

/** Given stamps are before 2021; anything later was stamped by the store and must look like Python's isoformat. */
function normalizeTime(text: string, stampedAfterMs: number): string {
  const utc = toSqliteUtc(text);
  if (Date.parse(`${utc.slice(0, 19).replace(' ', 'T')}Z`) >= stampedAfterMs) return PYTHON_UTC.test(text) ? 'now' : `bad now stamp ${text}`;
  return utc;
}

/** Generated stamps end in 2020: anything later was stamped by the store. */
export const STAMPED_AFTER_MS = Date.UTC(2021, 0, 1);
/** For events copied from a store (export, import), whose stamps are all given: compare every one as an instant. */
export const NO_STAMPS = Number.POSITIVE_INFINITY;

export const MEMORY_QUIRKS: StoreQuirks = { contentMarkers: false, utcCreatedAt: false };
export const SQLITE_QUIRKS: StoreQuirks = { contentMarkers: true, utcCreatedAt: true };
