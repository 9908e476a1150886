// Entry of the worker thread that runs one import or export, so the main
// process's event loop (the window, the HTTP server) never waits on it.
// Built as its own bundle entry (electron.vite.config.ts), run as .ts from
// the sources.
import { parentPort, workerData } from 'node:worker_threads';
import { asStoreError } from '../handlers/as-store-error.ts';
import { runJob, type JobSpec } from './job-spec.ts';
import type { FromWorker, ToWorker } from './job-runner.ts';

const port = parentPort!;
const controller = new AbortController();
const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') controller.abort();
});

try {
  const summary = await runJob((workerData as { spec: JobSpec }).spec, {
    signal: controller.signal,
    onProgress: (progress) => send({ type: 'progress', progress }),
  });
  send({ type: 'done', summary });
} catch (error) {
  const { code, message } = asStoreError(error);
  send({ type: 'failed', code, message });
} finally {
  // The cancel listener would otherwise keep the thread alive after its job.
  port.close();
}
