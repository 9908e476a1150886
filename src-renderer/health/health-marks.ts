// What the runs table and the overview strip mark, from the last report
// alone: indexed once per report by thread, so a row or the strip looks its
// marks up and never asks the store.
import type { HealthFinding, HealthKind, HealthSeverity } from '../../src-shared/health.ts';
import { HEALTH_KINDS, HEALTH_SEVERITIES } from '../../src-shared/health.ts';
import { fractionOf, type SeqRange } from '../messages/overview-strip.ts';

/** A run's findings: the worst severity (its marker's colour) and each kind with how many. */
export interface RunHealth {
  severity: HealthSeverity;
  kinds: { kind: HealthKind; count: number }[];
}

/** A finding at a seq of a thread. */
export interface SeqMark {
  seq: number;
  severity: HealthSeverity;
}

export interface HealthIndex {
  /** thread → run → its findings. */
  runs: ReadonlyMap<string, ReadonlyMap<string, RunHealth>>;
  /** thread → its findings with a seq, in seq order. */
  seqs: ReadonlyMap<string, readonly SeqMark[]>;
}

const rank = (severity: HealthSeverity) => HEALTH_SEVERITIES.indexOf(severity);
const worse = (a: HealthSeverity, b: HealthSeverity) => (rank(a) <= rank(b) ? a : b);

interface RunTally {
  severity: HealthSeverity;
  counts: Map<HealthKind, number>;
}

/** `map`'s value at `key`, made first when it has none. */
function at<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

export function healthIndex(findings: readonly HealthFinding[]): HealthIndex {
  const tallies = new Map<string, Map<string, RunTally>>();
  const seqs = new Map<string, SeqMark[]>();
  for (const finding of findings) {
    if (finding.thread_id === null) continue;
    if (finding.run_id !== null) {
      const run = at(at(tallies, finding.thread_id, () => new Map<string, RunTally>()), finding.run_id, () => ({ severity: finding.severity, counts: new Map() }));
      run.severity = worse(run.severity, finding.severity);
      run.counts.set(finding.kind, (run.counts.get(finding.kind) ?? 0) + 1);
    }
    if (finding.seq !== null) at(seqs, finding.thread_id, () => []).push({ seq: finding.seq, severity: finding.severity });
  }
  const runs = new Map<string, Map<string, RunHealth>>();
  for (const [threadId, threadTallies] of tallies) {
    const marks = new Map<string, RunHealth>();
    for (const [runId, { severity, counts }] of threadTallies) {
      marks.set(runId, { severity, kinds: HEALTH_KINDS.filter((kind) => counts.has(kind)).map((kind) => ({ kind, count: counts.get(kind) ?? 0 })) });
    }
    runs.set(threadId, marks);
  }
  for (const marks of seqs.values()) marks.sort((a, b) => a.seq - b.seq);
  return { runs, seqs };
}

export const noHealthIndex: HealthIndex = healthIndex([]);

/** What a run's marker says: `Health: run_without_end, tool_call_without_result ×3`. */
export const runHealthText = (health: RunHealth): string =>
  `Health: ${health.kinds.map(({ kind, count }) => (count > 1 ? `${kind} ×${count}` : kind)).join(', ')}`;

/** A mark on the strip: where it sits (0–1), its first seq and the worst severity of the findings there. */
export interface StripMark extends SeqMark {
  fraction: number;
}

/**
 * The thread's seq marks along a strip of `slots` places: findings that fall
 * in one place make one mark, of their worst severity, so thousands of them
 * cost no more than the strip has places.
 */
export function stripMarks(marks: readonly SeqMark[], range: SeqRange, slots: number): StripMark[] {
  const bySlot = new Map<number, StripMark>();
  for (const mark of marks) {
    if (mark.seq < range.first || mark.seq > range.last) continue;
    const fraction = fractionOf(range, mark.seq);
    const slot = Math.min(slots - 1, Math.floor(fraction * slots));
    const there = bySlot.get(slot);
    if (!there) bySlot.set(slot, { ...mark, fraction });
    else there.severity = worse(there.severity, mark.severity);
  }
  return [...bySlot.values()];
}
