// One thread of a JSONL layout as its repaired copy has it (issue 15): every
// record in the file of the run it names (DeerFlow before its fix #4938 filed
// batches under the wrong run), a record identical to one already kept for
// the thread's seq dropped, lines that are not records left out. The lines
// kept are the source's own bytes; each run's file holds its records in seq
// order (the order they were read in for one seq).
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { recordOfLine, readJsonlBytes } from '../store/jsonl/jsonl-reader.ts';
import { SAFE_ID } from '../store/jsonl/layout.ts';

export interface RepairCounts {
  /** Records written. */
  records: number;
  /** Of those, records written to another run's file than the one they were read from. */
  moved: number;
  /** Records left out because one identical to them was kept for the same thread and seq. */
  duplicatesDropped: number;
  /** Lines that are not records (as the source's issues report them), left out. */
  malformedSkipped: number;
  /** Seqs of a thread that two or more different records share: all of them kept. */
  seqConflicts: number;
}

export const noRepairCounts = (): RepairCounts => ({ records: 0, moved: 0, duplicatesDropped: 0, malformedSkipped: 0, seqConflicts: 0 });

/** A record as the copy keeps it: its line's bytes and the run whose file it goes to. */
interface KeptLine {
  seq: number;
  run: string;
  line: Buffer;
  /** Where it was read, for the order within a seq. */
  order: number;
}

/** The run a record names when that can name a file; else its file's run, which the store reads it as. */
function ownRun(line: Buffer, fileRun: string): string {
  const named = (JSON.parse(line.toString('utf8')) as { run_id?: unknown }).run_id;
  return typeof named === 'string' && SAFE_ID.test(named) ? named : fileRun;
}

/** The record the copy's reader will read from `kept`, in its run's file. */
const asRead = (thread: string, kept: KeptLine) => recordOfLine(kept.line, { thread_id: thread, run_id: kept.run });

/**
 * The thread's run files (`files`: run id → path) read and sorted into the
 * copy's: run id → its lines, each ending in `\n`, in seq order. `counts`
 * gains this thread's figures.
 */
export function repairThread(thread: string, files: ReadonlyMap<string, string>, counts: RepairCounts): Map<string, Buffer[]> {
  const bySeq = new Map<number, KeptLine[]>();
  const conflicts = new Set<number>();
  let order = 0;
  for (const [fileRun, file] of files) {
    const bytes = readFileSync(file);
    const { issues } = readJsonlBytes(file, bytes, (record, _where, span) => {
      const line = bytes.subarray(span.offset, span.offset + span.length);
      const kept: KeptLine = { seq: record.seq, run: ownRun(line, fileRun), line, order: order++ };
      const same = bySeq.get(kept.seq);
      if (same) {
        const read = asRead(thread, kept);
        if (same.some((other) => other.run === kept.run && (other.line.equals(line) || isDeepStrictEqual(asRead(thread, other), read)))) {
          counts.duplicatesDropped++;
          return;
        }
        same.push(kept);
        conflicts.add(kept.seq);
      } else {
        bySeq.set(kept.seq, [kept]);
      }
      if (kept.run !== fileRun) counts.moved++;
    });
    counts.malformedSkipped += issues.filter((issue) => issue.severity === 'error').length;
  }
  const byRun = new Map<string, KeptLine[]>();
  for (const same of bySeq.values()) {
    for (const kept of same) {
      let lines = byRun.get(kept.run);
      if (!lines) byRun.set(kept.run, (lines = []));
      lines.push(kept);
    }
  }
  counts.seqConflicts += conflicts.size;
  const out = new Map<string, Buffer[]>();
  for (const [run, lines] of byRun) {
    lines.sort((a, b) => a.seq - b.seq || a.order - b.order);
    out.set(run, lines.flatMap((kept) => [kept.line, NEWLINE]));
    counts.records += lines.length;
  }
  return out;
}

const NEWLINE = Buffer.from('\n');
