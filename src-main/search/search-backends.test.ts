// The search contract over each backend, through the engine openSearchEngine picks for its source.
import { describeSearchContract } from '../../test/support/search-contract.suite.ts';
import { openJsonlStore } from '../store/jsonl/jsonl-store.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';

describeSearchContract('memory', async () => new MemoryStore());
describeSearchContract('sqlite', async (where) => openSqliteStore(`${where}.db`, { create: true }));
describeSearchContract('jsonl', async (where) => openJsonlStore(where));
