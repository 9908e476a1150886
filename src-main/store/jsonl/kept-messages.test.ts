// The kept messages in chunks: a page read from the chunks it falls in is
// the page of the whole list, for every cursor, across chunk boundaries.
import { describe, expect, it } from 'vitest';
import type { ListMessagesOptions } from '../../../src-shared/types.ts';
import { pageRange } from '../paging.ts';
import { chunkRows, keptPage, MESSAGE_FIELDS, type ChunkRows } from './kept-messages.ts';

// 10,000 messages (three chunks) of seqs 2, 4, 6, … over 7 runs, each at an offset of its own.
const COUNT = 10_000;
const runIds = Array.from({ length: 7 }, (_, i) => `run-${i}`);
const messages = new Float64Array(COUNT * MESSAGE_FIELDS);
for (let i = 0; i < COUNT; i++) messages.set([2 * (i + 1), i % runIds.length, 100 * i, 10 + (i % 5)], i * MESSAGE_FIELDS);

/** The rows as the sidecar's statements give them (jsonl-index-file.ts chunksAfter, chunksBefore), counting those read. */
function sidecarRows() {
  const rows = chunkRows({ runIds, messages });
  const read = { count: 0 };
  const counted = function* (found: typeof rows) {
    for (const row of found) {
      read.count++;
      yield row;
    }
  };
  const chunks: ChunkRows = {
    after: (afterSeq, beforeSeq) => counted(rows.filter((row) => row.last_seq > afterSeq && row.first_seq < beforeSeq)),
    before: (beforeSeq) => counted(rows.filter((row) => row.first_seq < beforeSeq).reverse()),
  };
  return { chunks, read, total: rows.length };
}

/** The page of the whole list, as a ThreadFiles pages it. */
function wholeListPage(options: ListMessagesOptions) {
  const [start, end] = pageRange(COUNT, (i) => messages[i * MESSAGE_FIELDS], options);
  return Array.from({ length: end - start }, (_, k) => {
    const at = (start + k) * MESSAGE_FIELDS;
    return { runId: runIds[messages[at + 1]], seq: messages[at], offset: messages[at + 2], length: messages[at + 3] };
  });
}

const flat = (byRun: ReturnType<typeof keptPage>) =>
  [...byRun!].flatMap(([runId, wanted]) => wanted.map((at) => ({ runId, ...at }))).sort((a, b) => a.seq - b.seq);

describe('a page of the kept messages', () => {
  const cursors: ListMessagesOptions[] = [
    { limit: 50 },
    { limit: 50, beforeSeq: 8193 },
    { limit: 50, beforeSeq: 8194 },
    { limit: 50, afterSeq: 8180 },
    { limit: 3, afterSeq: 0 },
    { limit: 5000, afterSeq: 100 },
    { limit: 50, afterSeq: 8000, beforeSeq: 8300 },
    { limit: 50, beforeSeq: 2 },
    { limit: 50, afterSeq: 2 * COUNT },
    { afterSeq: 16000 },
    {},
  ];
  it.each(cursors)('is the whole list\'s page: %j', (options) => {
    expect(flat(keptPage(sidecarRows().chunks, options))).toEqual(wholeListPage(options));
  });

  it('reads only the chunks the page falls in', () => {
    const latest = sidecarRows();
    keptPage(latest.chunks, { limit: 50 });
    expect(latest.total).toBe(3);
    expect(latest.read.count).toBe(1);
    const across = sidecarRows();
    keptPage(across.chunks, { limit: 50, afterSeq: 2 * 4090 });
    expect(across.read.count).toBe(2);
  });

  it('is null for a chunk this version did not write', () => {
    const { chunks } = sidecarRows();
    const damaged: ChunkRows = { after: chunks.after, before: (beforeSeq) => [...chunks.before(beforeSeq)].map((row) => ({ ...row, run_ids: '{' })) };
    expect(keptPage(damaged, { limit: 50 })).toBeNull();
  });
});
