// Batches made in a helper thread and used in the job's thread, so making
// them (reading, decoding) and using them (inserting) run on both cores: an
// import's JSONL reading, a search index build's row reading. The helper is
// started from the job worker's entry (job-worker.ts dispatches on its
// workerData); at most BATCHES_AHEAD batches wait unanswered, so memory stays
// small when the user of the batches is the slower side.
import { Worker, type MessagePort } from 'node:worker_threads';
import { StoreError, type ErrorCode } from '../../src-shared/errors.ts';
import { asStoreError } from '../as-store-error.ts';

/** Batches made ahead of their use: enough to keep both threads busy, little memory. */
export const BATCHES_AHEAD = 3;

type FromHelper<T> = { kind: 'batch'; batch: T } | { kind: 'done' } | { kind: 'failed'; code: ErrorCode; message: string };

/** The helper's side: each batch posted (its `transfer` buffers moved, not copied), then 'done' or 'failed'. */
export async function serveBatches<T>(port: MessagePort, batches: AsyncIterable<T>, transfer: (batch: T) => ArrayBuffer[] = () => []): Promise<void> {
  let ahead = 0;
  let room: (() => void) | null = null;
  port.on('message', () => {
    ahead--;
    room?.();
  });
  const send = (message: FromHelper<T>, buffers: ArrayBuffer[] = []) => port.postMessage(message, buffers);
  try {
    for await (const batch of batches) {
      while (ahead >= BATCHES_AHEAD) await new Promise<void>((resolve) => (room = resolve));
      ahead++;
      send({ kind: 'batch', batch }, transfer(batch));
    }
    send({ kind: 'done' });
  } catch (error) {
    const { code, message } = asStoreError(error);
    send({ kind: 'failed', code, message });
  } finally {
    port.close();
  }
}

/** The job's side: the batches of a helper started from `workerUrl` with `workerData`; `what` names it in an error. */
export async function* batchesFromThread<T>(workerUrl: URL, workerData: object, what: string): AsyncGenerator<T, void, void> {
  const worker = new Worker(workerUrl, { workerData });
  const inbox: FromHelper<T>[] = [];
  let stopped: Error | null = null;
  let wake: (() => void) | null = null;
  const arrived = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (message: FromHelper<T>) => {
    inbox.push(message);
    arrived();
  });
  worker.on('error', (error) => {
    stopped ??= error;
    arrived();
  });
  worker.on('exit', (code) => {
    stopped ??= new StoreError('INTERNAL', `${what} stopped (exit code ${code})`);
    arrived();
  });
  try {
    for (;;) {
      while (inbox.length === 0) {
        if (stopped) throw stopped;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = inbox.shift()!;
      if (message.kind === 'failed') throw new StoreError(message.code, message.message);
      if (message.kind === 'done') return;
      yield message.batch;
      worker.postMessage(null); // room for one more
    }
  } finally {
    await worker.terminate();
  }
}
