import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/postgres-databases.ts';
import { ClosingClient } from './closing-client.ts';

const server = inject('postgresServer');

it('a login that fails (no password, a wrong one) leaves no backend behind: the database can be dropped at once', async () => {
  const db = await createTestDatabase({ deerflowSchema: false });
  const login = { host: server.host, port: server.port, user: server.user, database: db.name };
  const pool = new pg.Pool({ ...login, Client: ClosingClient, password: async () => Promise.reject(new Error('no password known')) });
  await expect(pool.query('SELECT 1')).rejects.toThrow('no password known');
  await pool.end();
  const wrong = new ClosingClient({ ...login, password: `${server.password}-wrong` });
  await expect(wrong.connect()).rejects.toMatchObject({ code: '28P01' });

  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    // node-postgres's own client keeps the first backend waiting for the rest of its login for a minute, and DROP with it.
    await admin.query("SET statement_timeout = '5s'");
    await admin.query(`DROP DATABASE ${pg.escapeIdentifier(db.name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});
