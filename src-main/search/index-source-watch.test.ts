import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { execSql } from '../../test/support/deerflow-databases.ts';
import { watchDatabase } from './index-source-watch.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-source-watch-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("a database's version changes with another connection's commit, also once another file was renamed over it", async () => {
  const file = path.join(dir, 'source.db');
  const replacement = path.join(dir, 'replacement.db');
  execSql(file, 'CREATE TABLE t (x)');
  execSql(replacement, 'CREATE TABLE t (x)');
  const watch = watchDatabase(file);
  try {
    const first = await watch.version();
    expect(await watch.version()).toBe(first);
    execSql(file, 'INSERT INTO t VALUES (1)');
    const second = await watch.version();
    expect(second).not.toBe(first);
    fs.renameSync(replacement, file);
    const replaced = await watch.version();
    expect(replaced).not.toBe(second);
    execSql(file, 'INSERT INTO t VALUES (2)');
    expect(await watch.version()).not.toBe(replaced);
  } finally {
    watch.close();
  }
});
