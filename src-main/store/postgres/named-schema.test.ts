// DeerFlow's database.postgres_schema: its tables only in a named schema,
// reached by ?schema=NAME (the connections' search_path), read and written
// there whatever the public schema holds; names with a space or a quote too.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres-databases.ts';
import { DEERFLOW_POSTGRES_DDL } from './deerflow-schema.ts';
import { openPostgresStore, type PostgresStore } from './postgres-store.ts';

const server = inject('postgresServer');
const opened: PostgresStore[] = [];

async function open(url: string, write = false): Promise<PostgresStore> {
  const store = await openPostgresStore(url, { write });
  opened.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** The schemas that hold a table of this name. */
const schemasWith = (db: TestDatabase, table: string) =>
  db.query<{ schemaname: string }>('SELECT schemaname FROM pg_tables WHERE tablename = $1 ORDER BY 1', [table]).then((rows) => rows.map((r) => r.schemaname));

/** The schema names tried, all in one database: DeerFlow's tables in each, as its bootstrap makes them. */
const NAMES = ['team', 'my team', 'o"brien', 'Team "A" \\ 1'];

describe('DeerFlow databases in named schemas (?schema=)', () => {
  let shared: TestDatabase;
  beforeAll(async () => {
    shared = await createTestDatabase({ schema: NAMES[0] });
    for (const schema of NAMES.slice(1)) {
      await shared.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}; SET search_path TO ${pg.escapeIdentifier(schema)}; ${DEERFLOW_POSTGRES_DDL}; RESET search_path`);
    }
  });
  afterAll(async () => {
    await shared?.drop();
  });

  const inSchema = (schema: string) => `${shared.url.replace(/\?schema=.*$/, '')}?schema=${encodeURIComponent(schema)}`;
  const rowsOf = (schema: string) => shared.query(`SELECT seq, content FROM ${pg.escapeIdentifier(schema)}.run_events ORDER BY seq`);

  for (const schema of NAMES) {
    it(`reads and writes the tables of schema ${JSON.stringify(schema)} only`, async () => {
      const url = inSchema(schema);
      const table = `${pg.escapeIdentifier(schema)}.run_events`;
      await shared.query(`INSERT INTO ${table} (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
        VALUES ('t1', 'r1', 'llm.human.input', 'message', 'from DeerFlow', '{}', 1, now())`);
      const store = await open(url, true);
      expect(store.info.path).toBe(`postgresql://${server.user}@${server.host}:${server.port}/${shared.name}?schema=${encodeURIComponent(schema)}`);
      const put = await store.put({ thread_id: 't1', run_id: 'r1', event_type: 'llm.ai.response', category: 'message', content: 'from the app' });
      expect(put.seq).toBe(2);
      expect((await store.listMessages('t1')).map((e) => e.content)).toEqual(['from DeerFlow', 'from the app']);
      expect((await store.listThreads()).map((t) => [t.thread_id, t.event_count])).toEqual([['t1', 2]]);
      // The rows are in this schema's table, and in no other schema's.
      expect(await rowsOf(schema)).toEqual([
        { seq: 1, content: 'from DeerFlow' },
        { seq: 2, content: 'from the app' },
      ]);
      for (const other of NAMES.filter((n) => n !== schema)) expect(await rowsOf(other), other).toEqual([]);
      expect(await store.deleteByThread('t1')).toBe(2);
      expect(await rowsOf(schema)).toEqual([]);
    });
  }
});

describe('a DeerFlow database in schema team, and its public schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ schema: 'team' });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('never reads or writes a run_events of the public schema, nor touches its other tables', async () => {
    await db.query(`CREATE TABLE public.notes (id int); INSERT INTO public.notes VALUES (1);
      CREATE TABLE public.run_events (LIKE team.run_events INCLUDING ALL); ALTER TABLE public.run_events ALTER COLUMN id SET DEFAULT 0;
      INSERT INTO public.run_events (thread_id, run_id, event_type, category, content, event_metadata, seq, created_at)
        VALUES ('t1', 'public-run', 'llm.ai.response', 'message', 'in public', '{}', 1, now())`);
    try {
      const store = await open(db.url, true);
      expect(await store.listThreads()).toEqual([]);
      expect(await store.listMessages('t1')).toEqual([]);
      expect((await store.put({ thread_id: 't1', run_id: 'r1', event_type: 'x', category: 'message', content: 'in team' })).seq).toBe(1);
      expect(await db.query('SELECT content FROM team.run_events')).toEqual([{ content: 'in team' }]);
      expect(await db.query('SELECT content FROM public.run_events')).toEqual([{ content: 'in public' }]);
      expect(await db.query('SELECT id FROM public.notes')).toEqual([{ id: 1 }]);
    } finally {
      await db.query('DROP TABLE public.notes, public.run_events; DELETE FROM team.run_events');
    }
  });

  it("names the schema that has run_events when the URL gives none, and creates nothing", async () => {
    const withoutSchema = db.url.replace(/\?schema=.*$/, '');
    await expect(openPostgresStore(withoutSchema)).rejects.toMatchObject({
      code: 'SOURCE',
      message: expect.stringMatching(/no run_events table.*run_events is in schema "team": add \?schema=team/),
    });
    await expect(openPostgresStore(withoutSchema, { write: true, init: true })).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining('?schema=team') });
    expect(await schemasWith(db, 'run_events')).toEqual(['team']);
    expect(await schemasWith(db, 'alembic_version')).toEqual(['team']);
  });

  it('refuses a schema the database does not have, naming it, without creating it', async () => {
    const other = db.url.replace(/\?schema=.*$/, '?schema=elsewhere');
    await expect(openPostgresStore(other)).rejects.toMatchObject({ code: 'SOURCE', message: expect.stringContaining('no run_events table in schema "elsewhere"') });
    expect(await db.query("SELECT nspname FROM pg_namespace WHERE nspname = 'elsewhere'")).toEqual([]);
  });
});
