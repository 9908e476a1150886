// `run-inspector check SOURCE [--thread T] [--json]` (issue 15): what
// DeerFlow's bugs and crashes left in a store. A summary table by kind and
// severity, then each finding on one line (tab-separated: severity, kind,
// thread, run, seq, file:line, message); with --json one object
// { findings, counts }. Exit 1 when any finding is an error, 0 otherwise, 2
// for a SOURCE that cannot be read (a usage error is 2 too, from cli.ts), so
// a CI job keeping agent traces can gate on it. The source is opened
// read-only: a check writes nothing to it. A file or folder is checked as the
// app's job worker checks it, here (a SQLite store's threads shared with a
// helper thread); a PostgreSQL database through a store's pool.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HEALTH_KINDS, HEALTH_SEVERITIES, SEVERITY_OF, type HealthFinding, type HealthProgress, type HealthReport } from '../../src-shared/health.ts';
import { plural } from '../../src-shared/plural.ts';
import { checkHealth, type CheckOptions } from '../health/check-store.ts';
import { healthSourceFor } from '../health/source-for-store.ts';
import { checkSourceSpec, healthProgressOf, type HealthSpec } from '../jobs/health-job.ts';
import { sourceWorkerUrl } from '../jobs/job-spec.ts';
import { classifySource, openSource } from '../store/open-source.ts';
import { isPostgresUrl } from '../store/source-url.ts';
import { printable } from './printable.ts';
import { interruptible, progressPrinter } from './progress.ts';

export interface CheckCommandOptions {
  threadId?: string;
  json: boolean;
}

/** The exit code of a check that could not read its source. */
export const UNREADABLE_SOURCE = 2;

const count = (n: number) => n.toLocaleString('en-US');

function summary({ counts, findings }: HealthReport): string {
  const width = Math.max(...HEALTH_KINDS.map((kind) => kind.length));
  const rows = HEALTH_KINDS.map((kind) => `${kind.padEnd(width)}  ${SEVERITY_OF[kind].padEnd(7)}  ${count(counts[kind]).padStart(7)}`);
  const bySeverity = HEALTH_SEVERITIES.map((severity) => {
    const n = findings.filter((f) => f.severity === severity).length;
    return severity === 'info' ? `${count(n)} info` : plural(n, severity, `${severity}s`, count);
  });
  return [`${'kind'.padEnd(width)}  severity     count`, ...rows, `${plural(findings.length, 'finding', 'findings', count)}: ${bySeverity.join(', ')}`].join('\n');
}

function findingLine({ severity, kind, thread_id, run_id, seq, file, line, message }: HealthFinding): string {
  const place = file === undefined ? '-' : line === undefined ? file : `${file}:${line}`;
  return [severity, kind, thread_id ?? '-', run_id ?? '-', seq === null ? '-' : String(seq), place, message].map(printable).join('\t');
}

/** A file or folder as the job worker checks it (health-job.ts): a whole SQLite store on both cores. */
function fileSpec(source: string, threadId: string | undefined): HealthSpec {
  const kind = classifySource(source);
  return { kind: kind === 'jsonl-dir' ? 'jsonl' : kind === 'jsonl-file' ? 'jsonl-file' : 'sqlite', source: path.resolve(source), threadId };
}

/** A PostgreSQL database through a store's pool, which its login needs. */
async function checkServer(url: string, options: CheckOptions): Promise<HealthReport> {
  const store = await openSource(url, { readOnly: true });
  const opened = healthSourceFor(store);
  try {
    return await checkHealth(opened.source, options);
  } finally {
    opened.close();
    await store.close();
  }
}

async function check(source: string, threadId: string | undefined): Promise<HealthReport> {
  // A person watching a whole store's check sees it move; a log or a CI job gets the report only.
  const progress = threadId === undefined && process.stderr.isTTY ? progressPrinter() : null;
  const onProgress = progress ? ({ checked, total }: HealthProgress) => progress.update(`checking: ${count(checked)} of ${plural(total, 'thread', 'threads', count)}`) : () => {};
  try {
    return await interruptible((signal) =>
      isPostgresUrl(source)
        ? checkServer(source, { threadId, signal, onProgress })
        : checkSourceSpec(fileSpec(source, threadId), { signal, workerUrl: sourceWorkerUrl(), onProgress: (report) => onProgress(healthProgressOf(report)) }),
    );
  } finally {
    progress?.finish();
  }
}

export async function checkCommand(source: string, { threadId, json }: CheckCommandOptions): Promise<number> {
  let report: HealthReport;
  try {
    // Any missing path would open as a new, empty store: for a check that is a typo, not a healthy source.
    if (!isPostgresUrl(source) && !existsSync(source)) throw new Error(`${source}: no such file or folder`);
    report = await check(source, threadId);
  } catch (error) {
    process.stderr.write(`run-inspector: check: ${error instanceof Error ? error.message : String(error)}\n`);
    return UNREADABLE_SOURCE;
  }
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write([summary(report), ...(report.findings.length > 0 ? ['', ...report.findings.map(findingLine)] : [])].map((line) => `${line}\n`).join(''));
  return report.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
}
