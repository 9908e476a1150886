// Threads without a display name are titled by their first human message,
// which a SQLite source's thread list carries (issue 14): the page asks for
// no messages to title its rows.
import { ApiCalls } from './pages/api-calls.ts';
import { expect, test } from './fixtures.ts';

test("titles threads without a display name from the thread list's own titles, reading no messages for them", async ({ inspector, served, page }) => {
  await served.write([
    { thread_id: 'untitled-a', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: { type: 'ai', content: 'An AI message first' } },
    { thread_id: 'untitled-a', run_id: 'r1', event_type: 'llm.human.input', category: 'message', content: { type: 'human', content: 'Where is\n\nthe report?' } },
    { thread_id: 'untitled-b', run_id: 'r2', event_type: 'run.start', category: 'trace', content: { chain: 'lead' } },
  ]);
  const calls = new ApiCalls(page);
  await inspector.reloadButton().click();
  await expect(inspector.threads.option('untitled-a')).toContainText('Where is the report?');
  await expect(inspector.threads.option('untitled-b')).toContainText('untitled-b');
  await inspector.threads.waitReady();
  expect(calls.count('listThreads')).toBeGreaterThan(0);
  expect(calls.count('listMessages')).toBe(0);
});
