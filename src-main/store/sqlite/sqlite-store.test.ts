import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeStoreContract } from '../store-contract.suite.ts';
import { openSqliteStore } from './sqlite-store.ts';

describeStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-sqlite-'));
  return {
    store: openSqliteStore(path.join(dir, 'events.db'), { create: true }),
    quirks: { contentMarkers: true, utcCreatedAt: true },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
