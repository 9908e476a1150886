// Follows DeerFlow's JSONL layout while an agent writes it: a watch on the
// `threads` tree names the thread of each file that changed (new thread
// folders, new run files, appended lines, deleted files), or, where no watch
// can be set (or it fails), the tree's files are stat'ed every JSONL_POLL_MS.
// The watch is recursive where the platform has one (macOS, Windows); on
// Linux, where Node makes a recursive watch by stat'ing and watching every
// file (a second of the main thread for 30,000 run files), it is one watch on
// `threads` and one on each thread's `runs` folder, which inotify tells of
// the files in it (FolderWatch). A watch stays on the folder it was set on, so the
// `threads` folder at the path is stat'ed as often: another one there (or
// none) is watched anew and pushed as a change of everything. The follower
// reads no record: the store reads only the appended bytes when the page
// asks again (jsonl-store.ts).
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { listRunIds, listThreadIds, runFile, runsDir, SAFE_ID, statOrNull, threadDir, threadsDir } from '../store/jsonl/layout.ts';
import { sourceIdentity } from '../search/sidecar-location.ts';
import { ReplacementTeller, type FollowerEvents, type SourceFollower } from './follower.ts';

export const JSONL_POLL_MS = 500;
/** One append is several file events (and a writer often appends a few lines at once): they are announced together. */
const COALESCE_MS = 30;

/** What a store must do before it is asked again: look at these threads' files (and folder listings) afresh. */
export type ExpireThreads = (threadIds: string[]) => void;

/** Where the platform's recursive watch is its own; elsewhere (Linux) Node walks the tree. */
const NATIVE_RECURSIVE_WATCH = process.platform === 'darwin' || process.platform === 'win32';

/** What a watch of the tree tells: a path relative to `threads` (its first part the thread), or null. */
type OnTreeChange = (file: string | null) => void;

/**
 * The `threads` tree watched a folder at a time: `threads` itself (thread
 * folders made or removed) and each thread's `runs` folder (its files), or
 * the thread's folder until it has a `runs` folder.
 */
class FolderWatch {
  private readonly root: string;
  private readonly onChange: OnTreeChange;
  private readonly onError: () => void;
  private readonly watchers = new Map<string, FSWatcher>();

  /** Throws where a watch cannot be set (no such folder, no inotify watches left): nothing is left watched then. */
  constructor(root: string, onChange: OnTreeChange, onError: () => void) {
    this.root = root;
    this.onChange = onChange;
    this.onError = onError;
    try {
      this.add('', threadsDir(root), (file) => {
        if (file === null || !SAFE_ID.test(file)) return;
        this.rewatch(file);
        this.onChange(file);
      });
      for (const threadId of listThreadIds(root)) this.watchThread(threadId);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** The thread's `runs` folder, else its folder (which tells when `runs` is made); a thread gone is forgotten. */
  private watchThread(threadId: string): void {
    const runs = runsDir(this.root, threadId);
    const folder = threadDir(this.root, threadId);
    for (const key of [runs, folder]) {
      this.watchers.get(key)?.close();
      this.watchers.delete(key);
    }
    const watched = statOrNull(runs)?.isDirectory() ? runs : statOrNull(folder)?.isDirectory() ? folder : null;
    if (watched === null) return;
    this.add(threadId, watched, (file) => {
      // The runs folder made, or the watched folder itself gone: watched again as it now is.
      if (watched === folder || file === null || !statOrNull(watched)) this.rewatch(threadId);
      this.onChange(file === null ? threadId : path.join(threadId, path.relative(threadDir(this.root, threadId), path.join(watched, file))));
    });
  }

  /** watchThread from an event: a watch that cannot be set then (no inotify watches left) gives the tree up to polling. */
  private rewatch(threadId: string): void {
    try {
      this.watchThread(threadId);
    } catch {
      this.onError();
    }
  }

  private add(threadId: string, folder: string, onEvent: (file: string | null) => void): void {
    const watcher = watch(folder, (_event, file) => onEvent(file));
    watcher.unref();
    // A thread's folder removed ends its watch with an error on some kernels: the threads watch tells of it.
    watcher.on('error', threadId === '' ? this.onError : () => this.rewatch(threadId));
    this.watchers.set(folder, watcher);
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}

/** The platform's own recursive watch of `folder`. */
function recursiveWatch(folder: string, onChange: OnTreeChange, onError: () => void): FSWatcher {
  const watcher = watch(folder, { recursive: true }, (_event, file) => onChange(file));
  watcher.unref();
  watcher.on('error', onError);
  return watcher;
}

/** Each thread's run files as stat says they are: a change of any is a change of the thread. */
function layoutSnapshot(root: string): Map<string, string> {
  const snapshot = new Map<string, string>();
  for (const threadId of listThreadIds(root)) {
    const files = (listRunIds(root, threadId) ?? []).map((runId) => {
      const stats = statOrNull(runFile(root, threadId, runId));
      return `${runId}:${stats?.ino}:${stats?.size}:${stats?.mtimeMs}`;
    });
    snapshot.set(threadId, files.join('\n'));
  }
  return snapshot;
}

class LayoutFollower implements SourceFollower {
  private readonly root: string;
  private readonly events: FollowerEvents;
  private readonly expire: ExpireThreads;
  private readonly pollMs: number;
  private watcher: { close(): void } | null = null;
  /** sourceIdentity of the `threads` folder the watch is on. */
  private watchedFolder = '';
  private folderTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private snapshot = new Map<string, string>();
  private readonly pending = new Set<string>();
  private announceTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(root: string, events: FollowerEvents, expire: ExpireThreads, { pollMs = JSONL_POLL_MS, forcePolling = false }) {
    this.root = root;
    this.events = events;
    this.expire = expire;
    this.pollMs = pollMs;
    if (forcePolling || !this.watchTree()) this.poll();
  }

  /** Whether the watch is set (the `threads` folder exists and the platform can watch it). */
  private watchTree(): boolean {
    const folder = threadsDir(this.root);
    const identity = sourceIdentity('jsonl', folder);
    const onError = () => {
      this.watcher?.close();
      this.watcher = null;
      if (!this.stopped) this.poll();
    };
    try {
      this.watcher = NATIVE_RECURSIVE_WATCH ? recursiveWatch(folder, (file) => this.noteFile(file), onError) : new FolderWatch(this.root, (file) => this.noteFile(file), onError);
    } catch {
      return false;
    }
    this.watchedFolder = identity;
    this.folderTimer ??= setInterval(() => this.checkWatchedFolder(), this.pollMs).unref();
    return true;
  }

  /** Another `threads` folder at the path (renamed there, or the old one gone): what was watched is no longer the layout. */
  private checkWatchedFolder(): void {
    if (this.watcher === null || sourceIdentity('jsonl', threadsDir(this.root)) === this.watchedFolder) return;
    this.watcher.close();
    this.watcher = null;
    if (!this.watchTree()) this.poll();
    // Everything is announced: what the old watch noted is in it.
    this.pending.clear();
    this.expire(listThreadIds(this.root));
    this.events.onChanged(null);
  }

  /** A path relative to `threads`: its first part is the thread. */
  private noteFile(file: string | null): void {
    const threadId = file?.split(path.sep)[0];
    if (threadId !== undefined && SAFE_ID.test(threadId)) this.note([threadId]);
  }

  private note(threadIds: string[]): void {
    for (const id of threadIds) this.pending.add(id);
    this.announceTimer ??= setTimeout(() => this.announce(), COALESCE_MS).unref();
  }

  private announce(): void {
    this.announceTimer = null;
    const threadIds = [...this.pending].sort();
    this.pending.clear();
    if (this.stopped || threadIds.length === 0) return;
    this.expire(threadIds);
    this.events.onChanged(threadIds);
  }

  /** Stat polling: the first snapshot is the baseline; each later one announces the threads that differ. */
  private poll(): void {
    this.snapshot = layoutSnapshot(this.root);
    this.pollTimer ??= setInterval(() => {
      const next = layoutSnapshot(this.root);
      const changed = [...next].filter(([id, files]) => this.snapshot.get(id) !== files).map(([id]) => id);
      for (const id of this.snapshot.keys()) if (!next.has(id)) changed.push(id);
      this.snapshot = next;
      if (changed.length > 0) this.note(changed);
    }, this.pollMs).unref();
  }

  /** The app's own writes come back as file events: announced again, which costs the page one more read. */
  absorb(): void {}

  stop(): void {
    this.stopped = true;
    this.watcher?.close();
    if (this.folderTimer) clearInterval(this.folderTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.announceTimer) clearTimeout(this.announceTimer);
  }
}

export interface LayoutFollowOptions {
  pollMs?: number;
  /** Stat polling even where a watch could be set (tests of the fallback). */
  forcePolling?: boolean;
}

/** Follows the JSONL layout at `root` until stopped; `expire` is the store's, called before each announcement. */
export function followLayout(root: string, events: FollowerEvents, expire: ExpireThreads, options: LayoutFollowOptions = {}): SourceFollower {
  return new LayoutFollower(root, events, expire, options);
}

/**
 * A JSONL export is read once: any change to the file (another export
 * written over it) is a new source, which the session opens again (told
 * again at the next stat while that fails). One file's stat every
 * JSONL_POLL_MS is all it costs; unlike a watch on the file it follows the
 * path when another file is renamed over it, and unlike fs.watchFile its
 * baseline is the file the store read, not one stat'ed later.
 */
export function followExportFile(file: string, events: FollowerEvents, { pollMs = JSONL_POLL_MS } = {}): SourceFollower {
  let identity = sourceIdentity('jsonl-file', file);
  const replacement = new ReplacementTeller(events);
  const timer = setInterval(() => {
    const next = sourceIdentity('jsonl-file', file);
    if (replacement.busy || next === identity || statOrNull(file) === null) return;
    replacement.tell(() => (identity = next));
  }, pollMs).unref();
  return {
    absorb: () => {},
    stop: () => clearInterval(timer),
  };
}
