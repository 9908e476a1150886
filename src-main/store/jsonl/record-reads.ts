// Events read back from their run file at the byte ranges the JSONL index
// keeps (run-entries.ts): nearby lines in one read, each parsed by the
// record rule exactly as when it was indexed. A line that no longer holds
// the record indexed there (the file was rewritten since it was stat'ed)
// is a StaleIndexError: the store reads the thread again and asks once more.
import { closeSync, openSync, readSync } from 'node:fs';
import type { RunEvent } from '../../../src-shared/types.ts';
import { recordOfLine } from './jsonl-reader.ts';
import { layoutIds } from './layout.ts';

/** Lines closer than this are read in one go, with what lies between them. */
const GAP_BYTES = 64 * 1024;
const MAX_READ_BYTES = 8 * 1024 * 1024;

export class StaleIndexError extends Error {
  constructor(file: string) {
    super(`${file} changed since it was indexed`);
  }
}

/** Where one wanted record lies, and the seq it must have. */
export interface RecordAt {
  seq: number;
  offset: number;
  length: number;
}

/** The records at `wanted`, in the order given. */
export function readRecordsAt(file: string, wanted: readonly RecordAt[]): RunEvent[] {
  const out = new Array<RunEvent>(wanted.length);
  if (wanted.length === 0) return out;
  const ids = layoutIds(file);
  const order = wanted.map((_, i) => i).sort((a, b) => wanted[a].offset - wanted[b].offset);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new StaleIndexError(file);
  }
  try {
    for (let i = 0; i < order.length; ) {
      const start = wanted[order[i]].offset;
      let end = start + wanted[order[i]].length;
      let j = i + 1;
      for (; j < order.length; j++) {
        const next = wanted[order[j]];
        if (next.offset - end > GAP_BYTES || next.offset + next.length - start > MAX_READ_BYTES) break;
        end = Math.max(end, next.offset + next.length);
      }
      const bytes = Buffer.allocUnsafe(end - start);
      if (readSync(fd, bytes, 0, bytes.length, start) < bytes.length) throw new StaleIndexError(file);
      for (; i < j; i++) {
        const at = wanted[order[i]];
        const record = recordOfLine(bytes.subarray(at.offset - start, at.offset - start + at.length), ids);
        if (record?.seq !== at.seq) throw new StaleIndexError(file);
        out[order[i]] = record;
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
