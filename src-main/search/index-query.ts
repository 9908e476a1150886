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
//   - many (a term in every event, or in one event of a few hundred of a big
//     store): the order index walked newest first a window of rows at a
//     time, each table asked once for its matches among the window's row ids,
//     a range of ids at a time (rowid BETWEEN lo AND hi, which FTS5 answers
//     by seeking its doclists) — never a sort of every match.
// A probe is an FTS5 query of its own, its terms' segments opened again for
// one row: probing every row of a few thousand drove a 69-page search to
// some 13 s, the set join to 0.4 s; on a 10M-event index a probe took some
// 8 ms, so a walk probing row by row for a term in one event of 500 ran for
// hours. A window's ids mostly lie close together (a source's rows are
// written as its events happen), so a window costs one or a few ranges.
// Terms that are all short and not CJK walk the scope's index with no table.
// Candidates come in keyset steps (after the last row walked), each held to a
// few milliseconds, so no statement stays open while the engine reads events
// from the store and the engine gives other requests their turns between them.
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
 * is looked up in; `probe`: the tables each row is checked in by a query of its
 * own — or, in a walk (drive null), that each window of rows is checked in.
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
  const index = scope.threadId !== undefined ? 'docs_thread' : 'docs_order';
  // The driving table's matches, read when the plan was chosen, as a JSON array ($driving); CROSS JOIN keeps them
  // outermost: its few matches drive, then one sort.
  const from = plan.drive ? 'json_each($driving) m CROSS JOIN docs d ON d.id = m.value' : `docs d INDEXED BY ${index}`;
  return `SELECT d.id, d.at, d.thread_id, d.seq FROM ${from} WHERE ${where.join(' AND ') || '1'} ORDER BY d.at DESC, d.thread_id, d.seq DESC LIMIT $limit`;
}

/** Candidates after a step's start, and where the next step starts: null when the order is walked to its end. */
export interface CandidateStep {
  candidates: Candidate[];
  resume: OrderKey | null;
}

/**
 * A search's candidates, step by step: each returns about `limit` of them, or fewer when its time is up; each step
 * after the first starts at the `resume` of the one before.
 */
export type CandidateSteps = (after: OrderKey | null, limit: number) => CandidateStep;

/** Rows of the order a walk's first window reads; later ones are sized by the matches found so far. */
const FIRST_WINDOW = 1024;
/** A window of this many rows is read and checked in some 10 ms on a 1M-event index, so a step keeps near its budget. */
const MAX_WINDOW = 8192;
/** A walk's step returns after this long even with fewer candidates than asked for, so the engine can give other requests their turn. */
const STEP_BUDGET_MS = 12;

export class CandidateReader {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<[Record<string, unknown>], Candidate>>();
  private readonly firstMatches: Record<IndexTable, Database.Statement<[string, number], number>>;
  private readonly matchesBetween: Record<IndexTable, Database.Statement<[string, number, number], number>>;

  constructor(db: Database.Database) {
    this.db = db;
    const first = (table: IndexTable) => db.prepare<[string, number], number>(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? LIMIT ?`).pluck();
    this.firstMatches = { fts: first('fts'), short_terms: first('short_terms') };
    // better-sqlite3 binds a number as a REAL, and FTS5 takes a rowid bound only when it is an INTEGER: uncast, it
    // ignores the bounds and reads every match, leaving SQLite to filter them (at 1M events 150 ms a range, not 0.5).
    const between = (table: IndexTable) =>
      db
        .prepare<[string, number, number], number>(
          `SELECT rowid FROM ${table} WHERE ${table} MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER)`,
        )
        .pluck();
    this.matchesBetween = { fts: between('fts'), short_terms: between('short_terms') };
  }

  /** A search's candidates, step by step: `next(after, limit)` returns the ones after `after` in the order. */
  open(terms: readonly string[], scope: CandidateScope): CandidateSteps {
    const queries: Record<IndexTable, string | null> = { fts: trigramQuery(terms), short_terms: shortTermQuery(terms) };
    const matches = this.firstMatchesOf(queries);
    const plan = choosePlan(Object.fromEntries(Object.entries(matches).map(([table, ids]) => [table, ids.length])));
    const base = {
      driving: plan.drive ? JSON.stringify(matches[plan.drive]) : null,
      ...queries,
      thread: scope.threadId ?? null,
      run: scope.runId ?? null,
      categories: scope.categories ? JSON.stringify(scope.categories) : null,
      types: scope.eventTypes ? JSON.stringify(scope.eventTypes) : null,
    };
    const read = (sqlPlan: Plan, after: OrderKey | null, limit: number) => {
      const statement = this.statement(sqlPlan, scope, after !== null);
      const keyset = after ? { at: after.at, afterThread: after.thread_id, seq: after.seq } : {};
      return statement.all(pick(statement, { ...base, ...keyset, limit }));
    };
    if (plan.drive !== null) {
      // Every match after the first step's start, read and sorted once (fewer than JOIN_LIMIT): each step of its
      // own would read the driving table's matches and build the joined sets again.
      let sorted: Candidate[] | null = null;
      let taken = 0;
      return (after, limit) => {
        sorted ??= read(plan, after, JOIN_LIMIT);
        const candidates = sorted.slice(taken, (taken += limit));
        return { candidates, resume: taken < sorted.length ? candidates[candidates.length - 1] : null };
      };
    }
    if (plan.probe.length === 0) {
      return (after, limit) => {
        const candidates = read(plan, after, limit);
        return { candidates, resume: candidates.length < limit ? null : candidates[candidates.length - 1] };
      };
    }
    const walk: Plan = { drive: null, join: [], probe: [] };
    const matched = (rows: Candidate[]) => plan.probe.reduce((kept, table) => this.matchingRows(table, queries[table]!, kept), rows);
    let window = FIRST_WINDOW;
    return (after, limit) => {
      const deadline = performance.now() + STEP_BUDGET_MS;
      const candidates: Candidate[] = [];
      let walked = 0;
      for (let key = after; ; ) {
        const rows = read(walk, key, window);
        candidates.push(...matched(rows));
        walked += rows.length;
        if (rows.length < window) return { candidates, resume: null };
        key = rows[rows.length - 1];
        // The next window holds about the matches still wanted, at the rate found so far.
        const wanted = Math.max(limit - candidates.length, 1);
        window = Math.min(MAX_WINDOW, Math.max(FIRST_WINDOW, Math.ceil((wanted * walked) / Math.max(candidates.length, 1))));
        if (candidates.length >= limit || performance.now() > deadline) return { candidates, resume: key };
      }
    };
  }

  /**
   * The rows whose ids `table` matches: its matches read between the lowest
   * and highest id of each cluster of the rows' sorted ids, a gap wider than
   * the rows' count starting a new cluster (reading a little more of the
   * doclists costs less than opening them again).
   */
  private matchingRows(table: IndexTable, query: string, rows: Candidate[]): Candidate[] {
    if (rows.length === 0) return rows;
    const ids = rows.map((row) => row.id).sort((a, b) => a - b);
    const found = new Set<number>();
    const readRange = (lo: number, hi: number) => {
      for (const id of this.matchesBetween[table].iterate(query, lo, hi)) found.add(id);
    };
    let lo = ids[0];
    for (let i = 1; i < ids.length; i++) {
      if (ids[i] - ids[i - 1] <= ids.length) continue;
      readRange(lo, ids[i - 1]);
      lo = ids[i];
    }
    readRange(lo, ids[ids.length - 1]);
    return rows.filter((row) => found.has(row.id));
  }

  /** Each table with a query, with its matches up to JOIN_LIMIT: their count chooses the plan, and the driving table's drive it. */
  private firstMatchesOf(queries: Record<IndexTable, string | null>): Partial<Record<IndexTable, number[]>> {
    const matches: Partial<Record<IndexTable, number[]>> = {};
    for (const table of Object.keys(queries) as IndexTable[]) {
      const query = queries[table];
      if (query !== null) matches[table] = this.firstMatches[table].all(query, JOIN_LIMIT);
    }
    return matches;
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
