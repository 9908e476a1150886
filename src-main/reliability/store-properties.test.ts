// Property tests: random sequences of store operations give the same results
// on every backend as on the memory backend (the oracle), modulo DeerFlow's
// documented quirks.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InspectorStore } from '../../src-shared/types.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { StoreQuirks } from '../store/store-contract.suite.ts';
import { STAMPED_AFTER_MS, applyOp, normalize, storeOp } from './store-ops.ts';
import { openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { makeTempDir, snapshotStore } from './support.ts';

interface Subject {
  name: string;
  quirks: StoreQuirks;
  open: () => Promise<{ store: InspectorStore; cleanup: () => Promise<void> }>;
}

export const OPS_RUNS = 60;
export const OPS_MAX_LENGTH = 25;

const subjects: Subject[] = [
  {
    name: 'sqlite',
    quirks: { contentMarkers: true, utcCreatedAt: true },
    open: async () => {
      const temp = makeTempDir();
      return { store: openSqliteStore(path.join(temp.dir, 'events.db'), { create: true }), cleanup: async () => temp.remove() };
    },
  },
  {
    name: 'jsonl',
    quirks: { contentMarkers: false, utcCreatedAt: false },
    open: async () => {
      const temp = makeTempDir();
      return { store: await openJsonlStore(path.join(temp.dir, '.deer-flow')), cleanup: async () => temp.remove() };
    },
  },
];

describe.each(subjects)('random operation sequences: $name vs the memory oracle', ({ quirks, open }) => {
  it('answers every operation as the oracle does, and ends holding the same events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(storeOp, { minLength: 1, maxLength: OPS_MAX_LENGTH }), async (steps) => {
        const oracle = new MemoryStore();
        const { store, cleanup } = await open();
        try {
          for (const [index, step] of steps.entries()) {
            const expected = normalize(await applyOp(oracle, step), { contentMarkers: false, utcCreatedAt: false }, STAMPED_AFTER_MS);
            const actual = normalize(await applyOp(store, step), quirks, STAMPED_AFTER_MS);
            expect(actual, `step ${index}: ${step.op}`).toEqual(expected);
          }
          const expected = normalize(await snapshotStore(oracle), { contentMarkers: false, utcCreatedAt: false }, STAMPED_AFTER_MS);
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
