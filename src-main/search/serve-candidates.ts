// The worker's side of the search's candidate reads (candidate-worker.ts,
// started from job-worker.ts's entry): the sidecar opened read-only on a
// connection of its own, each search's steps (index-query.ts) kept by id
// until the session closes it, each step answered as it ends.
import type { MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from '../store/sqlite/sqlite-store.ts';
import type { CandidateWorkerSpec, FromCandidateWorker, ToCandidateWorker } from './candidate-worker.ts';
import { CandidateReader, type CandidateSteps } from './index-query.ts';
import { SIDECAR_CACHE_KIB } from './sidecar-file.ts';

function openReader(sidecar: string): CandidateReader {
  const db = new Database(sidecar, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`cache_size = -${SIDECAR_CACHE_KIB}`);
  return new CandidateReader(db);
}

export function serveCandidates(port: MessagePort, { sidecar }: CandidateWorkerSpec): void {
  // A sidecar that cannot be read (damaged: SQLITE_NOTADB) says so in each search's answer, for the engine to build it again.
  let reader: CandidateReader | null = null;
  let openError: unknown = null;
  try {
    reader = openReader(sidecar);
  } catch (error) {
    openError = error;
  }
  const searches = new Map<number, CandidateSteps>();
  const send = (message: FromCandidateWorker) => port.postMessage(message);
  port.on('message', (message: ToCandidateWorker) => {
    if (message.type === 'open') {
      // The plan is chosen as the search opens; a failure then is its first step's answer.
      try {
        if (reader === null) throw openError;
        searches.set(message.search, reader.open(message.terms, message.scope));
      } catch (error) {
        searches.set(message.search, () => {
          throw error;
        });
      }
    } else if (message.type === 'close') {
      searches.delete(message.search);
    } else {
      try {
        const steps = searches.get(message.search);
        if (!steps) throw new Error(`search ${message.search} is not open`);
        send({ type: 'step', id: message.id, step: steps(message.after, message.limit) });
      } catch (error) {
        const sqliteCode = error instanceof Database.SqliteError ? error.code : null;
        send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error), sqliteCode });
      }
    }
  });
}
