// The jsonl backend: DeerFlow's <root>/threads/<thread>/runs/<run>.jsonl,
// read and written in place (DESIGN.md §2–3). Each thread is read once into
// its ThreadFiles (where each event lies, each run's digest); before each
// call the files that may have changed are stat'ed and only what changed is
// read again (appended bytes, or a whole thread when a file shrank or was
// replaced), so other writers — a live agent — are seen without reopening
// and no query re-reads every file.
//
// Opening reads nothing. A thread is read when it is first asked for; the
// thread list (and the source's issues) reads every thread, in a pass that
// takes its turn thread by thread, so a query of another thread waits for
// one thread at most. A page's session runs that pass in the background
// from the start (indexInBackground), lists the threads read so far
// (listThreadsSoFar) and shows the progress; scripts ask for the list and
// wait for all of it. Given a kept index (keepIndexIn: the sidecar, see
// jsonl-index-file.ts), threads are listed from it at once and each is
// checked by stat when it is first asked for or the pass reaches it; in a
// page's session a page of messages of a thread of many runs not checked
// yet is read from its kept messages with only the files it reads checked
// (pageFromKept), and the page is told if the thread's check then finds it
// changed.
// No watcher or timer is kept: checks happen when a call comes, so a CLI
// process exits when its work is done.
import { appendFileSync, mkdirSync, rmSync, truncateSync } from 'node:fs';
import path from 'node:path';
import type { SourceIndexing } from '../../../src-shared/contract.ts';
import { StoreError } from '../../../src-shared/errors.ts';
import { instantMs } from '../../../src-shared/time.ts';
import type { EventInput, ListMessagesOptions, RunEvent, SourceInfo, SourceIssue, ThreadSummary } from '../../../src-shared/types.ts';
import { makeEvent } from '../records.ts';
import { checkEventInput, checkEventInputs, checkListMessagesOptions } from '../validate.ts';
import { jsonlRecordText } from './format.ts';
import { IndexedStore } from './indexed-store.ts';
import type { IndexGate } from './index-hold.ts';
import type { JsonlIndexFile } from './jsonl-index-file.ts';
import { checkSafeId, listRunIds, listThreadIds, resolveLayoutRoot, runFile, runsDir, SAFE_ID, statOrNull, threadDir, threadsDir } from './layout.ts';
import { LayoutIndex } from './layout-index.ts';
import { keptPage } from './kept-messages.ts';
import { readRecordsAt, StaleIndexError } from './record-reads.ts';
import { readBytes, ThreadFiles, type ReadContext } from './thread-files.ts';

export { openJsonlExport } from './jsonl-export.ts';

export interface JsonlStoreOptions {
  /**
   * How often folders are listed and every file stat'ed, in ms: the thread
   * list, and a thread before a query of it (a thread's live files are
   * checked before every query; before a write everything is).
   */
  rescanMs?: number;
  /** How long an unterminated last line must stay so before it is read as complete, in ms. */
  settleMs?: number;
  /** Milliseconds since the epoch, as file mtimes count them (tests pass a fake one). */
  clock?: () => number;
  /** Told of each run file whose bytes are read to index it (tests count them). */
  onFileRead?: (file: string) => void;
  /** A thread of at least this many runs has its messages kept in seq order too (kept-messages.ts; tests lower it). */
  keptMessagesRuns?: number;
}

/** What a page's session asks of the store's first read (indexInBackground). */
export interface BackgroundIndexing {
  /** Where the read stands, a few times a second, and once more when it is done. */
  onProgress: (progress: SourceIndexing) => void;
  /** Awaited before each thread: a test's hold on the reader (index-hold.ts), which pauses it and changes nothing it reads. */
  gate?: IndexGate;
  /** Threads a page was answered about from the kept index before their check, which then found their files changed. */
  onChanged?: (threadIds: string[]) => void;
}

const DEFAULT_RESCAN_MS = 1000;
const DEFAULT_SETTLE_MS = 2000;
/** Below this many runs a thread is taken in and checked in a few tens of ms: its first page needs no kept messages. */
const DEFAULT_KEPT_MESSAGES_RUNS = 1000;
/** Kept messages are saved at close with at most this many runs being written (each is checked with every page): a folder just written in full is not. */
const MAX_LIVE_KEPT_RUNS = 64;
/** Kept runs rows taken in per step of a thread's first read. */
const KEPT_ROWS_BATCH = 1024;
const YIELD_EVERY_MS = 20;
const PROGRESS_EVERY_MS = 200;
const NEWLINE = 0x0a;

/** One thread folder as the pass found it: its run files, and when it was last written to. */
interface ListedThread {
  threadId: string;
  files: number;
  /** Its last event's time in the kept index, else when a run was last added to its runs folder (ms). */
  lastActive: number;
}

export class JsonlStore extends IndexedStore {
  readonly info: SourceInfo;
  protected readonly index = new LayoutIndex();
  private readonly root: string;
  private readonly rescanMs: number;
  private readonly keptMessagesRuns: number;
  private readonly clock: () => number;
  private readonly context: ReadContext;
  /** Per listed folder, the entries left out for their names (reported as issues). */
  private readonly unsafeEntries = new Map<string, SourceIssue[]>();
  private lastFullRefresh = Number.NEGATIVE_INFINITY;
  /** The sidecar's kept index, once the session gives one; null without (tests, no user data folder). */
  private kept: JsonlIndexFile | null = null;
  /** The kept index's list entries of the threads it has that are not read into this store yet. */
  private readonly keptThreads = new Map<string, ThreadSummary>();
  /** Threads of many runs whose kept messages are not as they now are (saved with the thread when it is not being written, else at close). */
  private readonly messagesUnsaved = new Set<string>();
  /** Threads a page was answered about from their kept messages before their check: the page is told if the check finds a change. */
  private readonly answeredFromKept = new Set<string>();
  /** A thread's first read (from the kept index or from its files), shared by the pass and a query of it. */
  private readonly firstReads = new Map<string, Promise<ThreadFiles | null>>();
  /** The pass over every thread under way, the background one or a caller's. */
  private pass: Promise<void> | null = null;
  private background: BackgroundIndexing | null = null;
  private indexing: SourceIndexing = { done: 0, total: 0, ready: false };
  private lastProgress = Number.NEGATIVE_INFINITY;
  private lastYield = performance.now();
  private readonly closing = new AbortController();
  private readonly closed = new Promise<void>((resolve) => this.closing.signal.addEventListener('abort', () => resolve(), { once: true }));

  constructor(root: string, options: JsonlStoreOptions = {}) {
    super();
    this.root = root;
    this.info = { kind: 'jsonl', path: root, readOnly: false };
    this.rescanMs = options.rescanMs ?? DEFAULT_RESCAN_MS;
    this.keptMessagesRuns = options.keptMessagesRuns ?? DEFAULT_KEPT_MESSAGES_RUNS;
    this.clock = options.clock ?? Date.now;
    this.context = {
      root,
      settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
      clock: this.clock,
      pace: () => this.pace(),
      onFileRead: options.onFileRead,
    };
  }

  protected checkId(value: unknown, field: string): string {
    return checkSafeId(value, field);
  }

  private checkInput(value: unknown, field: string): EventInput {
    const input = checkEventInput(value, field);
    checkSafeId(input.thread_id, `${field}.thread_id`);
    checkSafeId(input.run_id, `${field}.run_id`);
    return input;
  }

  /** Reading yields to the event loop now and then (opening a big store must not freeze the process that hosts it), and stops once the store closes. */
  private async pace(): Promise<void> {
    this.closing.signal.throwIfAborted();
    if (performance.now() - this.lastYield < YIELD_EVERY_MS) return;
    await new Promise(setImmediate);
    this.lastYield = performance.now();
  }

  /**
   * The sidecar's kept index, given before the store's first query: its
   * threads are listed from it, and each is read from it (and checked by
   * stat) instead of from its files. What the store reads is saved there.
   */
  keepIndexIn(file: JsonlIndexFile): void {
    this.kept = file;
    try {
      for (const [threadId, summary] of file.threads()) if (!this.index.threads.has(threadId)) this.keptThreads.set(threadId, summary);
    } catch (error) {
      this.dropKept(error);
    }
  }

  /** The kept index could not be read as this version wrote it: emptied, and made again from what the store reads. */
  private dropKept(error: unknown): void {
    console.error(`jsonl index of ${this.root}: not usable, reading the files instead (${(error as Error).message})`);
    this.keptThreads.clear();
    this.messagesUnsaved.clear();
    try {
      this.kept?.clear();
      for (const thread of this.index.threads.values()) {
        thread.keepAll();
        this.saveTo(this.kept, thread);
      }
    } catch {
      this.kept?.close();
      this.kept = null;
    }
  }

  private saveTo(kept: JsonlIndexFile | null, thread: ThreadFiles): void {
    const many = thread.runCount() >= this.keptMessagesRuns;
    const changes = thread.takeChanges(many);
    if (!kept || !changes) return;
    const now = this.clock();
    // A thread being written would have them made again at every append: they wait for it to rest, or for close.
    const messages = many && thread.liveRunIds(now).length === 0 ? thread.keptMessages(now) : null;
    kept.saveThread(thread.threadId, thread.summary(), changes.changed, changes.gone, messages);
    if (many && !messages) this.messagesUnsaved.add(thread.threadId);
    else this.messagesUnsaved.delete(thread.threadId);
  }

  /** What was read of a thread since it was last saved, into the kept index. */
  private save(thread: ThreadFiles): void {
    try {
      this.saveTo(this.kept, thread);
    } catch (error) {
      this.dropKept(error);
    }
  }

  /**
   * A page's session: every thread is read from now on, in the background,
   * and `indexing` is told how far it got. Until it is done the page lists
   * the threads read so far (listThreadsSoFar); a query of a thread not read
   * yet reads that thread first.
   */
  indexInBackground(indexing: BackgroundIndexing): void {
    this.background = indexing;
    // Failures reach whoever asks for the complete list (listThreads runs a pass of its own).
    this.refreshAll().catch(() => {});
  }

  /** Where the first read stands (ready once every thread is read). */
  indexingStatus(): SourceIndexing {
    return { ...this.indexing };
  }

  /**
   * The threads read so far, while the background read runs (the kept
   * index's entries for those not checked yet); else listThreads. Answered
   * at once, not in a turn: it reads only what is in memory, and a thread
   * being read again meanwhile shows as far as it got.
   */
  async listThreadsSoFar(): Promise<ThreadSummary[]> {
    if (this.indexing.ready || !this.pass) return this.listThreads();
    return [...this.index.threadIds().map((id) => this.index.summarizeThread(id)), ...this.keptThreads.values()];
  }

  protected issues(): SourceIssue[] {
    const lines = [...this.index.threads.values()].flatMap((thread) => thread.issues());
    return [...lines, ...[...this.unsafeEntries.values()].flat()];
  }

  /** A collector for one folder listing: what it leaves out replaces what the last listing of that folder left out. */
  private unsafeCollector(dir: string): (entry: string) => void {
    const found: SourceIssue[] = [];
    this.unsafeEntries.set(dir, found);
    return (entry) =>
      found.push({
        path: entry,
        line: 0,
        severity: 'warning',
        message: `not read: ${JSON.stringify(path.basename(entry))} is not a DeerFlow id (${SAFE_ID.source})`,
      });
  }

  /** The whole store: a pass over every thread at most every rescanMs, or the one under way. */
  protected refreshAll(): Promise<void> {
    if (this.pass) return this.pass;
    if (this.clock() - this.lastFullRefresh < this.rescanMs) return Promise.resolve();
    const pass = this.runPass().finally(() => {
      this.pass = null;
    });
    this.pass = pass;
    return pass;
  }

  /**
   * Lists the thread folders (forgetting the threads gone), then brings each
   * thread up to date in a turn of its own. A thread read for the first time
   * (from the kept index or its files) is read and checked outside the turns
   * (reading changes nothing the store holds) and put in place in one:
   * meanwhile other calls go on.
   */
  private async runPass(): Promise<void> {
    // Only the first pass is reported: later ones (the list every rescanMs) check what is read already.
    const first = !this.indexing.ready;
    try {
      const listed = await this.listFolders(first);
      if (first) {
        this.indexing = { done: 0, total: listed.reduce((sum, thread) => sum + thread.files, 0), ready: false };
        this.report(true);
      }
      for (const { threadId, files } of listed) {
        if (first) await this.passGate();
        this.closing.signal.throwIfAborted();
        if (this.index.threads.has(threadId)) {
          await this.exclusive(() => this.refreshThread(threadId));
        } else {
          const reading = this.firstRead(threadId);
          const thread = await reading;
          await this.exclusive(async () => this.install(threadId, reading, thread));
        }
        if (first) {
          this.indexing.done += files;
          this.report(false);
        }
      }
      this.lastFullRefresh = this.clock();
    } finally {
      // Done, or failed (the next complete list says why): the page stops waiting either way.
      if (first && !this.closing.signal.aborted) {
        this.indexing = { ...this.indexing, ready: true };
        this.report(true);
      }
    }
  }

  /**
   * The pass's listing, made outside the turns (it only reads folders); the
   * threads gone since are then forgotten in one. The first pass's is newest
   * first — by the last event a kept thread had, else by when a run was last
   * added to its runs folder — so a page's first thread is checked first and
   * the threads being worked on are read first; later passes keep the
   * folders' order.
   */
  private async listFolders(first: boolean): Promise<ListedThread[]> {
    const known = new Set([...this.index.threads.keys(), ...this.keptThreads.keys()]);
    const onDisk = listThreadIds(this.root, this.unsafeCollector(threadsDir(this.root)));
    const listed: ListedThread[] = [];
    for (const threadId of onDisk) {
      known.delete(threadId);
      // A later pass checks what is read already: no order or count to show.
      if (!first) {
        listed.push({ threadId, files: 0, lastActive: 0 });
        continue;
      }
      // A kept thread's own entry says as much without a look at its folder (which its check lists anyway).
      const kept = this.keptThreads.get(threadId);
      if (kept) {
        listed.push({ threadId, files: kept.run_count, lastActive: (kept.last_created_at && instantMs(kept.last_created_at)) || 0 });
        continue;
      }
      const lastActive = statOrNull(runsDir(this.root, threadId))?.mtimeMs ?? 0;
      listed.push({ threadId, files: listRunIds(this.root, threadId)?.length ?? 0, lastActive });
      await this.pace(); // thousands of folders: queries are answered meanwhile
    }
    await this.exclusive(async () => {
      for (const id of known) this.forgetThread(id);
    });
    return listed.sort((a, b) => b.lastActive - a.lastActive || (a.threadId < b.threadId ? -1 : 1));
  }

  /** The background read's gate, given up on once the store closes. The page is told where the read stands first: it may wait there. */
  private async passGate(): Promise<void> {
    const gate = this.background?.gate;
    if (!gate) return;
    this.report(true);
    await Promise.race([gate(this.indexingStatus(), this.closing.signal), this.closed]);
  }

  /** Tells the page's session where the first read stands: at most every PROGRESS_EVERY_MS, and always when `now`. */
  private report(now: boolean): void {
    if (!this.background) return;
    const at = performance.now();
    if (!now && at - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = at;
    this.background.onProgress(this.indexingStatus());
  }

  /**
   * Another process changed these threads' files (the live follower saw it):
   * the next query of each, and of the thread list, lists their folders and
   * stats their files at once instead of within rescanMs, so a new run file
   * or thread folder is seen by the query the change prompted.
   */
  expire(threadIds: string[]): void {
    this.lastFullRefresh = Number.NEGATIVE_INFINITY;
    for (const id of threadIds) {
      const thread = this.index.threads.get(id);
      if (thread) thread.checkedAt = Number.NEGATIVE_INFINITY;
    }
  }

  private forgetThread(threadId: string): void {
    this.index.threads.delete(threadId);
    this.keptThreads.delete(threadId);
    this.firstReads.delete(threadId);
    this.messagesUnsaved.delete(threadId);
    this.answeredFromKept.delete(threadId);
    this.unsafeEntries.delete(runsDir(this.root, threadId));
    try {
      this.kept?.forgetThread(threadId);
    } catch (error) {
      this.dropKept(error);
    }
  }

  /** A thread's first read, begun by whoever asks first (the pass, a query) and shared: from the kept index when it has the thread, else from its files. */
  private firstRead(threadId: string): Promise<ThreadFiles | null> {
    let reading = this.firstReads.get(threadId);
    if (!reading) {
      const started = this.readFirst(threadId);
      this.firstReads.set(threadId, started);
      started.catch(() => {
        if (this.firstReads.get(threadId) === started) this.firstReads.delete(threadId);
      });
      reading = started;
    }
    return reading;
  }

  /** The thread from the kept index, else from nothing, then checked against its files; null when it has no runs folder. */
  private async readFirst(threadId: string): Promise<ThreadFiles | null> {
    let thread: ThreadFiles | null = null;
    if (this.kept && this.keptThreads.has(threadId)) {
      try {
        thread = await this.readKept(this.kept, threadId);
      } catch (error) {
        this.closing.signal.throwIfAborted();
        this.dropKept(error); // a row this version did not write (DamagedIndexError), or a damaged file
      }
    }
    thread ??= new ThreadFiles(this.root, threadId);
    return (await this.readAll(thread)) ? thread : null;
  }

  /** The thread's runs as kept, a batch of rows at a time: tens of thousands of runs take a second, and queries are answered meanwhile. */
  private async readKept(kept: JsonlIndexFile, threadId: string): Promise<ThreadFiles> {
    const thread = new ThreadFiles(this.root, threadId);
    const folder = kept.folderOf(threadId);
    if (folder) thread.keptListing(folder);
    for (let after = ''; ; ) {
      const rows = kept.runsOf(threadId, after, KEPT_ROWS_BATCH);
      thread.takeKept(rows);
      if (rows.length < KEPT_ROWS_BATCH) {
        // Not saved at the last close (it was being written): saved at this one, if nothing changes before.
        if (!folder && thread.runCount() >= this.keptMessagesRuns) this.messagesUnsaved.add(threadId);
        return thread;
      }
      after = rows[rows.length - 1].run_id;
      await this.pace();
    }
  }

  /** Every run file of the thread read (after a reset, or for the first time); false when it has no runs folder. */
  private async readAll(thread: ThreadFiles): Promise<boolean> {
    for (;;) {
      // Stat'ed before the listing: a file added or removed while it is made changes the folder after this.
      const folder = statOrNull(runsDir(this.root, thread.threadId));
      const listed = listRunIds(this.root, thread.threadId, this.unsafeCollector(runsDir(this.root, thread.threadId)));
      if (listed === null) return false;
      thread.listedAt(folder && { ino: folder.ino, mtimeMs: folder.mtimeMs });
      const present = new Set(listed);
      for (const runId of thread.runIds()) if (!present.has(runId)) thread.forgetRun(runId);
      // Timed from the start: what changes while a big thread is read is seen by the next check.
      const checkedAt = this.clock();
      if ((await thread.read(this.context, listed)) !== 'reload') {
        thread.checkedAt = checkedAt;
        return true;
      }
      // A rewritten file may have dropped or changed any record of the thread, and with them its seqs.
      thread.reset();
    }
  }

  /** A first read put in place, unless another caller did it first or the thread was forgotten meanwhile. */
  private install(threadId: string, reading: Promise<ThreadFiles | null>, thread: ThreadFiles | null): void {
    if (this.firstReads.get(threadId) !== reading) return;
    this.firstReads.delete(threadId);
    this.keptThreads.delete(threadId);
    if (this.answeredFromKept.delete(threadId) && (!thread || thread.hasChanges())) this.background?.onChanged?.([threadId]);
    if (!thread) {
      this.forgetThread(threadId);
      return;
    }
    this.index.threads.set(threadId, thread);
    this.save(thread);
  }

  /**
   * One thread, before each call on it (inside `exclusive`). A full check
   * lists its runs folder and stats every file: always before a write or
   * delete (a seq must follow every other writer's), for a thread just taken
   * from the kept index, else at most every rescanMs. In between only its
   * live files are stat'ed, so a page of a thread with thousands of runs
   * costs a few system calls and what a live agent appends is still seen at
   * once.
   */
  protected async refreshThread(threadId: string, force = false): Promise<void> {
    let thread = this.index.threads.get(threadId);
    if (!thread) {
      const reading = this.firstRead(threadId);
      this.install(threadId, reading, await reading);
      thread = this.index.threads.get(threadId);
      if (!thread) return;
    }
    const now = this.clock();
    if (!force && now - thread.checkedAt < this.rescanMs) {
      if ((await thread.read(this.context, thread.liveRunIds(now))) === 'reload') await this.readAgain(thread);
    } else if (!(await this.readAll(thread))) {
      this.forgetThread(threadId);
      return;
    }
    this.save(thread);
  }

  private async readAgain(thread: ThreadFiles): Promise<void> {
    thread.reset();
    if (!(await this.readAll(thread))) this.forgetThread(thread.threadId);
  }

  /** A file changed between its check and the read of a query's lines (record-reads.ts): the thread is read again and the query asked once more. */
  protected override async answer<T>(threadId: string, query: () => T): Promise<T> {
    await this.refreshThread(threadId);
    try {
      return query();
    } catch (error) {
      const thread = this.index.threads.get(threadId);
      if (!(error instanceof StaleIndexError) || !thread) throw error;
      await this.readAgain(thread);
      this.save(thread);
      return query();
    }
  }

  /** A page's session is answered from the kept messages of a thread not checked yet (pageFromKept), where it can be. */
  override async listMessages(threadId: string, options?: ListMessagesOptions): Promise<RunEvent[]> {
    const t = checkSafeId(threadId, 'threadId');
    // Asked again in the turn: a thread not kept (or taken in already) costs no turn of its own.
    const page = this.background && this.keptThreads.has(t) ? await this.exclusive(async () => this.pageFromKept(t, checkListMessagesOptions(options))) : null;
    return page ?? super.listMessages(threadId, options);
  }

  /**
   * A page of a kept thread of many runs not taken in yet, read with its
   * kept messages: its runs folder must be as its last listing found it (no
   * file added or removed), and the files the page reads, and those being
   * written when last read, as they were read. The rest of its files are
   * checked by its first read, started now; if that finds a change, the
   * page is told (BackgroundIndexing.onChanged). Null when the thread must
   * be taken in and checked first.
   */
  private pageFromKept(threadId: string, options: ListMessagesOptions): RunEvent[] | null {
    const kept = this.kept;
    if (!kept || this.index.threads.has(threadId) || !this.keptThreads.has(threadId)) return null;
    let page: RunEvent[] | null;
    try {
      page = this.readKeptPage(kept, threadId, options);
    } catch (error) {
      if (error instanceof StaleIndexError) return null;
      this.dropKept(error);
      return null;
    }
    if (page) this.checkAfterKeptPage(threadId);
    return page;
  }

  private readKeptPage(kept: JsonlIndexFile, threadId: string, options: ListMessagesOptions): RunEvent[] | null {
    const messages = kept.messagesOf(threadId);
    const folder = statOrNull(runsDir(this.root, threadId));
    if (!messages || folder?.ino !== messages.head.folder.ino || folder.mtimeMs !== messages.head.folder.mtimeMs) return null;
    const byRun = keptPage(messages.chunks, options);
    if (!byRun) return null;
    const checked = new Set([...byRun.keys(), ...messages.head.liveRunIds]);
    for (const runId of checked) {
      const was = kept.runStat(threadId, runId);
      const now = statOrNull(runFile(this.root, threadId, runId));
      if (!was || was.size !== was.consumed || now?.ino !== was.ino || now.size !== was.size || now.mtimeMs !== was.mtime_ms) return null;
    }
    const events = [...byRun].flatMap(([runId, wanted]) => readRecordsAt(runFile(this.root, threadId, runId), wanted));
    return byRun.size > 1 ? events.sort((a, b) => a.seq - b.seq) : events;
  }

  /** The thread answered from its kept messages is read and checked now, in the background (the pass may have begun it). */
  private checkAfterKeptPage(threadId: string): void {
    this.answeredFromKept.add(threadId);
    const reading = this.firstRead(threadId);
    reading.then((thread) => this.exclusive(async () => this.install(threadId, reading, thread))).catch(() => {});
  }

  async put(event: EventInput): Promise<RunEvent> {
    const input = this.checkInput(event, 'event');
    return this.exclusive(async () => {
      await this.refreshThread(input.thread_id, true);
      return (await this.append([input]))[0];
    });
  }

  async putBatch(events: EventInput[]): Promise<RunEvent[]> {
    const inputs = checkEventInputs(events).map((input, i) => this.checkInput(input, `events.${i}`));
    if (inputs.length === 0) return [];
    return this.exclusive(async () => {
      for (const id of new Set(inputs.map((input) => input.thread_id))) await this.refreshThread(id, true);
      return this.append(inputs);
    });
  }

  async putIfAbsent(event: EventInput): Promise<{ event: RunEvent; created: boolean }> {
    const input = this.checkInput(event, 'event');
    return this.exclusive(async () => {
      await this.refreshThread(input.thread_id, true);
      const existing = this.index.threads.get(input.thread_id)?.findInRun(input.run_id, input.event_type);
      if (existing) return { event: existing, created: false };
      return { event: (await this.append([input]))[0], created: true };
    });
  }

  /**
   * Appends records with the next seqs of their threads (which the caller has
   * just refreshed in full, so another writer's lines are counted), then
   * reads them back so the index holds exactly what the files say.
   */
  private async append(inputs: EventInput[]): Promise<RunEvent[]> {
    const nextSeq = new Map<string, number>();
    const linesByFile = new Map<string, string[]>();
    const runsByThread = new Map<string, Set<string>>();
    const written = inputs.map((input) => {
      const seq = nextSeq.get(input.thread_id) ?? this.index.threads.get(input.thread_id)?.nextSeq() ?? 1;
      nextSeq.set(input.thread_id, seq + 1);
      const line = jsonlRecordText(makeEvent(input, seq));
      const file = runFile(this.root, input.thread_id, input.run_id);
      const lines = linesByFile.get(file);
      if (lines) lines.push(line);
      else linesByFile.set(file, [line]);
      const runs = runsByThread.get(input.thread_id);
      if (runs) runs.add(input.run_id);
      else runsByThread.set(input.thread_id, new Set([input.run_id]));
      return JSON.parse(line) as RunEvent;
    });
    appendAllOrNothing(linesByFile);
    for (const [threadId, runIds] of runsByThread) {
      let thread = this.index.threads.get(threadId);
      // A thread this store just made: its next query lists its folder in full.
      if (!thread) this.index.threads.set(threadId, (thread = new ThreadFiles(this.root, threadId)));
      if ((await thread.read(this.context, runIds)) === 'reload') await this.readAgain(thread);
      this.save(thread);
    }
    return written;
  }

  async deleteByThread(threadId: string): Promise<number> {
    const t = checkSafeId(threadId, 'threadId');
    return this.exclusive(async () => {
      await this.refreshThread(t, true);
      rmSync(threadDir(this.root, t), { recursive: true, force: true });
      const count = this.index.threads.get(t)?.summary().event_count ?? 0;
      this.forgetThread(t);
      return count;
    });
  }

  async deleteByRun(threadId: string, runId: string): Promise<number> {
    const t = checkSafeId(threadId, 'threadId');
    const r = checkSafeId(runId, 'runId');
    return this.exclusive(async () => {
      await this.refreshThread(t, true);
      rmSync(runFile(this.root, t, r), { force: true });
      const thread = this.index.threads.get(t);
      if (!thread) return 0;
      const removed = thread.forgetRun(r);
      this.save(thread);
      return removed;
    });
  }

  /** Stops the background read, saves the kept messages that waited for it, and closes the kept index (what was read is in it). */
  async close(): Promise<void> {
    this.closing.abort();
    await this.pass?.catch(() => {});
    await this.exclusive(async () => {
      try {
        for (const threadId of this.messagesUnsaved) {
          const thread = this.index.threads.get(threadId);
          // Only beside runs rows as the thread now is (every read is saved at once: this is a guard).
          const messages = thread && !thread.hasChanges() ? thread.keptMessages(this.clock()) : null;
          if (messages && messages.liveRunIds.length <= MAX_LIVE_KEPT_RUNS) this.kept?.saveMessages(threadId, messages);
        }
      } catch (error) {
        console.error(`jsonl index of ${this.root}: messages not kept (${(error as Error).message})`);
      }
      this.kept?.close();
      this.kept = null;
    });
  }
}

/**
 * One append per file; if any fails, the files written so far are cut back
 * to their old size (or removed), so a batch is all-or-nothing.
 */
function appendAllOrNothing(linesByFile: Map<string, string[]>): void {
  const touched: { file: string; size: number | null }[] = [];
  try {
    for (const [file, lines] of linesByFile) {
      mkdirSync(path.dirname(file), { recursive: true });
      const size = statOrNull(file)?.size ?? null;
      touched.push({ file, size });
      // A last line left without its newline (a hand edit) must not swallow ours.
      const separator = size && readBytes(file, size - 1, 1)[0] !== NEWLINE ? '\n' : '';
      appendFileSync(file, `${separator}${lines.join('\n')}\n`);
    }
  } catch (error) {
    for (const { file, size } of touched) {
      try {
        if (size === null) rmSync(file, { force: true });
        else truncateSync(file, size);
      } catch {
        // best effort: the original error is what the caller needs
      }
    }
    throw error;
  }
}

/** A JSONL store on DeerFlow's layout; an empty or missing folder is a new, empty store rooted there. Reads nothing yet. */
export async function openJsonlStore(dir: string, options?: JsonlStoreOptions): Promise<JsonlStore> {
  const { root } = resolveLayoutRoot(dir);
  const stats = statOrNull(root);
  if (stats && !stats.isDirectory()) throw new StoreError('SOURCE', `${root}: not a folder`);
  return new JsonlStore(root, options);
}
