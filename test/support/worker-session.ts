// A page's session on a small SQLite database of its own, its slow reads
// answered by its read worker (src-main/reads) as the JSON the worker made:
// what the transports carry as bytes. Each read method is listed with
// params, beside the same read in-process, to compare answers whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppInfo, ParamsOf } from '../../src-shared/contract.ts';
import type { RunEvent } from '../../src-shared/types.ts';
import { Session } from '../../src-main/handlers/session.ts';
import { readFrom, type ReadMethod } from '../../src-main/reads/read-methods.ts';
import { openSqliteStore } from '../../src-main/store/sqlite/sqlite-store.ts';

const at = (seq: number) => `2026-03-02T10:00:${String(seq).padStart(2, '0')}.000000+00:00`;
const event = (seq: number, thread_id: string, run_id: string, event_type: string, category: string, content: RunEvent['content']): RunEvent => ({
  thread_id,
  run_id,
  event_type,
  category,
  content,
  metadata: {},
  seq,
  created_at: at(seq),
});

// Text of several bytes a character, so a piece cut anywhere may cut one.
const EVENTS: RunEvent[] = [
  event(1, 't1', 'r1', 'run.start', 'trace', { chain: 'lead_agent' }),
  event(2, 't1', 'r1', 'llm.human.input', 'message', { type: 'human', content: '分析熊猫的栖息地 🐼 and plan the trip' }),
  event(3, 't1', 'r1', 'llm.ai.response', 'message', { type: 'ai', content: '', tool_calls: [{ id: 'c1', name: 'web_search', args: { q: '熊猫' } }] }),
  event(4, 't1', 'r1', 'llm.tool.result', 'message', { type: 'tool', tool_call_id: 'c1', content: 'Traceback …', status: 'error' }),
  event(5, 't1', 'r1', 'run.end', 'outputs', {}),
  event(6, 't1', 'r2', 'run.start', 'trace', { chain: 'lead_agent' }),
  event(7, 't1', 'r2', 'run.error', 'error', 'model overloaded — 过载'),
  event(1, 't2', 'r3', 'llm.human.input', 'message', { type: 'human', content: 'Ещё один тред' }),
];

export type ReadCall = { [M in ReadMethod]: { method: M; params: ParamsOf<M> } }[ReadMethod];

/** Every read method the worker answers, with params this database has answers for. */
export const workerReads: ReadCall[] = [
  { method: 'listThreads', params: {} },
  { method: 'listRuns', params: { threadId: 't1' } },
  { method: 'eventCounts', params: { threadId: 't1' } },
  { method: 'threadOverview', params: { threadId: 't1', buckets: 4 } },
  { method: 'runSummary', params: { threadId: 't1', runId: 'r1' } },
];

export interface WorkerSession {
  session: Session;
  /** The same read on the session's own connection, in-process: the answer the worker's must equal. */
  readHere(call: ReadCall): Promise<unknown>;
  close(): Promise<void>;
}

/** A session whose read worker has started and follows the database (so every read above is the worker's). */
export async function workerSession(transport: AppInfo['transport']): Promise<WorkerSession> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-worker-session-'));
  const file = path.join(dir, 'events.db');
  const seeded = openSqliteStore(file, { create: true });
  seeded.importEvents(EVENTS);
  await seeded.close();
  const session = await Session.create(file, { transport, userDataDir: path.join(dir, 'user-data') });
  await session.readWorker!.started;
  return {
    session,
    readHere: ({ method, params }) => readFrom(session.store, method, params as never),
    close: async () => {
      await session.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
