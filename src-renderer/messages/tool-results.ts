// The result of a tool call that is not in the loaded window: looked for
// among the messages of the call's run after it, page by page.
import type { RunEvent } from '../../src-shared/types.ts';
import { api } from '../api.ts';
import { viewOf } from '../../src-shared/message-model.ts';
import { PAGE_SIZE } from './message-window.ts';

export async function findToolResult(threadId: string, call: RunEvent, callId: string): Promise<RunEvent | null> {
  let afterSeq = call.seq;
  for (;;) {
    const page = await api.listMessagesByRun({ threadId, runId: call.run_id, afterSeq, limit: PAGE_SIZE });
    const result = page.find((event) => viewOf(event).toolCallId === callId);
    if (result) return result;
    if (page.length < PAGE_SIZE) return null;
    afterSeq = page[page.length - 1].seq;
  }
}
