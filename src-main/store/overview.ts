// The overview strip's counts (issue 11): a thread's seq range cut into equal
// buckets, each counting its events, messages, errors and failed tool calls.
// Every backend cuts and classifies the same way through this module.
import { badArgument } from '../../src-shared/errors.ts';
import { MAX_OVERVIEW_BUCKETS } from '../../src-shared/contract.ts';
import { RUN_ERROR_TYPES } from '../../src-shared/run-status.ts';
import type { OverviewOptions, RunEvent, ThreadOverview } from '../../src-shared/types.ts';
import { type Bucketing, bucketing, bucketOf } from '../../src-shared/overview-buckets.ts';
import { isFailedToolResult } from './run-facts.ts';

export const ERROR_CATEGORY = 'error';
/** Counted as errors on the strip, beside every event of the `error` category. */
export const ERROR_EVENT_TYPES: readonly string[] = [...RUN_ERROR_TYPES, 'llm.error', 'tool_error'];

export const isErrorEvent = (event: Pick<RunEvent, 'event_type' | 'category'>): boolean =>
  event.category === ERROR_CATEGORY || ERROR_EVENT_TYPES.includes(event.event_type);

export function checkBuckets(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_OVERVIEW_BUCKETS) {
    throw badArgument(`buckets: must be an integer from 1 to ${MAX_OVERVIEW_BUCKETS}`);
  }
  return value as number;
}

/** The overview of a thread without events. */
export const emptyOverview = (): ThreadOverview => ({
  first_seq: null,
  last_seq: null,
  bucket_seqs: 1,
  buckets: { events: [], messages: [], errors: [], tool_errors: [] },
});

/** Every bucket at zero, to be counted into. */
export function zeroOverview(cut: Bucketing): ThreadOverview {
  const zeros = () => new Array<number>(cut.count).fill(0);
  return {
    first_seq: cut.first,
    last_seq: cut.last,
    bucket_seqs: cut.width,
    buckets: { events: zeros(), messages: zeros(), errors: zeros(), tool_errors: zeros() },
  };
}

export type MarksWanted = NonNullable<OverviewOptions['marks']>;

/** OverviewOptions.marks, checked (the store's own argument check, as every read-model call makes). */
export function checkMarks(options: OverviewOptions | undefined): MarksWanted {
  const marks = options?.marks ?? true;
  if (typeof marks !== 'boolean' && marks !== 'kept') throw badArgument("marks: must be true, false or 'kept'");
  return marks;
}

/** The seqs of a thread's errors and failed tool calls, ascending, as of the `count` events it had from seq `first` to `last`. */
export interface OverviewMarks {
  first: number;
  last: number;
  count: number;
  errors: number[];
  toolErrors: number[];
}

/** A thread's marks yet to be counted, from its first seq: none read so far. */
export const noMarksYet = ({ first }: Pick<OverviewMarks, 'first'>): OverviewMarks => ({ first, last: first - 1, count: 0, errors: [], toolErrors: [] });

/** The overview with its marks counted into its buckets. */
export function withMarks(overview: ThreadOverview, cut: Bucketing, marks: Pick<OverviewMarks, 'errors' | 'toolErrors'>): ThreadOverview {
  const errors = new Array<number>(cut.count).fill(0);
  const toolErrors = new Array<number>(cut.count).fill(0);
  for (const seq of marks.errors) errors[bucketOf(cut, seq)]++;
  for (const seq of marks.toolErrors) toolErrors[bucketOf(cut, seq)]++;
  overview.buckets.errors = errors;
  overview.buckets.tool_errors = toolErrors;
  return overview;
}

/** An overview as asked: without marks, its errors and failed tool calls are null. */
export const withoutMarks = (overview: ThreadOverview): ThreadOverview => ({
  ...overview,
  buckets: { events: overview.buckets.events, messages: overview.buckets.messages, errors: null, tool_errors: null },
});

/** What the strip counts an event as, as bits (the JSONL index keeps them for each event instead of the event). */
export const STRIP_MESSAGE = 1;
export const STRIP_ERROR = 2;
export const STRIP_TOOL_ERROR = 4;

/** `event`'s strip bits; its marks (errors, failed tool calls) only when wanted: telling a failed tool call reads its content. */
export function stripBits(event: RunEvent, marks = true): number {
  const message = event.category === 'message' ? STRIP_MESSAGE : 0;
  if (!marks) return message;
  return message | (isErrorEvent(event) ? STRIP_ERROR : 0) | (isFailedToolResult(event) ? STRIP_TOOL_ERROR : 0);
}

/** Calls `visit` with the seq and strip bits of each event of a thread, in any order. */
export type EachStripItem = (visit: (seq: number, bits: number) => void, marks: boolean) => void;

/**
 * The overview of a thread whose events span seqs [first, last] (the memory
 * and JSONL backends, which hold the whole thread or what each event counts
 * as): its marks are always at hand, so `'kept'` counts them.
 */
export function overviewOfItems(first: number | null, last: number | null, each: EachStripItem, buckets: number, wanted: MarksWanted): ThreadOverview {
  const marks = wanted !== false;
  if (first === null || last === null) return marks ? emptyOverview() : withoutMarks(emptyOverview());
  const cut = bucketing(first, last, buckets);
  const overview = zeroOverview(cut);
  const { events: eventCounts, messages } = overview.buckets;
  const errors = overview.buckets.errors as number[];
  const toolErrors = overview.buckets.tool_errors as number[];
  each((seq, bits) => {
    const i = bucketOf(cut, seq);
    eventCounts[i]++;
    if (bits & STRIP_MESSAGE) messages[i]++;
    if (!marks) return;
    if (bits & STRIP_ERROR) errors[i]++;
    if (bits & STRIP_TOOL_ERROR) toolErrors[i]++;
  }, marks);
  return marks ? overview : withoutMarks(overview);
}

/** The overview of a thread's events, in seq order. */
export function overviewOf(events: readonly RunEvent[], buckets: number, wanted: MarksWanted): ThreadOverview {
  const each: EachStripItem = (visit, marks) => {
    for (const event of events) visit(event.seq, stripBits(event, marks));
  };
  return overviewOfItems(events[0]?.seq ?? null, events.at(-1)?.seq ?? null, each, buckets, wanted);
}
