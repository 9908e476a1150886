// `run-inspector export SOURCE --out DIR [--thread T] [--run R]`. Paths
// arrive absolute (cli.ts: the caller's folder), a PostgreSQL URL as given.
import { existsSync } from 'node:fs';
import { plural } from '../../src-shared/plural.ts';
import { exportJsonl } from '../jobs/export-jsonl.ts';
import { isPostgresUrl } from '../store/source-url.ts';
import { interruptible, progressPrinter, seconds } from './progress.ts';

export async function exportCommand(source: string, out: string, threadId?: string, runId?: string): Promise<number> {
  // Any missing path would open as a new, empty store: for an export that is a typo, not a source.
  if (!isPostgresUrl(source) && !existsSync(source)) throw new Error(`${source}: no such file or folder`);
  const progress = progressPrinter();
  const summary = await interruptible((signal) =>
    exportJsonl(
      { kind: 'export', source, out, threadId, runId },
      { signal, onProgress: ({ message }) => progress.update(message) },
    ),
  ).finally(() => progress.finish());
  process.stdout.write(
    `exported ${plural(summary.events, 'event')} (${plural(summary.threads, 'thread')}, ${plural(summary.runs, 'run')}) to ${summary.out} in ${seconds(summary.seconds)} s\n`,
  );
  return 0;
}
