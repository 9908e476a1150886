import { describe, expect, it } from 'vitest';
import type { HealthFinding, HealthProgress } from '../../src-shared/health.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { fillHealthStore, MARKED } from '../../test/support/health-store.ts';
import { checkHealth } from './check-store.ts';
import { storeHealthSource } from './store-source.ts';

const brief = (findings: HealthFinding[]) => findings.map(({ kind, thread_id, run_id, seq }) => ({ kind, thread_id, run_id, seq }));

async function filledStore(): Promise<{ store: MemoryStore; gap: number[] }> {
  const store = new MemoryStore();
  return { store, ...(await fillHealthStore(store)) };
}

describe('the health check of a store through its API', () => {
  it('finds each event-level kind where the store holds it, and nothing of the clean thread or of a killed run\'s open calls and tasks', async () => {
    const { store, gap } = await filledStore();
    const events = await store.listEvents(MARKED.thread, MARKED.ended);
    const seqOf = (type: string) => events.find((event) => event.event_type === type)!.seq;
    const killed = await store.listEvents(MARKED.thread, MARKED.killed);
    const report = await checkHealth(storeHealthSource(store));
    expect(brief(report.findings)).toEqual([
      { kind: 'tool_call_without_result', thread_id: MARKED.thread, run_id: MARKED.ended, seq: seqOf('llm.ai.response') },
      { kind: 'subagent_without_end', thread_id: MARKED.thread, run_id: MARKED.ended, seq: seqOf('subagent.start') },
      { kind: 'run_without_end', thread_id: MARKED.thread, run_id: MARKED.killed, seq: killed.at(-1)!.seq },
      { kind: 'seq_gap', thread_id: MARKED.thread, run_id: null, seq: gap[0] },
      { kind: 'truncated_content', thread_id: MARKED.thread, run_id: null, seq: seqOf('middleware.trace') },
    ]);
    expect(report.findings.find((f) => f.kind === 'tool_call_without_result')!.message).toContain(MARKED.lostCall);
    expect(report.findings.find((f) => f.kind === 'subagent_without_end')!.message).toContain(MARKED.openTask);
    expect(report.findings.find((f) => f.kind === 'seq_gap')!.message).toBe(`3 seqs missing between 1 and ${killed.at(-1)!.seq}: ${gap[0]}–${gap[2]}`);
    expect(report.counts).toMatchObject({ run_without_end: 1, tool_call_without_result: 1, subagent_without_end: 1, seq_gap: 1, truncated_content: 1, duplicate_seq: 0 });
  });

  it('checks only the thread asked for', async () => {
    const { store } = await filledStore();
    expect((await checkHealth(storeHealthSource(store), { threadId: 'clean' })).findings).toEqual([]);
    expect((await checkHealth(storeHealthSource(store), { threadId: MARKED.thread })).findings).toHaveLength(5);
  });

  it('tells the progress of a whole store by threads, ending with all of them, and none for one thread', async () => {
    const { store } = await filledStore();
    const told: HealthProgress[] = [];
    await checkHealth(storeHealthSource(store), { onProgress: (progress) => told.push(progress) });
    expect(told.at(-1)).toEqual({ checked: 2, total: 2 });
    told.length = 0;
    await checkHealth(storeHealthSource(store), { threadId: 'clean', onProgress: (progress) => told.push(progress) });
    expect(told).toEqual([]);
  });
});
