// A read worker (src-main/reads/serve-reads.ts) whose thread ends as a crash
// would, mid-request, when asked for the runs of thread `dies`: what a dead
// worker looks like to the session's side.
import { parentPort, workerData } from 'node:worker_threads';
import type { ToReadWorker } from '../../src-main/reads/read-methods.ts';
import { serveReads } from '../../src-main/reads/serve-reads.ts';

const port = parentPort!;
// Heard before the worker's own listener, which would answer.
port.on('message', (message: ToReadWorker) => {
  if (message.type === 'read' && message.method === 'listRuns' && (message.params as { threadId: string }).threadId === 'dies') process.exit(7);
});
serveReads(port, (workerData as { reads: Parameters<typeof serveReads>[1] }).reads);
