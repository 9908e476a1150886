// Records as the import job hands them to a store's importRows: one batch,
// each record checked and encoded on the way in (row-batch.ts).
import type { RunEvent } from '../../src-shared/types.ts';
import { RowBatchWriter, type RowBatch } from '../../src-main/store/sqlite/row-batch.ts';

export function importBatch(records: readonly RunEvent[]): RowBatch {
  const writer = new RowBatchWriter();
  for (const record of records) writer.addRecord(record);
  return writer.take();
}
