// The SOURCE named on a command line: this launch's, or a second instance's
// (which Electron hands to the first one, with Chromium's switches mixed in).
import path from 'node:path';

/**
 * argv is process.argv: the executable, then (unpackaged) the app's folder or
 * main file, then SOURCE. Switches (`--inspect=0`, `--no-sandbox`, …) may
 * sit anywhere and are never a source.
 */
export function sourceFromArgv(argv: readonly string[], { packaged, cwd }: { packaged: boolean; cwd: string }): string | null {
  const positional = argv.slice(1).filter((arg) => !arg.startsWith('-'));
  const source = positional[packaged ? 0 : 1];
  return source === undefined || source === '' ? null : path.resolve(cwd, source);
}
