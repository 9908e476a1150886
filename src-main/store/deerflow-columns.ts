// Which of DeerFlow's columns a database of each vintage has, and what the
// read model makes of them, decided alike for every database backend:
// DeerFlow writes the same SQLAlchemy models to SQLite and to PostgreSQL, so
// an older DeerFlow's tables lack the same columns on both. The SQL around
// these pieces is each backend's own (RunsDialect).
import type { RecordedRunColumns } from './table-values.ts';

/** run_events columns every vintage has and without which the table is not usable. */
export const REQUIRED_EVENT_COLUMNS = ['thread_id', 'run_id', 'event_type', 'category', 'content', 'event_metadata', 'seq', 'created_at'] as const;

/** The required run_events columns a table lacks, in REQUIRED_EVENT_COLUMNS' order. */
export const missingEventColumns = (columns: ReadonlySet<string>): string[] => REQUIRED_EVENT_COLUMNS.filter((c) => !columns.has(c));

/** The run_events columns the app reads and writes, in table order: user_id only where the vintage has it (from mid-April 2026 on). */
export const eventColumns = (userId: boolean): string[] => [
  'thread_id',
  'run_id',
  ...(userId ? ['user_id'] : []),
  'event_type',
  'category',
  'content',
  'event_metadata',
  'seq',
  'created_at',
];

/** DeerFlow's `runs` table, with the columns its vintage has. */
export interface RunsTable {
  columns: ReadonlySet<string>;
}

/** `runs`, when it has a run_id to find a run by; else it is not read. */
export const runsTableOf = (columns: ReadonlySet<string>): RunsTable | null => (columns.has('run_id') ? { columns } : null);

/** threads_meta is read for display names when it has both columns. */
export const hasThreadsMeta = (columns: ReadonlySet<string>): boolean => columns.has('thread_id') && columns.has('display_name');

export const quoteIdentifier = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** What differs between the backends' SQL in the `runs` statements. */
export interface RunsDialect {
  /** A bound value's placeholder. */
  param(name: string): string;
  /** A field of runs.metadata_json as text; NULL where the stored text is not JSON. */
  metadataField(field: string): string;
}

/** A `runs` column, or NULL in a vintage without it. */
const runsColumn = (runs: RunsTable, column: string) => (runs.columns.has(column) ? quoteIdentifier(column) : 'NULL');

/** `runs.total_tokens`, or the sum of its parts in vintages without it. */
function totalTokensSql(runs: RunsTable): string {
  if (runs.columns.has('total_tokens')) return quoteIdentifier('total_tokens');
  const parts = ['total_input_tokens', 'total_output_tokens'].filter((c) => runs.columns.has(c));
  return parts.length ? parts.map((c) => `coalesce(${quoteIdentifier(c)}, 0)`).join(' + ') : 'NULL';
}

const metadataFieldSql = (runs: RunsTable, dialect: RunsDialect, field: string) => (runs.columns.has('metadata_json') ? dialect.metadataField(field) : 'NULL');

/** The read model's columns of the `runs` rows `where` picks (table-values.ts summaryFromRunsRow), with their run_id. */
export function runsSummarySql(runs: RunsTable, dialect: RunsDialect, where: string): string {
  const column = (c: string) => `${runsColumn(runs, c)} AS ${c}`;
  return `SELECT run_id, ${column('status')}, ${column('stop_reason')}, ${column('model_name')}, ${column('error')},
       ${totalTokensSql(runs)} AS total_tokens,
       ${metadataFieldSql(runs, dialect, 'regenerate_from_run_id')} AS regenerate_from_run_id,
       coalesce(${runsColumn(runs, 'follow_up_to_run_id')}, ${metadataFieldSql(runs, dialect, 'follow_up_to_run_id')}) AS follow_up_to_run_id
     FROM runs WHERE ${where}`;
}

/** table-values.ts RecordedRunColumns: what a run's `runs` row recorded, each read as stored (NULL where the vintage lacks it). */
const RECORDED_RUN_COLUMNS = [
  'status',
  'stop_reason',
  'model_name',
  'error',
  'total_input_tokens',
  'total_output_tokens',
  'total_tokens',
  'lead_agent_tokens',
  'subagent_tokens',
  'middleware_tokens',
] as const satisfies readonly (keyof RecordedRunColumns)[];

/** A run's `runs` row by its id and, where the table has it, its thread. */
export function recordedRunSql(runs: RunsTable, dialect: RunsDialect): string {
  const byThread = runs.columns.has('thread_id') ? ` AND thread_id = ${dialect.param('thread')}` : '';
  return `SELECT ${RECORDED_RUN_COLUMNS.map((c) => `${runsColumn(runs, c)} AS ${c}`).join(', ')}
     FROM runs WHERE run_id = ${dialect.param('run')}${byThread} LIMIT 1`;
}
