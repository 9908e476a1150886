// A source (or one thread / one run of it) into DeerFlow's JSONL layout,
// `<out>/threads/<thread>/runs/<run>.jsonl`, each line as DeerFlow's
// JsonlRunEventStore writes it, read page by page so a huge run never sits
// in memory at once.
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExportSummary } from '../../src-shared/contract.ts';
import { StoreError } from '../../src-shared/errors.ts';
import { plural } from '../../src-shared/plural.ts';
import type { InspectorStore, RunEvent } from '../../src-shared/types.ts';
import { checkSafeId, runFile } from '../store/jsonl/layout.ts';
import { formatJsonlLine } from '../store/jsonl/format.ts';
import { withoutMarkers } from '../store/sqlite/encoding.ts';
import { cancelledError, type ExportSpec, type JobContext } from './job-spec.ts';

const PAGE_SIZE = 5_000;
interface RunToExport {
  threadId: string;
  runId: string;
  events: number;
}

async function runsToExport(store: InspectorStore, spec: ExportSpec): Promise<RunToExport[]> {
  const threadIds = spec.threadId !== undefined ? [spec.threadId] : (await store.listThreads()).map((t) => t.thread_id);
  const runs: RunToExport[] = [];
  for (const threadId of threadIds) {
    for (const run of await store.listRuns(threadId)) {
      if (spec.runId === undefined || run.run_id === spec.runId) runs.push({ threadId, runId: run.run_id, events: run.event_count });
    }
  }
  if (runs.length === 0 && (spec.threadId !== undefined || spec.runId !== undefined)) {
    const what = [spec.threadId && `thread ${spec.threadId}`, spec.runId && `run ${spec.runId}`].filter(Boolean).join(', ');
    throw new StoreError('NOT_FOUND', `nothing to export: no events for ${what}`);
  }
  // Checked before any file is written: the layout names files after ids.
  for (const run of runs) {
    checkSafeId(run.threadId, 'thread_id');
    checkSafeId(run.runId, 'run_id');
  }
  return runs;
}

/** A database's content markers describe its own encoding (SQLite's and PostgreSQL's alike); DeerFlow's JSONL records carry none. */
function withoutDatabaseMarkers(store: InspectorStore): (event: RunEvent) => RunEvent {
  if (store.info.kind !== 'sqlite' && store.info.kind !== 'postgres') return (event) => event;
  return (event) => ({ ...event, metadata: withoutMarkers(event.metadata) });
}

async function writeRun(store: InspectorStore, out: string, run: RunToExport, onPage: (events: number) => void, signal: AbortSignal): Promise<number> {
  const path = runFile(out, run.threadId, run.runId);
  await mkdir(dirname(path), { recursive: true });
  const file = await open(path, 'w');
  const asDeerFlowRecord = withoutDatabaseMarkers(store);
  let written = 0;
  try {
    for (let afterSeq = 0; ; ) {
      if (signal.aborted) throw cancelledError();
      const page = await store.listEvents(run.threadId, run.runId, { limit: PAGE_SIZE, afterSeq });
      if (page.length === 0) break;
      await file.write(page.map((event) => formatJsonlLine(asDeerFlowRecord(event))).join(''));
      written += page.length;
      onPage(page.length);
      afterSeq = page[page.length - 1].seq;
    }
  } finally {
    await file.close();
  }
  return written;
}

async function exportFrom(store: InspectorStore, spec: ExportSpec, { onProgress, signal }: JobContext): Promise<ExportSummary> {
  const started = performance.now();
  const runs = await runsToExport(store, spec);
  await mkdir(spec.out, { recursive: true });
  const total = runs.reduce((sum, run) => sum + run.events, 0);
  let done = 0;
  const threads = new Set<string>();
  for (const run of runs) {
    const onPage = (events: number) => {
      done += events;
      onProgress({ done, total, message: `${done.toLocaleString('en-US')} of ${plural(total, 'event', 'events', (n) => n.toLocaleString('en-US'))} written` });
    };
    await writeRun(store, spec.out, run, onPage, signal);
    threads.add(run.threadId);
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: done, threads: threads.size, runs: runs.length, files: runs.length, out: spec.out, seconds };
}

/** Exports the context's open store, or opens spec.source for the job and closes it after. */
export async function exportJsonl(spec: ExportSpec, context: JobContext): Promise<ExportSummary> {
  if (context.store) return exportFrom(context.store, spec, context);
  const { openSource } = await import('../store/open-source.ts');
  // Read-only: an export never changes its source (nor creates a database that was not there).
  const store = await openSource(spec.source, { readOnly: true });
  try {
    return await exportFrom(store, spec, context);
  } finally {
    await store.close();
  }
}
