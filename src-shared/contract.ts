// The one list of what the renderer, scripts and tests can ask of main. Each
// method has its IPC channel (`domain:verb`), its params schema (one object
// naming the arguments, as JSON-RPC and `POST /api/<method>` carry it) and
// its result type. Main parses every params object with these schemas before
// anything reaches a handler; transports only move bytes.
import { z } from 'zod';
import type { HealthProgress, HealthReport } from './health.ts';
import type { DeletedRecords, RunRecordCounts } from './run-records.ts';
import { searchParamsSchema } from './search-schema.ts';
import type { Answer } from './serialized-result.ts';
import {
  eventInputSchema,
  idSchema,
  limitSchema,
  listEventsOptionsSchema,
  seqCursorSchema,
} from './schemas.ts';
import type {
  EventCounts,
  RunAnatomy,
  RunComparison,
  RunEvent,
  RunSummary,
  SearchIndexStatus,
  SearchResult,
  SourceInfo,
  SourceIssue,
  ThreadOverview,
  ThreadSummary,
} from './types.ts';

interface MethodSpec<P extends z.ZodType, R> {
  channel: string;
  params: P;
  /** Type-only: the result a handler resolves with. */
  result?: R;
}

const method = <R>() => <P extends z.ZodType>(channel: string, params: P): MethodSpec<P, R> => ({ channel, params });

const threadParams = z.strictObject({ threadId: idSchema });
const runParams = z.strictObject({ threadId: idSchema, runId: idSchema });
/** A step's text in a comparison is cut here (StepRef.truncated). */
export const COMPARE_TEXT_CHARS = 4_000;
export const MAX_OVERVIEW_BUCKETS = 2_000;
/**
 * What a page adds to an open that may reach a PostgreSQL server: the password it asked the user
 * for (after an AUTH answer), and whether to keep it in the OS keychain (the desktop app). Main
 * never sends a password back, logs it, or writes it anywhere but the keychain.
 */
const credentialsParams = { password: z.string().min(1).optional(), remember: z.boolean().optional() };
const pageParams = { limit: limitSchema.optional(), beforeSeq: seqCursorSchema.optional(), afterSeq: seqCursorSchema.optional() };

export interface RecentSource {
  path: string;
  kind: SourceInfo['kind'];
  opened_at: string;
  /** False when the path is gone (moved or deleted): lists grey it, and opening it says so instead of creating anything. */
  exists: boolean;
}

/** A read-only source that allowWrites can switch to read-write (a PostgreSQL server's); other read-only sources stay so. */
export const switchesToWrite = (info: SourceInfo | undefined): boolean => info?.kind === 'postgres' && info.readOnly;

/** What a delete or an import asks first on such a source (the page's confirmation, the desktop's import question). */
export const SWITCH_TO_WRITE_QUESTION = 'This database is open read-only. Switch this source to read-write?';

/** What a native Open dialog picks (desktop app): a database, a JSONL folder or export file, or a new database's name. */
export type OpenPickKind = 'database' | 'jsonl-folder' | 'jsonl-file' | 'new-database';

/** A dropped or typed path as SOURCE resolution reads it (DESIGN.md §3), without opening it. */
export type PathKind = 'sqlite' | 'jsonl' | 'jsonl-file';

/** What a drop did: opened a SQLite file, or asks whether to open or import a JSONL one (`path` only to show it). */
export type DropOutcome = { kind: 'opened'; info: SourceInfo } | { kind: 'choose'; dropId: string; path: string; pathKind: Exclude<PathKind, 'sqlite'> };

/** One suggestion for a typed path (browser mode): an existing folder or file. */
export interface PathEntry {
  path: string;
  folder: boolean;
}

export interface AppInfo {
  name: string;
  version: string;
  /** 'electron' for the desktop window, 'browser' for `serve`, 'rpc' for scripts. */
  transport: 'electron' | 'browser' | 'rpc';
  platform: string;
  /** Whether a password can be remembered in the OS keychain (the desktop app, where the OS has one); else a typed one lasts as long as the session. */
  keepsPasswords: boolean;
}

export interface JobStarted {
  jobId: string;
}

export interface ImportSummary {
  imported: number;
  duplicates: number;
  skipped: number;
  /** `path:line` of each skipped line (reasons in `issues`). */
  skippedLines: string[];
  issues: SourceIssue[];
  seconds: number;
  into: string;
}

export interface ExportSummary {
  events: number;
  threads: number;
  runs: number;
  files: number;
  out: string;
  seconds: number;
}

/** A JSONL source's repaired copy (issue 15): what it holds and what it left out. */
export interface RepairSummary {
  /** Records written, each once. */
  records: number;
  /** Of those, written to the file of the run they name instead of the one they were read from. */
  moved: number;
  /** Records left out: identical in every field to one kept for the same thread and seq. */
  duplicatesDropped: number;
  /** Lines that are not records (as the source's issues report them), left out. */
  malformedSkipped: number;
  /** Seqs of a thread that two or more different records share: all kept, for the reader to tell apart. */
  seqConflicts: number;
  /** Run files written. */
  files: number;
  out: string;
  seconds: number;
}

export const contract = {
  // The seed's store (DESIGN.md §2)
  put: method<RunEvent>()('events:put', z.strictObject({ event: eventInputSchema })),
  putBatch: method<RunEvent[]>()('events:putBatch', z.strictObject({ events: z.array(eventInputSchema) })),
  putIfAbsent: method<{ event: RunEvent; created: boolean }>()('events:putIfAbsent', z.strictObject({ event: eventInputSchema })),
  listMessages: method<RunEvent[]>()('events:listMessages', z.strictObject({ threadId: idSchema, ...pageParams })),
  listEvents: method<RunEvent[]>()('events:listEvents', z.strictObject({ threadId: idSchema, runId: idSchema, ...listEventsOptionsSchema.shape })),
  listMessagesByRun: method<RunEvent[]>()('events:listMessagesByRun', z.strictObject({ threadId: idSchema, runId: idSchema, ...pageParams })),
  countMessages: method<number>()('events:countMessages', threadParams),
  deleteByThread: method<number>()('events:deleteByThread', threadParams),
  deleteByRun: method<number>()('events:deleteByRun', runParams),
  /**
   * What a delete of the thread (or run) would take besides its events, as DeerFlow's own delete does since its #5535 (issue 15):
   * its runs rows, threads_meta row and feedback; null where the open source keeps none (JSONL, memory, a database without `runs`, a read-only file).
   */
  deletableRecords: method<RunRecordCounts | null>()('events:deletableRecords', z.strictObject({ threadId: idSchema, runId: idSchema.optional() })),
  /** The thread's (or run's) events, and with `records` those run records, in one transaction; how many of each went. */
  deleteWithRecords: method<DeletedRecords>()('events:deleteWithRecords', z.strictObject({ threadId: idSchema, runId: idSchema.optional(), records: z.boolean() })),

  // The read model beside the store
  /** Every thread; a page's, while the source is first read (indexingStatus, the source:indexing push), the threads read so far. */
  listThreads: method<ThreadSummary[]>()('threads:list', z.strictObject({})),
  listRuns: method<RunSummary[]>()('runs:list', threadParams),
  /** A run's anatomy (issue 11): status, why it stopped, calls, tokens and its spans for the waterfall. */
  runSummary: method<RunAnatomy>()('runs:summary', runParams),
  /** Two runs, of one thread or two (issue 12): their figures and their steps aligned, run `a`'s left. */
  compareRuns: method<RunComparison>()('runs:compare', z.strictObject({ a: runParams, b: runParams })),
  /** The thread's seq range in `buckets` (1–2,000) buckets of counts, for the overview strip; `marks` (OverviewOptions) says whether errors and failed tool calls are counted. */
  threadOverview: method<ThreadOverview>()(
    'threads:overview',
    z.strictObject({
      threadId: idSchema,
      buckets: z.number().int().min(1).max(MAX_OVERVIEW_BUCKETS),
      marks: z.union([z.boolean(), z.literal('kept')]).optional(),
    }),
  ),
  eventCounts: method<EventCounts>()('events:counts', z.strictObject({ threadId: idSchema, runId: idSchema.optional() })),
  getEvent: method<RunEvent | null>()('events:get', z.strictObject({ threadId: idSchema, seq: z.number().int().min(1) })),
  sourceIssues: method<SourceIssue[]>()('source:issues', z.strictObject({})),
  /** Store health (issue 15): what DeerFlow's bugs and crashes left in the open source, of one thread or all (then with health:progress pushes). */
  checkHealth: method<HealthReport>()('health:check', z.strictObject({ threadId: idSchema.optional() })),
  /** Full-text search (issue 10): every term a case-insensitive substring of an event's text; newest first, cursor paging. */
  search: method<SearchResult>()('events:search', searchParamsSchema),

  // The open source
  sourceInfo: method<SourceInfo>()('source:info', z.strictObject({})),
  /** Where the open source's first read stands now (source:indexing pushes what follows). */
  indexingStatus: method<SourceIndexing>()('source:indexingStatus', z.strictObject({})),
  /**
   * From the page: never creates anything unless `create` (a new database, its folder existing); absolute paths only, or a
   * postgres:// / postgresql:// URL (as openDatabaseUrl, which the password and `remember` are for).
   */
  openSource: method<SourceInfo>()('source:open', z.strictObject({ path: z.string().min(1), create: z.boolean().optional(), ...credentialsParams })),
  /**
   * A PostgreSQL database by URL (issue 13), read-only: AUTH when the server wants a password the session does not know (or
   * refused the one given), which the page then asks the user for and sends with the same call.
   */
  openDatabaseUrl: method<SourceInfo>()('source:openUrl', z.strictObject({ url: z.string().min(1), ...credentialsParams })),
  /** The open PostgreSQL source opened again to write, for as long as it stays open (the user agreed on the page); READ_ONLY for any other read-only source. */
  allowWrites: method<SourceInfo>()('source:allowWrites', z.strictObject({})),
  openSample: method<SourceInfo>()('source:openSample', z.strictObject({})),
  recentSources: method<RecentSource[]>()('source:recent', z.strictObject({})),
  /** A recent entry, and only a path on the list (NOT_FOUND "… is not on the recent list" otherwise): NOT_FOUND ("… was moved or deleted") when it is gone, never a new store in its place. */
  openRecent: method<SourceInfo>()('source:openRecent', z.strictObject({ path: z.string().min(1), ...credentialsParams })),
  /** Removes an entry, and the password remembered for it. */
  forgetRecent: method<RecentSource[]>()('source:forgetRecent', z.strictObject({ path: z.string().min(1) })),
  /** Empties the list, and forgets every remembered password. */
  clearRecent: method<RecentSource[]>()('source:clearRecent', z.strictObject({})),
  /**
   * A file or folder dropped on the desktop window, its path resolved by the preload from the File
   * (the page never names it): a SQLite file opens; a JSONL file or folder answers its kind and a
   * dropId for the user's choice (openDroppedAsIs, pickImport). NOT_FOUND when it does not exist.
   */
  openDropped: method<DropOutcome>()('drop:open', z.strictObject({ path: z.string().min(1) })),
  /** The latest drop's JSONL file or folder opened as it is (an export file read-only). */
  openDroppedAsIs: method<SourceInfo>()('drop:openAsIs', z.strictObject({ dropId: z.string().min(1) })),

  // The desktop app's native dialogs: main picks the path and acts on it; null when the user cancels.
  pickAndOpen: method<SourceInfo | null>()('dialog:pickAndOpen', z.strictObject({ kind: z.enum(['database', 'jsonl-folder', 'jsonl-file', 'new-database']) })),
  /** A JSONL file or folder (picked, or the latest drop's `dropId`) into the open database or a new one the user names. */
  pickImport: method<JobStarted | null>()(
    'dialog:pickImport',
    z.union([z.strictObject({ kind: z.enum(['file', 'folder']) }), z.strictObject({ dropId: z.string().min(1) })]),
  ),
  pickExport: method<JobStarted | null>()('dialog:pickExport', z.strictObject({ threadId: idSchema.optional(), runId: idSchema.optional() })),
  /** Browser mode's typed paths: existing folders and files starting with `prefix` (absolute), folders first. */
  completePath: method<PathEntry[]>()('source:completePath', z.strictObject({ prefix: z.string() })),

  // Long work: answers at once with a job id; progress and the end arrive as push events
  importJsonl: method<JobStarted>()('jobs:import', z.strictObject({ path: z.string().min(1), into: z.string().min(1).optional() })),
  exportSource: method<JobStarted>()(
    'jobs:export',
    z.strictObject({ out: z.string().min(1), threadId: idSchema.optional(), runId: idSchema.optional() }),
  ),
  cancelJob: method<boolean>()('jobs:cancel', z.strictObject({ jobId: z.string().min(1) })),
  /** The database an import of this session wrote (its summary's `into`), opened: the page never names the path. */
  openImported: method<SourceInfo>()('jobs:openImported', z.strictObject({ jobId: z.string().min(1) })),
  /**
   * A JSONL source's repaired copy (issue 15): a new layout in `out` (new or empty, outside the source) with each record in
   * its own run's file, duplicates of one record dropped and lines that are not records left out; the source is only read.
   * Browser mode types the folder; the desktop picks it (pickRepairedExport); openRepaired opens the copy a job wrote.
   */
  exportRepaired: method<JobStarted>()('jobs:exportRepaired', z.strictObject({ out: z.string().min(1) })),
  pickRepairedExport: method<JobStarted | null>()('dialog:pickRepairedExport', z.strictObject({})),
  openRepaired: method<SourceInfo>()('jobs:openRepaired', z.strictObject({ jobId: z.string().min(1) })),

  appInfo: method<AppInfo>()('app:info', z.strictObject({})),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type ParamsOf<M extends MethodName> = z.infer<Contract[M]['params']>;
export type ResultOf<M extends MethodName> = NonNullable<Contract[M]['result']> | (null extends Contract[M]['result'] ? null : never);

/**
 * What main implements once; every transport calls these after parsing params. A result may come
 * already serialised (by the read worker): transports send its bytes, other callers parse them.
 */
export type Handlers = { [M in MethodName]: (params: ParamsOf<M>) => Promise<Answer<ResultOf<M>>> };

/** The renderer's view of the same methods (preload / HTTP client): the results themselves. */
export type Api = { [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> };

export const methodNames = Object.keys(contract) as MethodName[];

/**
 * What both pages may call: reads, deletes, the recent list (an entry opens only while it is on
 * the list), the sample, a PostgreSQL URL (a server, not a place on this machine) and switching it
 * to read-write, jobs' cancel and result, appInfo. Neither writes events: put, putBatch
 * and putIfAbsent are for scripts (`run-inspector rpc`) only.
 */
const sharedPageApi = [
  'listMessages',
  'listEvents',
  'listMessagesByRun',
  'countMessages',
  'deleteByThread',
  'deleteByRun',
  'deletableRecords',
  'deleteWithRecords',
  'listThreads',
  'listRuns',
  'runSummary',
  'compareRuns',
  'threadOverview',
  'eventCounts',
  'getEvent',
  'sourceIssues',
  'checkHealth',
  'search',
  'sourceInfo',
  'indexingStatus',
  'openSample',
  'openDatabaseUrl',
  'allowWrites',
  'recentSources',
  'openRecent',
  'forgetRecent',
  'clearRecent',
  'cancelJob',
  'openImported',
  'openRepaired',
  'appInfo',
] as const satisfies readonly MethodName[];

/**
 * The desktop page (IPC channels, the preload's bridge) names no path: main's native dialogs pick
 * them and a drop is resolved by the preload from its File. A page that went wrong cannot make
 * main open, import from or write to a place of its choosing.
 */
export const desktopPageApi = [...sharedPageApi, 'pickAndOpen', 'pickImport', 'pickExport', 'pickRepairedExport', 'openDropped', 'openDroppedAsIs'] as const satisfies readonly MethodName[];

/** Browser mode's page (`POST /api/<method>`) has no native dialogs: it types absolute paths, completed from the disk. */
export const browserPageApi = [...sharedPageApi, 'openSource', 'completePath', 'importJsonl', 'exportSource', 'exportRepaired'] as const satisfies readonly MethodName[];

export type SharedPageMethodName = (typeof sharedPageApi)[number];
export type DesktopPageMethodName = (typeof desktopPageApi)[number];
export type BrowserPageMethodName = (typeof browserPageApi)[number];

// Push messages from main to the page (IPC `webContents.send`, SSE in browser mode).
export type JobKind = 'import' | 'export' | 'repair';

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  done: number;
  /** null while the total is not known yet. */
  total: number | null;
  message: string;
}

export type JobResult =
  | { jobId: string; kind: 'import'; ok: true; summary: ImportSummary }
  | { jobId: string; kind: 'export'; ok: true; summary: ExportSummary }
  | { jobId: string; kind: 'repair'; ok: true; summary: RepairSummary }
  | { jobId: string; kind: JobKind; ok: false; error: string; cancelled: boolean };

/**
 * Where the first read of the open source stands: a JSONL folder is read file by file (its kept index, on a later
 * open, checked file by file), and meanwhile the page's thread list holds the threads read so far.
 */
export interface SourceIndexing {
  /** Run files read or checked so far, of `total`. */
  done: number;
  total: number;
  /** True once every file is: the thread list is complete from then on. */
  ready: boolean;
}

export interface StoreChanged {
  /** Threads whose events changed; null when the whole source changed (open, import). */
  threadIds: string[] | null;
}

export interface PushMessages {
  'job:progress': JobProgress;
  'job:done': JobResult;
  'store:changed': StoreChanged;
  /** The desktop app's Help ▸ Keyboard Shortcuts: the page opens its shortcuts sheet. */
  'app:showShortcuts': Record<string, never>;
  /** The desktop app's File ▸ Open PostgreSQL Database…: the page asks for the URL (and a password), as its Open dialog does. */
  'app:openPostgres': Record<string, never>;
  /** The open source's search index while it builds or catches up, and once more when it is ready. */
  'search:index': SearchIndexStatus;
  /** The open source's first read while it runs (a few times a second), and once more when it is done. */
  'source:indexing': SourceIndexing;
  /** A whole-store checkHealth while it runs (a few times a second), and once more when every thread is checked. */
  'health:progress': HealthProgress;
}
export type PushChannel = keyof PushMessages;
export const pushChannels: PushChannel[] = ['job:progress', 'job:done', 'store:changed', 'app:showShortcuts', 'app:openPostgres', 'search:index', 'source:indexing', 'health:progress'];

export type PushListener<C extends PushChannel> = (message: PushMessages[C]) => void;

interface PushSubscription {
  onPush<C extends PushChannel>(channel: C, listener: PushListener<C>): () => void;
}

/** What either page can do without asking which mode it is in. */
export type SharedPageApi = Pick<Api, SharedPageMethodName> & PushSubscription;

/**
 * What the preload exposes as `window.runInspector`: the desktop page's methods by name, push
 * subscription; a drop is passed as the File itself, whose path the preload asks Electron for.
 */
export type DesktopBridge = Omit<Pick<Api, DesktopPageMethodName>, 'openDropped'> &
  PushSubscription & {
    openDropped(file: File): Promise<DropOutcome>;
  };

/** Browser mode's client (src-renderer/http-api.ts). */
export type BrowserPageApi = Pick<Api, BrowserPageMethodName> & PushSubscription;

/**
 * Browser mode's wire format (`serve`): `POST /api/<method>` with the params
 * object as the JSON body (`Content-Type: application/json`) answers
 * `{"result": …}` (200) or `{"error": {"code", "message"}}` (400 bad params
 * naming the field, 401 no token, 403 wrong Host or a request from another
 * origin, 404 unknown method, 413 too large, 415 a body not declared as JSON,
 * 500). Push messages stream from `GET /api/events` as server-sent events
 * whose `event:` is the push channel and whose `data:` is the JSON message.
 * The page's token cookie is named per port (`tokenCookieName`): cookies do
 * not separate ports, so two servers in one browser would otherwise
 * overwrite each other's.
 */
export const browserProtocol = {
  apiPrefix: '/api/',
  eventsPath: '/api/events',
  tokenCookiePrefix: 'ri_token_',
  tokenQuery: 'token',
  maxBodyBytes: 64 * 1024 * 1024,
} as const;

export function tokenCookieName(port: number): string {
  return `${browserProtocol.tokenCookiePrefix}${port}`;
}

export interface WireError {
  code: string;
  message: string;
}
