// The event-level rules of the store health check (issue 15), for one thread:
// fed its events once, in any order (seq order along a unique (thread_id,
// seq) index, else run by run), it answers the thread's findings. What an
// event says is read by run-facts' readers, as the anatomy reads it: tool
// calls and their results, subagent tasks, lifecycle events (legacy names
// too), the recorder's truncation mark.
import { isActiveStatus, OUTCOME_TYPES } from '../../src-shared/run-status.ts';
import { SUBAGENT_END_TYPE, SUBAGENT_START_TYPE } from '../../src-shared/span-lanes.ts';
import { SEVERITY_OF, type HealthFinding, type HealthKind } from '../../src-shared/health.ts';
import { plural } from '../../src-shared/plural.ts';
import type { RunEvent } from '../../src-shared/types.ts';
import type { HealthRunsRecord } from '../store/health-columns.ts';
import { AI_MESSAGE_TYPES, taskIdOf, TOOL_RESULT_TYPE, toolCallIdOf, toolCallsOf } from '../store/run-facts.ts';

/** What the check reads of an event; a backend may leave `content` and `metadata` empty where no rule looks (see the SQL). */
export type CheckedEvent = Pick<RunEvent, 'run_id' | 'seq' | 'event_type' | 'content' | 'metadata'>;

/** What a `runs` row tells the check: its run, its thread where the table records it, its status. */
export type RunsRow = HealthRunsRecord;

/** A seq_gap message names at most this many missing ranges; the count covers them all. */
const LISTED_GAPS = 20;

interface OpenCall {
  id: string;
  name: string | null;
  seq: number;
}

interface RunState {
  events: number;
  lastSeq: number;
  ended: boolean;
  /** Each task's first subagent.start seq. */
  started: Map<string, number>;
  finished: Set<string>;
  calls: OpenCall[];
}

export function finding(kind: HealthKind, thread_id: string | null, run_id: string | null, seq: number | null, message: string): HealthFinding {
  return { kind, severity: SEVERITY_OF[kind], thread_id, run_id, seq, message };
}

const count = (n: number, noun: string) => plural(n, noun, `${noun}s`, (k) => k.toLocaleString('en-US'));

/** Missing seqs between the sorted `seqs`' first and last, as ranges. */
function gapsOf(seqs: readonly number[]): { ranges: [number, number][]; missing: number } {
  const ranges: [number, number][] = [];
  let missing = 0;
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] <= seqs[i - 1] + 1) continue;
    ranges.push([seqs[i - 1] + 1, seqs[i] - 1]);
    missing += seqs[i] - seqs[i - 1] - 1;
  }
  return { ranges, missing };
}

const rangeText = ([from, to]: [number, number]) => (from === to ? `${from}` : `${from}–${to}`);

export class ThreadCheck {
  readonly threadId: string;
  private readonly runs = new Map<string, RunState>();
  private readonly seqs: number[] = [];
  private inOrder = true;
  /** The tool call ids some llm.tool.result of the thread answers. */
  private readonly answered = new Set<string>();
  private truncated = 0;
  private firstTruncated = Number.POSITIVE_INFINITY;

  constructor(threadId: string) {
    this.threadId = threadId;
  }

  get events(): number {
    return this.seqs.length;
  }

  /** The runs the thread's events name. */
  runIds(): IterableIterator<string> {
    return this.runs.keys();
  }

  add(event: CheckedEvent): void {
    const { seq, event_type: type } = event;
    if (this.seqs.length > 0 && seq < this.seqs[this.seqs.length - 1]) this.inOrder = false;
    this.seqs.push(seq);
    let run = this.runs.get(event.run_id);
    if (!run) this.runs.set(event.run_id, (run = { events: 0, lastSeq: seq, ended: false, started: new Map(), finished: new Set(), calls: [] }));
    run.events++;
    if (seq > run.lastSeq) run.lastSeq = seq;
    if (event.metadata.content_truncated === true) {
      this.truncated++;
      if (seq < this.firstTruncated) this.firstTruncated = seq;
    }
    if (OUTCOME_TYPES.includes(type)) {
      run.ended = true;
    } else if (AI_MESSAGE_TYPES.includes(type)) {
      for (const call of toolCallsOf(event.content)) if (call.id !== null) run.calls.push({ id: call.id, name: call.name, seq });
    } else if (type === TOOL_RESULT_TYPE) {
      const answers = toolCallIdOf(event.content);
      if (answers !== null) this.answered.add(answers);
    } else if (type === SUBAGENT_START_TYPE || type === SUBAGENT_END_TYPE) {
      const task = taskIdOf(event);
      if (task === null) return;
      if (type === SUBAGENT_END_TYPE) run.finished.add(task);
      else if (!run.started.has(task) || seq < run.started.get(task)!) run.started.set(task, seq);
    }
  }

  /** The thread's findings; `statusOf` gives a run's `runs` row status (null: a row without one; undefined: no row). */
  finish(statusOf: (runId: string) => string | null | undefined): HealthFinding[] {
    const thread = this.threadId;
    const found: HealthFinding[] = [];
    const seqs = this.inOrder ? this.seqs : [...this.seqs].sort((a, b) => a - b);
    for (let i = 0; i < seqs.length; ) {
      let j = i + 1;
      while (j < seqs.length && seqs[j] === seqs[i]) j++;
      if (j - i > 1) found.push(finding('duplicate_seq', thread, null, seqs[i], `${count(j - i, 'event')} share seq ${seqs[i]}`));
      i = j;
    }
    for (const [runId, run] of this.runs) {
      if (!run.ended) {
        const status = statusOf(runId);
        // A run its row says is still going has simply not ended yet.
        if (!isActiveStatus(status)) {
          const row = status === undefined ? '' : `; its runs row says ${status === null ? 'no status' : JSON.stringify(status)}`;
          found.push(finding('run_without_end', thread, runId, run.lastSeq, `run has ${count(run.events, 'event')} and no run.end or run.error (its last at seq ${run.lastSeq})${row}`));
        }
        // Open tasks and calls of a run without an end are that run's unfinished business, not findings of their own.
        continue;
      }
      for (const [task, seq] of run.started) {
        if (!run.finished.has(task)) found.push(finding('subagent_without_end', thread, runId, seq, `subagent task ${JSON.stringify(task)} started at seq ${seq} and has no subagent.end`));
      }
      for (const call of run.calls) {
        if (this.answered.has(call.id)) continue;
        const name = call.name === null ? 'tool call' : `tool call ${JSON.stringify(call.name)}`;
        found.push(finding('tool_call_without_result', thread, runId, call.seq, `${name} ${JSON.stringify(call.id)} at seq ${call.seq} has no llm.tool.result`));
      }
    }
    const { ranges, missing } = gapsOf(seqs);
    if (missing > 0) {
      const listed = ranges.slice(0, LISTED_GAPS).map(rangeText).join(', ');
      const more = ranges.length > LISTED_GAPS ? `, and ${count(ranges.length - LISTED_GAPS, 'more range')}` : '';
      found.push(finding('seq_gap', thread, null, ranges[0][0], `${count(missing, 'seq')} missing between ${seqs[0]} and ${seqs[seqs.length - 1]}: ${listed}${more}`));
    }
    if (this.truncated > 0) {
      found.push(finding('truncated_content', thread, null, this.firstTruncated, `${count(this.truncated, 'event')} with content the recorder truncated (metadata.content_truncated), the first at seq ${this.firstTruncated}`));
    }
    return found;
  }
}
