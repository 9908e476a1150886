// Entry of the worker thread that runs one import, export, big delete, search index build, run comparison or health check, so
// the main process's event loop (the window, the HTTP server) never waits on
// it; of the helper thread a job starts from the same entry (an import's
// reader, an export's, a health check's); and of a SQLite source's read worker (src-main/reads), which
// answers the page's slow reads for as long as the source is open, and a search index's candidate reads (src-main/search/serve-candidates.ts): a bundle
// needs this one extra file only. Built as its own bundle entry
// (electron.vite.config.ts, scripts/build-cli.ts), run as .ts from the sources.
import { parentPort, workerData } from 'node:worker_threads';
import { asStoreError } from '../as-store-error.ts';
import type { ReadWorkerSpec } from '../reads/read-methods.ts';
import type { CandidateWorkerSpec } from '../search/candidate-worker.ts';
import type { CompareSpec } from './compare-job.ts';
import type { DeleteSpec } from './delete-events.ts';
import type { HealthShareJob, HealthSpec } from './health-job.ts';
import type { ExportRowsJob } from './export-rows.ts';
import type { ReaderJob } from './import-reader.ts';
import type { IndexReaderJob, IndexSpec } from './index-job.ts';
import type { JobSpec, ProgressReport } from './job-spec.ts';
import { runJob } from './run-job.ts';
import type { FromWorker, ToWorker, WorkerSummary } from './job-runner.ts';

const port = parentPort!;
const data = workerData as { spec: JobSpec } | { importReader: ReaderJob } | { deleteEvents: DeleteSpec } | { buildIndex: IndexSpec }
  | { indexReader: IndexReaderJob } | { compareRuns: CompareSpec } | { reads: ReadWorkerSpec } | { exportRows: ExportRowsJob } | { checkHealth: HealthSpec } | { healthShare: HealthShareJob }
  | { searchCandidates: CandidateWorkerSpec };
const send = (message: FromWorker) => port.postMessage(message);

/** Posts what `work` ends with, then closes the port: a listener on it would otherwise keep the thread alive. */
async function settle(work: () => Promise<WorkerSummary>): Promise<void> {
  try {
    send({ type: 'done', summary: await work() });
  } catch (error) {
    const { code, message } = asStoreError(error);
    send({ type: 'failed', code, message });
  } finally {
    port.close();
  }
}

/** The signal the parent's cancel message aborts. */
function cancelSignal(): AbortSignal {
  const controller = new AbortController();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') controller.abort();
  });
  return controller.signal;
}

const onProgress = (progress: ProgressReport) => send({ type: 'progress', progress });

async function runThisJob(spec: JobSpec): Promise<void> {
  const signal = cancelSignal();
  await settle(() => runJob(spec, { signal, onProgress, workerUrl: new URL(import.meta.url) }));
}

if ('importReader' in data) {
  const { serveReader } = await import('./import-reader.ts');
  await serveReader(port, data.importReader);
} else if ('exportRows' in data) {
  const { serveRowBatches } = await import('./export-rows.ts');
  await serveRowBatches(port, data.exportRows);
} else if ('deleteEvents' in data) {
  const { deleteEvents } = await import('./delete-events.ts');
  await settle(() => deleteEvents(data.deleteEvents));
} else if ('buildIndex' in data) {
  const { buildIndex } = await import('./index-job.ts');
  const signal = cancelSignal();
  await settle(() => buildIndex(data.buildIndex, { signal, onProgress, workerUrl: new URL(import.meta.url) }));
} else if ('reads' in data) {
  const { serveReads } = await import('../reads/serve-reads.ts');
  serveReads(port, data.reads);
} else if ('searchCandidates' in data) {
  const { serveCandidates } = await import('../search/serve-candidates.ts');
  serveCandidates(port, data.searchCandidates);
} else if ('compareRuns' in data) {
  const { compareInWorker } = await import('./compare-job.ts');
  await settle(() => compareInWorker(data.compareRuns));
} else if ('checkHealth' in data) {
  const { checkSourceSpec } = await import('./health-job.ts');
  const signal = cancelSignal();
  await settle(() => checkSourceSpec(data.checkHealth, { signal, onProgress, workerUrl: new URL(import.meta.url) }));
} else if ('healthShare' in data) {
  const { serveHealthShare } = await import('./health-job.ts');
  await serveHealthShare(port, data.healthShare);
} else if ('indexReader' in data) {
  const [{ readNewRows }, { serveBatches }] = await Promise.all([import('../search/index-sqlite-sync.ts'), import('./thread-batches.ts')]);
  const { source, afterId, batchSize } = data.indexReader;
  await serveBatches(port, readNewRows(source, afterId, batchSize));
} else {
  await runThisJob(data.spec);
}
