// A PostgreSQL store as the live follower sees it, each statement of the
// follower's own connection recorded as it answers (its name, or its text
// when it has none, and how long it took): what the live tests count and
// the benchmark times.
import type { FollowedPostgres } from '../../src-main/live/postgres-follower.ts';
import type { PostgresStore } from '../../src-main/store/postgres/postgres-store.ts';

export interface StatementTiming {
  name: string;
  ms: number;
}

type QueryConfig = string | { name?: string; text: string };

export function recordingStatements(store: PostgresStore, statements: StatementTiming[]): FollowedPostgres {
  return {
    identity: store.identity,
    liveClient: (options) => {
      const client = store.liveClient(options);
      const query = client.query.bind(client) as (config: QueryConfig) => Promise<unknown>;
      Object.assign(client, {
        query: async (config: QueryConfig) => {
          const started = performance.now();
          try {
            return await query(config);
          } finally {
            statements.push({ name: typeof config === 'string' ? config : (config.name ?? config.text), ms: performance.now() - started });
          }
        },
      });
      return client;
    },
  };
}
