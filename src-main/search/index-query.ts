// Candidate events for a search, newest first, from the sidecar (issue 10,
// "Speed"). Terms of three characters or more go through the trigram table:
// each term's trigrams, ANDed. With detail=none that is a superset of the
// matches, which the engine checks on each event's text. Shorter terms have
// no trigram: CJK ones (北, 北美) are one token each of the short-term table
// (short-terms.ts); others (ab) are only checked on the text. The plan is
// chosen by how many events each table matches (choosePlan):
//   - few (under JOIN_LIMIT in one table): its matches joined to their
//     envelope and sorted; another table's matches, when it has a query,
//     taken as one set that the rows are looked up in — or, for a table
//     matching hundreds of times more events than the few rows that drive,
//     probed for each of them;
//   - many (a term in every event): the order index walked newest first,
//     each row probed in the tables, stopping once a page is full — never a
//     sort of every match.
// A probe is an FTS5 query of its own, its terms' segments opened again for
// one row, and each chunk runs the statement again: probing every row of a
// few thousand drove a 69-page search to some 13 s, the set join to 0.4 s.
// Terms that are all short and not CJK walk the scope's index with no probe.
// Candidates come in keyset chunks (after the last one's order key), so no
// statement stays open while the engine reads events from the store.
import type Database from 'better-sqlite3';
import type { SearchOptions } from '../../src-shared/types.ts';
import { shortTermQuery } from './short-terms.ts';

/** Below this many matches in a table the join-and-sort plan is cheaper than walking the order. */
const JOIN_LIMIT = 20_000;
/**
 * A table is probed per driving row only when it matches this many times more
 * events than the driving one: a probe costs some 500 matches read (on the 21,000-event
 * generated store: 134 µs against 0.26 µs a match in the trigram table, 19
 * against 0.04 µs in the short-term table), and a set is also built.
 */
const PROBE_COST_IN_MATCHES = 256;
const TRIGRAM = 3;
/** A long query term gives many trigrams; a few spread over each term select as well as all of them. */
const MAX_TRIGRAMS_PER_TERM = 6;

export interface Candidate {
  id: number;
  at: number;
  thread_id: string;
  seq: number;
}

export interface OrderKey {
  at: number;
  thread_id: string;
  seq: number;
}

/** A search's scope, as the contract gives it. */
export type CandidateScope = Pick<SearchOptions, 'threadId' | 'runId' | 'categories' | 'eventTypes'>;

export type IndexTable = 'fts' | 'short_terms';

/**
 * `drive`: the table whose few matches are joined and sorted (null: walk the
 * order); `join`: the tables whose matches are read once, as a set each row
 * is looked up in; `probe`: the tables each row is checked in by a query of its own.
 */
export interface Plan {
  drive: IndexTable | null;
  join: IndexTable[];
  probe: IndexTable[];
}

/** Each table with a query, with how many events it matches, counted up to JOIN_LIMIT. */
export type MatchCounts = Partial<Record<IndexTable, number>>;

/** The table matching fewest events drives when that is under JOIN_LIMIT; each other one is joined, or probed when far more common. */
export function choosePlan(counts: MatchCounts): Plan {
  const tables = (Object.keys(counts) as IndexTable[]).sort((a, b) => counts[a]! - counts[b]!);
  const [fewest, ...others] = tables;
  if (fewest === undefined || counts[fewest]! >= JOIN_LIMIT) return { drive: null, join: [], probe: tables };
  const probed = (table: IndexTable) => counts[table]! >= counts[fewest]! * PROBE_COST_IN_MATCHES;
  return { drive: fewest, join: others.filter((table) => !probed(table)), probe: others.filter(probed) };
}

/** Characters, not UTF-16 units: the trigram tokenizer counts code points. */
const charactersOf = (term: string) => [...term];

/** Terms the trigram table can answer, as an FTS5 query of their trigrams (each an FTS5 string); null when none can. */
export function trigramQuery(terms: readonly string[]): string | null {
  const trigrams = new Set<string>();
  for (const term of terms) {
    const chars = charactersOf(term);
    const count = chars.length - TRIGRAM + 1;
    const taken = Math.min(count, MAX_TRIGRAMS_PER_TERM);
    for (let i = 0; i < taken; i++) {
      const at = taken === 1 ? 0 : Math.round((i * (count - 1)) / (taken - 1));
      trigrams.add(chars.slice(at, at + TRIGRAM).join(''));
    }
  }
  if (trigrams.size === 0) return null;
  return [...trigrams].map((trigram) => `"${trigram.replaceAll('"', '""')}"`).join(' AND ');
}

function candidateSql(plan: Plan, scope: CandidateScope, after: boolean): string {
  const where: string[] = [];
  if (scope.threadId !== undefined) where.push('d.thread_id = $thread');
  if (scope.runId !== undefined) where.push('d.run = (SELECT id FROM runs WHERE thread_id = $thread AND run_id = $run)');
  if (scope.categories || scope.eventTypes) {
    where.push(
      'd.kind IN (SELECT id FROM kinds WHERE ($categories IS NULL OR category IN (SELECT value FROM json_each($categories))) ' +
        'AND ($types IS NULL OR event_type IN (SELECT value FROM json_each($types))))',
    );
  }
  if (after) where.push('d.at <= $at AND (d.at < $at OR d.thread_id > $afterThread OR (d.thread_id = $afterThread AND d.seq < $seq))');
  for (const table of plan.join) where.push(`d.id IN (SELECT rowid FROM ${table} WHERE ${table} MATCH $${table})`);
  for (const table of plan.probe) where.push(`EXISTS (SELECT 1 FROM ${table} WHERE ${table} MATCH $${table} AND ${table}.rowid = d.id)`);
  if (plan.drive) where.push(`${plan.drive} MATCH $${plan.drive}`);
  const index = scope.threadId !== undefined ? 'docs_thread' : 'docs_order';
  // CROSS JOIN keeps the driving table outermost: its few matches drive, then one sort.
  const from = plan.drive ? `${plan.drive} CROSS JOIN docs d ON d.id = ${plan.drive}.rowid` : `docs d INDEXED BY ${index}`;
  return `SELECT d.id, d.at, d.thread_id, d.seq FROM ${from} WHERE ${where.join(' AND ') || '1'} ORDER BY d.at DESC, d.thread_id, d.seq DESC LIMIT $limit`;
}

export class CandidateReader {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<[Record<string, unknown>], Candidate>>();
  private readonly countMatches: Record<IndexTable, Database.Statement<[string, number], number>>;

  constructor(db: Database.Database) {
    this.db = db;
    const counter = (table: IndexTable) =>
      db.prepare<[string, number], number>(`SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`).pluck();
    this.countMatches = { fts: counter('fts'), short_terms: counter('short_terms') };
  }

  /** A search's candidates, chunk by chunk: `next(after, limit)` returns the ones after `after` in the order. */
  open(terms: readonly string[], scope: CandidateScope): (after: OrderKey | null, limit: number) => Candidate[] {
    const queries: Record<IndexTable, string | null> = { fts: trigramQuery(terms), short_terms: shortTermQuery(terms) };
    const plan = choosePlan(this.matchCounts(queries));
    const base = {
      ...queries,
      thread: scope.threadId ?? null,
      run: scope.runId ?? null,
      categories: scope.categories ? JSON.stringify(scope.categories) : null,
      types: scope.eventTypes ? JSON.stringify(scope.eventTypes) : null,
    };
    return (after, limit) => {
      const statement = this.statement(plan, scope, after !== null);
      const keyset = after ? { at: after.at, afterThread: after.thread_id, seq: after.seq } : {};
      return statement.all(pick(statement, { ...base, ...keyset, limit }));
    };
  }

  private matchCounts(queries: Record<IndexTable, string | null>): MatchCounts {
    const counts: MatchCounts = {};
    for (const table of Object.keys(queries) as IndexTable[]) {
      const query = queries[table];
      if (query !== null) counts[table] = this.countMatches[table].get(query, JOIN_LIMIT) ?? 0;
    }
    return counts;
  }

  private statement(plan: Plan, scope: CandidateScope, after: boolean): Database.Statement<[Record<string, unknown>], Candidate> {
    const sql = candidateSql(plan, scope, after);
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare<[Record<string, unknown>], Candidate>(sql)));
    return statement;
  }
}

/** better-sqlite3 refuses named parameters a statement does not use: only the ones in its SQL. */
function pick(statement: Database.Statement, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => statement.source.includes(`$${name}`)));
}
