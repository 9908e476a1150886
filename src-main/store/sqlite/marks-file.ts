// A SQLite database's overview-strip marks, kept between sessions (issue 14):
// what the read worker's whole-table pass found (each thread's errors and
// failed tool calls, as of its first seq, last seq and count), in a table of
// their own in the source's sidecar file. A later open draws a strip's
// markers from them at once, where the pass over a 10,000,000-event table
// takes some ten seconds; the store checks each against its thread as it is
// when asked (sqlite-store.ts marksOf), as it checks the pass's own, and the
// pass, run again, replaces them (a strip drawn with a thread's kept marks is
// counted again with the pass's). What that check cannot see (the newest run
// deleted and written again with as many events at the same seqs) shows the
// kept markers until then. Nothing in it is original.
import type { OverviewMarks } from '../overview.ts';
import { KeptFile, type KeptTables } from '../kept-file.ts';

const TABLES: KeptTables = {
  prefix: 'db_marks',
  version: '1',
  schema: [
    `CREATE TABLE IF NOT EXISTS db_marks_threads (thread_id TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL,
       errors TEXT NOT NULL, tool_errors TEXT NOT NULL) WITHOUT ROWID`,
  ],
  tables: ['db_marks_threads'],
};

interface MarksRow {
  thread_id: string;
  first: number;
  last: number;
  count: number;
  errors: string;
  tool_errors: string;
}

export class SqliteMarksFile {
  private readonly kept: KeptFile;
  private readonly sql;

  constructor(file: string, identity: string) {
    this.kept = new KeptFile(file, TABLES, identity);
    this.sql = {
      all: this.kept.db.prepare<[], MarksRow>('SELECT * FROM db_marks_threads'),
      put: this.kept.db.prepare<[MarksRow]>('INSERT INTO db_marks_threads VALUES (@thread_id, @first, @last, @count, @errors, @tool_errors)'),
    };
  }

  load(): Map<string, OverviewMarks> {
    return new Map(
      this.sql.all.all().map((row) => [
        row.thread_id,
        { first: row.first, last: row.last, count: row.count, errors: JSON.parse(row.errors) as number[], toolErrors: JSON.parse(row.tool_errors) as number[] },
      ]),
    );
  }

  /** Every thread's marks, replacing what was kept, in one transaction. */
  save(marks: ReadonlyMap<string, OverviewMarks>): void {
    this.kept.db.transaction(() => {
      this.kept.db.exec('DELETE FROM db_marks_threads');
      for (const [thread_id, { first, last, count, errors, toolErrors }] of marks) {
        this.sql.put.run({ thread_id, first, last, count, errors: JSON.stringify(errors), tool_errors: JSON.stringify(toolErrors) });
      }
    })();
  }

  close(): void {
    this.kept.close();
  }
}
