// Debug lines (issue 14: every query slower than Signal's 40 ms, by name and
// time), on stderr only when the app runs with RUN_INSPECTOR_DEBUG=1 or
// `--debug`; otherwise nothing is written. The switch is the environment
// variable, which `--debug` sets, so worker threads started later (the read
// worker, the job worker) and child processes print theirs too.

/** A statement slower than this is a debug line, by name. */
export const SLOW_QUERY_MS = 40;

const SWITCH = 'RUN_INSPECTOR_DEBUG';

export const debugging = (): boolean => process.env[SWITCH] === '1';

/** `--debug`: this process and every thread or process it starts from now on write debug lines. */
export function enableDebug(): void {
  process.env[SWITCH] = '1';
}

export function debug(line: string): void {
  if (debugging()) process.stderr.write(`run-inspector: ${line}\n`);
}

/** Called after every statement; the caller compares first, so a fast one costs no call. */
export function slowQuery(name: string, ms: number, note?: string): void {
  debug(`slow query ${name}: ${Math.round(ms)} ms${note === undefined ? '' : ` (${note})`}`);
}
