// Runs sql.ts's statements, for the store's pool and the live follower's
// connection alike: each by its name, so the server prepares it once per
// connection and reuses its plan; values bound by name (`$thread`) as pg's
// `$n`; a slow one logged by name at debug level (debug-log.ts).
import type pg from 'pg';
import { debugging, SLOW_QUERY_MS, slowQuery } from '../../debug-log.ts';
import type { Statement } from './sql.ts';

/** `$name` placeholders as pg's `$n`, in order of first use, so the statements read like the SQLite ones. */
export function numbered(text: string): { text: string; names: string[] } {
  const names: string[] = [];
  const out = text.replace(/\$([a-z_]+)/g, (_, name: string) => {
    let at = names.indexOf(name);
    if (at < 0) at = names.push(name) - 1;
    return `$${at + 1}`;
  });
  return { text: out, names };
}

export type NamedValues = Record<string, unknown>;

export interface StatementWatch {
  /** Told of every statement run, by name, with its time: what a list cost (tests, the benchmark). */
  onStatement?: (name: string, ms: number) => void;
  /** Whose statements these are when a slow one is logged the first time only (a poller's census is slow each time). */
  logOnceAs?: string;
}

/** `statement` as pg runs it: its `$name` placeholders numbered, `values` in their order. */
export function namedQuery(statement: Statement, values: NamedValues = {}): pg.QueryConfig {
  const { text, names } = numbered(statement.text);
  return { name: statement.name, text, values: names.map((name) => values[name]) };
}

/** The statements of one pool or connection: each one's text numbered once. */
export class NamedStatements {
  private readonly shaped = new Map<string, { text: string; names: string[] }>();
  private readonly logged = new Set<string>();
  private readonly watch: StatementWatch;

  constructor(watch: StatementWatch = {}) {
    this.watch = watch;
  }

  /** `statement` on `db` with `values` bound by name; asked once more when it fails with an error `again` accepts. */
  async run<R extends pg.QueryResultRow>(db: pg.Pool | pg.ClientBase, statement: Statement, values: NamedValues = {}, again?: (error: unknown) => boolean): Promise<pg.QueryResult<R>> {
    let shaped = this.shaped.get(statement.name);
    if (!shaped) this.shaped.set(statement.name, (shaped = numbered(statement.text)));
    const { text, names } = shaped;
    const started = performance.now();
    const run = () => db.query<R>({ name: statement.name, text, values: names.map((name) => values[name]) });
    try {
      try {
        return await run();
      } catch (error) {
        if (!again?.(error)) throw error;
        return await run();
      }
    } finally {
      this.timed(statement.name, performance.now() - started);
    }
  }

  private timed(name: string, ms: number): void {
    this.watch.onStatement?.(name, ms);
    if (ms <= SLOW_QUERY_MS || !debugging()) return;
    const once = this.watch.logOnceAs;
    if (once === undefined) slowQuery(name, ms);
    else if (!this.logged.has(name)) {
      this.logged.add(name);
      slowQuery(name, ms, `${once}; logged once`);
    }
  }
}
