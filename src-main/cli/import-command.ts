// `run-inspector import JSONL --into DB [--write] [--init]`: exit 0 when the
// import completes, skipped lines or not; 1 when nothing could be read or the
// target cannot be written (a PostgreSQL database without --write among
// them). Paths arrive absolute (cli.ts: the caller's folder); a PostgreSQL
// URL as given, its password never printed (the summary names the server by
// its display URL).
import { importJsonl } from '../jobs/import-jsonl.ts';
import { interruptible, progressPrinter, seconds } from './progress.ts';
import type { ServerFlags } from './server-flags.ts';

/** Reasons are for a person reading stderr; the complete list of skipped lines is on stdout. */
const MAX_REASONS = 20;

export async function importCommand(jsonl: string, into: string, { write, init }: ServerFlags): Promise<number> {
  const progress = progressPrinter();
  const summary = await interruptible((signal) =>
    importJsonl({ kind: 'import', path: jsonl, into, write, init }, { signal, onProgress: ({ message }) => progress.update(message) }),
  ).finally(() => progress.finish());

  for (const issue of summary.issues.slice(0, MAX_REASONS)) {
    process.stderr.write(`${issue.severity === 'error' ? 'skipped' : 'warning'} ${issue.path}:${issue.line}: ${issue.message}\n`);
  }
  if (summary.issues.length > MAX_REASONS) process.stderr.write(`… and ${summary.issues.length - MAX_REASONS} more\n`);
  process.stdout.write(
    `imported ${summary.imported}, skipped ${summary.skipped}, duplicates ${summary.duplicates}, in ${seconds(summary.seconds)} s\n`,
  );
  for (const line of summary.skippedLines) process.stdout.write(`${line}\n`);
  if (summary.imported + summary.duplicates === 0) {
    process.stderr.write(`run-inspector: error: no record could be read from ${jsonl}\n`);
    return 1;
  }
  return 0;
}
