import { describeStoreContract } from '../../test/support/store-contract.suite.ts';
import { MemoryStore } from './memory-store.ts';

describeStoreContract('memory', async () => ({
  store: new MemoryStore(),
  quirks: { contentMarkers: false, utcCreatedAt: false },
}));
