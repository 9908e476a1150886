// Entry of the worker thread that runs one import or export, so the main
// process's event loop (the window, the HTTP server) never waits on it; and
// of the helper thread a job starts from the same entry (an import's
// reader), so a bundle needs this one extra file only. Built as its own
// bundle entry (electron.vite.config.ts), run as .ts from the sources.
import { parentPort, workerData } from 'node:worker_threads';
import { asStoreError } from '../handlers/as-store-error.ts';
import type { ReaderJob } from './import-reader.ts';
import { runJob, type JobSpec } from './job-spec.ts';
import type { FromWorker, ToWorker } from './job-runner.ts';

const port = parentPort!;
const data = workerData as { spec: JobSpec } | { importReader: ReaderJob };

async function runThisJob(spec: JobSpec): Promise<void> {
  const controller = new AbortController();
  const send = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') controller.abort();
  });
  try {
    const summary = await runJob(spec, {
      signal: controller.signal,
      onProgress: (progress) => send({ type: 'progress', progress }),
      workerUrl: new URL(import.meta.url),
    });
    send({ type: 'done', summary });
  } catch (error) {
    const { code, message } = asStoreError(error);
    send({ type: 'failed', code, message });
  } finally {
    // The cancel listener would otherwise keep the thread alive after its job.
    port.close();
  }
}

if ('importReader' in data) {
  const { serveReader } = await import('./import-reader.ts');
  await serveReader(port, data.importReader);
} else {
  await runThisJob(data.spec);
}
