// The SOURCE named on a command line: this launch's, or a second instance's
// (which Electron hands to the first one, with Chromium's switches mixed in).
import path from 'node:path';
import { isSourceUrl } from '../store/source-url.ts';

/** `run-inspector SOURCE --write` (npm start passes it on): the app may write to a PostgreSQL SOURCE. */
const WRITE_SWITCH = '--write';
/** Debug lines on stderr (debug-log.ts), as the CLI's `--debug`. */
const DEBUG_SWITCH = '--debug';

/**
 * argv is process.argv: the executable, then (unpackaged) the app's folder or
 * main file, then SOURCE. Switches (`--inspect=0`, `--no-sandbox`, …) may
 * sit anywhere and are never a source. A URL (a PostgreSQL server) is kept
 * as it is; a path is made absolute.
 */
export function sourceFromArgv(argv: readonly string[], { packaged, cwd }: { packaged: boolean; cwd: string }): string | null {
  const positional = argv.slice(1).filter((arg) => !arg.startsWith('-'));
  const source = positional[packaged ? 0 : 1];
  if (source === undefined || source === '') return null;
  return isSourceUrl(source) ? source : path.resolve(cwd, source);
}

/** Whether the launch says the app may write to PostgreSQL servers (otherwise each opens read-only, and the page asks to switch). */
export const writeFromArgv = (argv: readonly string[]): boolean => argv.slice(1).includes(WRITE_SWITCH);

/** Whether the launch asks for debug lines (a slow query's name and time) on stderr. */
export const debugFromArgv = (argv: readonly string[]): boolean => argv.slice(1).includes(DEBUG_SWITCH);
