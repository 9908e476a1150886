// Realistic DeerFlow-shaped run events of any size, deterministic for a seed,
// produced thread by thread so a million events never sit in memory at once.
import { plural } from '../../src-shared/plural.ts';
import type { RunEvent } from '../../src-shared/types.ts';
import { mixSeed, Prng } from './prng.ts';
import { currentRun, guardrailDeniedRun, legacyRun, LONG_RUN_MIN_EVENTS, longAutonomousRun, loopStoppedRun, MIN_RUN_EVENTS, SHOWCASE_RUN_SIZES, SHOWCASE_RUNS, unansweredCallRun } from './runs.ts';
import { MODELS, TOPICS } from './texts.ts';
import type { ThreadMetaInput } from './deerflow-tables.ts';
import { ThreadWriter } from './thread-writer.ts';
import { writeSqliteStore } from './write-store.ts';

export interface GenerateOptions {
  seed: number;
  threads: number;
  /** Exact number of events over all threads; without it each thread gets a natural size. */
  totalEvents?: number;
  /** Exact number of events of the first thread (the "big" one); halfway through it has one very long run. */
  bigThreadEvents?: number;
  /** Adds a thread LONG_RUN_THREAD_ID after the others, of one run of exactly this many events (beyond totalEvents). */
  longRunEvents?: number;
  /** Adds a thread STOPPED_RUNS_THREAD_ID last, of a run loop detection stops and one a guardrail's deny ends (beyond totalEvents). */
  stoppedRuns?: boolean;
}

/** The thread of GenerateOptions.longRunEvents. */
export const LONG_RUN_THREAD_ID = 'thread-long-run';
/** The thread of GenerateOptions.stoppedRuns. */
export const STOPPED_RUNS_THREAD_ID = 'thread-stopped-runs';

export interface ThreadPlan {
  index: number;
  thread_id: string;
  /** The title DeerFlow's title middleware gives the thread (threads_meta.display_name). */
  display_name: string;
  events: number;
  big: boolean;
  /**
   * Holds the runs with the rare shapes: image part, reasoning, OpenAI-style and plain-string messages, a JSON tool result,
   * a truncated tool result and trace, a ~100 KB answer, a run with trace events only, failed runs (its latest among them).
   */
  showcase: boolean;
  /** Starts with runs in the pre-mid-2026 vintage (lifecycle events, ai_message). */
  legacy: boolean;
  /** The thread of one long run (GenerateOptions.longRunEvents). */
  longRun: boolean;
  /** The thread of GenerateOptions.stoppedRuns. */
  stopped: boolean;
}

const NATURAL_THREAD_EVENTS = [30, 200] as const;
const RUN_EVENTS = [8, 60] as const;
const LEGACY_RUN_EVENTS = [5, 16] as const;
const LEGACY_RUNS = 3;
/** An autonomous run of hundreds of tool calls, so a trace page can be full. */
const LONG_RUN_EVENTS = 2_000;
const SHOWCASE_EVENTS = SHOWCASE_RUN_SIZES.reduce((a, b) => a + b, 0);
const START_MICROS = Date.UTC(2026, 0, 12, 8, 0, 0) * 1000;
const THREAD_SPACING_MS = 40 * 60_000;
const TITLE_QUALIFIERS = ['follow-up', 'draft', 'v2', 'team review', '第二版'];
const SHOWCASE_TOPIC = TOPICS.find((topic) => topic.title.includes('新能源汽车')) ?? TOPICS[0];

function checkCount(value: number | undefined, name: string, min: number): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

/** What every thread draws first from its own stream; the plan and the events agree on it. */
function writerFor(seed: number, index: number, showcase: boolean, fixedThreadId?: string): ThreadWriter {
  const rng = new Prng(mixSeed(seed, index + 1));
  const drawnThreadId = rng.uuid();
  const threadId = fixedThreadId ?? drawnThreadId;
  const drawn = rng.pick(TOPICS);
  const topic = showcase ? SHOWCASE_TOPIC : drawn;
  const model = rng.pick(MODELS);
  const title = rng.chance(0.25) ? `${topic.title} (${rng.pick(TITLE_QUALIFIERS)})` : topic.title;
  const startMicros = START_MICROS + index * THREAD_SPACING_MS * 1000 + rng.int(0, THREAD_SPACING_MS - 1) * 1000;
  return new ThreadWriter({ threadId, rng, topic, model, title, startMicros });
}

function threadBudgets({ seed, threads, totalEvents, bigThreadEvents }: GenerateOptions): number[] {
  const rng = new Prng(mixSeed(seed, 0));
  const budgets: number[] = [];
  const others = bigThreadEvents === undefined ? threads : threads - 1;
  if (totalEvents === undefined) {
    for (let i = 0; i < others; i++) budgets.push(rng.int(...NATURAL_THREAD_EVENTS));
  } else {
    const rest = totalEvents - (bigThreadEvents ?? 0);
    if (others === 0 ? rest !== 0 : rest < others * MIN_RUN_EVENTS) {
      throw new RangeError(`totalEvents ${totalEvents} cannot be split over ${plural(threads, 'thread')} (${MIN_RUN_EVENTS} events at least each${bigThreadEvents ? `, ${bigThreadEvents} in the big one` : ''})`);
    }
    // Each thread gets the minimum, then a random share of what is left.
    const weights = Array.from({ length: others }, () => 0.3 + rng.next());
    const sum = weights.reduce((a, b) => a + b, 0);
    const spare = rest - others * MIN_RUN_EVENTS;
    const shares = weights.map((weight) => Math.floor((spare * weight) / sum));
    let leftover = spare - shares.reduce((a, b) => a + b, 0);
    for (let i = 0; leftover > 0; i = (i + 1) % others, leftover--) shares[i]++;
    budgets.push(...shares.map((share) => MIN_RUN_EVENTS + share));
  }
  return bigThreadEvents === undefined ? budgets : [bigThreadEvents, ...budgets];
}

/** The threads a generation will produce, without producing their events. */
export function planThreads(options: GenerateOptions): ThreadPlan[] {
  const { seed, threads, totalEvents, bigThreadEvents, longRunEvents } = options;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  checkCount(threads, 'threads', 1);
  checkCount(totalEvents, 'totalEvents', MIN_RUN_EVENTS);
  checkCount(bigThreadEvents, 'bigThreadEvents', MIN_RUN_EVENTS);
  checkCount(longRunEvents, 'longRunEvents', LONG_RUN_MIN_EVENTS);
  const budgets = threadBudgets(options);
  const big = bigThreadEvents !== undefined;
  const showcaseIndex = big && threads > 1 ? 1 : 0;
  const plans = budgets.map((events, index): ThreadPlan => {
    const spare = events - SHOWCASE_EVENTS;
    const showcase = index === showcaseIndex && (spare === 0 || spare >= MIN_RUN_EVENTS);
    const writer = writerFor(seed, index, showcase);
    const legacy = index === threads - 1;
    return { index, thread_id: writer.threadId, display_name: writer.title, events, big: big && index === 0, showcase, legacy, longRun: false, stopped: false };
  });
  const extra = { big: false, showcase: false, legacy: false, longRun: false, stopped: false };
  if (longRunEvents !== undefined) {
    const writer = writerFor(seed, plans.length, false, LONG_RUN_THREAD_ID);
    plans.push({ ...extra, index: plans.length, thread_id: writer.threadId, display_name: writer.title, events: longRunEvents, longRun: true });
  }
  if (options.stoppedRuns) {
    const writer = writerFor(seed, plans.length, false, STOPPED_RUNS_THREAD_ID);
    const events = [...stoppedRunsEvents(writer)].length;
    plans.push({ ...extra, index: plans.length, thread_id: writer.threadId, display_name: writer.title, events, stopped: true });
  }
  return plans;
}

/** thread_id → display name, for a `threads_meta` table. */
export function threadDisplayNames(options: GenerateOptions): Map<string, string> {
  return new Map(planThreads(options).map((plan) => [plan.thread_id, plan.display_name]));
}

function* stoppedRunsEvents(w: ThreadWriter): Generator<RunEvent> {
  yield* loopStoppedRun(w);
  yield* guardrailDeniedRun(w);
}

function* threadEvents(seed: number, plan: ThreadPlan): Generator<RunEvent> {
  const w = writerFor(seed, plan.index, plan.showcase, plan.longRun || plan.stopped ? plan.thread_id : undefined);
  if (plan.longRun) {
    yield* longAutonomousRun(w, plan.events);
    return;
  }
  if (plan.stopped) {
    yield* stoppedRunsEvents(w);
    return;
  }
  // A run of about min..max events that never leaves fewer than a run's minimum behind.
  const runSize = (available: number, [min, max]: readonly [number, number]) => {
    const size = w.rng.int(min, max);
    return size >= available || available - size < MIN_RUN_EVENTS ? available : size;
  };
  let remaining = plan.events;
  if (plan.legacy) {
    // Older runs first: a thread that outlived a DeerFlow upgrade.
    let available = remaining - (plan.showcase ? SHOWCASE_EVENTS : 0);
    for (let i = 0; i < LEGACY_RUNS && available >= MIN_RUN_EVENTS; i++) {
      const size = runSize(available, LEGACY_RUN_EVENTS);
      yield* legacyRun(w, size);
      available -= size;
      remaining -= size;
    }
  }
  if (plan.showcase) {
    for (const build of SHOWCASE_RUNS) {
      const run = build(w);
      remaining -= run.length;
      yield* run;
    }
  }
  let longRun = plan.big ? Math.min(LONG_RUN_EVENTS, Math.floor(plan.events / 4)) : 0;
  while (remaining > 0) {
    const halfway = longRun > 0 && remaining <= plan.events / 2;
    const size = halfway ? runSize(remaining, [longRun, longRun]) : runSize(remaining, RUN_EVENTS);
    if (halfway) longRun = 0;
    // The showcase thread's latest run fails, so the thread list has a thread to flag.
    yield* currentRun(w, size, plan.showcase && size === remaining);
    remaining -= size;
  }
}

/** Every event, thread after thread; seqs start at 1 in each thread and created_at only grows. */
export function* generateEvents(options: GenerateOptions): Generator<RunEvent> {
  for (const plan of planThreads(options)) yield* threadEvents(options.seed, plan);
}

/**
 * A thread of one run whose tool call has no result and which has no end,
 * starting at `startMs`. Generated stores lie in the past, so a test that
 * needs a run still going (its events in the last minutes) writes this one,
 * stamped from its own clock, beside them.
 */
export function unansweredCallThread(threadId: string, startMs: number): RunEvent[] {
  const [topic] = TOPICS;
  const w = new ThreadWriter({ threadId, rng: new Prng(1), topic, model: MODELS[0], title: topic.title, startMicros: startMs * 1000 });
  return unansweredCallRun(w);
}

/** The store every e2e test gets unless it asks for another: its showcase and legacy threads hold each shape of test/support/shapes.ts. */
export const E2E_STORE: GenerateOptions = { seed: 4242, threads: 5, totalEvents: 900, bigThreadEvents: 500 };

/** Its long run and its stopped runs show the run anatomy (waterfall, stop reasons) at its best. */
const SAMPLE: GenerateOptions = { seed: 20260412, threads: 6, totalEvents: 420, longRunEvents: 160, stoppedRuns: true };

/**
 * The small store `npm start` opens with no argument: a DeerFlow database of
 * a few threads (one of them with every rare message shape, one with older
 * runs), its threads_meta (the oldest thread predates it and has no row; one
 * chat was opened and never used) and runs tables.
 */
export async function writeSampleStore(file: string): Promise<void> {
  const plans = planThreads(SAMPLE);
  const threads: ThreadMetaInput[] = plans.filter((plan) => !plan.legacy).map(({ thread_id, display_name }) => ({ thread_id, display_name }));
  threads.push({ thread_id: new Prng(SAMPLE.seed).uuid(), display_name: 'New chat' });
  await writeSqliteStore(file, generateEvents(SAMPLE), threads);
}
