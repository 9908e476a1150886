import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobRunner } from '../jobs/job-runner.ts';
import { CandidateWorker, candidatesHere, type CandidateSearches } from './candidate-worker.ts';
import { CandidateReader, type CandidateScope, type OrderKey } from './index-query.ts';
import { isDamagedSidecar, openSidecar, type IndexDoc, type Sidecar } from './sidecar-file.ts';

// 24,000 events, 21,000 with "needle" (past the join plan's limit: a walk), 3,000 with "straw" (the join plan).
const docs: IndexDoc[] = Array.from({ length: 24_000 }, (_, i) => ({
  at: 1_700_000_000 + i,
  thread_id: `t${i % 3}`,
  seq: i + 1,
  run_id: 'r1',
  category: 'message',
  event_type: 'llm.ai.response',
  text: i % 8 === 0 ? `straw ${i}` : `needle ${i}`,
  shortTerms: '',
}));

let dir = '';
let sidecar: Sidecar;
const jobs = new JobRunner({ onProgress: () => {}, onDone: () => {} });
const opened: CandidateSearches[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-candidate-worker-'));
  sidecar = openSidecar(path.join(dir, 'index.sqlite'), 'test', dir);
  sidecar.apply(docs, []);
});
afterEach(async () => {
  for (const searches of opened.splice(0)) await searches.close();
  sidecar.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function startWorker(file = sidecar.file): { searches: CandidateWorker; worker: NonNullable<ReturnType<JobRunner['startService']>> } {
  const worker = jobs.startService({ searchCandidates: { sidecar: file } })!;
  const searches = new CandidateWorker(worker, new CandidateReader(sidecar.db));
  opened.push(searches);
  return { searches, worker };
}

/** Every candidate of a search, step by step, as the engine asks for them. */
async function allCandidates(searches: CandidateSearches, terms: string[], scope: CandidateScope = {}): Promise<number[]> {
  const search = searches.open(terms, scope);
  const ids: number[] = [];
  try {
    for (let after: OrderKey | null = null; ; ) {
      const { candidates, resume } = await search.next(after, 100);
      ids.push(...candidates.map((candidate) => candidate.id));
      if (resume === null) return ids;
      after = resume;
    }
  } finally {
    search.close();
  }
}

describe('CandidateWorker', () => {
  it("answers every step as the session's own connection does, for a walk and for a join, searches overlapping", async () => {
    const { searches } = startWorker();
    const here = candidatesHere(new CandidateReader(sidecar.db));
    const queries: [string[], CandidateScope][] = [
      [['needle'], {}],
      [['straw'], {}],
      [['needle'], { threadId: 't1' }],
    ];
    const inWorker = await Promise.all(queries.map(([terms, scope]) => allCandidates(searches, terms, scope)));
    const expected = await Promise.all(queries.map(([terms, scope]) => allCandidates(here, terms, scope)));
    expect(inWorker).toEqual(expected);
    expect(inWorker.map((ids) => ids.length)).toEqual([21_000, 3000, 7000]);
  });

  it('reads here what a worker that died owed, and every later step, with a log line', async () => {
    const log = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { searches, worker } = startWorker();
      const search = searches.open(['needle'], {});
      const first = await search.next(null, 100);
      const owed = search.next(first.resume, 100);
      await worker.terminate();
      const here = candidatesHere(new CandidateReader(sidecar.db)).open(['needle'], {});
      expect(await owed).toEqual(await here.next(first.resume, 100));
      search.close();
      expect(await allCandidates(searches, ['straw'])).toHaveLength(3000);
      expect(log.mock.calls.map(([line]) => String(line))).toContainEqual(expect.stringContaining("searches are read on the session's thread"));
    } finally {
      log.mockRestore();
    }
  });

  it("brings a damaged sidecar's error back as SQLite's, so the engine builds it again", async () => {
    const damaged = path.join(dir, 'damaged.sqlite');
    fs.writeFileSync(damaged, Buffer.alloc(8192, 7));
    const { searches } = startWorker(damaged);
    const error = await searches.open(['needle'], {}).next(null, 100).catch((caught: unknown) => caught);
    expect(isDamagedSidecar(error)).toBe(true);
  });

  it('fails what it owes with CANCELLED when closed', async () => {
    const { searches } = startWorker();
    const cancelled = expect(searches.open(['needle'], {}).next(null, 100)).rejects.toMatchObject({ code: 'CANCELLED' });
    await searches.close();
    await cancelled;
  });
});
