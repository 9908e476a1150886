// The app's copy of DeerFlow's DDL has not drifted from the one the issue
// checked against DeerFlow's own code (../shared/deerflow, beside the checkout
// where there is one: a clone elsewhere has nothing to compare with).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DEERFLOW_POSTGRES_DDL } from './deerflow-schema.ts';

const SHARED_DDL = path.resolve(import.meta.dirname, '../../../../shared/deerflow/postgres_schema.sql');

it.skipIf(!existsSync(SHARED_DDL))('DEERFLOW_POSTGRES_DDL is ../shared/deerflow/postgres_schema.sql byte for byte', () => {
  const shared = readFileSync(SHARED_DDL);
  expect(DEERFLOW_POSTGRES_DDL).toBe(shared.toString('utf8')); // the diff, line by line
  // and the bytes: a text that is not UTF-8 reads as U+FFFD on both sides.
  expect(Buffer.from(DEERFLOW_POSTGRES_DDL, 'utf8').equals(shared)).toBe(true);
});
