// The contract's methods, implemented once for every transport (IPC, HTTP,
// stdio RPC), and the one entry transports call: dispatch parses the params
// with the contract's schema before a handler sees them.
import { contract, methodNames, type Handlers, type JobStarted, type MethodName, type OpenPickKind, type ParamsOf } from '../../src-shared/contract.ts';
import { badArgument, StoreError } from '../../src-shared/errors.ts';
import { describeIssues } from '../../src-shared/schemas.ts';
import { resultValue, type Answer } from '../../src-shared/serialized-result.ts';
import type { SourceInfo } from '../../src-shared/types.ts';
import { asStoreError } from '../as-store-error.ts';
import { compareOpenRuns } from '../jobs/compare-job.ts';
import { packageVersion } from './app-info.ts';
import { completePath } from './complete-path.ts';
import type { Session } from './session.ts';

/** The desktop app's native dialogs (src-main/electron/file-commands.ts); each resolves with null when the user cancels. */
export interface Pickers {
  open(kind: OpenPickKind): Promise<SourceInfo | null>;
  importJsonl(from: ParamsOf<'pickImport'>): Promise<JobStarted | null>;
  export(scope: ParamsOf<'pickExport'>): Promise<JobStarted | null>;
  /** The open JSONL folder's repaired copy, into a folder picked. */
  repairedExport(): Promise<JobStarted | null>;
}

export interface HandlerOptions {
  /** Only the desktop app has them; elsewhere the pick* methods say the path is typed instead. */
  pickers?: Pickers;
  /**
   * Whose paths importJsonl and exportSource take. A page's (the default, the stricter) must be
   * absolute and exist as far as they should (Session.importFromPage); a script's
   * (`run-inspector rpc`) follow DESIGN.md's SOURCE rules, relative to the folder it runs in.
   */
  caller?: 'page' | 'script';
}

const notHere = (method: MethodName, instead: string) => new StoreError('METHOD_NOT_FOUND', `${method}: not available here; ${instead}`);

export function createHandlers(session: Session, { pickers, caller = 'page' }: HandlerOptions = {}): Handlers {
  const withPickers = (method: MethodName): Pickers => {
    if (!pickers) throw notHere(method, "native file dialogs are the desktop app's, browser mode takes typed paths");
    return pickers;
  };
  const store = () => session.store;
  const changed = (threadIds: string[]) => {
    if (threadIds.length > 0) session.changed(threadIds);
  };
  return {
    put: async ({ event }) => {
      const record = await store().put(event);
      changed([record.thread_id]);
      return record;
    },
    putBatch: async ({ events }) => {
      const records = await store().putBatch(events);
      changed([...new Set(records.map((record) => record.thread_id))]);
      return records;
    },
    putIfAbsent: async ({ event }) => {
      const result = await store().putIfAbsent(event);
      if (result.created) changed([result.event.thread_id]);
      return result;
    },
    listMessages: ({ threadId, ...options }) => store().listMessages(threadId, options),
    listEvents: ({ threadId, runId, ...options }) => store().listEvents(threadId, runId, options),
    listMessagesByRun: ({ threadId, runId, ...options }) => store().listMessagesByRun(threadId, runId, options),
    countMessages: ({ threadId }) => store().countMessages(threadId),
    // The session tells the pages of a delete itself, before its follower looks again.
    deleteByThread: ({ threadId }) => session.deleteEvents(threadId),
    deleteByRun: ({ threadId, runId }) => session.deleteEvents(threadId, runId),
    deletableRecords: ({ threadId, runId }) => session.deletableRecords(threadId, runId),
    deleteWithRecords: ({ threadId, runId, records }) => session.deleteWithRecords(threadId, runId, records),

    // The slow reads of a big store go to the source's read worker where it has one, and come back serialised (session.answer); the page's pages stay here.
    listThreads: () => session.threadList(),
    listRuns: (params) => session.answer('listRuns', params),
    runSummary: (params) => session.answer('runSummary', params),
    compareRuns: ({ a, b }) => compareOpenRuns(store(), session.jobs, a, b),
    threadOverview: (params) => session.answer('threadOverview', params),
    eventCounts: (params) => session.answer('eventCounts', params),
    getEvent: ({ threadId, seq }) => store().getEvent(threadId, seq),
    sourceIssues: () => store().sourceIssues(),
    checkHealth: ({ threadId }) => session.checkHealth(threadId),
    search: ({ query, ...options }) => session.search(query, options),

    sourceInfo: async () => session.info,
    indexingStatus: async () => session.indexingStatus(),
    openSource: ({ path, ...options }) => session.openFromPage(path, options),
    openDatabaseUrl: ({ url, ...credentials }) => session.openDatabaseUrl(url, credentials),
    allowWrites: () => session.allowWrites(),
    openSample: () => session.openSample(),
    recentSources: () => session.recent.list(),
    openRecent: ({ path, ...credentials }) => session.openRecent(path, credentials),
    forgetRecent: ({ path }) => session.forgetRecent(path),
    clearRecent: () => session.clearRecent(),
    openDropped: ({ path }) => session.openDropped(path),
    openDroppedAsIs: ({ dropId }) => session.openFromPage(session.drops.path(dropId)),

    pickAndOpen: ({ kind }) => withPickers('pickAndOpen').open(kind),
    pickImport: (from) => withPickers('pickImport').importJsonl(from),
    pickExport: (scope) => withPickers('pickExport').export(scope),
    completePath: async ({ prefix }) => completePath(prefix),

    importJsonl: async ({ path, into }) => ({ jobId: caller === 'page' ? session.importFromPage(path, into) : session.startImport(path, into) }),
    exportSource: async ({ out, threadId, runId }) => ({
      jobId: caller === 'page' ? session.exportFromPage(out, threadId, runId) : session.startExport(out, threadId, runId),
    }),
    cancelJob: async ({ jobId }) => session.jobs.cancel(jobId),
    openImported: ({ jobId }) => session.openImported(jobId),
    exportRepaired: async ({ out }) => ({ jobId: caller === 'page' ? session.repairFromPage(out) : session.startRepair(out) }),
    pickRepairedExport: () => withPickers('pickRepairedExport').repairedExport(),
    openRepaired: ({ jobId }) => session.openRepaired(jobId),

    appInfo: async () => ({
      name: 'Run Inspector',
      version: packageVersion(),
      transport: session.transport,
      platform: process.platform,
      keepsPasswords: await session.passwords.keepsPasswords(),
    }),
  };
}

export function isMethodName(method: string): method is MethodName {
  return Object.hasOwn(contract, method);
}

export interface DispatchOptions {
  /** A result the read worker serialised stays a SerializedResult, whose bytes the transport sends; otherwise it is parsed here. */
  keepSerialized?: boolean;
}

/**
 * Runs `method` with `params` as it arrived on the wire (`unknown`). Throws a
 * StoreError: METHOD_NOT_FOUND (also for a method this transport does not
 * offer: `offered`), BAD_ARGUMENT naming the field, the store's own code, or
 * INTERNAL (a bug: logged with its stack, sent without it).
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  params: unknown,
  offered: readonly MethodName[] = methodNames,
  { keepSerialized = false }: DispatchOptions = {},
): Promise<unknown> {
  if (!isMethodName(method)) throw new StoreError('METHOD_NOT_FOUND', `unknown method: ${method}`);
  if (!offered.includes(method)) throw notHere(method, "this page's methods read, delete and open; scripts write events through `run-inspector rpc`");
  const value = params ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badArgument('params: must be an object naming the arguments');
  const parsed = contract[method].params.safeParse(value);
  if (!parsed.success) throw badArgument(describeIssues(parsed.error));
  try {
    const answer = await (handlers[method] as (params: unknown) => Promise<Answer<unknown>>)(parsed.data);
    return keepSerialized ? answer : resultValue(answer);
  } catch (error) {
    const storeError = asStoreError(error);
    if (storeError.code === 'INTERNAL') console.error(`${method} failed:`, error);
    throw storeError;
  }
}
