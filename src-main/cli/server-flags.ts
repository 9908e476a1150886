// --write and --init (issue 13): what a command may do to a PostgreSQL
// SOURCE, which opens read-only. A file or folder opens as it always has:
// both flags mean nothing there.
import type { InspectorStore } from '../../src-shared/types.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { OpenSourceOptions } from '../store/open-source.ts';

export interface ServerFlags {
  /** Write to a server (`--write`); without it a write is a READ_ONLY error that names the flag. */
  write: boolean;
  /** Give the SOURCE DeerFlow's tables when it is an empty database (`--init`). */
  init: boolean;
}

/**
 * The session's opener for a command: no server is opened to write without
 * --write — a page's or a script's ask to switch to read-write does not
 * outrank the command line. With it, a script's (`rpc`) servers open to write
 * at once; a page's (`serve`) open read-only as in the app, and its switch to
 * read-write (allowWrites) is what --write allows. The command's own SOURCE
 * is initialised with --init.
 */
export function commandOpener(source: string | null, { write, init }: ServerFlags, { forPage = false } = {}) {
  return async (path: string | null, options: OpenSourceOptions = {}): Promise<InspectorStore> => {
    if (path === null) return new MemoryStore();
    // Imported here, as the session's own opener does: pg loads only for a server.
    const { openSource } = await import('../store/open-source.ts');
    return openSource(path, { ...options, write: write && (!forPage || (options.write ?? false)), init: init && path === source });
  };
}
