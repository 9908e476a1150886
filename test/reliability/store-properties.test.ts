// Property tests: random sequences of store operations give the same results
// on every backend as on the memory backend (the oracle), modulo DeerFlow's
// documented quirks.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InspectorStore } from '../../src-shared/types.ts';
import { exportJsonl } from '../../src-main/jobs/export-jsonl.ts';
import { importJsonl } from '../../src-main/jobs/import-jsonl.ts';
import { openJsonlStore } from '../../src-main/store/jsonl/jsonl-store.ts';
import { MemoryStore } from '../../src-main/store/memory-store.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';
import type { StoreQuirks } from '../support/store-contract.suite.ts';
import { MEMORY_QUIRKS, NO_STAMPS, SQLITE_QUIRKS, STAMPED_AFTER_MS, applyOp, normalize, opSequence } from './store-ops.ts';
import { makeTempDir, snapshotStore } from './support.ts';

interface Subject {
  name: string;
  quirks: StoreQuirks;
  open: () => Promise<{ store: InspectorStore; cleanup: () => Promise<void> }>;
}

// Bounded so the file runs in seconds; TOTALS.md reports these numbers.
const OPS_RUNS = 60;
const OPS_MAX_LENGTH = 25;
const ROUND_TRIP_RUNS = 30;

const never = new AbortController().signal;

/** A store in a fresh temp dir, removed with it (also when the store fails to open). */
async function inTempDir(open: (dir: string) => InspectorStore | Promise<InspectorStore>): Promise<{ store: InspectorStore; cleanup: () => Promise<void> }> {
  const temp = makeTempDir();
  try {
    return { store: await open(temp.dir), cleanup: async () => temp.remove() };
  } catch (error) {
    temp.remove();
    throw error;
  }
}

const subjects: Subject[] = [
  {
    name: 'sqlite',
    quirks: SQLITE_QUIRKS,
    open: () => inTempDir((dir) => openSqliteStore(path.join(dir, 'events.db'), { create: true })),
  },
  {
    name: 'jsonl',
    quirks: MEMORY_QUIRKS,
    open: () => inTempDir((dir) => openJsonlStore(path.join(dir, '.deer-flow'))),
  },
];

describe.each(subjects)('random operation sequences: $name vs the memory oracle', ({ quirks, open }) => {
  it('answers every operation as the oracle does, and ends holding the same events', async () => {
    await fc.assert(
      fc.asyncProperty(opSequence(OPS_MAX_LENGTH), async (steps) => {
        const oracle = new MemoryStore();
        const { store, cleanup } = await open();
        try {
          for (const [index, step] of steps.entries()) {
            const expected = normalize(await applyOp(oracle, step), MEMORY_QUIRKS, STAMPED_AFTER_MS);
            const actual = normalize(await applyOp(store, step), quirks, STAMPED_AFTER_MS);
            expect(actual, `step ${index}: ${step.op}`).toEqual(expected);
          }
          const expected = normalize(await snapshotStore(oracle), MEMORY_QUIRKS, STAMPED_AFTER_MS);
          expect(normalize(await snapshotStore(store), quirks, STAMPED_AFTER_MS)).toEqual(expected);
        } finally {
          await store.close();
          await cleanup();
        }
      }),
      { numRuns: OPS_RUNS },
    );
  });
});

describe('random export → import round trips', () => {
  it('a random store exported to the DeerFlow layout and imported into an empty database gives back every event', async () => {
    await fc.assert(
      fc.asyncProperty(opSequence(OPS_MAX_LENGTH), async (steps) => {
        const source = new MemoryStore();
        for (const step of steps) await applyOp(source, step);
        const temp = makeTempDir();
        try {
          const out = path.join(temp.dir, 'export');
          const exported = await exportJsonl({ kind: 'export', source: null, out }, { store: source, onProgress: () => {}, signal: never });
          const expected = await snapshotStore(source);
          expect(exported.events).toBe(Object.values(expected).flat().length);

          // The layout itself, opened as a store, holds exactly the events (no quirks in JSONL).
          const layout = await openJsonlStore(out);
          expect(await snapshotStore(layout)).toEqual(expected);
          await layout.close();

          if (exported.events === 0) return;
          const into = path.join(temp.dir, 'imported.db');
          const summary = await importJsonl({ kind: 'import', path: out, into }, { onProgress: () => {}, signal: never });
          expect([summary.imported, summary.duplicates, summary.skipped]).toEqual([exported.events, 0, 0]);
          const imported = openSqliteStore(into, { create: false });
          try {
            expect(normalize(await snapshotStore(imported), SQLITE_QUIRKS, NO_STAMPS)).toEqual(normalize(expected, MEMORY_QUIRKS, NO_STAMPS));
          } finally {
            await imported.close();
          }
        } finally {
          temp.remove();
        }
      }),
      { numRuns: ROUND_TRIP_RUNS },
    );
  });
});
