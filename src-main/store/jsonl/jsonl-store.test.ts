import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeStoreContract } from '../store-contract.suite.ts';
import { openJsonlStore } from './jsonl-store.ts';

describeStoreContract('jsonl', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-contract-'));
  return {
    store: await openJsonlStore(path.join(dir, '.deer-flow')),
    quirks: { contentMarkers: false, utcCreatedAt: false },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
