// The health check of a PostgreSQL database, on the run's own server
// (postgres-global-setup.ts): the same findings as of the same data in a
// SQLite file, read through the store's pool a page at a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from '../../test/support/cli-process.ts';
import { createVintageDatabase } from '../../test/support/deerflow-databases.ts';
import { checkOpenStore, checkSqliteFile, DUPLICATED_SEQS, fillHealthDatabase, HEALTH_TABLES, MARKED, writeHealthDatabase } from '../../test/support/health-store.ts';
import { createTestDatabase, createVintageTestDatabase, deerflowWriteRun, deerflowWriteThread, type TestDatabase } from '../../test/support/postgres-databases.ts';
import { postgresUrl } from '../../test/support/postgres-server.ts';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.ts';
import { checkHealth } from './check-store.ts';
import { postgresHealthSource } from './postgres-source.ts';

const server = inject('postgresServer');

describe('the health check of a PostgreSQL database', () => {
  let dir: string;
  let db: TestDatabase;
  let store: PostgresStore;
  /** The same events and tables in a SQLite file. */
  let twin: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-health-pg-'));
    db = await createTestDatabase();
    for (const run of HEALTH_TABLES.runs) await deerflowWriteRun(db.pool, run);
    for (const thread of HEALTH_TABLES.threads) await deerflowWriteThread(db.pool, thread);
    store = await openPostgresStore(db.url, { write: true });
    await fillHealthDatabase(store);
    twin = path.join(dir, 'twin.db');
    await writeHealthDatabase(twin);
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds what the same data in a SQLite database holds: each kind, orphans and a runs row without events among them', async () => {
    const report = await checkOpenStore(store);
    expect(report).toEqual(await checkSqliteFile(twin));
    expect(report.counts).toMatchObject({ orphan_events: 1, runs_row_without_events: 1, run_without_end: 1, tool_call_without_result: 1, subagent_without_end: 1, seq_gap: 1, truncated_content: 1 });
  });

  it('checks one thread as the SQLite database does', async () => {
    for (const thread of ['clean', 'live', MARKED.thread]) expect(await checkOpenStore(store, thread)).toEqual(await checkSqliteFile(twin, thread));
  });

  it('reads a thread page by page: a page boundary inside a seq that repeats loses none of its events (the legacy schema)', async () => {
    const legacy = await createVintageTestDatabase('before-mid-april-2026', DUPLICATED_SEQS);
    const legacyStore = await openPostgresStore(legacy.url);
    try {
      const file = path.join(dir, 'legacy.db');
      createVintageDatabase(file, 'before-mid-april-2026', DUPLICATED_SEQS);
      const expected = await checkSqliteFile(file);
      expect(expected.findings.map((f) => f.message)).toEqual(['3 events share seq 3', '2 events share seq 4']);
      for (const pageRows of [1, 2, 3, 100]) expect(await checkHealth(postgresHealthSource(legacyStore.healthReads(), pageRows))).toEqual(expected);
    } finally {
      await legacyStore.close();
      await legacy.drop();
    }
  });

  it('run-inspector check takes a postgresql:// URL: its report, exit 0; exit 2 for a database that is not there or a refused login, the password never printed', async () => {
    const { code, stdout } = await cli(['check', db.url, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(await checkSqliteFile(twin));
    const missing = await cli(['check', `postgresql://${server.user}@${server.host}:${server.port}/no_such_database`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^run-inspector: check: .*no_such_database/);
    const refused = await cli(['check', postgresUrl({ ...server, password: 's3cret' }, db.name)]);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`run-inspector: check: postgresql://${server.user}@${server.host}:${server.port}/${db.name}: the server at ${server.host}:${server.port} refused the login`)]);
    expect(refused.stderr).not.toContain('s3cret');
  });
});
