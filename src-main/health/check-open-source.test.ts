import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthReport } from '../../src-shared/health.ts';
import { createHandlers, dispatch } from '../handlers/handlers.ts';
import type { PushEvent } from '../handlers/push.ts';
import type { Session } from '../handlers/session.ts';
import { fillHealthStore, MARKED } from '../../test/support/health-store.ts';
import { memorySession } from '../../test/support/test-session.ts';

describe('checkHealth over the contract', () => {
  let session: Session;
  let pushes: PushEvent[];
  const call = (params: unknown) => dispatch(createHandlers(session), 'checkHealth', params) as Promise<HealthReport>;

  beforeEach(async () => {
    session = await memorySession();
    await fillHealthStore(session.store);
    pushes = [];
    session.push.subscribe((event) => pushes.push(event));
  });
  afterEach(() => session.close());

  it("answers the open source's report, pushing health:progress for a whole store", async () => {
    const report = await call({});
    expect(report.counts.run_without_end).toBe(1);
    expect(pushes.at(-1)).toEqual({ channel: 'health:progress', message: { checked: 2, total: 2 } });
  });

  it('answers one thread without progress', async () => {
    const report = await call({ threadId: 'clean' });
    expect(report.findings).toEqual([]);
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
    expect(pushes).toEqual([]);
    expect((await call({ threadId: MARKED.thread })).counts.seq_gap).toBe(1);
  });

  it('refuses params the schema does not name', async () => {
    await expect(call({ thread: 'clean' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
