// A single JSONL export file (DESIGN.md §3 "What a SOURCE is"): records
// carry their own thread and run. Read once into memory, read-only.
import path from 'node:path';
import { StoreError } from '../../../src-shared/errors.ts';
import type { InspectorStore, RunEvent, SourceInfo, SourceIssue } from '../../../src-shared/types.ts';
import { EventIndex } from '../event-index.ts';
import { checkId } from '../validate.ts';
import { IndexedStore } from './indexed-store.ts';
import { duplicateSeqIssue, readJsonlFile, type RecordPlace } from './jsonl-reader.ts';
import { statOrNull } from './layout.ts';

interface ReadRecord {
  record: RunEvent;
  where: RecordPlace;
}

/**
 * Adds records to the index in seq order (sorted once, so the index never
 * re-sorts per record). A seq already taken in its thread keeps the record
 * seen first; the later one is skipped and reported.
 */
function addInSeqOrder(index: EventIndex, records: ReadRecord[], report: (issue: SourceIssue) => void): void {
  records.sort((a, b) => a.record.seq - b.record.seq); // stable: equal seqs stay in reading order
  for (const { record, where } of records) {
    const { thread_id, seq } = record;
    if (seq < index.nextSeq(thread_id) && index.getEvent(thread_id, seq)) {
      report(duplicateSeqIssue(where, thread_id, seq));
    } else {
      index.add(record);
    }
  }
}

class JsonlExportStore extends IndexedStore {
  readonly info: SourceInfo;
  protected readonly index = new EventIndex();
  private readonly fileIssues: SourceIssue[];

  constructor(file: string, records: ReadRecord[], issues: SourceIssue[]) {
    super();
    this.info = { kind: 'jsonl-file', path: file, readOnly: true };
    this.fileIssues = issues;
    addInSeqOrder(this.index, records, (issue) => issues.push(issue));
  }

  protected checkId(value: unknown, field: string): string {
    return checkId(value, field);
  }

  /** Read once: any change to the file is a new source, which the session opens again (live/jsonl-follower.ts). */
  protected async refreshThread(): Promise<void> {}
  protected async refreshAll(): Promise<void> {}

  protected issues(): SourceIssue[] {
    return this.fileIssues;
  }

  private readOnly(): never {
    throw new StoreError('READ_ONLY', `${this.info.path} is a JSONL export, opened read-only (import it into a database to change it)`);
  }

  async put(): Promise<RunEvent> {
    return this.readOnly();
  }
  async putBatch(): Promise<RunEvent[]> {
    return this.readOnly();
  }
  async putIfAbsent(): Promise<{ event: RunEvent; created: boolean }> {
    return this.readOnly();
  }
  async deleteByThread(): Promise<number> {
    return this.readOnly();
  }
  async deleteByRun(): Promise<number> {
    return this.readOnly();
  }
}

/** A single .jsonl export (records carry their thread and run), read-only. */
export async function openJsonlExport(file: string): Promise<InspectorStore> {
  const abs = path.resolve(file);
  const stats = statOrNull(abs);
  if (!stats) throw new StoreError('SOURCE', `${abs}: no such file`);
  if (!stats.isFile()) throw new StoreError('SOURCE', `${abs}: not a file`);
  const records: ReadRecord[] = [];
  const { issues, lines } = await readJsonlFile(abs, (record, where) => records.push({ record, where }));
  if (records.length === 0) {
    const first = issues[0];
    const why = first ? ` (line ${first.line}: ${first.message})` : ' (the file is empty)';
    throw new StoreError('SOURCE', `${abs}: ${lines === 1 ? 'its one line is not' : `not one of its ${lines} lines is`} a JSONL run-event record${why}`);
  }
  return new JsonlExportStore(abs, records, issues);
}
